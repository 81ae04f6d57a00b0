"""Assembling what was rendered: 材料清单, PDF conversion (LibreOffice), dossiers and the
submission PDF, the e-mail zip, and the annotated copy of the clerk's workbook.

May import: foundation modules, campaigns, read, check, forms.
"""

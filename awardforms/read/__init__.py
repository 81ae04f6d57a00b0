"""Reading the clerk's files: the workbook's cells with their sheet!cell positions, long texts
named by a cell, photos, scans, and the zips clerks send. Nothing here is trusted.

May import: foundation modules, campaigns.
"""

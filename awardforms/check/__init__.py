"""Checking: raw cells become typed records and a Report of every issue.

Owns: value types (dates, idcard, phone, regions, resume, wordcount), field types
(fields.py), rule types (rules/), the records the later stages use, validate.py.
May import: foundation modules, campaigns, read.
"""

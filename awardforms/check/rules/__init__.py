"""Rule types named in a campaign's definition: row rules (one record), sheet rules (all
records of a sheet, with its quota), member rules (one record and the rows that belong to
it) and workbook rules (rows of two sheets). Each is a plain function; `RULES` maps the
names of `campaigns/schema.py` to them. A campaign picks rules and their parameters in
campaign.toml.

May import: check's value modules (dates, idcard, records), report. Never the loader.
"""

from __future__ import annotations

from awardforms.check.rules import members, row, sheet, workbook

RULES = {**row.RULES, **sheet.RULES, **members.RULES, **workbook.RULES}

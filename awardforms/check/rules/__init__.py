"""Rule types named in a campaign's definition: row rules (one record) and sheet rules (all
records of a sheet, with its quota). Each is a plain function; `RULES` maps the names of
`campaigns/schema.py` to them. A campaign picks rules and their parameters in campaign.toml.

May import: check's value modules (dates, idcard, records), report. Never the loader.
"""

from __future__ import annotations

from awardforms.check.rules import row, sheet

RULES = {**row.RULES, **sheet.RULES}

"""Checks across sheets: rows that belong to a row of another sheet, and workbook rules.

A sheet with `belongs_to = {sheet = ..., field = ..., parent_field = ..., as = ...}` holds
rows that belong to a row of the parent sheet (the 党员 of an organisation): its `field`
names the parent row by the parent's `parent_field` (matched as headers are: spaces and
full/half width ignored). Here each parent record gets `members[as]`, the rows of the
member sheet that name it, in Excel order; a member naming no parent row is an error; a
parent whose members have errors is not rendered (its forms would list them wrongly); then
the parent sheet's member rules and the campaign's workbook rules run.
"""

from __future__ import annotations

from awardforms.campaigns.model import Campaign, condition_holds
from awardforms.campaigns.schema import RULE_TYPES
from awardforms.check.records import Record
from awardforms.check.rules import RULES
from awardforms.report import Issue, Report
from awardforms.textnorm import header_key


def check_links(campaign: Campaign, records: dict[str, list[Record]], report: Report) -> None:
    """Attach members, run member and workbook rules; issues go to `report`."""
    for sheet in campaign.sheets:
        if sheet.belongs_to:
            _attach(sheet, campaign, records, report)
    for sheet in campaign.sheets:
        rules = [r for r in sheet.rules if RULE_TYPES[r["type"]].scope == "members"]
        for rec in records.get(sheet.name, []):
            for r in rules:
                if condition_holds(r.get("when"), rec.values):
                    report.extend(list(RULES[r["type"]](r, rec)))
    for r in campaign.rules:
        report.extend(list(RULES[r["type"]](r, records)))
    _members_with_errors(campaign, records, report)


def _attach(sheet, campaign: Campaign, records: dict[str, list[Record]], report: Report) -> None:
    link = sheet.belongs_to
    parent_sheet = campaign.sheet(link["sheet"])
    parents: dict[str, Record] = {}
    for rec in records.get(parent_sheet.name, []):
        rec.members.setdefault(link["as"], [])
        key = header_key(rec.display.get(link["parent_field"]) or "")
        if key:
            parents.setdefault(key, rec)
    parent_label = parent_sheet.field(link["parent_field"]).label
    for m in records.get(sheet.name, []):
        shown = m.display.get(link["field"]) or ""
        parent = parents.get(header_key(shown))
        if parent is not None:
            parent.members[link["as"]].append(m)
        elif shown:            # blank: the field's own `required` says so
            m.has_errors = True
            report.add(m.issue(link["field"], "error", "parent-unknown",
                               f"“{shown}”不在工作表“{parent_sheet.name}”的“{parent_label}”中。",
                               f"请填写与工作表“{parent_sheet.name}”中完全一致的{parent_label}，"
                               f"或先在该表中补上这一行。"))


def _members_with_errors(campaign: Campaign, records: dict[str, list[Record]], report: Report) -> None:
    bad = report.rows_with_errors()
    for sheet in campaign.sheets:
        for rec in records.get(sheet.name, []):
            for name, members in rec.members.items():
                wrong = [m for m in members if m.has_errors or (m.sheet.name, m.row) in bad]
                if wrong:
                    rows = "、".join(str(m.row) for m in wrong[:10]) + ("……" if len(wrong) > 10 else "")
                    rec.has_errors = True
                    report.add(Issue(rec.sheet.name, rec.row, None, None, "error", "member-has-errors",
                                     f"所属的“{wrong[0].sheet.name}”工作表第{rows}行有错误，"
                                     f"改正后才能生成{rec.name}的材料。",
                                     f"请先改正工作表“{wrong[0].sheet.name}”中这些行的错误。"))

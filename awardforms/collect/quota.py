"""Quotas and ratios over the counted submissions: per 所属地区 (summed over its submissions)
against the campaign's quota table with its ratio rules (config.py), and the campaign's share
rules (`max_share`, `max_share_of_quota`) over all valid nominees of the collection."""

from __future__ import annotations

from dataclasses import dataclass

from awardforms.campaigns.model import Campaign
from awardforms.campaigns.schema import RULE_TYPES
from awardforms.check.records import Record
from awardforms.check.rules import RULES
from awardforms.collect.config import CollectConfig
from awardforms.collect.sources import Received
from awardforms.report import Issue
from awardforms.textnorm import header_key

SHARE_RULES = ("max_share", "max_share_of_quota")
OTHER = "（名额表以外）"
SINGLE_OVER = "quota-exceeded"          # check.validate: one workbook over its region's quota


def region_of(campaign: Campaign, text: str) -> str:
    """The quota table's name for a 所属地区 as a clerk wrote it (as check.validate matches it),
    or the text itself when the table has no such row."""
    wanted = header_key(text)
    for name in campaign.quotas:
        key = header_key(name)
        if wanted and (wanted == key or wanted.startswith(key) or key.startswith(wanted)):
            return name
    return text.strip() or OTHER


def regions_in_order(campaign: Campaign, counted: list[Received]) -> list[str]:
    """The quota table's order, then regions that are not in it, as they came."""
    names = list(campaign.quotas)
    for r in counted:
        region = region_of(campaign, r.region)
        if region not in names:
            names.append(region)
    return names


@dataclass
class QuotaRow:
    region: str
    sheet: str
    quota: int | None               # None: the region is not in the quota table
    submitted: int
    valid: int
    low: int | None = None          # allowed range from the campaign's region rules
    high: int | None = None

    @property
    def difference(self) -> int | None:
        return None if self.quota is None else self.submitted - self.quota

    @property
    def allowed(self) -> str:
        """The allowed number of nominees as text: ≤20, ≥6, 6～8 ('' outside the table)."""
        if self.low is None and self.high is None:
            return "" if self.quota is None else f"≤{self.quota}"
        if self.low is None:
            return f"≤{self.high}"
        return f"≥{self.low}" if self.high is None else f"{self.low}～{self.high}"

    @property
    def mark(self) -> str:
        """超出 / 不足 / '' against the allowed range (or the quota when no rule says)."""
        high = self.high if self.high is not None or self.low is not None else self.quota
        if high is not None and self.submitted > high:
            return "超出"
        if self.low is not None and self.submitted < self.low:
            return "不足"
        return ""

    def as_json(self) -> dict:
        return {"region": self.region, "sheet": self.sheet, "quota": self.quota,
                "submitted": self.submitted, "valid": self.valid, "min": self.low, "max": self.high,
                "allowed": self.allowed, "difference": self.difference, "mark": self.mark}


def quota_rows(campaign: Campaign, config: CollectConfig, counted: list[Received]) -> list[QuotaRow]:
    rows = []
    by_region: dict[str, list[Received]] = {}
    for r in counted:
        by_region.setdefault(region_of(campaign, r.region), []).append(r)
    for region in regions_in_order(campaign, counted):
        for sheet in campaign.sheets:
            nominees = [n for r in by_region.get(region, []) for n in r.nominees if n.sheet == sheet.name]
            quota = campaign.quotas[region].get(sheet.name, 0) if region in campaign.quotas else None
            row = QuotaRow(region, sheet.name, quota, len(nominees), sum(n.valid for n in nominees))
            for rule in config.ratios:
                if rule.scope == "region" and (not rule.sheets or sheet.name in rule.sheets):
                    base = quota if rule.base == "quota" else rule.base.get(sheet.name)
                    if base is not None:
                        low, high = rule.bounds(base)
                        row.low = low if low is not None else row.low
                        row.high = high if high is not None else row.high
            rows.append(row)
    return rows


def _message(rule, **values) -> tuple[str, str]:
    return rule.message.format(**values), rule.fix.format(**values)


def ratio_issues(campaign: Campaign, config: CollectConfig, counted: list[Received],
                 rows: list[QuotaRow]) -> list[Issue]:
    """Region rules: added to each counted submission of the region (not returned; a region of
    one submission whose own check found it over its quota is not told twice); total rules:
    returned (they concern the whole collection)."""
    found: list[Issue] = []
    for rule in config.ratios:
        sheets = [s.name for s in campaign.sheets if not rule.sheets or s.name in rule.sheets]
        if rule.scope == "region":
            for row in rows:
                if row.sheet not in sheets:
                    continue
                base = row.quota if rule.base == "quota" else rule.base.get(row.sheet)
                if base is None:
                    continue
                issue = _check(rule, row.sheet, row.submitted if rule.count == "submitted" else row.valid,
                               base, row.region)
                mine = [r for r in counted if region_of(campaign, r.region) == row.region]
                told = len(mine) == 1 and any(i.code == SINGLE_OVER and i.sheet == row.sheet for i in mine[0].issues)
                if issue and not told:
                    for r in mine:
                        r.issues.append(issue)
        else:
            for sheet in sheets:
                mine = [x for x in rows if x.sheet == sheet]
                count = sum(x.submitted if rule.count == "submitted" else x.valid for x in mine)
                base = (sum(x.quota or 0 for x in mine) if rule.base == "quota" else rule.base.get(sheet))
                issue = _check(rule, sheet, count, base, "全省") if base is not None else None
                if issue:
                    found.append(issue)
    return found


def _check(rule, sheet: str, count: int, base: int, region: str) -> Issue | None:
    low, high = rule.bounds(base)
    if (low is None or count >= low) and (high is None or count <= high):
        return None
    message, fix = _message(rule, region=region, sheet=sheet, count=count, base=base,
                            low=low if low is not None else "", high=high if high is not None else "",
                            over=count - high if high is not None else 0,
                            under=low - count if low is not None else 0)
    return Issue(sheet, None, None, None, rule.severity, rule.code, message, fix)


def share_issues(campaign: Campaign, counted: list[Received]) -> list[Issue]:
    """The campaign's share rules over every valid nominee of the collection (quota: the whole
    table's total for the sheet)."""
    found = []
    for sheet in campaign.sheets:
        records = [Record(sheet, n.row, dict(n.values), dict(n.values), n.columns)
                   for r in counted for n in r.nominees if n.sheet == sheet.name and n.valid]
        total = sum(q.get(sheet.name, 0) for q in campaign.quotas.values()) or None
        for rule in sheet.rules:
            if rule["type"] in SHARE_RULES and RULE_TYPES[rule["type"]].scope == "sheet":
                for issue in RULES[rule["type"]](rule, records, total):
                    found.append(Issue(issue.sheet, None, None, issue.field, issue.severity, issue.code,
                                       f"全部提交合计：{issue.message}", issue.fix))
    return found

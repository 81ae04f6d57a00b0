"""Rules beyond single fields, named by `type` in a campaign's definition.

Row rules look at one record; sheet rules at all records of a sheet, with the
submission's quota. Each is a small function registered in RULES; a campaign picks
rules and their parameters in its campaign.toml.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable, Iterable

from . import dates, idcard
from .records import Record
from .report import Issue


@dataclass(frozen=True)
class RuleType:
    scope: str          # "row" or "sheet"
    check: Callable


RULES: dict[str, RuleType] = {}


def rule(name: str, scope: str):
    def register(fn):
        RULES[name] = RuleType(scope, fn)
        return fn
    return register


def _fmt(template: str, **values) -> str:
    return template.format(**values) if template else ""


@rule("forbidden_pattern", "row")
def forbidden_pattern(r: dict, rec: Record) -> Iterable[Issue]:
    text = rec.display.get(r["field"]) or ""
    if text and re.search(r["pattern"], text):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"], r["message"], r.get("fix", ""))


@rule("no_year_since", "row")
def no_year_since(r: dict, rec: Record) -> Iterable[Issue]:
    text = rec.display.get(r["field"]) or ""
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    recent = [y for y in years if y >= r["since"]]
    if recent:
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        _fmt(r["message"], year=max(recent)), r.get("fix", ""))


@rule("id_agrees", "row")
def id_agrees(r: dict, rec: Record) -> Iterable[Issue]:
    idn = rec.values.get(r["id"])
    if idn is None:
        return
    problems = idcard.check_agreement(idn, rec.values.get(r["gender"]), rec.values.get(r["birth"]))
    for p in problems:
        target = r["gender"] if "gender" in p.code else r["birth"] if "birth" in p.code else r["id"]
        yield rec.issue(target, p.severity, p.code, p.message, p.fix)


@rule("min_years", "row")
def min_years(r: dict, rec: Record) -> Iterable[Issue]:
    start = rec.values.get(r["field"])
    if start is None:
        return
    as_of = dt.date.fromisoformat(r["as_of"])
    months = dates.months_between(start, (as_of.year, as_of.month))
    if months < r["years"] * 12:
        got = f"{months // 12}年{months % 12}个月"
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        f"{r['message']}（实为{got}）", r.get("fix", ""))


@rule("not_before", "row")
def not_before(r: dict, rec: Record) -> Iterable[Issue]:
    a, b = rec.values.get(r["field"]), rec.values.get(r["after"])
    if a is not None and b is not None and a < b:
        yield rec.issue(r["field"], r.get("severity", "warning"), r["code"], r["message"], r.get("fix", ""))


@rule("unique", "sheet")
def unique(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    seen: dict[str, Record] = {}
    label = records[0].sheet.field(r["field"]).label if records else ""
    for rec in records:
        value = rec.display.get(r["field"])
        if not value:
            continue
        if value in seen:
            first = seen[value]
            yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                            f"与第{first.row}行的{label}相同（{value}）。",
                            "同一推荐对象只能填写一次，请删除重复的行或核对号码。")
        else:
            seen[value] = rec


def _share_issue(r: dict, records: list[Record], count: int, **values) -> Issue:
    sheet = records[0].sheet
    return Issue(sheet.name, None, None, sheet.field(r["field"]).label, r.get("severity", "warning"),
                 r["code"], _fmt(r["message"], count=count, **values), r.get("fix", ""))


@rule("max_share", "sheet")
def max_share(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    if not records:
        return
    count = sum(1 for rec in records if rec.values.get(r["field"]) in r["values"])
    if count / len(records) > r["max"]:
        yield _share_issue(r, records, count, total=len(records), share=f"{count / len(records):.0%}")


@rule("max_share_of_quota", "sheet")
def max_share_of_quota(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    if not records or not quota:
        return
    count = sum(1 for rec in records if rec.values.get(r["field"]) in r["values"])
    if count > quota * r["max"]:
        yield _share_issue(r, records, count, quota=quota, total=len(records))
from . import rules_extra  # noqa: F401  (registers more rule types)

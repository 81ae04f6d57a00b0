"""Row rules: each looks at one record and yields its issues.

Any row rule may carry `when = {field = ..., equals/in/not_in = ...}`: validate.py only
runs it for rows where the condition holds (e.g. 5 years of service only for 负责人).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from awardforms.check import dates, idcard
from awardforms.check.records import Record
from awardforms.report import Issue


def _fmt(template: str, **values) -> str:
    return template.format(**values) if template else ""


def forbidden_pattern(r: dict, rec: Record) -> Iterable[Issue]:
    text = rec.display.get(r["field"]) or ""
    if text and re.search(r["pattern"], text):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"], r["message"], r.get("fix", ""))


def no_year_since(r: dict, rec: Record) -> Iterable[Issue]:
    text = rec.display.get(r["field"]) or ""
    years = [int(y) for y in re.findall(r"(?<!\d)((?:19|20)\d\d)(?!\d)", text)]
    recent = [y for y in years if y >= r["since"]]
    if recent:
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        _fmt(r["message"], year=max(recent)), r.get("fix", ""))


def id_agrees(r: dict, rec: Record) -> Iterable[Issue]:
    idn = rec.values.get(r["id"])
    if idn is None:
        return
    problems = idcard.check_agreement(idn, rec.values.get(r["gender"]), rec.values.get(r["birth"]))
    for p in problems:
        target = r["gender"] if "gender" in p.code else r["birth"] if "birth" in p.code else r["id"]
        yield rec.issue(target, p.severity, p.code, p.message, p.fix)


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


def not_before(r: dict, rec: Record) -> Iterable[Issue]:
    a, b = rec.values.get(r["field"]), rec.values.get(r["after"])
    if a is not None and b is not None and a < b:
        yield rec.issue(r["field"], r.get("severity", "warning"), r["code"], r["message"], r.get("fix", ""))




def pattern(r: dict, rec: Record) -> Iterable[Issue]:
    text = rec.display.get(r["field"]) or ""
    if text and not re.search(r["pattern"], text):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        r["message"].format(value=text), r.get("fix", ""))


def month_not_before(r: dict, rec: Record) -> Iterable[Issue]:
    value = rec.values.get(r["field"])
    if value is None:
        return
    as_of = dt.date.fromisoformat(r["as_of"])
    if tuple(value) < (as_of.year, as_of.month):
        yield rec.issue(r["field"], r.get("severity", "warning"), r["code"],
                        r["message"].format(value=dates.format_month(value),
                                            as_of=dates.format_date_long(as_of)),
                        r.get("fix", ""))


RULES = {
    "forbidden_pattern": forbidden_pattern,
    "no_year_since": no_year_since,
    "id_agrees": id_agrees,
    "min_years": min_years,
    "not_before": not_before,
    "pattern": pattern,
    "month_not_before": month_not_before,
}

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


# --------------------------------------------------------------- dates that cannot be (issue 15)

def _plus_years(month: dates.Month, years: int) -> dates.Month:
    return (month[0] + years, month[1])


def min_age_at(r: dict, rec: Record) -> Iterable[Issue]:
    """`field` (a month) at least `years` after `birth`: 参加工作时间 before the 16th birthday,
    or before 出生日期 itself."""
    when, birth = rec.values.get(r["field"]), rec.values.get(r["birth"])
    if when is None or birth is None:
        return
    label, birth_label = rec.sheet.field(r["field"]).label, rec.sheet.field(r["birth"]).label
    shown, born = dates.format_month(when), dates.format_month(birth)
    if tuple(when) < tuple(birth):
        message = f"{shown}早于{birth_label}{born}，不可能。"
    elif tuple(when) < _plus_years(birth, r["years"]):
        age = dates.months_between(birth, when) // 12
        message = f"{shown}时只有{age}岁（{birth_label}{born}），不满{r['years']}周岁，不可能。"
    else:
        return
    yield rec.issue(r["field"], r.get("severity", "error"), r.get("code", "age-impossible"),
                    r.get("message", message).format(value=shown, birth=born, label=label),
                    r.get("fix", f"请核对{label}和{birth_label}的年份。"))


def resume_starts_after_age(r: dict, rec: Record) -> Iterable[Issue]:
    """The first period of a 简历 (`field`) starts at `years` of age or later."""
    periods, birth = rec.values.get(r["field"]), rec.values.get(r["birth"])
    if not periods or birth is None:
        return
    first = min(periods, key=lambda p: p.start)
    if tuple(first.start) >= _plus_years(birth, r["years"]):
        return
    age = dates.months_between(birth, first.start) // 12
    told = f"只有{age}岁" if age >= 0 else "尚未出生"
    birth_label = rec.sheet.field(r["birth"]).label
    yield rec.issue(r["field"], r.get("severity", "error"), r.get("code", "resume-too-early"),
                    f"第{first.line}行从{dates.format_month(first.start)}开始，其时{told}"
                    f"（{birth_label}{dates.format_month(birth)}），早于{r['years']}周岁。",
                    r.get("fix", f"简历从高中或学徒填起；请核对第{first.line}行的年份和{birth_label}。"))


def not_after_resume_work(r: dict, rec: Record) -> Iterable[Issue]:
    """`field` (参加工作时间) no later than the first work period of the 简历 (`resume`): the
    first period whose text does not match `study` (学习, 就读, 待业 ...)."""
    start, periods = rec.values.get(r["field"]), rec.values.get(r["resume"])
    if start is None or not periods:
        return
    study = re.compile(r.get("study", "学习|就读|读书|求学|学生|进修|待业|毕业"))
    work = [p for p in periods if not study.search(p.text)]
    if not work:
        return
    first = min(work, key=lambda p: p.start)
    if tuple(start) <= tuple(first.start):
        return
    label, resume_label = rec.sheet.field(r["field"]).label, rec.sheet.field(r["resume"]).label
    yield rec.issue(r["field"], r.get("severity", "error"), r.get("code", "work-start-after-resume"),
                    f"{dates.format_month(start)}晚于{resume_label}中第一段工作经历的开始时间"
                    f"{dates.format_month(first.start)}（第{first.line}行“{first.text}”）。",
                    r.get("fix", f"{label}应为第一段工作经历开始的年月；请核对{label}和{resume_label}。"))


RULES |= {
    "min_age_at": min_age_at,
    "resume_starts_after_age": resume_starts_after_age,
    "not_after_resume_work": not_after_resume_work,
}

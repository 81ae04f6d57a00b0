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


# ---- times: ages, spans between two fields, date windows (any of month, date, ID number)

def _point(value) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) of a month (y, m), a date, or an ID number's birth date."""
    if value is None:
        return None
    if isinstance(value, idcard.IdNumber):
        value = value.birth
    if isinstance(value, dt.date):
        return value.year, value.month, value.day
    if isinstance(value, tuple) and len(value) == 2:
        return value[0], value[1], None
    return None


def _months(a: tuple, b: tuple) -> int:
    """Whole months from a to b; days count only when both have one."""
    months = (b[0] - a[0]) * 12 + (b[1] - a[1])
    if a[2] is not None and b[2] is not None and b[2] < a[2]:
        months -= 1
    return months


def _as_of(r: dict) -> tuple[int, int, int]:
    d = dt.date.fromisoformat(r["as_of"])
    return d.year, d.month, d.day


def _span_text(months: int) -> str:
    return f"{months // 12}年" + (f"{months % 12}个月" if months % 12 else "")


def _outside(months: int, r: dict) -> bool:
    return (("min" in r and months < r["min"] * 12) or ("max" in r and months > r["max"] * 12))


def age_between(r: dict, rec: Record) -> Iterable[Issue]:
    """Age in full years (周岁) on `as_of` between `min` and `max` inclusive; `field` is a
    birth date/month or an ID number."""
    birth = _point(rec.values.get(r["field"]))
    if birth is None:
        return
    age = _months(birth, _as_of(r)) // 12
    if ("min" in r and age < r["min"]) or ("max" in r and age > r["max"]):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        _fmt(r["message"], age=age, as_of=r["as_of"]), r.get("fix", ""))


def years_between(r: dict, rec: Record) -> Iterable[Issue]:
    """Time from `field` to `until` (another field) or to `as_of`, in years: at least `min`,
    at most `max` (either may be missing; fractions allowed: 1.5 = 18 months)."""
    start = _point(rec.values.get(r["field"]))
    end = _point(rec.values.get(r["until"])) if "until" in r else _as_of(r)
    if start is None or end is None:
        return
    months = _months(start, end)
    if _outside(months, r):
        shown = _span_text(months) if months >= 0 else f"早{_span_text(-months)}"
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        _fmt(r["message"], years=shown, as_of=r.get("as_of", "")), r.get("fix", ""))


def date_window(r: dict, rec: Record) -> Iterable[Issue]:
    """The date lies within [`not_before`, `not_after`] (ISO dates), or, with
    `not_after_in_year = "07-10"`, on or before that day of its own year."""
    point = _point(rec.values.get(r["field"]))
    if point is None:
        return
    day = point if point[2] is not None else (*point[:2], 1)
    last = None
    if "not_after_in_year" in r:
        m, d = (int(x) for x in r["not_after_in_year"].split("-"))
        last = (point[0], m, d)
    elif "not_after" in r:
        last = tuple(int(x) for x in r["not_after"].split("-"))
    first = tuple(int(x) for x in r["not_before"].split("-")) if "not_before" in r else None
    if (last and day > last) or (first and day < first):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        _fmt(r["message"], value=rec.display.get(r["field"], "")), r.get("fix", ""))


def number_range(r: dict, rec: Record) -> Iterable[Issue]:
    """A number field at least `min` and at most `max` (unlike the field's own min/max, a
    rule: it may carry `when`, a severity and the notice's wording)."""
    n = rec.values.get(r["field"])
    if isinstance(n, (int, float)) and (("min" in r and n < r["min"]) or ("max" in r and n > r["max"])):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"], _fmt(r["message"], value=n),
                        r.get("fix", ""))


def any_of(r: dict, rec: Record) -> Iterable[Issue]:
    """One issue when none of `rules` holds. A rule holds when its field is filled in and it
    finds nothing (连续满3年 or 累计满5年: either will do)."""
    for sub in r["rules"]:
        if rec.values.get(sub["field"]) is not None and not list(RULES[sub["type"]](
                {"code": r["code"], "message": "", **sub}, rec)):
            return
    yield rec.issue(r.get("field", r["rules"][0]["field"]), r.get("severity", "error"), r["code"],
                    r["message"], r.get("fix", ""))


RULES = {
    "age_between": age_between,
    "years_between": years_between,
    "date_window": date_window,
    "number_range": number_range,
    "any_of": any_of,
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

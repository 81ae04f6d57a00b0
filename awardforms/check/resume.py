"""个人简历: one period a line, `2001.09--2005.07 吉林大学法学院法学专业学习`.

The last period may be open, `2019.03--至今 …`. Periods must join without a gap. Both
conventions in use count as joined: the next period starts in the month the previous one
ended (`--2005.07`, `2005.07--`) or in the month after (`--2005.07`, `2005.08--`); so
`next.start <= covered_until + 1 month`, where `covered_until` is the latest end of all
earlier periods (overlaps, e.g. 兼职, are allowed and do not open false gaps).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from awardforms.check.dates import Month, format_month, months_between, parse_month
from awardforms.errors import FieldProblem

_MONTH = r"\d{4}\s*(?:年\s*\d{1,2}\s*月?|[./\-]\s*\d{1,2}|\d{2})"
_PRESENT = r"至今|今|现在"
_SEPARATOR = r"\s*(?:-{1,2}|—{1,2}|–{1,2}|～|~|〜|至|到)\s*"
_LINE = re.compile(
    rf"^(?P<start>{_MONTH}){_SEPARATOR}(?P<end>{_PRESENT}|{_MONTH})[\s,，:：、]*(?P<text>.*)$"
)
_FIX_LINE = "每段经历写一行，如“2001.09--2005.07 吉林大学法学院法学专业学习”，最后一段写“2019.03--至今 …”。"


@dataclass(frozen=True)
class Period:
    """One line of a résumé; `end` None means 至今."""

    start: Month
    end: Month | None
    text: str
    line: int  # 1-based line number in the cell


def parse_resume(
    text: str, today: datetime.date | None = None
) -> tuple[list[Period], list[FieldProblem]]:
    """The periods of a résumé and the problems found (errors and warnings)."""
    periods: list[Period] = []
    problems: list[FieldProblem] = []
    for number, raw in enumerate(str(text).splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        try:
            periods.append(_parse_line(line, number, today))
        except FieldProblem as problem:
            problems.append(problem)
    problems.extend(_check_order(periods))
    problems.extend(_check_gaps(periods))
    return periods, problems


def format_resume(periods: list[Period]) -> str:
    """Normalised lines: `2001.09--2005.07 text`, `2019.03--至今 text`."""
    lines = []
    for period in periods:
        end = format_month(period.end) if period.end else "至今"
        lines.append(f"{format_month(period.start)}--{end} {period.text}".rstrip())
    return "\n".join(lines)


def _parse_line(line: str, number: int, today: datetime.date | None) -> Period:
    match = _LINE.match(unicodedata.normalize("NFKC", line).replace("－", "-"))
    if not match or not match.group("text").strip():
        reason = "缺少经历内容" if match else "无法识别起止时间"
        raise FieldProblem("resume-line", f"第{number}行“{line}”{reason}。", _FIX_LINE)
    try:
        start = parse_month(match.group("start"), today=today)
        end_text = match.group("end")
        end = None if re.fullmatch(_PRESENT, end_text) else parse_month(end_text, today=today)
    except FieldProblem as problem:
        raise FieldProblem(
            "resume-line", f"第{number}行“{line}”：{problem.message}", problem.fix
        ) from None
    return Period(start, end, match.group("text").strip(), number)


def _check_order(periods: list[Period]) -> list[FieldProblem]:
    problems = []
    for period in periods:
        if period.end is not None and period.end < period.start:
            problems.append(
                FieldProblem(
                    "resume-order",
                    f"第{period.line}行结束时间{format_month(period.end)}"
                    f"早于开始时间{format_month(period.start)}。",
                    "请核对该行的起止时间是否写反或写错。",
                )
            )
    for period in periods[:-1]:
        if period.end is None:
            problems.append(
                FieldProblem(
                    "resume-present-not-last",
                    f"第{period.line}行写的是“至今”，但不是最后一段经历。",
                    "只有最后一段（现任职务）写“至今”；已结束的经历请写明结束年月。",
                    severity="warning",
                )
            )
    return problems


def _check_gaps(periods: list[Period]) -> list[FieldProblem]:
    problems = []
    covered: Period | None = None  # the earlier period that ends latest
    for period in periods:
        if covered is not None and covered.end is not None:
            if months_between(covered.end, period.start) > 1:
                end, start = format_month(covered.end), format_month(period.start)
                problems.append(
                    FieldProblem(
                        "resume-gap",
                        f"第{covered.line}行与第{period.line}行之间断档："
                        f"{end}至{start}之间断档。",
                        "请补上这段时间的经历（如待业、学习），或核对起止时间。",
                    )
                )
        if covered is None or _later_end(period, covered):
            covered = period
    return problems


def _later_end(period: Period, than: Period) -> bool:
    if than.end is None:
        return False
    return period.end is None or period.end > than.end

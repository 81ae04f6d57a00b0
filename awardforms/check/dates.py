"""Months (到月: 出生日期, 参加工作时间, 简历) and full dates (填表日期, seal dates).

Months are written `1990.09` on the forms, full dates `2023年3月1日` (GB/T 9704-2012).

Numbers from Excel cells: an integer or float is an Excel date serial (1900 date system,
converted by openpyxl, which handles the 1900-02-29 bug), except
- 6-digit integers `199009` (YYYYMM) and 8-digit integers `19900915` (YYYYMMDD);
- numbers between 1900 and 2100: a year typed as a number, or a month typed as `1990.09`
  that Excel stored as the number 1990.09. Two decimals (1990.09, 1990.11) and one decimal
  2-9 (1990.9 = September; `1990.90` is no month) are unambiguous; one decimal `.1` is
  1990.1 or 1990.10, which Excel stores as the same number: `month-ambiguous-number`.
"""

from __future__ import annotations

import datetime
import re
import unicodedata

from babel.dates import format_date

from awardforms.errors import FieldProblem

Month = tuple[int, int]

_SEP = r"\s*(?:年|\.|-|/|。)\s*"
_MONTH = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*月?$")
_DATE = re.compile(rf"^(\d{{4}}){_SEP}(\d{{1,2}})\s*(?:月|\.|-|/|。)\s*(\d{{1,2}})\s*日?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")
_TIME = re.compile(r"\s*(?:T|\s)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
_MONTH_FIX = "请写成“1990.09”或“1990年9月”的形式。"
_DATE_FIX = "请写成“2023年3月1日”或“2023-03-01”的形式。"
_EXCEL_MAX_SERIAL = 2958465  # 9999-12-31


def parse_month(value, today: datetime.date | None = None) -> Month:
    """Year and month of a 到月 value (text, date, or Excel number)."""
    today = today or datetime.date.today()
    if isinstance(value, (datetime.date, datetime.datetime)):
        year, month = value.year, value.month
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        year, month = _month_from_number(value)
    else:
        year, month, _day = _split_text(str(value), _MONTH_FIX, "month-invalid")
    if not 1 <= month <= 12:
        raise FieldProblem("month-invalid", f"“{value}”中的月份{month}不存在。", _MONTH_FIX)
    if year < 1900:
        raise FieldProblem("month-invalid", f"“{value}”的年份早于1900年。", _MONTH_FIX)
    if (year, month) > (today.year, today.month):
        raise FieldProblem(
            "month-invalid", f"“{format_month((year, month))}”晚于当前月份。", "请核对年份和月份。"
        )
    return year, month


def format_month(month: Month) -> str:
    """`(1990, 9)` → `1990.09`."""
    year, mon = month
    return f"{year}.{mon:02d}"


def parse_date(value) -> datetime.date:
    """A full date (text, date, or Excel serial number)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if 1900 <= value < 2101 or _COMPACT.match(str(value)):
            text = str(value)
        else:
            return _from_serial(value, "date-invalid", _DATE_FIX)
    else:
        text = str(value)
    year, month, day = _split_text(text, _DATE_FIX, "date-invalid")
    if day is None:
        raise FieldProblem("date-invalid", f"“{text}”缺少日。", _DATE_FIX)
    try:
        result = datetime.date(year, month, day)
    except ValueError:
        raise FieldProblem("date-invalid", f"“{text}”不是有效的日期。", _DATE_FIX) from None
    if year < 1900:
        raise FieldProblem("date-invalid", f"“{text}”的年份早于1900年。", _DATE_FIX)
    return result


def format_date_long(d: datetime.date) -> str:
    """`2023年3月1日` (Babel's zh_CN long format: no zero padding)."""
    return format_date(d, "long", locale="zh_CN")


def months_between(start: Month, end: Month) -> int:
    """Whole months from `start` to `end` (negative if `end` is earlier)."""
    return (end[0] - start[0]) * 12 + (end[1] - start[1])


def _split_text(text: str, fix: str, code: str) -> tuple[int, int, int | None]:
    """(year, month, day|None) of a text date; the day, if present, must exist."""
    clean = _TIME.sub("", unicodedata.normalize("NFKC", text).strip())
    match = _DATE.match(clean) or _MONTH.match(clean) or _COMPACT.match(clean)
    if not match:
        if re.fullmatch(r"\d{4}\s*年?", clean):
            raise FieldProblem(code, f"“{text}”只有年份，缺少月份。", fix)
        raise FieldProblem(code, f"“{text}”不是可识别的日期。", fix)
    year, month = int(match.group(1)), int(match.group(2))
    day = int(match.group(3)) if match.lastindex == 3 and match.group(3) else None
    if day is not None:
        try:
            datetime.date(year, month, day)
        except ValueError:
            raise FieldProblem(code, f"“{text}”不是有效的日期。", fix) from None
    return year, month, day


def _month_from_number(value: int | float) -> Month:
    if float(value).is_integer() and _COMPACT.match(str(int(value))):
        year, month, _day = _split_text(str(int(value)), _MONTH_FIX, "month-invalid")
        return year, month
    if 1900 <= value < 2101:
        if float(value).is_integer():
            raise FieldProblem("month-invalid", f"“{int(value)}”只有年份，缺少月份。", _MONTH_FIX)
        year = int(value)
        hundredths = round((value - year) * 100)
        if hundredths == 10:
            raise FieldProblem(
                "month-ambiguous-number",
                f"该单元格是数字{value:g}：Excel把“{year}.1”和“{year}.10”存成同一个数字，"
                "无法判断是1月还是10月。",
                f"请把该列设置为“文本”格式后重新输入，如“{year}.10”或“{year}.01”。",
            )
        month = hundredths // 10 if hundredths % 10 == 0 else hundredths
        return year, month
    when = _from_serial(value, "month-invalid", _MONTH_FIX)
    return when.year, when.month


def _from_serial(value: int | float, code: str, fix: str) -> datetime.date:
    if not 1 <= value <= _EXCEL_MAX_SERIAL:
        raise FieldProblem(code, f"数字“{value}”不是日期。", fix)
    # importing openpyxl costs ~90 ms (~240 ms where numpy is installed); only a serial needs it
    from openpyxl.utils.datetime import from_excel
    when = from_excel(value)
    return when.date() if isinstance(when, datetime.datetime) else when

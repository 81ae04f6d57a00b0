"""Resident ID numbers (居民身份证号码, GB 11643-1999).

Uses the pieces of `stdnum.cn.ric` (check digit, birth date, location database) but not
its `validate()`: that one demands the county code existed in the birth year, and so
rejects real numbers of people born in Changchun before 1983 (e.g. 220102 + 1970), who
are most of our nominees. We accept a county code known in any year, and any county code
under a known province (the database lacks some codes, e.g. development zones); an unknown
province is an error. Only the province is looked up, in the set of province codes the
region index keeps (regions.py caches it across runs), so a run need not read cn/loc (~30 ms).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass

from stdnum import numdb
from stdnum.cn import ric

from awardforms.check import regions
from awardforms.errors import FieldProblem

_FIX_TYPO = "请核对号码，常见原因是抄错一位数字。"
_FIX_TEXT_COLUMN = "请把该列设置为“文本”格式后重新输入完整号码（不要直接粘贴数字）。"
_SCIENTIFIC = re.compile(r"^\d(\.\d+)?E\+?\d+$")
_EARLIEST_BIRTH = datetime.date(1900, 1, 1)


@dataclass(frozen=True)
class IdNumber:
    """A checked ID number and what it says."""

    number: str
    birth: datetime.date
    gender: str  # '男' or '女'
    region_code: str


def parse_id_number(text: str, today: datetime.date | None = None) -> IdNumber:
    """Check an ID number typed as text; raise FieldProblem if it is wrong."""
    number = _compact(text)
    if _SCIENTIFIC.match(number):
        raise FieldProblem(
            "id-lost-digits",
            f"身份证号码被Excel存成了数字（{number}），最后几位已经丢失。",
            _FIX_TEXT_COLUMN,
        )
    if len(number) == 15 and number.isdigit():
        raise FieldProblem(
            "id-15-digit",
            "这是15位的旧身份证号码。",
            "请填写18位的第二代居民身份证号码。",
        )
    if len(number) != 18:
        raise FieldProblem(
            "id-length",
            f"身份证号码应为18位，实为{len(number)}位。",
            "请核对是否多输或漏输了数字。",
        )
    if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
        raise FieldProblem(
            "id-format",
            "身份证号码前17位应为数字，最后一位应为数字或X。",
            "请删除其中的字母、标点或其他字符。",
        )
    birth = _birth_date(number, today or datetime.date.today())
    expected = ric.calc_check_digit(number)
    if number[17] != expected:
        raise FieldProblem(
            "id-checksum",
            f"身份证号码校验位不正确（应为{expected}，实为{number[17]}）。",
            _FIX_TYPO,
        )
    _check_region(number)
    return IdNumber(number, birth, gender_from_id(number), number[:6])


def id_from_excel_number(value: int | float) -> str:
    """The text of an ID number that Excel stored as a number, if nothing was lost."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"expected int or float, got {type(value).__name__}")
    if isinstance(value, int):
        return str(value)
    if value != value or value in (float("inf"), float("-inf")) or not value.is_integer():
        raise FieldProblem(
            "id-format",
            f"“{value}”不是身份证号码。",
            "请填写18位的居民身份证号码。",
        )
    if abs(value) > 2**53:
        raise FieldProblem(
            "id-lost-digits",
            f"身份证号码被Excel存成了数字（{value:.14E}），最后几位已经丢失。",
            _FIX_TEXT_COLUMN,
        )
    return str(int(value))


def gender_from_id(number: str | IdNumber) -> str:
    """'男' if the 17th digit is odd, else '女'."""
    if isinstance(number, IdNumber):
        return number.gender
    return "男" if int(_compact(number)[16]) % 2 else "女"


def check_agreement(
    idn: IdNumber, gender: str | None, birth_year_month: tuple[int, int] | None
) -> list[FieldProblem]:
    """Problems where 性别 or 出生日期 disagree with the ID number."""
    problems = []
    if gender and gender != idn.gender:
        problems.append(
            FieldProblem(
                "id-gender-mismatch",
                f"性别填写为“{gender}”，但身份证号码第17位表示“{idn.gender}”。",
                "请核对性别或身份证号码。",
            )
        )
    if birth_year_month and tuple(birth_year_month) != (idn.birth.year, idn.birth.month):
        year, month = birth_year_month
        problems.append(
            FieldProblem(
                "id-birth-mismatch",
                f"出生日期填写为{year}.{month:02d}，但身份证号码中的出生日期为"
                f"{idn.birth.year}年{idn.birth.month}月{idn.birth.day}日。",
                "请核对出生日期或身份证号码。",
            )
        )
    return problems


def _compact(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text))  # full-width digits, Ｘ
    return "".join(text.split()).replace("-", "").upper()


def _birth_date(number: str, today: datetime.date) -> datetime.date:
    digits = number[6:14]
    try:
        birth = ric.get_birth_date(number)
    except Exception:
        raise FieldProblem(
            "id-birth-date",
            f"身份证号码第7—14位（{digits}）不是有效的出生日期。",
            _FIX_TYPO,
        ) from None
    if not _EARLIEST_BIRTH <= birth <= today:
        raise FieldProblem(
            "id-birth-date",
            f"身份证号码中的出生日期{birth.year}年{birth.month}月{birth.day}日不合理。",
            _FIX_TYPO,
        )
    return birth


def _check_region(number: str) -> None:
    provinces = regions.id_provinces()
    if provinces is not None:
        known = number[:2] in provinces
    else:
        parts = numdb.get("cn/loc").info(number[:6])
        known = bool(parts) and "province" in parts[0][1]
    if not known:
        raise FieldProblem(
            "id-region",
            f"身份证号码前两位“{number[:2]}”不是有效的省级行政区划代码。",
            _FIX_TYPO,
        )

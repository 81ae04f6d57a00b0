"""Telephone numbers (联系电话), checked with Google's `phonenumbers` (region CN).

Output keeps the clerk's style: mobiles as 11 digits (`13904310000`), landlines as area
code, hyphen, local number (`0431-89152155`), an extension appended as `转8001`; several
numbers are joined with `、`.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from awardforms.errors import FieldProblem

_SEPARATORS = re.compile(r"[、/；;，,]")
# dashes a Chinese input method or Word gives for "-" (em dash "—" or "——", en dash, minus,
# small and full-width hyphens): read as "-", the number is then printed with a plain "-"
_DASHES = re.compile(r"[\u2010-\u2015\u2212\u2e3a\u2e3b\ufe58\ufe63\uff0d\u30fc]+")
_EXTENSION = re.compile(r"(?:转|分机|ext\.?|x)\s*(\d{1,6})$", re.IGNORECASE)
_TRAILING_DASH_EXTENSION = re.compile(r"^(.*\d)\s*-\s*(\d{1,5})$")
_ALLOWED = re.compile(r"^\+?[\d\s()\-]+$")
_LANDLINE_TYPES = (PhoneNumberType.FIXED_LINE, PhoneNumberType.FIXED_LINE_OR_MOBILE)
_FIX_INVALID = (
    "请核对号码位数和区号：手机号码为11位；固定电话请写区号，如“0431-89152155”"
    "（长春0431、吉林0432后为8位，其他市州多为7位）。"
)


def parse_phone(text: str) -> str:
    """Check one or more phone numbers; return them in the clerk's style."""
    text = _DASHES.sub("-", unicodedata.normalize("NFKC", str(text))).strip()
    parts = [p.strip() for p in _SEPARATORS.split(text) if p.strip()]
    if not parts:
        raise FieldProblem("phone-invalid", "没有填写电话号码。", _FIX_INVALID)
    return "、".join(_parse_one(part) for part in parts)


def _parse_one(text: str) -> str:
    body, extension = text, ""
    match = _EXTENSION.search(body)
    if match:
        body, extension = body[: match.start()].strip(), match.group(1)
    if not _ALLOWED.match(body):
        raise _invalid(text)
    digits = re.sub(r"\D", "", body)
    if 7 <= len(digits) <= 8 and digits[0] not in "01" and not body.startswith("+"):
        # checked before parsing: phonenumbers reads "2512345" as 025-12345 (Nanjing)
        raise FieldProblem(
            "phone-no-area-code",
            f"固定电话“{text}”没有区号。",
            "请在号码前加区号，如长春“0431-”，写成“0431-89152155”。",
        )
    number = _parse_valid(body)
    if number is None and not extension:
        # "0431-89152155-8001": a trailing group after a complete number is an extension
        match = _TRAILING_DASH_EXTENSION.match(body)
        if match:
            number = _parse_valid(match.group(1))
            extension = match.group(2) if number else ""
    if number is None:
        raise _invalid(text)
    return _format(number) + (f"转{extension}" if extension else "")


def _parse_valid(body: str) -> phonenumbers.PhoneNumber | None:
    try:
        number = phonenumbers.parse(body, "CN")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def _format(number: phonenumbers.PhoneNumber) -> str:
    if number.country_code != 86:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    national = phonenumbers.national_significant_number(number)
    kind = phonenumbers.number_type(number)
    if kind == PhoneNumberType.MOBILE:
        return national
    area = phonenumbers.length_of_geographical_area_code(number)
    if kind in _LANDLINE_TYPES and area:
        return f"0{national[:area]}-{national[area:]}"
    # 400/800 service numbers and the like
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL).replace(" ", "-")


def _invalid(text: str) -> FieldProblem:
    digits = re.sub(r"\D", "", text)
    kind = "手机号码" if digits.startswith("1") and len(digits) <= 13 else "电话号码"
    return FieldProblem("phone-invalid", f"“{text}”不是有效的{kind}。", _FIX_INVALID)

"""Field types: turn one raw cell into a typed value and its display text, or problems.

An explicit registry maps the `type` of a field definition to a parser. The type check runs
first; constraint checks (choices, word limits) only run on a value that parsed, so one bad
cell gives one message, not a pile of follow-on errors.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidComponent, InvalidLength, ValidationError

from awardforms.check import dates
from awardforms.check import idcard
from awardforms.check import phone
from awardforms.check import regions
from awardforms.check import resume
from awardforms.check import wordcount
from awardforms.campaigns.model import FieldDef
from awardforms.errors import FieldProblem
from awardforms.textnorm import clean_cell, halfwidth, remove_bidi
from awardforms.read.textsource import read_text_reference

CODE_LIKE = {"integer", "month", "date", "idcard", "phone", "uscc"}
MULTILINE = {"longtext", "resume"}


@dataclass
class Parsed:
    value: Any                    # typed value (str, int, (y, m), date, IdNumber, list...)
    display: str                  # what the forms show
    problems: list[FieldProblem]  # warnings (and errors that still leave a usable value)


@dataclass
class FieldContext:
    base_dir: Path                # folder of the workbook: long-text and photo paths resolve here


def _as_text(value: Any, f: FieldDef) -> tuple[str, list[FieldProblem]]:
    """Excel value -> clean text. Numbers that Excel mangled are handled by the type parser."""
    problems: list[FieldProblem] = []
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, float) and value.is_integer() and f.type not in ("idcard",):
        text = str(int(value))
    elif isinstance(value, (dt.datetime, dt.date)):
        text = value.strftime("%Y-%m-%d")
    else:
        text = str(value)
    text, removed = clean_cell(text, multiline=f.type in MULTILINE)
    if removed:
        problems.append(FieldProblem(
            "control-chars-removed", f"含有 Word 无法保存的控制字符（{'、'.join(removed)}），已删除。",
            "多为从网页或其他文件复制时带入，请核对删除后的内容。", severity="warning"))
    text, bidi = remove_bidi(text)
    if bidi:
        problems.append(FieldProblem(
            "bidi-chars-removed", f"含有改变文字显示方向的控制字符（{'、'.join(bidi)}），已删除"
            "（这类字符可使文件名显示得与实际不同）。", "请核对删除后的内容。", severity="warning"))
    if f.type in CODE_LIKE:
        text = halfwidth(text).strip()
    return text, problems


def _text(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    if f.max_chars and len(text) > f.max_chars:
        raise FieldProblem("too-long", f"共{len(text)}个字符，超过{f.max_chars}个。", "请精简内容。")
    return Parsed(text, text, [])


def _longtext(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    text = read_text_reference(text, ctx.base_dir)
    problems = []
    if f.word_limit:
        problems = wordcount.check_word_limit(text, f.word_limit, f.word_mode, f.word_hard_max,
                                              tolerance=f.word_tolerance)
    return Parsed(text, text, problems)


def _choice(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    if text in f.choices or not f.strict:
        return Parsed(text, text, [])
    for candidate in (text + "族", text.replace(" ", ""), halfwidth(text)):
        if candidate in f.choices:   # 汉 -> 汉族; 市(州) -> 市（州） is handled by halfwidth both ways
            return Parsed(candidate, candidate, [])
    wide = {halfwidth(c): c for c in f.choices}
    if halfwidth(text) in wide:
        return Parsed(wide[halfwidth(text)], wide[halfwidth(text)], [])
    raise FieldProblem("not-in-list", f"“{text}”不是可选值。", choose_from(f))


def choose_from(f: FieldDef) -> str:
    """The fix for a choice field: its dropdown's values (the first 15)."""
    shown = "、".join(f.choices) if len(f.choices) <= 15 else "、".join(f.choices[:15]) + "……"
    return f"请从下拉列表中选择：{shown}。"


def _integer(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    cleaned = text.replace(",", "").replace("，", "").removesuffix("人").removesuffix("个").strip()
    if not cleaned.isdigit():
        raise FieldProblem("not-integer", f"“{text}”不是整数。", "请只填写阿拉伯数字，如 12。")
    n = int(cleaned)
    if f.min is not None and n < f.min:
        raise FieldProblem("too-small", f"{n}小于{f.min}。", "请核对数字。")
    if f.max is not None and n > f.max:
        raise FieldProblem("too-large", f"{n}大于{f.max}。", "请核对数字。")
    return Parsed(n, str(n), [])


def _month(raw: Any, text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    value = raw if isinstance(raw, (int, float, dt.date, dt.datetime)) and not isinstance(raw, bool) else text
    ym = dates.parse_month(value, today=dt.date.max if f.allow_future else None)
    _check_min_year(ym[0], raw, dates.format_month(ym), f)
    return Parsed(ym, dates.format_month(ym), [])


def _date(raw: Any, text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    value = raw if isinstance(raw, (int, float, dt.date, dt.datetime)) and not isinstance(raw, bool) else text
    d = dates.parse_date(value)
    _check_min_year(d.year, raw, dates.format_date_long(d), f)
    return Parsed(d, dates.format_date_long(d), [])


_EXCEL_EPOCH = dt.datetime(1899, 12, 30)


def _check_min_year(year: int, raw: Any, shown: str, f: FieldDef) -> None:
    """A year before `f.min_year` cannot be: most often `1998.1` typed into a cell formatted as
    a date, which Excel stores as day 1998.1 after 1900 (1905-06-20)."""
    if f.min_year is None or year >= f.min_year:
        return
    fix = f"请核对年份；{f.label}不应早于{f.min_year}年。"
    if isinstance(raw, (dt.date, dt.datetime)):
        when = raw if isinstance(raw, dt.datetime) else dt.datetime.combine(raw, dt.time())
        serial = (when - _EXCEL_EPOCH).total_seconds() / 86400
        typed = f"{serial:.2f}".rstrip("0").rstrip(".")
        if 1900 <= serial < 2101:
            raise FieldProblem(
                "year-too-early",
                f"读出的日期是{shown}，早于{f.min_year}年：该单元格是“日期”格式，"
                f"输入的“{typed}”被Excel当作了1900年以后的第{int(serial)}天。",
                f"请把该列设置为“文本”格式后重新输入，如“{int(serial)}.01”（到月的写法）。")
    raise FieldProblem("year-too-early", f"{shown}早于{f.min_year}年，不可能是{f.label}。", fix)


def _idcard(raw: Any, text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        text = idcard.id_from_excel_number(raw)
    idn = idcard.parse_id_number(text)
    return Parsed(idn, idn.number, [])


def _phone(raw: Any, text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    try:
        shown = phone.parse_phone(text)
    except FieldProblem as problem:
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            raise _phone_stored_as_number(raw, text) from problem
        raise
    return Parsed(shown, shown, [])


def _phone_stored_as_number(raw: int | float, text: str) -> FieldProblem:
    """A phone number Excel stored as a number: a landline's leading 0 is gone."""
    guess = ""
    if isinstance(raw, int) or raw.is_integer():
        try:
            guess = phone.parse_phone("0" + text)
        except FieldProblem:
            guess = ""
    lost = f"开头的0已丢失（应为“{guess}”？）" if guess else "号码不完整"
    return FieldProblem("phone-stored-as-number",
                        f"电话号码被Excel存成了数字（{text}），{lost}。",
                        "请把该列设置为“文本”格式后重新输入完整号码，固定电话带区号，如“0431-89152155”。")


def _region(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    shown = regions.check_county_level(text)
    warning = regions.ambiguity(shown)
    return Parsed(shown, shown, [warning] if warning else [])


def _resume(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    text = read_text_reference(text, ctx.base_dir)
    periods, problems = resume.parse_resume(text)
    errors = [p for p in problems if p.severity == "error"]
    if errors and not periods:
        raise errors[0]
    shown = resume.format_resume(periods) if periods and not errors else text
    return Parsed(periods, shown, problems)


def _photo(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    from awardforms.read.photos import resolve_photo   # photos need Pillow; only loaded when used
    path, problems = resolve_photo(text, ctx.base_dir)
    return Parsed(path, text, problems)


def _uscc(text: str, f: FieldDef, ctx: FieldContext) -> Parsed:
    code = text.replace(" ", "").upper()
    try:
        code = stdnum_uscc.validate(code)
    except ValidationError as err:
        raise FieldProblem("uscc-invalid", f"“{text}”不是有效的统一社会信用代码（{_uscc_reason(code, err)}）。",
                           "请对照登记证书核对18位代码，注意字母 O 与数字 0。") from err
    return Parsed(code, code, [])


def _uscc_reason(code: str, err: ValidationError) -> str:
    """Why python-stdnum refused the code, in the clerk's words (its exception names are English)."""
    if isinstance(err, InvalidLength):
        return f"应为18位，实为{len(code)}位"
    if isinstance(err, InvalidChecksum):
        return f"校验位不正确：应为{stdnum_uscc.calc_check_digit(code[:-1])}，实为{code[-1]}"
    if isinstance(err, InvalidComponent):
        return "前两位的登记管理部门代码或机构类别代码不正确"
    return "含有不能使用的字符：只能是数字和大写字母，不使用 I、O、S、V、Z"


# type name -> (parser, wants the raw Excel value as first argument)
PARSERS: dict[str, tuple[Callable, bool]] = {
    "text": (_text, False), "longtext": (_longtext, False), "choice": (_choice, False),
    "integer": (_integer, False), "month": (_month, True), "date": (_date, True),
    "idcard": (_idcard, True), "phone": (_phone, True), "region": (_region, False),
    "resume": (_resume, False), "photo": (_photo, False), "uscc": (_uscc, False),
}


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_value(raw: Any, f: FieldDef, ctx: FieldContext) -> Parsed | None:
    """Parse one cell. None for a blank cell (the caller applies default / required).

    Raises FieldProblem when the value cannot be used at all."""
    if is_blank(raw):
        return None
    return _parse(raw, f, ctx)


def _parse(raw: Any, f: FieldDef, ctx: FieldContext) -> Parsed | None:
    text, problems = _as_text(raw, f)
    if not text:
        return None
    parser, wants_raw = PARSERS[f.type]
    parsed = parser(raw, text, f, ctx) if wants_raw else parser(text, f, ctx)
    parsed.problems[:0] = problems
    return parsed

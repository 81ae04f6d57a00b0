"""Read the clerk's workbook into raw cells with their sheet!cell positions.

Nothing is interpreted here beyond finding the header row and matching headers to the
campaign's field labels; values stay as Excel gave them (str, int, float, datetime, bool,
time, timedelta; None for an empty cell), the way openpyxl's data_only mode gives them.

Values are read with calamine (Rust; ~30x faster than openpyxl's read-only mode) and brought
to those types here: "" -> None, integral floats -> int, whole-day dates -> datetime. What
calamine cannot give — error values (it gives "") and integers of 16+ digits (it gives a
float that lost the last digits) — comes from the sheet XML (sheetxml.scan_sheet), as do
formula cells without a value, merged ranges and hidden rows/columns.

Two kinds of sheet are read with openpyxl's streaming reader instead (`_openpyxl_rows`):
- calamine refuses a whole sheet for one cell it does not understand, e.g. the error values
  newer than Excel 2010 (#SPILL!, #CALC!, #GETTING_DATA ...) that openpyxl reads as text;
- calamine holds a sheet as a dense grid from A1 to the farthest cell, so one stray value far
  down or right (XFD1048576) would take gigabytes or abort the process; sheets whose extent
  (from sheetxml) exceeds MAX_GRID_CELLS are streamed. The same if the sheet's part is not found.

Text comes with Excel's _xHHHH_ escapes decoded (a vertical tab pasted from Word is stored as
"_x000B_", a typed "_x0041_" as "_x005F_x0041_"): calamine decodes them exactly; on the openpyxl
path they are decoded here, except that openpyxl has already turned a shared string's
"_x005F_x0041_" into "_x0041_", which then reads as "A" (text typed that way is all but unheard of).
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import io
import math
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from itertools import chain, islice
from pathlib import Path
from typing import Any, Iterator

from python_calamine import CalamineError, CalamineWorkbook, SheetVisibleEnum

from awardforms.campaigns.model import Campaign, FieldDef, SheetDef
from awardforms.campaigns.load import find_campaign, known_campaigns
from awardforms.errors import FieldProblem, UnusableInput
from awardforms.report import Issue
from awardforms.read.sheetxml import (EXCEL_MAX_COL, EXCEL_MAX_ROW, MAX_GRID_CELLS, SheetFacts, check_package, scan_sheet,
                       sheet_parts, column_index_from_string, get_column_letter)
from awardforms.textnorm import header_key

UNIT_SHEET = "推荐单位"
EXAMPLE_MARK = "【示例】"
HEADER_SCAN_ROWS = 5
_EXAMPLE = re.compile(r"\s*" + re.escape(EXAMPLE_MARK))   # v.strip().startswith(), without copying v
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_WORKBOOK_BYTES = 200 * 1024 ** 2     # read into memory once; far beyond any real list
# what a cell shows when its formula failed (data_only gives these strings)
ERROR_VALUES = {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA",
                "#SPILL!", "#CALC!", "#FIELD!", "#BLOCKED!", "#UNKNOWN!"}
_SAVE_AS = "请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）再试。"
_RESAVE = "请在 Excel 中打开并重新保存为 .xlsx；打不开的话请使用备份。"
_EXACT_FLOAT = 2 ** 53             # integral floats up to here are exact ints


@dataclass(slots=True)
class Cell:
    value: Any
    column: str          # Excel column letter
    row: int
    problem: FieldProblem | None = None   # the cell cannot be used as it is (formula without value)
    sheet: str = ""      # set for a unit field's own cell (`cell = "推荐工作报告!B1"`): its sheet


@dataclass(slots=True)
class RawRow:
    sheet: str
    row: int
    cells: dict[str, Cell]           # field key -> cell (only columns present in the sheet)


@dataclass
class RawSheet:
    definition: SheetDef
    columns: dict[str, str]          # field key -> column letter
    rows: list[RawRow]


@dataclass
class RawWorkbook:
    path: Path
    campaign: Campaign
    unit: dict[str, Cell]            # unit field key -> cell in column B
    sheets: list[RawSheet]
    issues: list[Issue] = field(default_factory=list)
    data: bytes = field(default=b"", repr=False)   # the workbook's bytes as read (one version)
    sheet_order: tuple[str, ...] = ()              # the campaign's sheet names, in the workbook's order
    unit_free_row: int = 1                         # first row below the labels of sheet 推荐单位


class _Book:
    """The open package: calamine for the values, the zip itself for sheetxml's facts."""

    def __init__(self, path: Path, data: bytes, calamine: CalamineWorkbook, archive: zipfile.ZipFile):
        self.path = path
        self.data = data                  # the bytes read: every part comes from these
        self.calamine = calamine
        self.archive = archive
        self.sheetnames: list[str] = list(calamine.sheet_names)
        self._hidden = {m.name for m in calamine.sheets_metadata if m.visible != SheetVisibleEnum.Visible}
        self._parts = sheet_parts(archive)

    def close(self) -> None:
        self.calamine.close()
        self.archive.close()

    def hidden(self, name: str) -> bool:
        return name in self._hidden

    def facts(self, name: str) -> SheetFacts:
        member = self._parts.get(name)
        return scan_sheet(self.archive, member) if member else SheetFacts()

    def rows(self, name: str, facts: SheetFacts) -> tuple[int, Iterator[list]]:
        """(first column index, rows): every row from row 1, its values from that column on.

        Values are calamine's (or openpyxl's, see module docstring), with the exact values
        from the sheet XML put in; `_value` turns them into openpyxl's types.
        """
        if facts.max_row > EXCEL_MAX_ROW or facts.max_col > EXCEL_MAX_COL:
            raise UnusableInput(f"{self.path.name} 已损坏：工作表“{name}”中有超出 Excel 行列范围的单元格。",
                                fix=_RESAVE)
        sheet = None
        if name in self._parts and facts.max_row * facts.max_col <= MAX_GRID_CELLS:
            try:
                sheet = self.calamine.get_sheet_by_name(name)
            except CalamineError:     # a cell calamine does not understand
                sheet = None
        if sheet is None:
            first, rows = 0, _openpyxl_rows(self.data, self.path.name, name)
        else:
            start = sheet.start   # None for an empty sheet (iter_rows would panic on it)
            first, rows = (start[1], iter(sheet.iter_rows())) if start else (0, iter(()))
        return first, _put_exact(rows, first, facts.values) if facts.values else rows


def _openpyxl_rows(data: bytes, display_name: str, name: str) -> Iterator[list]:
    from openpyxl import load_workbook   # only for sheets calamine refuses
    from openpyxl.utils.escape import unescape
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb[name]
            ws.reset_dimensions()          # a wrong <dimension> must not cut columns off
            for row in ws.iter_rows(values_only=True):
                # Excel writes control characters as _xHHHH_ (ECMA-376 22.9.2.19); calamine
                # decodes them, openpyxl does not (a vertical tab from Word would stay "_x000B_")
                yield [unescape(v) if isinstance(v, str) else v for v in row]
        finally:
            wb.close()
    except Exception as err:   # openpyxl raises many kinds on damaged files
        raise UnusableInput(f"{display_name} 已损坏，无法读取（{type(err).__name__}）。", fix=_RESAVE) from err


def _put_exact(rows: Iterator[list], first: int, values: dict[tuple[str, int], Any]) -> Iterator[list]:
    by_row: dict[int, list[tuple[int, Any]]] = {}
    for (column, row), value in values.items():
        by_row.setdefault(row, []).append((column_index_from_string(column) - 1 - first, value))
    for r, row in enumerate(rows, start=1):
        for i, value in by_row.get(r, ()):
            if i >= len(row):
                row.extend([None] * (i + 1 - len(row)))
            if i >= 0:
                row[i] = value
        yield row


def _value(value: Any) -> Any:
    """A calamine value as openpyxl's data_only mode gives it."""
    kind = type(value)
    if kind is str:
        return value or None                        # calamine gives "" for an empty cell
    if kind is float:
        if value.is_integer():                      # openpyxl: int unless written "12.0"
            return int(value) if -_EXACT_FLOAT <= value <= _EXACT_FLOAT else value
        # NaN/Infinity: no Excel writes them (openpyxl cannot read them); show as Excel's #NUM!
        return value if math.isfinite(value) else "#NUM!"
    if kind is dt.date:                             # openpyxl gives datetime for date formats
        return dt.datetime(value.year, value.month, value.day)
    return value


def _at(row: list, column: int, first: int) -> Any:
    """Value of 0-based `column` in a row that starts at column `first`."""
    i = column - first
    return _value(row[i]) if 0 <= i < len(row) else None


def _open(path: Path) -> _Book:
    suffix = path.suffix.lower()
    if not path.exists():
        raise UnusableInput(f"找不到文件 {path}。", fix="请检查文件名和路径。")
    if suffix in (".xls", ".et", ".csv", ".ods", ".wps", ".numbers"):
        raise UnusableInput(f"{path.name} 是 {suffix} 格式，本工具只读取 .xlsx 工作簿。",
                            fix="请用 Excel 或 WPS 打开后点“文件→另存为”，保存类型选“Excel 工作簿（*.xlsx）”再试。")
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            raise UnusableInput(f"{path.name} 有 {size // 1024 ** 2} MB，超过 {MAX_WORKBOOK_BYTES // 1024 ** 2} MB，"
                                "不像推荐对象表。", fix="请确认选对了文件；图片和附件请放在文件夹里，不要插入工作簿。")
        data = path.read_bytes()          # once: the check, the copy and the hash see one version
    except OSError as err:
        raise UnusableInput(f"无法读取 {path.name}（{err.strerror or err}）。",
                            fix="请确认文件没有被其他程序独占打开，并检查文件夹权限。") from err
    if data[:8] == _OLE_MAGIC:
        raise UnusableInput(f"{path.name} 设有打开密码，或是旧版 .xls 文件改了扩展名。",
                            fix="请在 Excel 中取消密码（文件→信息→保护工作簿）并另存为 .xlsx 后再试。")
    if suffix not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise UnusableInput(f"{path.name} 不是 .xlsx 工作簿（或已损坏）。", fix=_SAVE_AS)
    check_package(io.BytesIO(data), path.name)
    calamine = archive = None
    try:
        calamine = CalamineWorkbook.from_filelike(io.BytesIO(data))
        archive = zipfile.ZipFile(io.BytesIO(data))
        return _Book(path, data, calamine, archive)
    except BaseException as err:
        for opened in (calamine, archive):
            if opened is not None:
                opened.close()
        if isinstance(err, Exception) or _is_panic(err):   # calamine, zip and XML errors
            raise UnusableInput(f"{path.name} 已损坏，无法读取（{type(err).__name__}）。", fix=_RESAVE) from err
        raise


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _hidden_sheet(wb: _Book, actual: str, name: str) -> list[Issue]:
    """Warning for a hidden sheet; `actual` is its name in the workbook, `name` the campaign's."""
    if not wb.hidden(actual):
        return []
    return [Issue(name, None, None, None, "warning", "hidden-sheet",
                  f"工作表“{name}”是隐藏的，其内容仍会读取和检查。",
                  "如不需要其中的内容，请删除该工作表；否则请取消隐藏后核对。")]


def _cell_problem(value: Any, column: str, row: int, facts: SheetFacts) -> FieldProblem | None:
    if (column, row) in facts.formula_no_value:
        return FieldProblem("formula-no-value", "该单元格是公式，但文件中没有保存计算结果，无法读取其值。",
                            "请用 Excel 打开该文件、确认公式结果显示正常后保存（或把公式改为直接填写的内容）再试。")
    if isinstance(value, str) and value.strip() in ERROR_VALUES:
        return FieldProblem("cell-error-value", f"该单元格显示错误值“{value.strip()}”（公式出错）。",
                            "请修正公式或直接填写内容。")
    return None


def _read_unit(wb: _Book, campaign_hint: str | None) -> tuple[Campaign, dict[str, Cell], list[Issue], int]:
    """(campaign, unit field key -> cell, issues, the first row below the labels)."""
    if UNIT_SHEET not in wb.sheetnames:
        raise UnusableInput(f"工作簿缺少“{UNIT_SHEET}”工作表。",
                            fix="请用 `awardforms init 项目代码 文件名.xlsx` 生成的模板填写。")
    facts = wb.facts(UNIT_SHEET)
    first, rows = wb.rows(UNIT_SHEET, facts)
    values: dict[str, Cell] = {}
    for r, row in enumerate(rows, start=1):
        label = _at(row, 0, first)
        if _is_blank(label):
            continue
        value = _at(row, 1, first)
        values[header_key(label)] = Cell(value, "B", r, _cell_problem(value, "B", r, facts))
    campaign_cell = values.get(header_key("评选表彰项目"))
    text = campaign_hint or (str(campaign_cell.value).strip()
                             if campaign_cell and not _is_blank(campaign_cell.value) else "")
    where = f"{UNIT_SHEET}!B{campaign_cell.row if campaign_cell else 1}"
    if not text and campaign_cell:
        raise UnusableInput(f"{where} 没有填写“评选表彰项目”。",
                            fix=f"请在 {where} 填写项目代码或全称：{known_campaigns()}。")
    if not text:
        raise UnusableInput(f"“{UNIT_SHEET}”工作表没有“评选表彰项目”一行。",
                            fix=f"请在“{UNIT_SHEET}”工作表最上面插入一行：{UNIT_SHEET}!A1 写“评选表彰项目”，"
                                f"{where} 填写项目代码或全称：{known_campaigns()}。")
    campaign = find_campaign(text, where if campaign_hint is None else "")
    unit = {}
    for f in campaign.unit_fields:
        named = _named_cell(wb, f.cell) if f.cell else None
        cell = named if named is not None and not _is_blank(named.value) else None
        # an empty own cell is where the issue points, unless 推荐单位 has the label row
        cell = cell or values.get(header_key(f.label)) or named
        if cell is not None:
            unit[f.key] = cell
    free = max((c.row for c in values.values()), default=0) + 1
    return campaign, unit, _hidden_sheet(wb, UNIT_SHEET, UNIT_SHEET), free


def _named_cell(wb: _Book, ref: str) -> Cell | None:
    """The cell `工作表!B1` named by a unit field's `cell`, when that sheet exists (maybe empty)."""
    sheet, _, coord = ref.partition("!")
    present = {header_key(n): n for n in wb.sheetnames}
    if header_key(sheet) not in present:
        return None
    column = "".join(ch for ch in coord if ch.isalpha()).upper()
    row_no = int("".join(ch for ch in coord if ch.isdigit()))
    name = present[header_key(sheet)]
    first, rows = wb.rows(name, wb.facts(name))
    row = next(islice(rows, row_no - 1, None), None)
    value = None if row is None else _at(row, column_index_from_string(column) - 1, first)
    return Cell(None if _is_blank(value) else value, column, row_no, sheet=name)


def _find_header(rows: list[list], sheet: SheetDef) -> tuple[int, dict[str, int], list[tuple[int, str]]]:
    """Index of the header row among the first rows, field key -> column index, extras
    (column index, header text). A label or one of its `aliases` names a field."""
    wanted = {header_key(name): f.key for f in sheet.fields for name in (f.label, *f.aliases)}
    best: tuple[int, dict[str, int], list[tuple[int, str]]] = (0, {}, [])
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, extras = {}, []
        for c, value in enumerate(row):
            if _is_blank(value):
                continue
            key = wanted.get(header_key(value))
            if key and key not in found:
                found[key] = c
            else:
                extras.append((c, str(value).strip()))
        if len(found) > len(best[1]):
            best = (i, found, extras)
    return best


def _header_guesses(sheet: SheetDef, found: dict[str, int],
                    extras: list[tuple[int, str]]) -> dict[int, FieldDef]:
    """Column index of an unknown header -> the missing field it most likely names (difflib)."""
    missing = {header_key(name): f for f in sheet.fields if f.key not in found
               for name in (f.label, *f.aliases)}
    guesses: dict[int, FieldDef] = {}
    taken: set[str] = set()
    for c, text in extras:
        close = difflib.get_close_matches(header_key(text), list(missing), n=1, cutoff=0.6)
        if close and missing[close[0]].key not in taken:
            guesses[c] = missing[close[0]]
            taken.add(missing[close[0]].key)
    return guesses


def _header_issues(sheet: SheetDef, header_row: int, found: dict[str, int],
                   extras: list[tuple[int, str]]) -> list[Issue]:
    """Once per sheet, at the header cell: an unknown header (and the field it may be), a
    missing column. A column only some rows need (`required_when`) is not reported here:
    validate reports it at the rows that need it (an older blank keeps working)."""
    issues: list[Issue] = []
    guesses = _header_guesses(sheet, found, extras)
    for c, text in extras:
        letter = get_column_letter(c + 1)
        f = guesses.get(c)
        if f is None:
            issues.append(Issue(sheet.name, header_row, letter, text, "warning", "extra-column",
                                f"“{text}”不是本项目的字段，该列已忽略。",
                                "如是字段名称写错，请改成推荐审批表上的名称。"))
            continue
        needed = f.required
        issues.append(Issue(sheet.name, header_row, letter, text, "error" if needed else "warning",
                            "unknown-header", f"表头“{text}”不是本项目的字段，是否为“{f.label}”？"
                            + ("该列未读取。" if needed else "该列已忽略。"),
                            f"如是，请把表头改为“{f.label}”。"))
    guessed = {f.key for f in guesses.values()}
    for f in sheet.fields:
        if f.key not in found and f.required and f.key not in guessed:
            issues.append(Issue(sheet.name, header_row, None, f.label, "error", "missing-column",
                                f"缺少“{f.label}”列。", "请添加该列（表头与推荐审批表一致）。"))
    return issues


def _merge_issues(sheet: SheetDef, facts: SheetFacts, header_row: int, found: dict[str, int],
                  nominee_rows: set[int]) -> list[Issue]:
    """Merged ranges touching field columns below the header: only the top-left cell has a value."""
    labels = {c + 1: f.label for f in sheet.fields if (c := found.get(f.key)) is not None}
    issues = []
    for c1, r1, c2, r2 in facts.merged:
        if r2 <= header_row or not any(c1 <= c <= c2 for c in labels):
            continue
        top_left = f"{get_column_letter(c1)}{r1}"
        ref = f"{top_left}:{get_column_letter(c2)}{r2}"
        losing = sorted(r for r in nominee_rows if max(r1, header_row) < r <= r2)
        severity = "error" if losing else "warning"
        lost = f"第{'、'.join(map(str, losing))}行的推荐对象在这些列读不到内容" if losing else "其余单元格读作空白"
        issues.append(Issue(sheet.name, r1, get_column_letter(c1), labels.get(c1), severity, "merged-cells",
                            f"单元格 {ref} 是合并单元格：只有左上角的 {top_left} 有值，{lost}。",
                            "请取消合并（开始→合并后居中→取消单元格合并），并在每个推荐对象的行里分别填写。"))
    return issues


def _read_sheet(wb: _Book, name: str, sheet: SheetDef) -> tuple[RawSheet, list[Issue]]:
    issues: list[Issue] = _hidden_sheet(wb, name, sheet.name)
    facts = wb.facts(name)
    first, rows = wb.rows(name, facts)    # streamed: only non-blank nominee rows are kept
    head = [[None] * first + [_value(v) for v in row] for row in islice(rows, HEADER_SCAN_ROWS)]
    header_index, found, extras = _find_header(head, sheet)
    if not found:
        if all(_is_blank(v) for row in head for v in row) and \
                all(_is_blank(_value(v)) for row in rows for v in row):
            issues.append(Issue(sheet.name, 1, "A", None, "warning", "sheet-empty",
                                f"工作表“{sheet.name}”是空的（没有表头），按没有{sheet.name}处理。",
                                "如有该类推荐对象，请按模板在第1行填写表头、其下每行填写一个推荐对象；"
                                "没有的话保留表头即可。"))
            return RawSheet(sheet, {}, []), issues
        raise UnusableInput(f"工作表“{sheet.name}”找不到表头。",
                            fix="第1行应是表头（字段名称与推荐审批表一致）；可用 awardforms init 生成模板。")
    header_row = header_index + 1
    if header_index > 0:
        issues.append(Issue(sheet.name, header_row, "A", None, "warning", "header-row-moved",
                            f"表头在第{header_row}行而不是第1行，上方的行已忽略。"))
    issues.extend(_header_issues(sheet, header_row, found, extras))
    columns = {k: get_column_letter(c + 1) for k, c in found.items()}
    for f in sheet.fields:
        if f.key in found and found[f.key] + 1 in facts.hidden_columns:
            issues.append(Issue(sheet.name, header_row, columns[f.key], f.label, "warning", "hidden-column",
                                f"“{f.label}”列是隐藏的，其内容仍会读取和检查。", "请取消隐藏该列后核对内容。"))
    out: list[RawRow] = []
    keys = list(found)
    letters = [columns[k] for k in keys]
    at = [found[k] for k in keys]
    no_value = facts.formula_no_value
    # One str object per distinct text, as openpyxl gave for shared strings: calamine hands out
    # a new copy per cell, and 50,000 rows of 性别/民族/单位 copies add up to hundreds of MB.
    shared: dict[str, str] = {}
    # 50,000 rows x 35 columns pass here: keep the per-cell work to plain list operations
    body = chain(((0, row) for row in head[header_index + 1:]), ((first, row) for row in rows))
    for offset, (start, row) in enumerate(body, start=header_row + 1):
        n = len(row)
        values = [_value(row[c - start]) if 0 <= c - start < n else None for c in at]
        values = [shared.setdefault(v, v) if v.__class__ is str else v for v in values]
        present = [v for v in values if v is not None and (v.__class__ is not str or v.strip())]
        if not present and not (no_value and any((letter, offset) in no_value for letter in letters)):
            continue
        if any(v.__class__ is str and _EXAMPLE.match(v) for v in present):
            continue
        if offset in facts.hidden_rows:
            issues.append(Issue(sheet.name, offset, "A", None, "warning", "hidden-row",
                                f"第{offset}行是隐藏行，仍会作为推荐对象读取和检查。",
                                "如该行不是推荐对象，请删除整行；否则请取消隐藏后核对。"))
        cells = {}
        for k, letter, value in zip(keys, letters, values):
            check = no_value or (value.__class__ is str and "#" in value)    # every error value has a '#'
            cells[k] = Cell(value, letter, offset, _cell_problem(value, letter, offset, facts) if check else None)
        out.append(RawRow(sheet.name, offset, cells))
    issues.extend(_merge_issues(sheet, facts, header_row, found, {r.row for r in out}))
    return RawSheet(sheet, columns, out), issues


_DAMAGED = (zipfile.BadZipFile, zlib.error, EOFError, OSError, KeyError, ValueError, SyntaxError, CalamineError)


def _is_panic(err: BaseException) -> bool:
    """A Rust panic inside calamine: pyo3 raises PanicException, a BaseException that cannot be imported."""
    return type(err).__name__ == "PanicException"


def excel_lock(path: Path) -> Path | None:
    """The lock file Excel (or WPS) keeps beside a workbook it has open: `~$<name>`, or for
    long names `~$` in place of the name's first two characters."""
    for lock in (f"~${path.name}", f"~${path.name[2:]}"):
        candidate = path.with_name(lock)
        if len(lock) > 2 and os.path.lexists(candidate):
            return candidate
    return None


def _open_in_excel(path: Path) -> list[Issue]:
    lock = excel_lock(path)
    if lock is None:
        return []
    return [Issue(None, None, None, None, "warning", "workbook-open",
                  f"工作簿“{path.name}”正在 Excel 或 WPS 中打开（旁边有锁定文件“{lock.name}”）："
                  "检查和生成用的是最后一次保存的内容，尚未保存的修改不在其中。",
                  "请在 Excel 中保存并关闭该工作簿，然后重新运行。")]


def read_workbook(path: str | Path, campaign_hint: str | None = None) -> RawWorkbook:
    """Open and read the workbook; raises UnusableInput for what cannot be used at all."""
    path = Path(path)
    wb = _open(path)
    try:
        raw = _read(wb, path, campaign_hint)
        raw.issues[:0] = _open_in_excel(path)
        return raw
    except BaseException as err:   # lxml/zip/calamine errors (or a panic) while reading the sheets
        if isinstance(err, _DAMAGED) or _is_panic(err):
            raise UnusableInput(f"{path.name} 已损坏或含有不安全的内容，无法读取（{type(err).__name__}）。",
                                fix=_RESAVE) from err
        raise
    finally:
        wb.close()


def _read(wb: _Book, path: Path, campaign_hint: str | None) -> RawWorkbook:
    campaign, unit, issues, free = _read_unit(wb, campaign_hint)
    sheets = []
    present = {header_key(n): n for n in wb.sheetnames}
    for sheet in campaign.sheets:
        name = present.get(header_key(sheet.name))
        if name is None:
            raise UnusableInput(f"工作簿缺少“{sheet.name}”工作表（项目 {campaign.id}）。",
                                fix="请用 `awardforms init` 生成的模板填写；没有推荐对象的工作表保留表头即可。")
        raw, sheet_issues = _read_sheet(wb, name, sheet)
        sheets.append(raw)
        issues.extend(sheet_issues)
    if not any(raw.rows for raw in sheets):
        issues.append(Issue(None, None, None, None, "warning", "no-nominees",
                            "工作簿中没有填写任何推荐对象。", "请在各推荐对象工作表中每行填写一个推荐对象。"))
    known = {header_key(n): n for n in [UNIT_SHEET, *(s.name for s in campaign.sheets)]}
    order = tuple(dict.fromkeys(known.get(header_key(n), n) for n in wb.sheetnames))
    return RawWorkbook(path, campaign, unit, sheets, issues, wb.data, order, free)


def field_by_key(sheet: SheetDef) -> dict[str, FieldDef]:
    return {f.key: f for f in sheet.fields}

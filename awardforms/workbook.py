"""Read the clerk's workbook into raw cells with their sheet!cell positions.

Nothing is interpreted here beyond finding the header row and matching headers to the
campaign's field labels; values stay as Excel gave them (str, int, float, datetime).
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from .campaign import Campaign, FieldDef, SheetDef, find_campaign
from .errors import UnusableInput
from .report import Issue
from .textnorm import header_key

UNIT_SHEET = "推荐单位"
EXAMPLE_MARK = "【示例】"
HEADER_SCAN_ROWS = 5
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclass
class Cell:
    value: Any
    column: str          # Excel column letter
    row: int


@dataclass
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


def _open(path: Path):
    suffix = path.suffix.lower()
    if not path.exists():
        raise UnusableInput(f"找不到文件 {path}。", fix="请检查文件名和路径。")
    if suffix in (".xls", ".et", ".csv", ".ods", ".wps", ".numbers"):
        raise UnusableInput(f"{path.name} 是 {suffix} 格式，本工具只读取 .xlsx 工作簿。",
                            fix="请用 Excel 或 WPS 打开后“另存为”Excel 工作簿（*.xlsx）再试。")
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        raise UnusableInput(f"{path.name} 设有打开密码，或是旧版 .xls 文件改了扩展名。",
                            fix="请在 Excel 中取消密码（文件→信息→保护工作簿）并另存为 .xlsx 后再试。")
    if suffix not in (".xlsx", ".xlsm") or not zipfile.is_zipfile(path):
        raise UnusableInput(f"{path.name} 不是 .xlsx 工作簿。",
                            fix="请用 Excel 或 WPS 另存为 Excel 工作簿（*.xlsx）再试。")
    try:
        return load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on damaged files
        raise UnusableInput(f"{path.name} 已损坏，无法读取（{type(err).__name__}）。",
                            fix="请在 Excel 中打开并重新保存为 .xlsx；打不开的话请使用备份。") from err


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _read_unit(wb, campaign_hint: str | None) -> tuple[Campaign, dict[str, Cell], list[Issue]]:
    if UNIT_SHEET not in wb.sheetnames:
        raise UnusableInput(f"工作簿缺少“{UNIT_SHEET}”工作表。",
                            fix="请用 `awardforms init 项目代码 文件名.xlsx` 生成的模板填写。")
    values: dict[str, Cell] = {}
    for r, row in enumerate(wb[UNIT_SHEET].iter_rows(max_col=2, values_only=True), start=1):
        if not row or _is_blank(row[0]):
            continue
        values[header_key(row[0])] = Cell(row[1] if len(row) > 1 else None, "B", r)
    campaign_cell = values.get(header_key("评选表彰项目"))
    text = campaign_hint or (str(campaign_cell.value).strip()
                             if campaign_cell and not _is_blank(campaign_cell.value) else "")
    if not text:
        raise UnusableInput(f"“{UNIT_SHEET}”工作表没有填写“评选表彰项目”。",
                            fix="请在 B 列填写项目代码（如 anju）。")
    campaign = find_campaign(text)
    unit = {}
    for f in campaign.unit_fields:
        cell = _named_cell(wb, f.cell) if f.cell else None
        cell = cell or values.get(header_key(f.label))
        if cell is not None:
            unit[f.key] = cell
    return campaign, unit, []


def _named_cell(wb, ref: str) -> Cell | None:
    """The cell `工作表!B1` named by a unit field's `cell`, when that sheet exists and it is filled."""
    sheet, _, coord = ref.partition("!")
    present = {header_key(n): n for n in wb.sheetnames}
    if header_key(sheet) not in present:
        return None
    ws = wb[present[header_key(sheet)]]
    value = ws[coord].value
    if _is_blank(value):
        return None
    column = "".join(ch for ch in coord if ch.isalpha())
    return Cell(value, column, int("".join(ch for ch in coord if ch.isdigit())))


def _find_header(rows: list[tuple], sheet: SheetDef) -> tuple[int, dict[str, int], list[str]]:
    """Index of the header row among the first rows, field key -> column index, extras."""
    wanted = {header_key(f.label): f.key for f in sheet.fields}
    best = (0, {}, [])
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found, extras = {}, []
        for c, value in enumerate(row):
            if _is_blank(value):
                continue
            key = wanted.get(header_key(value))
            if key and key not in found:
                found[key] = c
            else:
                extras.append(str(value).strip())
        if len(found) > len(best[1]):
            best = (i, found, extras)
    return best


def _read_sheet(ws, sheet: SheetDef) -> tuple[RawSheet, list[Issue]]:
    issues: list[Issue] = []
    rows = list(ws.iter_rows(values_only=True))
    header_index, found, extras = _find_header(rows, sheet)
    if not found:
        raise UnusableInput(f"工作表“{sheet.name}”找不到表头。",
                            fix="第1行应是表头（字段名称与推荐审批表一致）；可用 awardforms init 生成模板。")
    header_row = header_index + 1
    if header_index > 0:
        issues.append(Issue(sheet.name, header_row, None, None, "warning", "header-row-moved",
                            f"表头在第{header_row}行而不是第1行，上方的行已忽略。"))
    for name in extras:
        issues.append(Issue(sheet.name, header_row, None, name, "warning", "extra-column",
                            f"“{name}”不是本项目的字段，该列已忽略。",
                            "如是字段名称写错，请改成推荐审批表上的名称。"))
    for f in sheet.fields:
        if f.key not in found and (f.required or f.required_when):
            issues.append(Issue(sheet.name, header_row, None, f.label, "error", "missing-column",
                                f"缺少“{f.label}”列。", "请添加该列（表头与推荐审批表一致）。"))
    columns = {k: get_column_letter(c + 1) for k, c in found.items()}
    out: list[RawRow] = []
    for offset, row in enumerate(rows[header_index + 1:], start=header_row + 1):
        cells = {k: Cell(row[c] if c < len(row) else None, columns[k], offset)
                 for k, c in found.items()}
        present = [c.value for c in cells.values() if not _is_blank(c.value)]
        if not present:
            continue
        if any(isinstance(v, str) and v.strip().startswith(EXAMPLE_MARK) for v in present):
            continue
        out.append(RawRow(sheet.name, offset, cells))
    return RawSheet(sheet, columns, out), issues


def read_workbook(path: str | Path, campaign_hint: str | None = None) -> RawWorkbook:
    """Open and read the workbook; raises UnusableInput for what cannot be used at all."""
    path = Path(path)
    wb = _open(path)
    try:
        campaign, unit, issues = _read_unit(wb, campaign_hint)
        sheets = []
        present = {header_key(n): n for n in wb.sheetnames}
        for sheet in campaign.sheets:
            name = present.get(header_key(sheet.name))
            if name is None:
                raise UnusableInput(f"工作簿缺少“{sheet.name}”工作表（项目 {campaign.id}）。",
                                    fix="请用 `awardforms init` 生成的模板填写；没有推荐对象的工作表保留表头即可。")
            raw, sheet_issues = _read_sheet(wb[name], sheet)
            sheets.append(raw)
            issues.extend(sheet_issues)
    finally:
        wb.close()
    return RawWorkbook(path, campaign, unit, sheets, issues)


def field_by_key(sheet: SheetDef) -> dict[str, FieldDef]:
    return {f.key: f for f in sheet.fields}

"""`init`: a blank input workbook for a campaign, ready for a clerk to fill in Excel.

Headers are the form labels; every enumerated field gets a dropdown; each header carries a
comment with its 填表说明 rule; long-text columns are wide and wrap; row 2 is an example
marked 【示例】, which `check` ignores; code-like columns are formatted as text so Excel does
not turn ID numbers into 2.20102E+17.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation

from awardforms.campaigns.model import Campaign, FieldDef
from awardforms.output import atomic_write, text_cells
from awardforms.read.workbook import EXAMPLE_MARK, UNIT_SHEET

CHOICES_SHEET = "选项"
TEXT_FORMAT_TYPES = {"idcard", "phone", "month", "uscc"}
WIDTHS = {"longtext": 60, "resume": 60, "text": 22, "choice": 14, "idcard": 22, "phone": 16,
          "month": 11, "date": 14, "integer": 10, "region": 24, "photo": 20, "uscc": 22}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FONT = Font(bold=True, color="C00000")
EXAMPLE_FONT = Font(italic=True, color="808080")


def _comment(f: FieldDef) -> Comment:
    parts = ["必填" if f.required else ("按条件必填" if f.required_when else "选填")]
    if f.choices:
        parts.append("可选：" + "、".join(f.choices[:20]) + ("……" if len(f.choices) > 20 else ""))
    if f.word_limit:
        parts.append(f"字数：{f.word_limit}字{f.word_mode}（按 Word 字数统计）")
    if f.note:
        parts.append(f.note)
    comment = Comment("\n".join(parts), "awardforms")
    comment.width, comment.height = 320, 40 + 18 * sum(1 + len(p) // 22 for p in parts)
    return comment


class _Choices:
    """Choice lists live in a hidden sheet: Excel caps inline lists at 255 characters."""

    def __init__(self, wb: Workbook):
        self.ws = wb.create_sheet(CHOICES_SHEET)
        self.ws.sheet_state = "hidden"
        self.ranges: dict[tuple[str, ...], str] = {}

    def range_for(self, choices: tuple[str, ...]) -> str:
        if choices not in self.ranges:
            col = get_column_letter(len(self.ranges) + 1)
            for i, value in enumerate(choices, start=1):
                self.ws[f"{col}{i}"] = value
            self.ranges[choices] = f"{quote_sheetname(CHOICES_SHEET)}!${col}$1:${col}${len(choices)}"
        return self.ranges[choices]


def _dropdown(ws, choices: _Choices, f: FieldDef, column: str, first_row: int, last_row: int = 1000) -> None:
    dv = DataValidation(type="list", formula1=choices.range_for(f.choices), allow_blank=True,
                        showErrorMessage=True, showInputMessage=True)
    dv.error, dv.errorTitle = f"请从下拉列表中选择“{f.label}”。", "输入值无效"
    dv.errorStyle = "stop" if f.strict else "information"
    dv.prompt, dv.promptTitle = (f.note or "请从下拉列表中选择")[:255], f.label[:32]
    ws.add_data_validation(dv)
    dv.add(f"{column}{first_row}:{column}{last_row}")


def _unit_sheet(wb: Workbook, campaign: Campaign, choices: _Choices) -> None:
    ws = wb.active
    ws.title = UNIT_SHEET
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 16, 48
    for r, f in enumerate((f for f in campaign.unit_fields if not f.cell), start=1):
        ws.cell(r, 1, f.label).font = REQUIRED_FONT if f.required else Font(bold=True)
        ws.cell(r, 1).comment = _comment(f)
        ws.cell(r, 2).number_format = "@"
        if f.key == "campaign":
            ws.cell(r, 2, campaign.id)
        if f.key == "region" and campaign.quotas:
            region = FieldDef(key="region", label=f.label, type="choice", choices=tuple(campaign.quotas),
                              strict=False, note=f.note)
            _dropdown(ws, choices, region, "B", r, r)


def _cell_sheets(wb: Workbook, campaign: Campaign) -> None:
    """A unit field with its own cell (`cell = "推荐工作报告!B1"`): that sheet, its label left of
    the cell, as the campaign's notes tell the clerk."""
    for f in campaign.unit_fields:
        if not f.cell:
            continue
        name, _, coord = f.cell.partition("!")
        ws = wb[name] if name in wb.sheetnames else wb.create_sheet(name)
        target = ws[coord]
        if target.column > 1:
            label = ws.cell(target.row, target.column - 1, f.label)
            label.font = REQUIRED_FONT if f.required else Font(bold=True)
            label.alignment = Alignment(vertical="top", wrap_text=True)
            ws.column_dimensions[label.column_letter].width = 16
        target.comment = _comment(f)
        target.number_format = "@"
        target.alignment = Alignment(wrap_text=True, vertical="top")
        ws.column_dimensions[target.column_letter].width = 100
        ws.row_dimensions[target.row].height = 300


def _nominee_sheet(wb: Workbook, campaign: Campaign, sheet, choices: _Choices) -> None:
    ws = wb.create_sheet(sheet.name)
    for c, f in enumerate(sheet.fields, start=1):
        col = get_column_letter(c)
        head = ws.cell(1, c, f.label)
        head.font = REQUIRED_FONT if f.required else Font(bold=True)
        head.fill, head.comment = HEADER_FILL, _comment(f)
        head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[col].width = f.width or WIDTHS.get(f.type, 16)
        example = ws.cell(2, c, (EXAMPLE_MARK if c == 1 else "") + (f.example or ""))
        example.font = EXAMPLE_FONT
        example.alignment = Alignment(wrap_text=True, vertical="top")
        if f.type in TEXT_FORMAT_TYPES:
            for r in range(2, 502):
                ws.cell(r, c).number_format = "@"
        if f.type in ("longtext", "resume"):
            for r in range(3, 203):
                ws.cell(r, c).alignment = Alignment(wrap_text=True, vertical="top")
        if f.choices:
            _dropdown(ws, choices, f, col, 2)      # from the example row: a clerk may type over it
    ws.row_dimensions[1].height = 36
    ws.freeze_panes = "B2"


def build_blank(campaign: Campaign) -> Workbook:
    wb = Workbook()
    choices = _Choices(wb)
    _unit_sheet(wb, campaign, choices)
    for sheet in campaign.sheets:
        _nominee_sheet(wb, campaign, sheet, choices)
    _cell_sheets(wb, campaign)
    wb.move_sheet(CHOICES_SHEET, offset=len(wb.sheetnames))
    for ws in wb.worksheets:           # labels, examples and choices are text, never formulas
        text_cells(ws.iter_rows())
    return wb


def write_blank(campaign: Campaign, out: Path) -> None:
    wb = build_blank(campaign)
    atomic_write(out, lambda p: wb.save(str(p)))

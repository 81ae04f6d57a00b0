"""The submission's 推荐对象汇总表 as .xlsx (the .docx comes from its template)."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import Cell
from openpyxl.styles import Alignment, Border, Font, NamedStyle, Side
from openpyxl.utils import get_column_letter

from .campaign import Campaign
from .context import evaluate
from .output import atomic_write

_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WRAP = Alignment(wrap_text=True, vertical="center")
_HEADER = "汇总表表头"
_BODY = "汇总表正文"
WIDTHS = (6, 12, 8, 8, 10, 28, 10, 20, 10, 10, 22, 16, 26, 10)     # columns A..N


def write_summary_xlsx(campaign: Campaign, context: dict, out: Path) -> None:
    """One worksheet with both tables, as printed in the official layout.

    Header and body cells are built as `Cell(ws, value=..., style_array=...)` from the bound
    named style's array (public API; the same array `cell.style = name` copies) and appended
    whole: assigning `cell.style = name` per cell looked the name up in the workbook's list of
    named styles every time (200 nominees, 2,200 styled cells: 38 -> 32 ms). What remains is
    mostly openpyxl's own cell writer in `wb.save` (about 23 ms for those cells).
    """
    wb = Workbook()
    ws = wb.active
    title = campaign.summary.get("title", "推荐对象汇总表")
    ws.title = title[:31]
    unit = context["unit"]
    header_style = NamedStyle(_HEADER, font=Font(bold=True), border=_BORDER, alignment=_WRAP)
    body_style = NamedStyle(_BODY, border=_BORDER, alignment=_WRAP, number_format="@")
    wb.add_named_style(header_style)          # binds it: its style array now holds the ids
    wb.add_named_style(body_style)
    header_array, body_array = header_style.as_tuple(), body_style.as_tuple()
    tables = campaign.summary.get("tables", [])
    widest = max(len(t["columns"]) for t in tables)

    banner = Cell(ws, value=title)
    banner.font = Font(name="方正小标宋简体", size=18)
    banner.alignment = Alignment(horizontal="center")
    ws.append([banner])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=widest)
    ws.append([f"推荐单位：{unit.get('name', '')}"] + [""] * (widest - 2) + [f"填表日期：{unit.get('date', '')}"])
    for table in tables:
        ws.append([])
        caption = Cell(ws, value=table["title"])
        caption.font = Font(bold=True)
        ws.append([caption])
        ws.append([Cell(ws, value=label, style_array=header_array) for label, _ in table["columns"]])
        expressions = [expr for _, expr in table["columns"]]
        for values in context["sheets"].get(table["sheet"], []):
            ws.append([Cell(ws, value=evaluate(expr, values), style_array=body_array) for expr in expressions])
        for note in table.get("notes", []):
            ws.append([note])
    ws.append([])
    ws.append([f"联系人单位、姓名及职务：{unit.get('name', '')} {unit.get('contact', '')} "
               f"{unit.get('contact_post', '')}    联系电话：{unit.get('phone', '')}    传真：{unit.get('fax', '')}"])
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    atomic_write(out, lambda p: wb.save(str(p)))

"""The submission's 推荐对象汇总表 as .xlsx (the .docx comes from its template).

Written with XlsxWriter, which only writes (no object model to build, then serialise):
every value goes through `write_string`, so clerk text that starts with "=" stays text
(`write()` would guess a formula); `fit_to_pages(1, 0)` also sets `<pageSetUpPr fitToPage>`,
without which Excel ignores fitToWidth. The file is byte-identical for identical input: the
core properties carry a fixed date (XlsxWriter's zip members already have fixed times).

XlsxWriter's own work is ~13 ms of CPU for 200 nominees (2,200 cells:
~4 storing them in write_string, ~7 writing the sheet XML at close, the rest the shared
strings, the other parts and the zip). Its options do not help: `constant_memory` (inline
strings, no strings table) takes ~20 ms, temporary files instead of `in_memory` ~15.5, and
the zip's compression level is not among them.
"""

from __future__ import annotations

import math
import unicodedata
from datetime import datetime, timezone
from pathlib import Path

from awardforms.campaigns.model import Campaign
from awardforms.forms.context import evaluate
from awardforms.output import atomic_write
from awardforms.textnorm import xml_text

WIDTHS = (6, 12, 8, 8, 10, 28, 10, 20, 10, 10, 22, 16, 26, 10)     # columns A..N
# Excel's maximum digit width for the default font (Calibri 11), in pixels: a column of
# 7 * w pixels is stored as width w, as openpyxl wrote WIDTHS before (XlsxWriter's
# set_column(w) would add Excel's 5 px cell padding: 6 -> 6.71, every column a little wider)
_DIGIT_PX = 7
# core.xml created/modified: fixed, so the same input gives the same bytes
CREATED = datetime(2024, 1, 1, tzinfo=timezone.utc)

_THIN = 1
# Row heights: LibreOffice and WPS do not grow a row for wrapped text by themselves (Excel
# does only when it edits the row), so every row of the tables, the notes and the contact line
# gets a height from its text: lines as wrapped at the column width x points per line.
LINE_PT = 15.0                  # one line of 11 pt text (Calibri; the CJK fallback is no taller)
PAD_PT = 3.0                    # above and below the text
_CELL_PAD_DIGITS = 1            # a cell's padding, in digit widths


def text_width(text: str) -> int:
    """Width in digit widths: CJK (wide, full-width) characters count 2, the rest 1."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def line_count(text: str, width: float) -> int:
    """Lines `text` takes when wrapped in a column `width` digit widths wide."""
    room = max(1.0, width - _CELL_PAD_DIGITS)
    return sum(max(1, math.ceil(text_width(line) / room)) for line in text.split("\n")) if text else 1


def row_height(texts: list[tuple[str, float]]) -> float:
    """Points for a row of (text, column width) cells: its tallest cell's lines."""
    return max(line_count(text, width) for text, width in texts) * LINE_PT + PAD_PT


def _text(value) -> str:
    """Cell text: "\a" (the paragraph mark of multi-paragraph fields in the context) and line
    breaks of every kind become "\n", characters XML forbids are dropped (textnorm)."""
    text = str(value)
    return "\n".join(map(xml_text, text.split("\a"))) if "\a" in text else xml_text(text)


def _row_texts(expressions: tuple[str, ...], values: dict) -> tuple[str, ...]:
    """The cell texts of one table row."""
    return tuple(_text(evaluate(expr, values)) for expr in expressions)


def write_summary_xlsx(campaign: Campaign, context: dict, out: Path) -> None:
    """One worksheet with both tables, as printed in the official layout."""
    atomic_write(out, lambda path: _write(campaign, context, path))


def _write(campaign: Campaign, context: dict, path: Path) -> None:
    # imported here: ~16 ms at start-up that a render which does not rebuild the 汇总表 never needs
    from xlsxwriter import Workbook

    title = campaign.summary.get("title", "推荐对象汇总表")
    unit = context["unit"]
    tables = campaign.summary.get("tables", [])
    widest = max(len(t["columns"]) for t in tables)
    # in_memory: the parts are assembled in memory, not in temporary files, then zipped to `path`
    with Workbook(str(path), {"in_memory": True}) as wb:
        wb.set_properties({"created": CREATED})
        banner = wb.add_format({"font_name": "方正小标宋简体", "font_size": 18, "align": "center"})
        caption = wb.add_format({"bold": True})
        header = wb.add_format({"bold": True, "border": _THIN, "text_wrap": True, "valign": "vcenter"})
        body = wb.add_format({"border": _THIN, "text_wrap": True, "valign": "vcenter", "num_format": "@"})
        ws = wb.add_worksheet(_text(title)[:31])
        write = ws.write_string                      # never ws.write: it turns "=..." into formulas

        ws.merge_range(0, 0, 0, widest - 1, "", banner)
        write(0, 0, _text(title), banner)
        write(1, 0, _text(f"推荐单位：{unit.get('name', '')}"))
        write(1, widest - 1, _text(f"填表日期：{unit.get('date', '')}"))
        span = sum(WIDTHS[:widest])
        notes = wb.add_format({"text_wrap": True, "valign": "top"})

        def line(row: int, text: str) -> None:
            """A note or the contact line: merged across the tables' width, wrapped, high enough."""
            ws.merge_range(row, 0, row, widest - 1, "", notes)
            write(row, 0, text, notes)
            ws.set_row(row, row_height([(text, span)]))

        row = 2
        for table in tables:
            row += 1                                  # a blank row before each table
            write(row, 0, _text(table["title"]), caption)
            row += 1
            labels = [_text(label) for label, _ in table["columns"]]
            for col, label in enumerate(labels):
                write(row, col, label, header)
            ws.set_row(row, row_height([(t, WIDTHS[c]) for c, t in enumerate(labels)]))
            row += 1
            expressions = tuple(expr for _, expr in table["columns"])
            for values in context["sheets"].get(table["sheet"], []):
                texts = _row_texts(expressions, values)
                for col, text in enumerate(texts):
                    write(row, col, text, body)
                ws.set_row(row, row_height([(t, WIDTHS[c]) for c, t in enumerate(texts)]))
                row += 1
            for note in table.get("notes", []):
                line(row, _text(note))
                row += 1
        row += 1
        line(row, _text(f"联系人单位、姓名及职务：{unit.get('name', '')} {unit.get('contact', '')} "
                        f"{unit.get('contact_post', '')}    联系电话：{unit.get('phone', '')}    "
                        f"传真：{unit.get('fax', '')}"))
        for col, width in enumerate(WIDTHS):
            ws.set_column_pixels(col, col, width * _DIGIT_PX)
        ws.set_landscape()
        ws.set_paper(9)                               # A4
        ws.fit_to_pages(1, 0)                         # one page wide, as many tall as needed

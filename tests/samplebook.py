"""Helpers for the campaign tests: fill a blank workbook made by `init` with rows (as a clerk
does), read a sample's rows back, and read a rendered .docx."""

from __future__ import annotations

import re
from pathlib import Path

from click.testing import CliRunner
from docx import Document
from openpyxl import load_workbook

from awardforms.commands.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def rows_of(path: Path, sheet: str) -> list[dict]:
    """The rows of a sheet as {header: value}, Excel's example row and blank rows left out."""
    ws = load_workbook(path)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, r)) for r in rows[1:]
            if any(v not in (None, "") for v in r) and not str(r[0] or "").startswith("【示例】")]


def unit_of(path: Path) -> dict:
    ws = load_workbook(path)["推荐单位"]
    return {r[0]: r[1] for r in ws.iter_rows(values_only=True) if r[0]}


def fill_blank(campaign: str, target: Path, unit: dict, sheets: dict[str, list[dict]]) -> Path:
    """`awardforms init` then type the rows in under the headers (row 3 on: row 2 is the example)."""
    result = run("init", campaign, str(target))
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    ws = wb["推荐单位"]
    for r in range(1, ws.max_row + 1):
        label = ws.cell(r, 1).value
        if label in unit and label != "评选表彰项目":
            ws.cell(r, 2, unit[label])
    for name, rows in sheets.items():
        ws = wb[name]
        head = [c.value for c in ws[1]]
        for i, row in enumerate(rows, start=3):
            for label, value in row.items():
                if label in head and value is not None:
                    ws.cell(i, head.index(label) + 1, value)
    wb.save(target)
    return target


def docx_text(path: Path) -> str:
    """All text of a .docx (paragraphs and table cells, nested too), whitespace removed."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]

    def cells(tables):
        for t in tables:
            for row in t.rows:
                seen = set()
                for c in row.cells:
                    if id(c._tc) in seen:
                        continue
                    seen.add(id(c._tc))
                    parts.extend(p.text for p in c.paragraphs)
                    cells(c.tables)
    cells(doc.tables)
    return re.sub(r"\s+", "", "".join(parts))


def first_column(path: Path, table: int = -1) -> list[str]:
    """First-column texts of a table (default: the last), whitespace removed."""
    doc = Document(str(path))
    return [re.sub(r"\s+", "", row.cells[0].text) for row in doc.tables[table].rows]


def codes_at(sub) -> set[tuple]:
    return {(i.sheet, i.row, i.code, i.severity) for i in sub.report.issues}

"""The annotated copy's first sheet, 校验结果, written as XML of its own.

A 20,000-row sheet can have 70,000 issues: as openpyxl cells (five per issue, each styled)
the sheet took ~7 s to build and ~5 s more to save, a third of the copy's time. openpyxl
still writes the sheet's frame (column widths, frozen header, filter, tab selection) and the
styles; its rows and links are written here, as the XML openpyxl would give them, into the
part openpyxl made (`save`: an `ExcelWriter` whose `write_worksheet` fills that one part in).

Cells are inline strings (`t="inlineStr"`): clerk text is never a formula. Links are
`<hyperlink location=...>` (within the workbook: no relationship needed).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Iterable
from xml.sax.saxutils import escape, quoteattr

_SHEET_DATA = re.compile(r"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.S)
_DIMENSION = re.compile(r'<dimension ref="[^"]*"\s*/>')
_AFTER_LINKS = ("<printOptions", "<pageMargins", "<pageSetup", "<headerFooter", "<rowBreaks", "<colBreaks",
                "<customProperties", "<cellWatches", "<ignoredErrors", "<smartTags", "<drawing",
                "<legacyDrawing", "<picture", "<oleObjects", "<controls", "<webPublishItems", "<tableParts",
                "<extLst", "</worksheet>")


@dataclass
class Rows:
    """The sheet's content: rows of (column letter, text, style id), links (cell, location,
    tooltip), the last row and column."""
    rows: list[tuple[int, list[tuple[str, str, int]]]]
    links: list[tuple[str, str, str]]
    last: str


def style_ids(wb, styles: dict[str, dict]) -> dict[str, int]:
    """The workbook's style index of each named style (font, fill, alignment objects): cells
    in a scratch sheet, removed again, register them with openpyxl, which writes them out."""
    scratch = wb.create_sheet("~awardforms-styles")
    ids = {}
    for n, (name, attrs) in enumerate(styles.items(), start=1):
        cell = scratch.cell(n, 1)
        for attr, value in attrs.items():
            setattr(cell, attr, value)
        ids[name] = cell.style_id
    wb.remove(scratch)
    return ids


def _cell(ref: str, text: str, style: int) -> str:
    return (f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'
            if text else f'<c r="{ref}" s="{style}"/>')


def _xml_rows(rows: Rows) -> Iterable[str]:
    yield "<sheetData>"
    for number, cells in rows.rows:
        yield f'<row r="{number}">' + "".join(_cell(f"{col}{number}", text, style)
                                               for col, text, style in cells) + "</row>"
    yield "</sheetData>"


def _links(rows: Rows) -> str:
    if not rows.links:
        return ""
    return "<hyperlinks>" + "".join(
        f'<hyperlink ref="{ref}" location={quoteattr(location)} tooltip={quoteattr(tip)} '
        f'display={quoteattr(location)}/>' for ref, location, tip in rows.links) + "</hyperlinks>"


def fill_in(path, rows: Rows) -> None:
    """Put `rows` into the sheet part openpyxl wrote at `path` (its sheetData is empty)."""
    with open(path, encoding="utf-8") as fh:
        frame = fh.read()
    frame = _DIMENSION.sub(f'<dimension ref="A1:{rows.last}"/>', frame, count=1)
    match = _SHEET_DATA.search(frame)
    if match is None:
        raise ValueError("no sheetData in the result sheet as openpyxl wrote it")
    head, tail = frame[:match.start()], frame[match.end():]
    links = _links(rows)
    if links:
        at = min((i for i in (tail.find(tag) for tag in _AFTER_LINKS) if i >= 0), default=len(tail))
        tail = tail[:at] + links + tail[at:]
    with open(path, "w", encoding="utf-8") as fh:
        fh.write(head)
        for chunk in _xml_rows(rows):
            fh.write(chunk)
        fh.write(tail)


def save(wb, handle, sheet, rows: Rows) -> None:
    """`wb.save(handle)`, with `sheet`'s rows and links from `rows`."""
    from zipfile import ZIP_DEFLATED, ZipFile

    from openpyxl.drawing.spreadsheet_drawing import SpreadsheetDrawing
    from openpyxl.worksheet._writer import WorksheetWriter
    from openpyxl.writer.excel import ExcelWriter

    class _Writer(ExcelWriter):
        def write_worksheet(self, ws):
            if ws is not sheet:
                return super().write_worksheet(ws)
            ws._drawing = SpreadsheetDrawing()        # as ExcelWriter.write_worksheet (openpyxl 3.1)
            ws._drawing.charts = ws._charts
            ws._drawing.images = ws._images
            writer = WorksheetWriter(ws)
            writer.write()
            fill_in(writer.out, rows)
            ws._rels = writer._rels
            self._archive.write(writer.out, ws.path[1:])
            self.manifest.append(ws)
            writer.cleanup()

    archive = ZipFile(handle, "w", ZIP_DEFLATED, allowZip64=True)
    wb.properties.modified = datetime.datetime.now(tz=datetime.timezone.utc).replace(tzinfo=None)
    _Writer(wb, archive).save()

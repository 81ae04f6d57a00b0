"""What the cell reader does not tell: read from the .xlsx package itself.

- `check_package`: refuse a package that no Excel writes — XML with a DOCTYPE (entity
  expansion, external entities) or members that inflate far beyond their compressed size
  (zip bomb) — before anything else parses it.
- `sheet_parts`: which package member holds each worksheet (from the workbook part and its
  relationships), so the sheets can be scanned without a spreadsheet library.
- `scan_sheet`: per worksheet, formula cells without a cached value, merged ranges, hidden
  rows and hidden columns, and the cells whose value calamine cannot hand over as openpyxl
  did: error values (calamine gives "") and integers beyond float precision (an 18-digit ID
  number stored as a number); and how far the sheet reaches (calamine allocates a grid up to
  its farthest cell). A cheap byte scan finds whether the sheet has any of them at all and
  bounds its extent; only when needed is the sheet XML parsed, streaming and with events for
  the needed tags only, so a 50,000-row sheet costs little memory.
"""

from __future__ import annotations

import functools
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from awardforms.errors import UnusableInput

MAX_TOTAL_UNCOMPRESSED = 1024 ** 3          # 1 GiB of XML is far beyond any real workbook
MAX_RATIO = 500                             # deflate of real sheet XML stays well below
RATIO_MIN_SIZE = 20 * 1024 ** 2             # only judge the ratio of members above 20 MiB
PROLOG_LIMIT = 64 * 1024
_CHUNK = 1 << 20
# Patterns on the raw bytes, one each: with a literal first character re skips ahead with a
# fast search (an optional prefix group, <(?:\w+:)?f, makes a pattern ~7x slower).
# Formula, hidden row/column, merged range, error value, integer of 16+ digits:
_MARKERS = tuple(re.compile(p) for p in (rb"<f[\s>/]", rb"hidden=", rb"<mergeCell[\s>/]",
                                         rb"""t=["']e["']""", rb"<v>-?\d{16}"))
# The extent of a sheet: calamine allocates a dense grid (32 bytes a cell) from A1 to the
# farthest cell; a stray value in XFD1048576 aborts the process. When every c and row tag has
# ' r="..."' right after its name, the references bound the sheet: how many row digits, which
# columns of two or three letters (four letters or eight digits are past Excel's grid). A tag
# without it (calamine places it by counting) or with a namespace prefix (x:c): not certain.
_UNREFERENCED = tuple(re.compile(rb"<%s(?:[/>\t\r\n]| [^r]| r[^=]| r=[^\"'])" % name) for name in (b"c", b"row"))
_PREFIXED = re.compile(rb":(?:c|row)[\s/>]")
_ROW_DIGITS = {n: re.compile(rb""" r=["'][A-Za-z]{0,3}\d{%d}""" % (n + 1)) for n in range(4, 8)}
_FAR_ROW = re.compile(rb""" r=["'][A-Za-z]{0,3}(\d{5,7})""")
_LONG_COLUMN = re.compile(rb""" r=["'][A-Za-z]{4}""")
_WIDE_COLUMN = re.compile(rb""" r=["']([A-Za-z]{2,3})\d""")
_ANY_REF = re.compile(r"^([A-Za-z]+)(\d+)$")
EXCEL_MAX_ROW, EXCEL_MAX_COL = 1_048_576, 16_384
# calamine allocates rows x columns x 32 bytes up to the farthest cell at once: a stray value
# in AI1048576 costs 1.1 GB, one in XFD1048576 aborts the process. Larger sheets are streamed
# with openpyxl (workbook.py); ~160 MB of calamine grid at most.
MAX_GRID_CELLS = 5_000_000
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")
_BIG_INT = re.compile(r"^\s*-?\d{16,}\s*$")     # more digits than a float holds exactly
_XML = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


@dataclass
class SheetFacts:
    formula_no_value: set[tuple[str, int]] = field(default_factory=set)   # (column, row)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)                  # 1-based indexes
    # (column, row) -> the value openpyxl's data_only mode gives where calamine cannot:
    # error values ("#DIV/0!") and integers of 16 or more digits (exact int, not a float)
    values: dict[tuple[str, int], Any] = field(default_factory=dict)
    # at least as far as the farthest row and column calamine would place a cell in; exact
    # when the sheet was parsed, else a bound from the references (e.g. 9,999 x 26)
    max_row: int = 0
    max_col: int = 0


def _refuse(name: str, why: str) -> UnusableInput:
    return UnusableInput(f"{name} {why}，为安全起见已拒绝读取。",
                         fix="请在 Excel 中打开该文件，确认内容无误后“另存为”新的 .xlsx 工作簿再试。")


def check_package(path, display_name: str) -> None:
    """Raise UnusableInput for a zip bomb or XML with a DOCTYPE / entity declarations."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise _refuse(display_name, f"解压后超过 {MAX_TOTAL_UNCOMPRESSED // 1024 ** 2} MB（疑似“压缩炸弹”）")
            for info in infos:
                if info.file_size > RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise _refuse(display_name, f"中的 {info.filename} 压缩比异常（疑似“压缩炸弹”）")
            for info in infos:
                if info.filename.lower().endswith((".xml", ".rels", ".vml")):
                    with archive.open(info) as fh:
                        _check_prolog(fh, display_name, info.filename)
    except UnusableInput:
        raise
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError) as err:
        raise UnusableInput(f"{display_name} 已损坏，无法读取（{type(err).__name__}）。",
                            fix="请在 Excel 中打开并重新保存为 .xlsx；打不开的话请使用备份。") from err


def _check_prolog(fh, display_name: str, member: str) -> None:
    """Read up to the first element: a DOCTYPE there means entity tricks; refuse."""
    seen = b""
    while len(seen) < PROLOG_LIMIT:
        chunk = fh.read(4096)
        if not chunk:
            break
        seen += chunk
        # skip the XML declaration, comments and processing instructions
        body = re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", seen, flags=re.DOTALL)
        if b"<!DOCTYPE" in body.upper() or b"<!ENTITY" in body.upper():
            raise _refuse(display_name, f"中的 {member} 含有 DOCTYPE/实体定义（可被用于“XML 实体攻击”）")
        if _ELEMENT_START.search(body):
            return
    if len(seen) >= PROLOG_LIMIT:
        raise _refuse(display_name, f"中的 {member} 开头异常")


# openpyxl.utils' column helpers, with the same results and errors: importing openpyxl.utils
# imports all of openpyxl (~90 ms, ~240 ms with numpy), which a run may otherwise not need
_MAX_COLUMN_INDEX = 18_278          # ZZZ


@functools.lru_cache(maxsize=None)
def get_column_letter(col_idx: int) -> str:
    """1 -> 'A', 28 -> 'AB' (ValueError outside 1..18278), as openpyxl.utils.get_column_letter."""
    if not 1 <= col_idx <= _MAX_COLUMN_INDEX:
        raise ValueError("Invalid column index {0}".format(col_idx))
    letters = ""
    while col_idx:
        col_idx, remainder = divmod(col_idx - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@functools.lru_cache(maxsize=None)
def column_index_from_string(col: str) -> int:
    """'AB' -> 28, any case (ValueError unless A..ZZZ), as openpyxl.utils.column_index_from_string
    (step by step, so that odd input such as 'ß' gives what openpyxl gives)."""
    error = f"'{col}' is not a valid column name. Column names are from A to ZZZ"
    if len(col) > 3:
        raise ValueError(error)
    idx = 0
    for letter, power in zip(reversed(col.upper()), (1, 26, 676)):
        if not ("A" <= letter <= "Z"):
            raise ValueError(error)
        idx += (ord(letter) - 64) * power
    if not 0 < idx <= _MAX_COLUMN_INDEX:
        raise ValueError(error)
    return idx


def _column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _prescan(archive: zipfile.ZipFile, member: str) -> tuple[set[int], int, int, bool]:
    """One streaming pass over the bytes: (markers found, row bound, column bound, bounds certain)."""
    markers: set[int] = set()
    certain, columns, digits = True, set(), 4
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            window = tail + chunk
            markers.update(i for i, marker in enumerate(_MARKERS) if i not in markers and marker.search(window))
            certain = certain and not _PREFIXED.search(window) and not _LONG_COLUMN.search(window) \
                and not any(tag.search(window) for tag in _UNREFERENCED)
            while digits < 8 and _ROW_DIGITS[digits].search(window):
                digits += 1
            columns.update(_WIDE_COLUMN.findall(window))
            tail = chunk[-64:]
    max_col = max((_column_number(c.decode("ascii")) for c in columns), default=26)
    return markers, 10 ** digits - 1, max_col, certain


def _max_row(archive: zipfile.ZipFile, member: str) -> int:
    """The farthest row the references name, when it has 5 to 7 digits (a second pass)."""
    found, tail = 9_999, b""
    with archive.open(member) as fh:
        while chunk := fh.read(_CHUNK):
            rows = _FAR_ROW.findall(tail + chunk)
            found = max(found, max(map(int, rows), default=0))
            tail = chunk[-64:]
    return found


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _range(ref: str) -> tuple[int, int, int, int] | None:
    parts = ref.upper().split(":")
    found = [_REF.match(p) for p in parts]
    if not all(found):
        return None
    cols = [column_index_from_string(m.group(1)) for m in found]
    rows = [int(m.group(2)) for m in found]
    return min(cols), min(rows), max(cols), max(rows)


def scan_sheet(archive: zipfile.ZipFile, member: str) -> SheetFacts:
    """Formula cells with no cached value, merged ranges, hidden rows/columns, error values and
    long integers, and the extent of one sheet."""
    markers, max_row, max_col, certain = _prescan(archive, member)
    if certain and max_row * max_col > MAX_GRID_CELLS and max_row <= 9_999_999:
        max_row = _max_row(archive, member)       # 10,000+ rows and over 50 columns: how many rows
    facts = SheetFacts(max_row=max_row, max_col=max_col)
    within = max_row <= EXCEL_MAX_ROW and max_col <= EXCEL_MAX_COL and max_row * max_col <= MAX_GRID_CELLS
    if not markers and certain and within:
        return facts
    # Parse. Events only for the tags needed: a plain value cell costs a Python step each, and
    # a 50,000-row sheet has 1.75 million of them.
    exact = not (certain and within)          # the place of every cell, and all markers
    if exact:
        markers = set(range(len(_MARKERS)))
        facts.max_row = facts.max_col = 0
    formulas, hidden, merged, errors, longs = (i in markers for i in range(len(_MARKERS)))
    every_cell = exact or errors or longs
    tags = ["{*}row"] + ["{*}c"] * every_cell + ["{*}f"] * (formulas and not every_cell) \
        + ["{*}col"] * hidden + ["{*}mergeCell"] * merged

    def visit(cell, row_no: int, col_no: int) -> int:
        """Record what the cell needs; its column number (from r=, else the one after col_no)."""
        kind = cell.get("t")
        ref = cell.get("r")
        match = _ANY_REF.match(ref) if ref else None
        col_no = _column_number(match.group(1)) if match else col_no + 1
        if exact:
            facts.max_col = max(facts.max_col, col_no)
            facts.max_row = max(facts.max_row, int(match.group(2)) if match else row_no)
        children = {_local(child.tag): child for child in cell}
        value = children.get("v")
        no_value = value is None or (not value.text and kind != "str")
        if "f" in children and no_value:
            facts.formula_no_value.add((get_column_letter(col_no), row_no))
        elif kind == "e" and value is not None and value.text:
            facts.values[(get_column_letter(col_no), row_no)] = value.text
        elif kind in (None, "n") and value is not None and _BIG_INT.match(value.text or ""):
            facts.values[(get_column_letter(col_no), row_no)] = int(value.text)
        return col_no

    with archive.open(member) as fh:
        parser = etree.iterparse(fh, events=("end",), tag=tags, resolve_entities=False,
                                 no_network=True, load_dtd=False)
        row_no, col_no, current, pending = 0, 0, None, []
        for _event, elem in parser:
            name = _local(elem.tag)
            if name == "c":
                row = elem.getparent()
                if row is not current:        # first cell of a row: the row's number
                    current, col_no = row, 0
                    row_no = int(row.get("r") or row_no + 1)
                if not exact and elem.get("t") != "e" and len(elem) < 2:   # every cell has an r= here
                    child = elem[0] if len(elem) else None
                    if child is None or (_local(child.tag) != "f" and not (
                            longs and elem.get("t") in (None, "n") and len(child.text or "") >= 16)):
                        continue              # a plain value
                col_no = visit(elem, row_no, col_no)
            elif name == "f":                 # only formulas asked for: the cell is done at </row>
                if _local(elem.getparent().tag) == "c":
                    pending.append(elem.getparent())
            elif name == "row":
                if elem is not current:       # no cell seen (or cells seen only through f)
                    row_no = int(elem.get("r") or row_no + 1)
                current = None
                for cell in pending:          # every cell has an r= here
                    visit(cell, row_no, 0)
                pending.clear()
                if elem.get("hidden") in ("1", "true"):
                    facts.hidden_rows.add(row_no)
                elem.clear()
                parent = elem.getparent()
                if parent is not None:        # drop processed rows: memory stays flat
                    while elem.getprevious() is not None:
                        del parent[0]
            elif name == "col" and elem.get("hidden") in ("1", "true"):
                lo, hi = int(elem.get("min", "0")), int(elem.get("max", "0"))
                if 0 < lo <= hi:
                    facts.hidden_columns.update(range(lo, min(hi, 16384) + 1))
            elif name == "mergeCell":
                bounds = _range(elem.get("ref", ""))
                if bounds:
                    facts.merged.append(bounds)
    return facts


def _parse_part(archive: zipfile.ZipFile, member: str):
    with archive.open(member) as fh:
        return etree.parse(fh, _XML).getroot()


def _rel_targets(archive: zipfile.ZipFile, rels: str, base: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, package member) from a .rels part; members resolved against `base`."""
    out = {}
    for rel in _parse_part(archive, rels).iter():
        target = rel.get("Target")
        if _local(rel.tag) != "Relationship" or not target or rel.get("TargetMode") == "External":
            continue
        member = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(base, target))
        out[rel.get("Id", "")] = (rel.get("Type", ""), member)
    return out


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> package member of its XML, as xl/workbook.xml and its .rels name them.

    KeyError when the workbook part or its relationships are missing (a damaged package).
    """
    names = {n.lower(): n for n in archive.namelist()}
    book = "xl/workbook.xml"
    if "_rels/.rels" in names:
        for kind, member in _rel_targets(archive, names["_rels/.rels"], "").values():
            if kind.endswith("/officeDocument") and member.lower() in names:
                book = names[member.lower()]
    folder, leaf = posixpath.split(book)
    rels = names.get(posixpath.join(folder, "_rels", leaf + ".rels").lower())
    if rels is None or book.lower() not in names:    # no Excel writes that: damaged
        raise KeyError(f"{book} or its relationships missing")
    targets = _rel_targets(archive, rels, folder)
    parts = {}
    for sheet in _parse_part(archive, names[book.lower()]).iter():
        if _local(sheet.tag) != "sheet":
            continue
        rid = next((v for k, v in sheet.attrib.items() if _local(k) == "id" and k.startswith("{")), None)
        member = targets.get(rid or "", ("", ""))[1].lower()
        if sheet.get("name") is not None and member in names:
            parts[sheet.get("name")] = names[member]
    return parts

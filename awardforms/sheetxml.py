"""What openpyxl's read-only mode does not tell: read from the .xlsx package itself.

- `check_package`: refuse a package that no Excel writes — XML with a DOCTYPE (entity
  expansion, external entities) or members that inflate far beyond their compressed size
  (zip bomb) — before openpyxl parses anything.
- `scan_sheet`: per worksheet, formula cells without a cached value, merged ranges, hidden
  rows and hidden columns. A cheap byte scan finds whether the sheet has any of them at all;
  only then is the sheet XML parsed, streaming, so a 50,000-row sheet costs little memory.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

from lxml import etree
from openpyxl.utils import column_index_from_string, get_column_letter

from .errors import UnusableInput

MAX_TOTAL_UNCOMPRESSED = 1024 ** 3          # 1 GiB of XML is far beyond any real workbook
MAX_RATIO = 500                             # deflate of real sheet XML stays well below
RATIO_MIN_SIZE = 20 * 1024 ** 2             # only judge the ratio of members above 20 MiB
PROLOG_LIMIT = 64 * 1024
_CHUNK = 1 << 20
_MARKERS = re.compile(rb"<(?:\w+:)?f[\s>/]|hidden=|<(?:\w+:)?mergeCell[\s>/]")
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass
class SheetFacts:
    formula_no_value: set[tuple[str, int]] = field(default_factory=set)   # (column, row)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # min_col, min_row, max_col, max_row
    hidden_rows: set[int] = field(default_factory=set)
    hidden_columns: set[int] = field(default_factory=set)                  # 1-based indexes


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


def _has_markers(archive: zipfile.ZipFile, member: str) -> bool:
    tail = b""
    with archive.open(member) as fh:
        while True:
            chunk = fh.read(_CHUNK)
            if not chunk:
                return False
            if _MARKERS.search(tail + chunk):
                return True
            tail = chunk[-64:]


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
    """Formula cells with no cached value, merged ranges, hidden rows/columns of one sheet."""
    facts = SheetFacts()
    if not _has_markers(archive, member):
        return facts
    with archive.open(member) as fh:
        parser = etree.iterparse(fh, events=("start", "end"), resolve_entities=False,
                                 no_network=True, load_dtd=False)
        row_no, col_no = 0, 0
        for event, elem in parser:
            name = _local(elem.tag)
            if event == "start":
                if name == "row":
                    row_no = int(elem.get("r") or row_no + 1)
                    col_no = 0
                    if elem.get("hidden") in ("1", "true"):
                        facts.hidden_rows.add(row_no)
                continue
            if name == "c":
                ref = elem.get("r")
                match = _REF.match(ref) if ref else None
                if match:
                    col_no = column_index_from_string(match.group(1))
                else:
                    col_no += 1
                children = {_local(child.tag): child for child in elem}
                value = children.get("v")
                no_value = value is None or (not value.text and elem.get("t") != "str")
                if "f" in children and no_value:
                    facts.formula_no_value.add((get_column_letter(col_no), row_no))
                elem.clear()
            elif name == "row":
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


def worksheet_facts(wb, ws) -> SheetFacts:
    """Facts for a read-only openpyxl worksheet (empty when the package is not reachable)."""
    archive = getattr(wb, "_archive", None)
    member = getattr(ws, "_worksheet_path", None)
    if archive is None or member is None:
        return SheetFacts()
    return scan_sheet(archive, member)

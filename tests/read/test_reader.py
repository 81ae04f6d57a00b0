"""The cell reader (calamine) hands on the values openpyxl's data_only mode gave.

calamine differs from openpyxl in what it returns ("" for empty and error cells, floats for
every number, date for whole days, decoded _xHHHH_ escapes) and in what it refuses (error
values newer than Excel 2010, a dense grid up to the farthest cell). These tests pin what
workbook.py does about each; most would fail if that handling broke.
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from awardforms.read import workbook
from awardforms.errors import UnusableInput
from awardforms.check.validate import check_workbook
from awardforms.read.workbook import ERROR_VALUES, read_workbook
from conftest import collective, make_id, person, write_workbook
from test_excel_habits import BIRTH, ID, NAME, col, plant, rewrite_member, sheet_member

DEEDS = f"先进个人!{col('先进个人', '主要事迹')}"
REMARKS = f"先进个人!{col('先进个人', '备注')}"
SIZE = f"先进集体!{col('先进集体', '集体人数')}"
_INLINE = re.compile(r'<c r="([A-Z]+\d+)"((?: s="\d+")?) t="inlineStr"><is>(.*?)</is></c>', re.S)


def shared_strings(path: Path) -> Path:
    """Store every text cell in xl/sharedStrings.xml, as Excel does (openpyxl writes inline)."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    table: list[str] = []

    def to_index(m: re.Match) -> str:
        table.append(m.group(3))
        return f'<c r="{m.group(1)}"{m.group(2)} t="s"><v>{len(table) - 1}</v></c>'
    for name in [n for n in parts if n.startswith("xl/worksheets/sheet")]:
        parts[name] = _INLINE.sub(to_index, parts[name].decode("utf-8")).encode("utf-8")
    parts["xl/sharedStrings.xml"] = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        + "".join(f"<si>{si}</si>" for si in table) + "</sst>").encode("utf-8")
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
        b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>')
    parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>", b'<Relationship Id="rIdSharedStrings" Type="http://schemas.openxmlformats.org/'
        b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def set_xml(path: Path, ref: str, cell_xml: str) -> Path:
    """Replace the <c> of `ref` (sheet!A1) by raw XML, e.g. '<c r="{r}" t="e"><v>#N/A</v></c>'."""
    sheet, coord = ref.split("!")
    return rewrite_member(path, sheet_member(path, sheet), lambda xml: re.sub(
        rf'<c r="{coord}"[^>]*?(/>|>.*?</c>)', cell_xml.format(r=coord), xml, count=1, flags=re.S))


def cell(raw, sheet: int, row: int, key: str):
    [found] = [r for r in raw.sheets[sheet].rows if r.row == row]
    return found.cells[key]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(0), person(1)])


# --- value types -----------------------------------------------------------------------------

def test_value_types_are_openpyxls(book):
    plant(book, {f"{SIZE}2": 12, f"{NAME}2": 1.5, f"{BIRTH}2": dt.datetime(1978, 5, 12),
                 f"{BIRTH}3": dt.datetime(1978, 5, 1, 13, 30), f"{REMARKS}2": True,
                 f"{DEEDS}3": dt.time(13, 30)})
    raw = read_workbook(book)
    size = cell(raw, 0, 2, "size").value
    assert size == 12 and type(size) is int                    # calamine gives 12.0
    assert cell(raw, 1, 2, "name").value == 1.5
    birth = cell(raw, 1, 2, "birth").value
    assert birth == dt.datetime(1978, 5, 12) and type(birth) is dt.datetime   # calamine: date
    assert cell(raw, 1, 3, "birth").value == dt.datetime(1978, 5, 1, 13, 30)
    assert cell(raw, 1, 2, "remarks").value is True
    assert cell(raw, 1, 3, "deeds").value == dt.time(13, 30)
    assert cell(raw, 1, 3, "remarks").value is None             # calamine gives ""
    assert raw.unit["date"].value == dt.datetime(2023, 3, 1)


def test_float_that_is_not_exact_stays_a_float(book):
    lost = float(make_id("220102", "19780512", 20, male=False)[:15] + "000")   # > 2**53
    plant(book, {f"{ID}2": lost})
    value = cell(read_workbook(book), 1, 2, "id_number").value
    assert type(value) is float and value == lost


def test_18_digit_number_is_read_exactly(book):
    number = make_id("220102", "19780512", 33, male=False)
    set_xml(book, f"{ID}2", f'<c r="{{r}}" t="n"><v>{number}</v></c>')
    value = cell(read_workbook(book), 1, 2, "id_number").value
    assert value == int(number) and type(value) is int          # calamine: a float, last digits lost


@pytest.mark.parametrize("error", sorted(ERROR_VALUES))
def test_every_error_value_is_reported(book, error):
    # calamine gives "" for the 7 classic ones and refuses the sheet for the newer ones (#SPILL!)
    set_xml(book, f"{BIRTH}2", f'<c r="{{r}}" t="e"><f>X()</f><v>{error}</v></c>')
    raw = read_workbook(book)
    found = cell(raw, 1, 2, "birth")
    assert found.value == error and found.problem.code == "cell-error-value"
    assert cell(raw, 1, 3, "name").value == person(1)["姓名"]        # the rest of the sheet is read
    sub = check_workbook(book)
    assert {i.code for i in sub.report.issues if i.cell == f"{BIRTH}2"} == {"cell-error-value"}


def test_error_value_in_unit_sheet(book):
    set_xml(book, "推荐单位!B4", '<c r="{r}" t="e"><v>#REF!</v></c>')
    sub = check_workbook(book)
    assert {i.code for i in sub.report.issues if i.cell == "推荐单位!B4"} == {"cell-error-value"}


def test_nan_is_an_error_value_not_a_crash(book):
    set_xml(book, f"{BIRTH}2", '<c r="{r}" t="n"><v>NaN</v></c>')
    sub = check_workbook(book)
    assert {i.code for i in sub.report.issues if i.cell == f"{BIRTH}2"} == {"cell-error-value"}


# --- text ------------------------------------------------------------------------------------

def test_shared_strings_rich_text_and_escapes(book):
    plant(book, {f"{NAME}2": "ZZZ", f"{DEEDS}2": "YYY", f"{REMARKS}2": "RRR"})
    shared_strings(book)
    rewrite_member(book, "xl/sharedStrings.xml", lambda xml: xml
                   .replace("<t>ZZZ</t>", "<t>张_x0007_晓梅</t>")
                   .replace("<t>YYY</t>", "<t>第一段_x000B_第二段</t>")
                   .replace("<t>RRR</t>", '<r><t xml:space="preserve">加粗 </t></r><r><rPr><b/></rPr><t>备注</t></r>'))
    raw = read_workbook(book)
    assert cell(raw, 1, 2, "remarks").value == "加粗 备注"
    sub = check_workbook(book)
    [name] = [i for i in sub.report.issues if i.cell == f"{NAME}2"]
    assert name.code == "control-chars-removed" and "U+0007" in name.message
    rec = sub.records["先进个人"][0]
    assert rec.display["name"] == "张晓梅"
    assert "第一段\n第二段" in rec.display["deeds"]            # a vertical tab from Word is a line break
    assert not [i for i in sub.report.issues if i.cell == f"{DEEDS}2" and i.code == "control-chars-removed"]


def test_example_row_is_skipped(book):
    plant(book, {f"{NAME}2": "  【示例】张三"})
    raw = read_workbook(book)
    assert [r.row for r in raw.sheets[1].rows] == [3]


# --- layout ----------------------------------------------------------------------------------

def test_sheet_starting_below_and_right_of_a1(tmp_path):
    # calamine's rows start at the first used column: C here; rows 6 and 7 come after the
    # header scan, so both the scanned rows and the streamed ones are checked
    path = write_workbook(tmp_path / "n.xlsx", [collective(0)], [person(n) for n in range(4)])

    def move(wb):
        ws = wb["先进个人"]
        ws.insert_cols(1, 2)
        ws.insert_rows(1, 2)
    plant(path, {}, move)
    sub = check_workbook(path)
    records = sub.records["先进个人"]
    assert [r.row for r in records] == [4, 5, 6, 7]
    assert [r.display["name"] for r in records] == [person(n)["姓名"] for n in range(4)]
    assert [r.display["id_number"] for r in records] == [person(n)["身份证号码"] for n in range(4)]
    assert records[0].columns["name"] == "C"
    assert [i.row for i in sub.report.issues if i.code == "header-row-moved"] == [3]


def test_named_cell_reference(tmp_path):
    path = write_workbook(tmp_path / "n.xlsx", [collective(0)], [person(0)])

    def report(wb):
        ws = wb.create_sheet("附表")
        ws["C3"] = "在 C3"
    plant(path, {}, report)
    raw = read_workbook(path)
    book = workbook._open(path)
    try:
        got = workbook._named_cell(book, "附表!C3")
        assert (got.value, got.column, got.row, got.sheet) == ("在 C3", "C", 3, "附表")
        # an empty cell of a sheet that exists is still that cell: its issues are located there
        empty = workbook._named_cell(book, "附表!B1"), workbook._named_cell(book, "附表!C999")
        assert [(c.value, c.sheet, c.column, c.row) for c in empty] == [(None, "附表", "B", 1), (None, "附表", "C", 999)]
        assert workbook._named_cell(book, "无此表!B1") is None
    finally:
        book.close()
    assert raw.unit


# --- the same values as openpyxl -------------------------------------------------------------

def _snapshot(raw) -> list:
    unit = sorted((k, c.value, type(c.value).__name__, c.row, c.problem and c.problem.code) for k, c in raw.unit.items())
    rows = [(r.sheet, r.row, sorted((k, c.value, type(c.value).__name__, c.column, c.problem and c.problem.code)
                                    for k, c in r.cells.items()))
            for s in raw.sheets for r in s.rows]
    return [unit, rows, sorted((i.sheet or "", i.row or 0, i.code) for i in raw.issues)]


def test_calamine_and_openpyxl_give_the_same_cells(book, monkeypatch):
    number = make_id("220102", "19780512", 33, male=False)
    plant(book, {f"{SIZE}2": 12, f"{NAME}2": 1.5, f"{BIRTH}2": dt.datetime(1978, 5, 12),
                 f"{BIRTH}3": 28622.75, f"{REMARKS}2": False, f"{DEEDS}3": dt.time(13, 30),
                 f"{ID}3": 2.5e17, "推荐单位!B8": dt.datetime(2023, 3, 1, 9, 15)},
          lambda wb: wb["先进个人"].merge_cells(f"{col('先进个人', '备注')}2:{col('先进个人', '备注')}3"))
    set_xml(book, f"{ID}2", f'<c r="{{r}}" t="n"><v>{number}</v></c>')
    set_xml(book, f"{NAME}3", '<c r="{r}" t="e"><v>#N/A</v></c>')
    set_xml(book, f"{SIZE}2", '<c r="{r}"><f>1+1</f></c>')
    shared_strings(book)
    by_calamine = _snapshot(read_workbook(book))
    monkeypatch.setattr(workbook, "MAX_GRID_CELLS", 0)        # every sheet through openpyxl
    assert _snapshot(read_workbook(book)) == by_calamine


# --- what calamine cannot do safely ----------------------------------------------------------

_X = 'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
FAR = {   # rows appended to 先进个人; calamine would make a grid from A1 to the farthest cell
    "stray value": '<row r="200000"><c r="AI200000" t="inlineStr"><is><t>x</t></is></c></row>',
    "lower case": '<row r="200000"><c r="ai200000" t="inlineStr"><is><t>x</t></is></c></row>',
    "spaced": '<row r = "200000"><c r = "AI200000" t="inlineStr"><is><t>x</t></is></c></row>',
    # no r=: calamine counts rows and columns on from the last reference (XFD4, AI4)
    "counted": '<row r="4"><c r="XFD4"><v>1</v></c></row>' + "<row/>" * 200_000 + "<row><c><v>1</v></c></row>",
    "counted, prefixed": f'<x:row {_X} r="4"><x:c r="AI4"><x:v>1</x:v></x:c></x:row>'
                         + f"<x:row {_X}/>" * 200_000 + f"<x:row {_X}><x:c><x:v>1</x:v></x:c></x:row>",
}


@pytest.mark.parametrize("kind", FAR)
def test_far_cells_are_streamed_not_allocated(book, kind):
    # unguarded, calamine takes 35 x 200,000 x 32 bytes (~220 MB) for one cell, or aborts the
    # process (16,384 columns x 200,000 rows); run in a child so an abort fails only this test
    rewrite_member(book, sheet_member(book, "先进个人"), lambda xml: xml.replace("</sheetData>", FAR[kind] + "</sheetData>"))
    script = textwrap.dedent(f"""
        import resource
        from awardforms.errors import UnusableInput
        from awardforms.read.workbook import read_workbook
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        try:
            rows = [r.row for r in read_workbook({str(book)!r}).sheets[1].rows]
        except UnusableInput as err:
            rows = err.message
        print(rows, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024, sep="|")
    """)
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=root, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    rows, grown = out.stdout.strip().rsplit("|", 1)
    assert int(grown) < 120, grown
    if kind == "stray value":
        assert rows == "[2, 3, 200000]"
    elif kind == "counted":
        assert rows == "[2, 3, 200005]"
    elif kind == "counted, prefixed":          # AI4 is a field column: row 4 is a nominee
        assert rows == "[2, 3, 4, 200005]"


@pytest.mark.parametrize("ref", ["A1048577", "XFE1"])
def test_cell_beyond_excels_grid_is_damage(book, ref):
    rewrite_member(book, sheet_member(book, "先进个人"), lambda xml: xml.replace(
        "</sheetData>", f'<row r="{ref[-7:] if ref[0] == "A" else 9}"><c r="{ref}"><v>1</v></c></row></sheetData>'))
    with pytest.raises(UnusableInput) as err:
        read_workbook(book)
    assert "损坏" in err.value.message and err.value.exit_code == 2


@pytest.mark.parametrize("damage", [
    ("xl/sharedStrings.xml", lambda xml: re.sub(r"<si>.*</si>", "", xml, flags=re.S)),   # index out of range
    ("sheet", lambda xml: xml.replace('t="n"><v>', 't="n"><v>abc', 1)),                  # number that is not
])
def test_damaged_cells_are_unusable_input(book, damage):
    plant(book, {f"{SIZE}2": 12})
    shared_strings(book)
    member, change = damage
    rewrite_member(book, sheet_member(book, "先进集体") if member == "sheet" else member, change)
    with pytest.raises(UnusableInput) as err:
        read_workbook(book)
    assert "损坏" in err.value.message and err.value.exit_code == 2


def test_missing_sheet_part_is_damage(book):
    with zipfile.ZipFile(book) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    del parts[sheet_member(book, "先进个人")]
    with zipfile.ZipFile(book, "w") as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    with pytest.raises(UnusableInput) as err:
        read_workbook(book)
    assert "损坏" in err.value.message


@pytest.mark.parametrize("shared", [False, True], ids=["inline", "shared strings"])
def test_escapes_are_decoded_once(book, monkeypatch, shared):
    """Excel stores a vertical tab from Word as _x000B_ and a typed "_x0041_" as _x005F_x0041_:
    the first is a line break, the second stays as typed (a second decode made it "A")."""
    plant(book, {f"{DEEDS}2": "YYY", f"{REMARKS}2": "RRR"})
    if shared:
        shared_strings(book)
    member = "xl/sharedStrings.xml" if shared else sheet_member(book, "先进个人")
    rewrite_member(book, member, lambda xml: xml.replace("YYY", "第一段_x000B_第二段")
                   .replace("RRR", "编号_x005F_x0041_"))
    rec = check_workbook(book).records["先进个人"][0]
    assert rec.display["deeds"].startswith("第一段\n第二段")
    assert rec.display["remarks"] == "编号_x0041_"
    if not shared:   # openpyxl's own shared-string reading loses the escaped underscore
        monkeypatch.setattr(workbook, "MAX_GRID_CELLS", 0)        # the openpyxl path
        rec = check_workbook(book).records["先进个人"][0]
        assert rec.display["deeds"].startswith("第一段\n第二段")
        assert rec.display["remarks"] == "编号_x0041_"

"""Reading a workbook again after an edit reuses what did not change, and nothing else.

workbook.py remembers whole sheets (by the sheet part's digest and a digest of the package's
other XML parts) and rows (by their values and types); sheetxml.py remembers sheet facts by the
part's digest and its byte scan by stretches of bytes. Each test edits a workbook after a read,
reads it again and compares with a read that starts from nothing (`forget_reads`): they must
be equal, and the edit must show. Each memo has a test here that fails when its key leaves out
what the test changes.
"""

from __future__ import annotations

import dataclasses
import io
import os
import random
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st
from openpyxl.utils import get_column_letter

from awardforms.read import sheetxml
from awardforms.read import workbook
from awardforms.campaigns.load import load_campaign
from awardforms.errors import UnusableInput
from awardforms.read.workbook import forget_reads, read_workbook
from conftest import collective, person, write_workbook
from test_excel_habits import BIRTH, NAME, col, plant, rewrite_member, sheet_member
from test_reader import shared_strings

REMARKS = f"先进个人!{col('先进个人', '备注')}"
SIZE = f"先进集体!{col('先进集体', '集体人数')}"
PERSONS = "先进个人"


def snapshot(raw) -> list:
    """Everything a read gives, with value types (1 == 1.0 == True in Python)."""
    def cell(c):
        problem = c.problem and (c.problem.code, c.problem.message)
        return c.value, type(c.value).__name__, c.column, c.row, problem
    return [raw.campaign.id,
            sorted((k, cell(c)) for k, c in raw.unit.items()),
            [(s.definition.name, s.columns, [(r.sheet, r.row, [(k, cell(c)) for k, c in r.cells.items()])
                                             for r in s.rows]) for s in raw.sheets],
            [dataclasses.astuple(i) for i in raw.issues]]


def fresh(path: Path) -> list:
    forget_reads()
    return snapshot(read_workbook(path))


def again(path: Path, change, shows: bool = True) -> list:
    """Read, change the file, read again: the second read must be what a first read gives."""
    before = snapshot(read_workbook(path))
    change(path)
    after = snapshot(read_workbook(path))
    assert after == fresh(path)
    assert (after != before) == shows, "the change did not show" if shows else "the change showed"
    return after


def member_bytes(path: Path, member: str) -> bytes:
    with zipfile.ZipFile(path) as z:
        return z.read(member)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    # 12 persons with 776-character deeds: the person sheet is ~80 KB, several scan stretches
    forget_reads()
    return write_workbook(tmp_path / "nominees.xlsx", [collective(i) for i in range(3)],
                          [person(i) for i in range(12)])


def _cell(raw, sheet: int, row: int, key: str):
    [found] = [r for r in raw.sheets[sheet].rows if r.row == row]
    return found.cells[key]


def test_the_memos_are_used(book):
    first = read_workbook(book)
    second = read_workbook(book)
    assert second.sheets[1].rows[0] is first.sheets[1].rows[0]       # the whole sheet reused
    plant(book, {f"{NAME}3": "李四"})
    third = read_workbook(book)
    assert third.sheets[1].rows[0] is first.sheets[1].rows[0]        # the row reused
    assert _cell(third, 1, 3, "name").value == "李四"
    assert snapshot(third) == fresh(book)


# --- the sheet memo: part digest + digest of the other XML parts ------------------------------

def test_same_size_different_content(book):
    member = sheet_member(book, "先进个人")
    size = len(member_bytes(book, member))
    name = person(1)["姓名"]
    assert name[0] == "张"
    # 张 and 李 are both written as &#NNNNN; by openpyxl: same length, other bytes
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: xml.replace(
        "".join(f"&#{ord(ch)};" for ch in name), "".join(f"&#{ord(ch)};" for ch in "李" + name[1:]), 1)))
    assert len(member_bytes(book, member)) == size
    assert ("name", ("李" + name[1:], "str", col("先进个人", "姓名"), 3, None)) in after[2][1][2][1][2]


def _edit_shared_string(path: Path, old: str, new: str) -> None:
    rewrite_member(path, "xl/sharedStrings.xml", lambda xml: xml.replace(f"<t>{old}</t>", f"<t>{new}</t>", 1))


def test_edit_of_a_shared_string_only(book):
    plant(book, {f"{NAME}3": "ZZZ"})
    shared_strings(book)
    member = sheet_member(book, "先进个人")
    sheet = member_bytes(book, member)
    after = again(book, lambda p: _edit_shared_string(p, "ZZZ", "YYY"))
    assert member_bytes(book, member) == sheet                         # only sharedStrings.xml changed
    assert ("name", ("YYY", "str", col("先进个人", "姓名"), 3, None)) in after[2][1][2][1][2]


def test_new_shared_string_shifts_every_index(book):
    shared_strings(book)
    members = [sheet_member(book, s) for s in ("推荐单位", "先进集体", "先进个人")]

    def prepend(path: Path) -> None:       # a new first string: every index in every sheet moves on
        rewrite_member(path, "xl/sharedStrings.xml", lambda xml: xml.replace("<si>", "<si><t>新</t></si><si>", 1))
        for member in members:
            rewrite_member(path, member, lambda xml: re.sub(
                r'(t="s"><v>)(\d+)', lambda m: f"{m.group(1)}{int(m.group(2)) + 1}", xml))
    again(book, prepend, shows=False)     # every part changed, no value did
    ref = f"{NAME.split('!')[1]}3"
    after = again(book, lambda p: rewrite_member(p, members[2], lambda xml: re.sub(  # now a cell reads "新"
        rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', f'<c r="{ref}" t="s"><v>0</v></c>', xml, count=1, flags=re.S)))
    assert ("name", ("新", "str", col("先进个人", "姓名"), 3, None)) in after[2][1][2][1][2]


def test_style_edit_only_turns_numbers_into_dates(book):
    plant(book, {f"{SIZE}2": 30000}, lambda wb: setattr(wb["先进集体"][SIZE.split("!")[1] + "2"], "number_format", "0.00"))
    member = sheet_member(book, "先进集体")
    sheet = member_bytes(book, member)
    after = again(book, lambda p: rewrite_member(p, "xl/styles.xml", lambda xml: xml.replace(
        '<xf numFmtId="2" ', '<xf numFmtId="14" ', 1)))        # built-in 0.00 -> built-in date
    assert member_bytes(book, member) == sheet
    [size] = [c for k, c in after[2][0][2][0][2] if k == "size"]
    assert size[1] == "datetime"


def test_hidden_sheet_toggled(book):
    def state(old: str, new: str):
        return lambda path: rewrite_member(path, "xl/workbook.xml", lambda xml: xml.replace(
            f'name="先进集体" sheetId="2" state="{old}"', f'name="先进集体" sheetId="2" state="{new}"'))
    after = again(book, state("visible", "hidden"))
    assert any(i[5] == "hidden-sheet" for i in after[3])
    after = again(book, state("hidden", "visible"))
    assert not any(i[5] == "hidden-sheet" for i in after[3])


def test_campaign_with_other_labels_is_not_served_the_old_read(book, monkeypatch):
    read_workbook(book)
    anju = load_campaign("anju")
    persons = anju.sheets[1]
    renamed = [dataclasses.replace(f, label=f.label + "X") if f.key == "remarks" else f for f in persons.fields]
    other = dataclasses.replace(anju, sheets=[anju.sheets[0], dataclasses.replace(persons, fields=renamed)])
    monkeypatch.setattr(workbook, "find_campaign", lambda text: other)
    warm = snapshot(read_workbook(book))
    assert warm == fresh(book)
    assert any(i[5] == "extra-column" and i[3] == "备注" for i in warm[3])


def test_other_member_same_name_in_workbook(book, tmp_path):
    """Two workbooks whose sheets are named alike but hold other rows."""
    other = write_workbook(tmp_path / "other.xlsx", [collective(5)], [person(7)])
    read_workbook(book)
    assert snapshot(read_workbook(other)) == fresh(other)
    read_workbook(other)
    assert snapshot(read_workbook(book)) == fresh(book)


def test_duplicate_member_names_are_never_remembered(book, tmp_path):
    with zipfile.ZipFile(book) as src:
        parts = [(i.filename, src.read(i.filename)) for i in src.infolist()]
    twice = tmp_path / "twice.xlsx"
    with pytest.warns(UserWarning), zipfile.ZipFile(twice, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts:
            dst.writestr(name, data)
        dst.writestr("xl/styles.xml", dict(parts)["xl/styles.xml"])
    read_workbook(twice)
    assert workbook._REMEMBERED[PERSONS].key is None


# --- the row memo: values with their types, row number, layout --------------------------------

def test_equal_value_of_another_type(book):
    plant(book, {f"{REMARKS}3": 1})
    after = again(book, lambda p: plant(p, {f"{REMARKS}3": True}))      # 1 == True: the type counts
    assert ("remarks", (True, "bool", col("先进个人", "备注"), 3, None)) in after[2][1][2][1][2]
    again(book, lambda p: plant(p, {f"{REMARKS}3": "1"}))


def test_header_cells_of_equal_value_and_another_type(book):
    last = len(load_campaign("anju").sheet("先进个人").fields)
    ref = f"先进个人!{get_column_letter(last + 1)}1"                      # right of the last field
    plant(book, {ref: 1})
    after = again(book, lambda p: plant(p, {ref: True}))                # an extra column "True", not "1"
    assert [i[3] for i in after[3] if i[5] == "extra-column"] == ["True"]
    after = again(book, lambda p: plant(p, {f"先进个人!{col('先进个人', '姓名')}1": "名字"}))
    assert "名字" in [i[3] for i in after[3] if i[5] == "extra-column"]


def test_hidden_row_toggled(book):
    member = sheet_member(book, "先进个人")
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: xml.replace('<row r="3"', '<row r="3" hidden="1"', 1)))
    assert [i[1] for i in after[3] if i[5] == "hidden-row"] == [3]
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: xml.replace(' hidden="1"', "", 1)))
    assert not [i for i in after[3] if i[5] == "hidden-row"]


def test_merge_added_and_removed(book):
    member = sheet_member(book, "先进个人")
    letter = col("先进个人", "备注")
    merge = f'<mergeCells count="1"><mergeCell ref="{letter}3:{letter}4"/></mergeCells>'
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: xml.replace("</sheetData>", "</sheetData>" + merge, 1)))
    assert [i[5] for i in after[3] if i[5] == "merged-cells"] == ["merged-cells"]
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: xml.replace(merge, "", 1)))
    assert not [i for i in after[3] if i[5] == "merged-cells"]


def test_rows_moved_down(book):
    member = sheet_member(book, "先进个人")

    def insert_row(path: Path) -> None:   # a blank row 2: every nominee row one further down
        def shift(xml: str) -> str:
            xml = re.sub(r'(<row r=")(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + (int(m.group(2)) > 1)), xml)
            return re.sub(r'(<c r="[A-Z]+)(\d+)', lambda m: m.group(1) + str(int(m.group(2)) + (int(m.group(2)) > 1)), xml)
        rewrite_member(path, member, shift)
    after = again(book, insert_row)
    assert [r[1] for r in after[2][1][2]][:2] == [3, 4]


def test_cells_with_a_problem_are_not_shared_between_reads(book):
    member = sheet_member(book, "先进个人")
    rewrite_member(book, member, lambda xml: re.sub(
        rf'<c r="{BIRTH.split("!")[1]}2"[^>]*?(/>|>.*?</c>)', f'<c r="{BIRTH.split("!")[1]}2" t="e"><v>#N/A</v></c>',
        xml, count=1, flags=re.S))
    first = _cell(read_workbook(book), 1, 2, "birth")
    second = _cell(read_workbook(book), 1, 2, "birth")
    assert first.problem.code == second.problem.code == "cell-error-value"
    assert first.problem is not second.problem          # raised where used: never the same one twice


def test_formula_without_value_is_read_every_time(book):
    member = sheet_member(book, "先进个人")
    ref = f"{NAME.split('!')[1]}3"
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: re.sub(
        rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', f'<c r="{ref}"><f>1+1</f></c>', xml, count=1, flags=re.S)))
    [name] = [c for k, c in after[2][1][2][1][2] if k == "name"]
    assert name[4][0] == "formula-no-value"
    assert PERSONS not in workbook._REMEMBERED
    after = again(book, lambda p: plant(p, {f"{NAME}3": "李四"}))
    assert not any(c[4] for r in after[2][1][2] for k, c in r[2])


def test_formula_without_value_in_a_cell_that_was_empty(book):
    """calamine gives such a cell as empty: the row's values are what they were, its reading is not."""
    member = sheet_member(book, "先进个人")
    ref = f"{REMARKS.split('!')[1]}3"
    after = again(book, lambda p: rewrite_member(p, member, lambda xml: re.sub(
        r'(<row r="3"[^>]*>.*?)</row>', lambda m: m.group(1) + f'<c r="{ref}"><f>1+1</f></c></row>',
        xml, count=1, flags=re.S)))
    [remarks] = [c for k, c in after[2][1][2][1][2] if k == "remarks"]
    assert remarks[4][0] == "formula-no-value"


def test_large_sheets_are_not_remembered(book, monkeypatch):
    monkeypatch.setattr(workbook, "MEMO_MAX_CELLS", 10)
    read_workbook(book)
    assert PERSONS not in workbook._REMEMBERED
    again(book, lambda p: plant(p, {f"{NAME}3": "李四"}))


def test_sheets_read_with_openpyxl_are_not_remembered(book):
    member = sheet_member(book, "先进个人")
    rewrite_member(book, member, lambda xml: re.sub(
        rf'<c r="{BIRTH.split("!")[1]}2"[^>]*?(/>|>.*?</c>)', f'<c r="{BIRTH.split("!")[1]}2" t="e"><v>#SPILL!</v></c>',
        xml, count=1, flags=re.S))
    read_workbook(book)
    assert PERSONS not in workbook._REMEMBERED
    again(book, lambda p: plant(p, {f"{NAME}3": "李四"}))


# --- the defences still apply -----------------------------------------------------------------

def test_zip_bomb_after_a_remembered_read(book):
    read_workbook(book)
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.xml", b" " * (40 * 1024 * 1024))
    with pytest.raises(UnusableInput, match="压缩"):
        read_workbook(book)


@pytest.mark.parametrize("member", ["xl/workbook.xml", "xl/styles.xml"])
def test_doctype_after_a_remembered_read(book, member):
    read_workbook(book)
    rewrite_member(book, member, lambda xml: '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "b">]>\n'
                   + re.sub(r"^<\?xml[^>]*\?>\s*", "", xml))
    with pytest.raises(UnusableInput, match="拒绝"):
        read_workbook(book)


def test_damaged_sheet_after_a_remembered_read(book):
    read_workbook(book)
    rewrite_member(book, sheet_member(book, "先进个人"), lambda xml: xml[: len(xml) // 2])
    with pytest.raises(UnusableInput, match="损坏"):
        read_workbook(book)


def test_reading_never_changes_the_file(book):
    data, stamp = book.read_bytes(), os.stat(book).st_mtime_ns
    for _ in range(3):
        read_workbook(book)
    assert book.read_bytes() == data and os.stat(book).st_mtime_ns == stamp


# --- a random walk of edits -------------------------------------------------------------------

VALUES = [None, "", " ", "文本", "【示例】张三", "#N/A", 1, 1.0, 1.5, True, False, 0, 12345678,
          "2023.01", 2.5e17, "=1+1"]


def test_random_edits_read_as_from_nothing(book):
    rng = random.Random(6)
    letters = [col("先进个人", f.label) for f in load_campaign("anju").sheet("先进个人").fields]
    for step in range(12):
        changes = {f"先进个人!{rng.choice(letters)}{rng.randint(2, 14)}": rng.choice(VALUES)
                   for _ in range(rng.randint(1, 3))}

        def edit(wb):
            ws = wb["先进个人"]
            if rng.random() < 0.3:
                ws.row_dimensions[rng.randint(2, 14)].hidden = rng.random() < 0.5
            if rng.random() < 0.2:
                ws.column_dimensions[rng.choice(letters)].hidden = rng.random() < 0.5
        before = snapshot(read_workbook(book))
        plant(book, changes, edit)
        if rng.random() < 0.3:
            shared_strings(book)
        after = snapshot(read_workbook(book))
        assert after == fresh(book), (step, changes)
        del before


# --- sheetxml: the byte scan by stretches ------------------------------------------------------

def test_patterns_are_shorter_than_the_overlap():
    parser = pytest.importorskip("re._parser")
    patterns = [*sheetxml._MARKERS, *sheetxml._UNREFERENCED, sheetxml._PREFIXED, *sheetxml._ROW_DIGITS.values(),
                sheetxml._LONG_COLUMN, sheetxml._WIDE_COLUMN, sheetxml._FAR_ROW]
    for pattern in patterns:
        assert parser.parse(pattern.pattern).getwidth()[1] < sheetxml._OVERLAP, pattern


PIECES = ['<row r="2">', "<row>", '<row r="123456">', '<c r="A1">', "<c>", '<c r="ABCD1">', '<c r="AB1">',
          '<c r="ZZZ99">', "<f>", "<f/>", ' hidden="1"', '<mergeCell ref="A1:B2"/>', ' t="e"', " t='e'",
          "<v>1234567890123456</v>", "<v>-12</v>", "<x:row ", "<x:c>", " r=\"A12345678\"", "</row>", "</c>",
          "<sheetData>", "文字", "&#22995;", " ", "r", "=", '"', "<", "c", "f", "v>", "1", "e",
          "<c ", "<c r", "<c r=", "<x:c", ":"]     # tags cut short: a match may run into the next <row


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=120), st.lists(st.sampled_from(PIECES), max_size=120),
       st.integers(min_value=1, max_value=5))
def test_stretches_and_chunks_give_the_marks_of_the_whole(first, second, stretch):
    old = sheetxml._STRETCH, sheetxml._CHUNK
    sheetxml._STRETCH = stretch * 16                    # many stretches and chunks, cut anywhere
    sheetxml._CHUNK = stretch * sheetxml._OVERLAP       # (a chunk's tail must hold a match's start)
    try:
        sheetxml._STRETCHES.clear()
        for pieces in (first, second, first):           # the second and third use what the one before kept
            data = "".join(pieces).encode("utf-8")
            part = sheetxml.SheetPart("xl/worksheets/sheet1.xml", data, b"")
            whole = sheetxml._marks(data)
            assert sheetxml._held_marks(part) == whole
            assert sheetxml._stream_marks(io.BytesIO(data)) == whole
    finally:
        sheetxml._STRETCH, sheetxml._CHUNK = old


def test_stream_and_held_scans_agree(book, tmp_path):
    member = sheet_member(book, "先进个人")
    letter = col("先进个人", "备注")
    rewrite_member(book, member, lambda xml: xml.replace("</sheetData>", "</sheetData>" + (
        f'<mergeCells count="1"><mergeCell ref="{letter}3:{letter}4"/></mergeCells>')).replace(
        '<row r="9"', '<row r="9" hidden="1"'))
    with zipfile.ZipFile(book) as z:
        part = sheetxml.read_part(z, member)
        streamed = sheetxml.scan_sheet(z, member)
        held = sheetxml.scan_sheet(z, member, part)
        again_held = sheetxml.scan_sheet(z, member, part)
    assert streamed == held == again_held and held.merged and held.hidden_rows == {9}
    held.hidden_rows.add(10)                             # the caller's own copy
    with zipfile.ZipFile(book) as z:
        assert sheetxml.scan_sheet(z, member, part).hidden_rows == {9}

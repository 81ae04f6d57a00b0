"""Excel's habits, planted cell by cell: normalised where safe, reported (sheet!cell) where not."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from awardforms.campaigns.load import load_campaign
from awardforms.errors import UnusableInput
from awardforms.check.validate import check_workbook
from awardforms.read.workbook import read_workbook
from conftest import collective, make_id, person, write_workbook

ANJU = load_campaign("anju")


def col(sheet: str, label: str) -> str:
    """Column letter of a field as write_workbook lays the sheet out."""
    labels = [f.label for f in ANJU.sheet(sheet).fields]
    return get_column_letter(labels.index(label) + 1)


def plant(path: Path, changes: dict[str, object], edit=None) -> Path:
    """Set cells ({'先进个人!I2': value}) in a saved workbook; `edit(wb)` for anything else."""
    wb = load_workbook(path)
    for ref, value in changes.items():
        sheet, coord = ref.split("!")
        wb[sheet][coord] = value
    if edit:
        edit(wb)
    wb.save(path)
    return path


def rewrite_member(path: Path, member: str, change) -> Path:
    """Rewrite one XML part of the package (for what openpyxl cannot write)."""
    with zipfile.ZipFile(path) as src:
        parts = {i.filename: src.read(i.filename) for i in src.infolist()}
    parts[member] = change(parts[member].decode("utf-8")).encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return path


def sheet_member(path: Path, sheet: str) -> str:
    wb = load_workbook(path, read_only=True)
    try:
        return wb[sheet]._worksheet_path
    finally:
        wb.close()


def issues_at(sub, ref: str) -> list:
    return [i for i in sub.report.issues if i.cell == ref]


def codes_at(sub, ref: str) -> set[str]:
    return {i.code for i in issues_at(sub, ref)}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(0), person(1)])


ID = f"先进个人!{col('先进个人', '身份证号码')}"
BIRTH = f"先进个人!{col('先进个人', '出生日期')}"
WORK = f"先进个人!{col('先进个人', '参加工作时间')}"
MOBILE = f"先进个人!{col('先进个人', '个人联系电话')}"
LANDLINE = f"先进个人!{col('先进个人', '工作单位联系电话')}"
NAME = f"先进个人!{col('先进个人', '姓名')}"


# --- numbers ---------------------------------------------------------------------------------

def test_id_float_that_lost_digits_is_an_error_with_the_fix(book):
    plant(book, {f"{ID}2": float(make_id("220102", "19780512", 20, male=False)[:15] + "000")})
    sub = check_workbook(book)
    [issue] = issues_at(sub, f"{ID}2")
    assert (issue.code, issue.severity) == ("id-lost-digits", "error")
    assert "文本" in issue.fix
    assert sub.records["先进个人"][0].has_errors


def test_id_stored_as_exact_integer_is_accepted(book):
    number = next(make_id("220102", "19780512", n, male=False) for n in range(20, 60)
                  if make_id("220102", "19780512", n, male=False)[-1] != "X"
                  and n != 21)
    coord = f"{ID.split('!')[1]}2"
    plant(book, {f"{ID}2": 1})          # openpyxl writes big ints as floats: put the digits in by hand
    rewrite_member(book, sheet_member(book, "先进个人"), lambda xml: re.sub(
        rf'<c r="{coord}"[^>]*>.*?</c>', f'<c r="{coord}" t="n"><v>{number}</v></c>', xml, count=1))
    sub = check_workbook(book)
    assert not {c for c in codes_at(sub, f"{ID}2") if c.startswith("id-")}
    assert sub.records["先进个人"][0].display["id_number"] == number


def test_phones_stored_as_numbers(book):
    plant(book, {f"{MOBILE}2": 13904310003, f"{LANDLINE}2": 43188776655, f"{MOBILE}3": 1390431000.5})
    sub = check_workbook(book)
    rec = sub.records["先进个人"][0]
    assert not codes_at(sub, f"{MOBILE}2") and not codes_at(sub, f"{LANDLINE}2")
    assert rec.display["phone"] == "13904310003"
    assert rec.display["employer_phone"] == "0431-88776655"
    [issue] = issues_at(sub, f"{MOBILE}3")
    assert (issue.code, issue.severity) == ("phone-stored-as-number", "error")


# --- dates -----------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [dt.datetime(1978, 5, 12), dt.datetime(1978, 5, 1, 13, 30), 28622, 28622.75])
def test_month_fields_accept_excel_dates_and_serials(book, value):
    plant(book, {f"{BIRTH}2": value})
    sub = check_workbook(book)
    assert not codes_at(sub, f"{BIRTH}2")
    assert sub.records["先进个人"][0].display["birth"] == "1978.05"


def test_date_field_accepts_serial_and_datetime(book):
    plant(book, {"推荐单位!B8": 44986})
    sub = check_workbook(book)
    assert not codes_at(sub, "推荐单位!B8")
    assert sub.unit.display["date"] == "2023年3月1日"
    plant(book, {"推荐单位!B8": dt.datetime(2023, 3, 1, 9, 15)})
    assert check_workbook(book).unit.display["date"] == "2023年3月1日"


def test_month_serial_with_date_format_becomes_month(book):
    def fmt(wb):
        wb["先进个人"][f"{WORK.split('!')[1]}2"].number_format = "yyyy-mm"
    plant(book, {f"{WORK}2": 36708}, fmt)        # 2000-07-01
    sub = check_workbook(book)
    assert not codes_at(sub, f"{WORK}2")
    assert sub.records["先进个人"][0].display["work_start"] == "2000.07"


# --- formulas --------------------------------------------------------------------------------

def test_formula_with_cached_value_uses_the_value(book):
    plant(book, {f"{NAME}2": '="张"&"晓梅"'})
    member = sheet_member(book, "先进个人")
    coord = f"{NAME.split('!')[1]}2"
    rewrite_member(book, member, lambda xml: re.sub(
        rf'<c r="{coord}"([^>]*)><f>(.*?)</f><v\s*/?>(</v>)?',
        rf'<c r="{coord}" t="str"><f>\2</f><v>张晓梅</v>', xml))
    sub = check_workbook(book)
    assert not codes_at(sub, f"{NAME}2")
    assert sub.records["先进个人"][0].display["name"] == "张晓梅"


def test_formula_without_cached_value_is_an_error(book):
    plant(book, {f"{NAME}2": '="张"&"晓梅"', f"{BIRTH}3": "=DATE(1978,5,1)"})
    sub = check_workbook(book)
    for ref in (f"{NAME}2", f"{BIRTH}3"):
        [issue] = issues_at(sub, ref)
        assert (issue.code, issue.severity) == ("formula-no-value", "error")
        assert "Excel" in issue.fix and "保存" in issue.fix


def test_formula_without_value_in_unit_sheet(book):
    plant(book, {"推荐单位!B4": '="李"&"明"'})
    sub = check_workbook(book)
    assert codes_at(sub, "推荐单位!B4") == {"formula-no-value"}


def test_formula_error_value_is_reported(book):
    member = sheet_member(book, "先进个人")
    coord = f"{BIRTH.split('!')[1]}2"
    rewrite_member(book, member, lambda xml: re.sub(
        rf'<c r="{coord}"[^>]*>.*?</c>', f'<c r="{coord}" t="e"><f>1/0</f><v>#DIV/0!</v></c>', xml, count=1))
    sub = check_workbook(book)
    assert codes_at(sub, f"{BIRTH}2") == {"cell-error-value"}


# --- text ------------------------------------------------------------------------------------

def test_fullwidth_digits_letters_and_odd_spaces_are_normalised(book):
    idn = make_id("220102", "19780512", 20, male=False)
    wide = idn.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789X"})
    plant(book, {f"{ID}2": f"\u3000{wide} ", f"{BIRTH}2": "１９７８．０５",
                 f"{NAME}2": "\u00a0张晓梅\u3000", f"{MOBILE}2": " １３９０４３１０００３ "})
    sub = check_workbook(book)
    rec = sub.records["先进个人"][0]
    for ref in (ID, BIRTH, NAME, MOBILE):
        assert not codes_at(sub, f"{ref}2"), ref
    assert rec.display["id_number"] == idn
    assert rec.display["birth"] == "1978.05"
    assert rec.display["name"] == "张晓梅"


# --- layout ----------------------------------------------------------------------------------

def test_merged_cells_across_nominee_rows_are_an_error_naming_the_range(book):
    letter = col("先进个人", "工作单位")
    plant(book, {}, lambda wb: wb["先进个人"].merge_cells(f"{letter}2:{letter}3"))
    sub = check_workbook(book)
    [issue] = [i for i in sub.report.issues if i.code == "merged-cells"]
    assert issue.cell == f"先进个人!{letter}2" and issue.severity == "error"
    assert f"{letter}2:{letter}3" in issue.message
    assert codes_at(sub, f"先进个人!{letter}3") == {"required"}


def test_merged_cells_within_one_row_is_a_warning(book):
    a, b = col("先进个人", "备注"), get_column_letter(len(ANJU.sheet("先进个人").fields) + 2)
    plant(book, {}, lambda wb: wb["先进个人"].merge_cells(f"{a}2:{b}2"))
    sub = check_workbook(book)
    [issue] = [i for i in sub.report.issues if i.code == "merged-cells"]
    assert (issue.cell, issue.severity) == (f"先进个人!{a}2", "warning")


def test_merged_title_above_the_header_is_an_extra_header_row(tmp_path):
    path = write_workbook(tmp_path / "t.xlsx", [collective(0)], [person(0)])

    def title(wb):
        ws = wb["先进个人"]
        ws.insert_rows(1)
        ws["A1"] = "先进个人推荐对象表"
        ws.merge_cells("A1:H1")
    plant(path, {}, title)
    sub = check_workbook(path)
    assert not [i for i in sub.report.issues if i.code == "merged-cells"]
    moved = [i for i in sub.report.issues if i.code == "header-row-moved"]
    assert moved and moved[0].sheet == "先进个人" and moved[0].row == 2
    assert [r.row for r in sub.records["先进个人"]] == [3]


def test_hidden_rows_columns_and_sheets_are_warnings(book):
    def hide(wb):
        ws = wb["先进个人"]
        ws.row_dimensions[3].hidden = True
        ws.column_dimensions[col("先进个人", "备注")].hidden = True
        wb["先进集体"].sheet_state = "hidden"
    plant(book, {}, hide)
    sub = check_workbook(book)
    by_code = {i.code: i for i in sub.report.issues}
    assert (by_code["hidden-row"].sheet, by_code["hidden-row"].row, by_code["hidden-row"].severity) == ("先进个人", 3, "warning")
    assert by_code["hidden-column"].cell == f"先进个人!{col('先进个人', '备注')}1"
    assert (by_code["hidden-sheet"].sheet, by_code["hidden-sheet"].row) == ("先进集体", None)
    assert len(sub.records["先进个人"]) == 2          # hidden rows are still read
    assert sub.report.valid


def test_sheet_with_header_only_is_fine(tmp_path):
    path = write_workbook(tmp_path / "p.xlsx", [], [person(0)])
    sub = check_workbook(path)
    assert sub.records["先进集体"] == []
    assert not [i for i in sub.report.issues if i.sheet == "先进集体"]


def test_completely_empty_sheet_is_a_warning_and_means_no_nominees(tmp_path):
    path = write_workbook(tmp_path / "p.xlsx", [], [person(0)])
    plant(path, {}, lambda wb: wb["先进集体"].delete_rows(1))
    sub = check_workbook(path)
    [issue] = [i for i in sub.report.issues if i.sheet == "先进集体"]
    assert (issue.code, issue.severity, issue.cell) == ("sheet-empty", "warning", "先进集体!A1")  # where the header goes
    assert sub.records["先进集体"] == [] and len(sub.records["先进个人"]) == 1


def test_sheet_with_content_but_no_header_is_unusable(tmp_path):
    path = write_workbook(tmp_path / "p.xlsx", [], [person(0)])
    plant(path, {}, lambda wb: (wb["先进集体"].delete_rows(1), wb["先进集体"].append(["随便", "写点"])))
    with pytest.raises(UnusableInput, match="找不到表头"):
        read_workbook(path)


def test_workbook_without_any_nominee_warns(tmp_path):
    sub = check_workbook(write_workbook(tmp_path / "e.xlsx", [], []))
    assert [i.code for i in sub.report.issues if i.row is None and i.sheet is None] == ["no-nominees"]


def test_wrong_dimension_does_not_cut_columns(book):
    member = sheet_member(book, "先进个人")
    rewrite_member(book, member, lambda xml: re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:B2"/>', xml))
    sub = check_workbook(book)
    assert len(sub.records["先进个人"]) == 2
    assert sub.records["先进个人"][1].display["name"] == person(1)["姓名"]


# --- files that are not .xlsx ----------------------------------------------------------------

@pytest.mark.parametrize("suffix", [".xls", ".et", ".csv"])
def test_other_formats_are_refused_with_save_as_instructions(tmp_path, suffix):
    path = tmp_path / f"nominees{suffix}"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512 if suffix != ".csv" else "姓名,性别\n".encode())
    with pytest.raises(UnusableInput) as err:
        read_workbook(path)
    assert suffix in err.value.message and "另存为" in err.value.fix and ".xlsx" in err.value.fix


def test_password_protected_file_is_refused(tmp_path):
    path = tmp_path / "secret.xlsx"      # an encrypted .xlsx is an OLE compound file
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(4096))
    with pytest.raises(UnusableInput) as err:
        read_workbook(path)
    assert "密码" in err.value.message and "另存为" in err.value.fix


@pytest.mark.parametrize("damage", ["truncated", "not-a-zip", "missing-part"])
def test_corrupt_file_is_refused(book, damage):
    data = book.read_bytes()
    if damage == "truncated":
        book.write_bytes(data[: len(data) // 2])
    elif damage == "not-a-zip":
        book.write_bytes(b"PK\x03\x04 this is not really a zip" * 20)
    else:
        with zipfile.ZipFile(book) as src:
            parts = {i.filename: src.read(i.filename) for i in src.infolist()}
        del parts["xl/workbook.xml"]
        with zipfile.ZipFile(book, "w") as dst:
            for name, part in parts.items():
                dst.writestr(name, part)
    with pytest.raises(UnusableInput) as err:
        read_workbook(book)
    assert err.value.exit_code == 2 and ("损坏" in err.value.message or "不是 .xlsx" in err.value.message)

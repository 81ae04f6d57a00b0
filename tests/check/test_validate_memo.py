"""validate remembers parsed rows: the same records and issues as a cold parse, never stale."""

from __future__ import annotations

from pathlib import Path

import awardforms.check.validate as validate_module
from awardforms.check.validate import check_workbook
from conftest import collective, person, write_workbook


def _outcome(sub):
    records = {name: [(r.row, r.values, r.display, r.raw, r.has_errors) for r in rs]
               for name, rs in sub.records.items()}
    return records, sorted(sub.report.issues, key=repr)


def _cold(path: Path):
    validate_module._ROW_MEMO.clear()
    validate_module._ROW_OBJECTS.clear()
    return _outcome(check_workbook(path))


def _rows(edit: dict | None = None, insert_first: bool = False):
    persons = [person(i) for i in range(4)]
    persons[1].update(性别="男女")                       # an error: not one of the choices
    persons[2].update(edit or {})
    if insert_first:
        persons.insert(0, person(9))
    return [collective(0)], persons


def test_warm_validate_equals_cold_after_an_edit(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    check_workbook(wb)                                  # fills the memo
    assert validate_module._ROW_MEMO
    write_workbook(wb, *_rows({"通讯地址": "长春市南关区新址路8号", "个人联系电话": "123"}))
    warm = _outcome(check_workbook(wb))
    assert warm == _cold(wb)
    issues = warm[1]
    assert any(i.field == "个人联系电话" for i in issues)      # the edited row's new error
    assert any(i.field == "性别" for i in issues)                          # the remembered row's error


def test_rows_that_moved_report_their_new_row_numbers(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    before = check_workbook(wb)
    row_before = next(i.row for i in before.report.issues if i.field == "性别")
    write_workbook(wb, *_rows(insert_first=True))
    warm = _outcome(check_workbook(wb))
    assert warm == _cold(wb)
    assert next(i.row for i in warm[1] if i.field == "性别") == row_before + 1


def test_a_remembered_row_gets_its_own_dicts(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    first = check_workbook(wb)
    rec = first.records["先进个人"][0]
    rec.values["name"] = rec.display["name"] = "改过"
    again = check_workbook(wb)
    assert again.records["先进个人"][0].display["name"] != "改过"


def test_a_row_naming_a_file_is_parsed_again(tmp_path: Path):
    deeds = tmp_path / "事迹.txt"
    deeds.write_text("第一稿", encoding="utf-8")
    wb = write_workbook(tmp_path / "n.xlsx", *_rows({"主要事迹": deeds.name}))
    first = check_workbook(wb)
    deeds.write_text("第二稿，内容变了。", encoding="utf-8")
    second = check_workbook(wb)
    pick = [r for r in second.records["先进个人"] if r.row == first.records["先进个人"][2].row][0]
    assert "第二稿" in pick.display["deeds"]


def test_the_same_row_object_naming_a_file_is_parsed_again(tmp_path: Path):
    """The reader may hand back an unchanged row as the same RawRow: a row that names a file
    is still parsed again (the file may have changed)."""
    from awardforms.read.workbook import read_workbook
    deeds = tmp_path / "事迹.txt"
    deeds.write_text("第一稿", encoding="utf-8")
    raw = read_workbook(write_workbook(tmp_path / "n.xlsx", *_rows({"主要事迹": deeds.name})))
    row = raw.sheets[1].rows[2].row
    first = validate_module.validate(raw)
    assert "第一稿" in next(r for r in first.records["先进个人"] if r.row == row).display["deeds"]
    deeds.write_text("第二稿，内容变了。", encoding="utf-8")
    second = validate_module.validate(raw)
    assert "第二稿" in next(r for r in second.records["先进个人"] if r.row == row).display["deeds"]

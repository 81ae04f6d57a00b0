"""Headers as clerks write them (issue 15, items 5 and 6): known spellings of a label are
read as that field; an unknown header is reported once, at its header cell, with the field it
may be; a column only some rows need is an error only at the rows that need it."""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils import get_column_letter

from awardforms.build.pipeline import check
from awardforms.campaigns.load import load_campaign
from conftest import collective, person, write_workbook

PERSON_LABELS = [f.label for f in load_campaign("anju").sheet("先进个人").fields]
COLLECTIVE_LABELS = [f.label for f in load_campaign("anju").sheet("先进集体").fields]


def _renamed(labels: list[str], old: str, new: str) -> list[str]:
    return [new if label == old else label for label in labels]


def _letter(labels: list[str], label: str) -> str:
    return get_column_letter(labels.index(label) + 1)


def test_known_spellings_are_read_as_the_field(tmp_path: Path):
    labels = _renamed(_renamed(PERSON_LABELS, "身份证号码", "身份证号"), "出生日期", "出生年月")
    rows = [{**p, "身份证号": p["身份证号码"], "出生年月": p["出生日期"]} for p in (person(0), person(1))]
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], rows, order={"先进个人": labels})
    sub = check(wb)
    assert [i for i in sub.report.issues if i.code != "photo-missing"] == []
    assert [r.display["id_number"] for r in sub.records["先进个人"]] == [p["身份证号码"] for p in
                                                                       (person(0), person(1))]
    assert sub.records["先进个人"][0].display["birth"] == "1978.05"


def test_unknown_header_is_reported_once_with_a_guess(tmp_path: Path):
    labels = _renamed(PERSON_LABELS, "个人联系电话", "个人电话")
    rows = [{**person(n), "个人电话": person(n)["个人联系电话"]} for n in range(3)]
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], rows, order={"先进个人": labels})
    issues = [i for i in check(wb).report.issues if i.code != "photo-missing"]
    assert [(i.sheet, i.row, i.column, i.field, i.severity, i.code) for i in issues] == [
        ("先进个人", 1, _letter(labels, "个人电话"), "个人电话", "error", "unknown-header")]
    assert "是否为“个人联系电话”？" in issues[0].message
    assert not check(wb).report.valid        # the rows are not rendered without the column


def test_column_only_some_rows_need_is_an_error_only_at_those_rows(tmp_path: Path):
    # last month's blank: no 企业类型 column; nothing needs it -> still fine
    labels = [label for label in COLLECTIVE_LABELS if label != "企业类型"]
    wb = write_workbook(tmp_path / "old.xlsx", [collective(0), collective(1)], [person(0)],
                        order={"先进集体": labels})
    sub = check(wb)
    assert [i for i in sub.report.issues if i.code != "photo-missing"] == []
    assert sub.report.valid
    # one enterprise among them: an error at its row, none at the header or the other rows
    wb = write_workbook(tmp_path / "new.xlsx", [collective(0), collective(1, 集体类型="企业")], [person(0)],
                        order={"先进集体": labels})
    sub = check(wb)
    found = [(i.sheet, i.row, i.field, i.severity, i.code) for i in sub.report.issues if i.code != "photo-missing"]
    assert found == [("先进集体", 3, "企业类型", "error", "missing-column")]
    assert [r.has_errors for r in sub.records["先进集体"]] == [False, True]

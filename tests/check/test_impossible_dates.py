"""Dates that cannot be (issue 15, item 4): each planted in an otherwise valid anju workbook
and read back from `check` with the cell it names."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import load_workbook

from awardforms.build.pipeline import check
from conftest import collective, person, write_workbook


def _found(path: Path, code: str):
    return [(i.sheet, i.row, i.column, i.field, i.severity, i.message) for i in check(path).report.issues
            if i.code == code]


def _column(path: Path, sheet: str, label: str) -> str:
    ws = load_workbook(path)[sheet]
    return next(c.column_letter for c in ws[1] if c.value == label)


def test_work_start_before_16th_birthday_or_before_birth(tmp_path: Path):
    resume = "1990.09--至今 长春市住房保障和房屋管理局工作"
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [
        person(0, 参加工作时间="1990.09", 个人简历=resume),            # 12 years old
        person(1, 参加工作时间="1970.09", 个人简历=resume.replace("1990.09", "1970.09")),   # before birth
        person(2, 参加工作时间="1994.05", 个人简历=resume.replace("1990.09", "1994.05")),   # exactly 16: fine
    ])
    col = _column(wb, "先进个人", "参加工作时间")
    found = _found(wb, "age-impossible")
    assert [(r[1], r[2], r[4]) for r in found] == [(2, col, "error"), (3, col, "error")]
    assert "只有12岁" in found[0][5] and "不满16周岁" in found[0][5]
    assert "早于出生日期1978.05" in found[1][5]
    assert not check(wb).report.valid


def test_resume_before_14th_birthday(tmp_path: Path):
    resume = "1988.09--1996.07 农安县第一中学学习\n1996.09--2000.07 吉林建筑大学土木工程专业学习\n" \
             "2000.07--至今 长春市住房保障和房屋管理局科员、科长"
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0, 个人简历=resume)])
    found = _found(wb, "resume-too-early")
    assert [(r[1], r[2]) for r in found] == [(2, _column(wb, "先进个人", "个人简历"))]
    assert "第1行从1988.09开始" in found[0][5] and "只有10岁" in found[0][5]


def test_work_start_later_than_first_work_in_resume(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [
        person(0, 参加工作时间="2003.07"),    # résumé: 2000.07--至今 ...工作
        person(1, 参加工作时间="2000.07"),
    ])
    found = _found(wb, "work-start-after-resume")
    assert [(r[1], r[2]) for r in found] == [(2, _column(wb, "先进个人", "参加工作时间"))]
    assert "2003.07晚于个人简历中第一段工作经历的开始时间2000.07（第2行" in found[0][5]


def test_excel_date_before_1940_names_what_was_typed(tmp_path: Path):
    # `1998.1` typed into a date-formatted cell: Excel stores day 1998.1 after 1900 = 1905-06-20
    typed = dt.datetime(1899, 12, 30) + dt.timedelta(days=1998.1)
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0, 出生日期=typed), person(1, 出生日期="1939.12")])
    found = _found(wb, "year-too-early")
    col = _column(wb, "先进个人", "出生日期")
    assert [(r[1], r[2], r[4]) for r in found] == [(2, col, "error"), (3, col, "error")]
    assert "1905.06" in found[0][5] and "“1998.1”" in found[0][5]
    assert "早于1940年" in found[1][5]

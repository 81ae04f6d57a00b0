"""The annotated copy: fills, comments, the 校验结果 sheet with links; the original untouched."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.worksheet.datavalidation import DataValidation

from awardforms.assemble import annotate
from awardforms.assemble import annotate_worker
from awardforms.assemble.annotate import (AUTHOR, ERROR_RGB, RESULT_SHEET, WARNING_RGB, annotated_path,
                                 write_annotated)
from awardforms.commands.cli import main
from awardforms.report import Issue, Report
from awardforms.check.validate import check_workbook
from conftest import collective, person, write_workbook
from test_excel_habits import BIRTH, ID, NAME, plant


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def faulty(tmp_path: Path) -> Path:
    """Person row 2: wrong ID check digit (error); row 3: bad month and a clerk's own comment."""
    path = write_workbook(tmp_path / "推荐对象表.xlsx", [collective(0)], [person(0), person(1)])

    def extras(wb):
        ws = wb["先进个人"]
        ws[f"{BIRTH.split('!')[1]}3"].comment = Comment("这是经办人自己的批注", "经办人")
        dv = DataValidation(type="list", formula1='"男,女"')
        ws.add_data_validation(dv)
        dv.add("B2:B100")
    number = person(0)["身份证号码"]
    bad = number[:17] + ("0" if number[17] != "0" else "1")
    return plant(path, {f"{ID}2": bad, f"{BIRTH}3": "1978年13月"}, extras)


def test_bad_cells_are_filled_and_commented(faulty, tmp_path):
    sub = check_workbook(faulty)
    out = write_annotated(faulty, sub.report, tmp_path / "out" / "a.xlsx")
    wb = load_workbook(out)
    ws = wb["先进个人"]
    id_cell = ws[f"{ID.split('!')[1]}2"]
    assert id_cell.fill.fgColor.rgb == ERROR_RGB
    assert id_cell.comment.author == AUTHOR
    issue = next(i for i in sub.report.issues if i.cell == f"{ID}2")
    assert issue.message in id_cell.comment.text and issue.fix in id_cell.comment.text
    birth = ws[f"{BIRTH.split('!')[1]}3"]
    assert birth.fill.fgColor.rgb == ERROR_RGB
    assert "这是经办人自己的批注" in birth.comment.text          # their comment is kept
    # cells without issues keep their look
    assert ws[f"{NAME.split('!')[1]}2"].fill.fgColor.rgb != ERROR_RGB
    # the clerk's data validation survives in the copy
    assert any("B2:B100" in str(dv.sqref) for dv in ws.data_validations.dataValidation)


def test_warning_cells_are_yellow_and_one_comment_holds_all_issues(faulty, tmp_path):
    report = Report([
        Issue("先进个人", 2, "A", "姓名", "warning", "w1", "第一条提醒。", "改法一。"),
        Issue("先进个人", 2, "A", "姓名", "warning", "w2", "第二条提醒。", "改法二。"),
        Issue("先进个人", 3, "A", "姓名", "warning", "w3", "提醒。", ""),
        Issue("先进个人", 3, "A", "姓名", "error", "e1", "错误。", "改正。"),
    ])
    wb = load_workbook(write_annotated(faulty, report, tmp_path / "a.xlsx"))
    a2, a3 = wb["先进个人"]["A2"], wb["先进个人"]["A3"]
    assert a2.fill.fgColor.rgb == WARNING_RGB
    assert all(t in a2.comment.text for t in ("第一条提醒。", "改法一。", "第二条提醒。", "改法二。"))
    assert a3.fill.fgColor.rgb == ERROR_RGB                        # the worst severity wins
    assert "提醒" in a3.comment.text and "错误" in a3.comment.text


def test_result_sheet_lists_every_issue_with_links_workbook_level_first(faulty, tmp_path):
    report = Report([
        Issue("先进个人", 5, "J", "出生日期", "error", "e", "月份不存在。", "请改。"),
        Issue("先进个人", None, None, None, "error", "quota-exceeded", "超过名额。", "减少。"),
        Issue("先进个人", 3, None, None, "warning", "hidden-row", "隐藏行。", ""),
        Issue(None, None, None, None, "warning", "no-nominees", "没有推荐对象。", ""),
    ])
    wb = load_workbook(write_annotated(faulty, report, tmp_path / "a.xlsx"))
    assert wb.sheetnames[0] == RESULT_SHEET and wb.active.title == RESULT_SHEET
    ws = wb[RESULT_SHEET]
    assert [c.value for c in ws[1]][:5] == ["位置", "字段", "类型", "说明", "处理办法"]
    rows = [[c.value for c in row[:5]] for row in ws.iter_rows(min_row=2)]
    assert len(rows) == 4
    assert {rows[0][3], rows[1][3]} == {"超过名额。", "没有推荐对象。"}        # row None on top
    cell_row = next(i for i, r in enumerate(rows, start=2) if r[0] == "先进个人!J5")
    assert ws.cell(cell_row, 3).value == "错误" and ws.cell(cell_row, 2).value == "出生日期"
    assert ws.cell(cell_row, 5).value == "请改。"
    assert ws.cell(cell_row, 1).hyperlink.location == "'先进个人'!J5"
    hidden = next(i for i, r in enumerate(rows, start=2) if r[3] == "隐藏行。")
    assert ws.cell(hidden, 3).value == "提醒"
    assert ws.cell(hidden, 1).hyperlink.location == "'先进个人'!A3"
    assert wb["先进个人"]["A3"].fill.fgColor.rgb == WARNING_RGB


def test_no_issues_says_so(faulty, tmp_path):
    wb = load_workbook(write_annotated(faulty, Report([]), tmp_path / "a.xlsx"))
    values = [c.value for row in wb[RESULT_SHEET].iter_rows() for c in row]
    assert any(v and "没有发现错误" in str(v) for v in values)


def test_original_is_never_modified(faulty, tmp_path):
    before = digest(faulty)
    sub = check_workbook(faulty)
    write_annotated(faulty, sub.report, tmp_path / "a.xlsx")
    assert digest(faulty) == before
    with pytest.raises(ValueError):
        write_annotated(faulty, sub.report, faulty)
    assert digest(faulty) == before


def test_annotating_an_annotated_copy_replaces_old_marks(faulty, tmp_path):
    sub = check_workbook(faulty)
    first = write_annotated(faulty, sub.report, tmp_path / "first.xlsx")
    second = write_annotated(first, Report([]), tmp_path / "second.xlsx")
    wb = load_workbook(second)
    assert wb.sheetnames.count(RESULT_SHEET) == 1
    ws = wb["先进个人"]
    id_cell = ws[f"{ID.split('!')[1]}2"]
    assert id_cell.comment is None and id_cell.fill.fgColor.rgb != ERROR_RGB
    assert ws[f"{BIRTH.split('!')[1]}3"].comment.text == "这是经办人自己的批注"


def test_hostile_text_in_messages_does_not_break_the_copy(faulty, tmp_path):
    long = "长" * 40000
    report = Report([Issue("先进个人", 2, "A", "姓名", "error", "x", f"“{long}”\x07不对。", "改。")])
    wb = load_workbook(write_annotated(faulty, report, tmp_path / "a.xlsx"))
    assert len(wb["先进个人"]["A2"].comment.text) <= 32767
    assert len(wb[RESULT_SHEET]["D2"].value) <= 32767


# --- CLI -------------------------------------------------------------------------------------

def test_check_writes_copy_into_default_output_folder(faulty, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", str(faulty)])
    assert result.exit_code == 1
    expected = Path("output") / faulty.stem / f"{faulty.stem}.校验结果.xlsx"
    assert expected.is_file() and str(expected) in result.output
    assert annotated_path(faulty, Path("output") / faulty.stem) == expected


def test_check_json_and_dash_o(faulty, tmp_path):
    out = tmp_path / "结果"
    result = CliRunner().invoke(main, ["check", str(faulty), "-o", str(out), "--json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["annotated"] == str(out / f"{faulty.stem}.校验结果.xlsx")
    assert Path(data["annotated"]).is_file()


def test_render_writes_copy_into_its_output_folder(faulty, tmp_path):
    out = tmp_path / "材料"
    result = CliRunner().invoke(main, ["render", str(faulty), "-o", str(out)])
    assert result.exit_code == 1, result.output
    path = out / f"{faulty.stem}.校验结果.xlsx"
    assert path.is_file() and str(path) in result.output
    wb = load_workbook(path)
    assert wb["先进个人"][f"{ID.split('!')[1]}2"].fill.fgColor.rgb == ERROR_RGB


def test_failed_copy_does_not_lose_the_check_result(faulty, tmp_path, monkeypatch):
    monkeypatch.setattr(annotate_worker, "available_cores", lambda: 1)       # written in this process

    def boom(*args, **kwargs):
        raise PermissionError("文件被占用")
    monkeypatch.setattr(annotate, "write_annotated", boom)
    result = CliRunner().invoke(main, ["check", str(faulty), "-o", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert "身份证号码" in result.stdout
    assert "未能生成" in result.stderr and "文件被占用" in result.stderr


@pytest.mark.parametrize("command", ["check", "render"])
@pytest.mark.parametrize("cores", [1, 2])         # written in this process / in a child process
def test_copy_that_cannot_be_written_is_one_warning(faulty, tmp_path, monkeypatch, command, cores):
    monkeypatch.setattr(annotate_worker, "available_cores", lambda: cores)
    out = tmp_path / "o"
    target = annotated_path(faulty, out)
    target.mkdir(parents=True)                      # a folder where the copy should go
    result = CliRunner().invoke(main, [command, str(faulty), "-o", str(out)])
    assert result.exit_code == 1
    assert "身份证号码" in result.stdout and str(target) not in result.stdout
    assert result.stderr.startswith(f"提醒：未能生成带批注的校验结果副本 {target}（")
    assert len(result.stderr.splitlines()) == 1
    assert not list(out.glob(".*.tmp"))


def _written(out: Path, faulty: Path, report: Report, reuse: bool = True) -> int:
    """Write (or keep) the copy; its mtime_ns afterwards."""
    path, problem = annotate.try_write_annotated(faulty, report, out, reuse=reuse)
    assert problem is None
    return path.stat().st_mtime_ns


def test_copy_kept_when_workbook_and_issues_are_the_same(faulty, tmp_path, monkeypatch):
    out = tmp_path / "o"
    report = check_workbook(faulty).report
    first = _written(out, faulty, report)
    calls = []
    real = annotate._write
    monkeypatch.setattr(annotate, "_write", lambda *a: (calls.append(a), real(*a)))
    assert _written(out, faulty, check_workbook(faulty).report) == first and not calls
    # different issues, an edited workbook, a copy changed by someone, or reuse off: written again
    fewer = Report(report.issues[1:])
    _written(out, faulty, fewer)
    assert len(calls) == 1
    plant(faulty, {f"{BIRTH}3": "1978年14月"})
    _written(out, faulty, check_workbook(faulty).report)
    assert len(calls) == 2
    copy = annotated_path(faulty, out)
    copy.write_bytes(copy.read_bytes())             # opened in Excel and saved: a new mtime
    _written(out, faulty, check_workbook(faulty).report)
    assert len(calls) == 3
    _written(out, faulty, check_workbook(faulty).report, reuse=False)
    assert len(calls) == 4
    wb = load_workbook(copy)
    assert "1978年14月" in str(wb["先进个人"][BIRTH.split("!")[1] + "3"].value)


def test_render_again_keeps_the_copy_force_rewrites_it(faulty, tmp_path):
    out = tmp_path / "材料"
    path = out / f"{faulty.stem}.校验结果.xlsx"
    CliRunner().invoke(main, ["render", str(faulty), "-o", str(out)])
    first = path.stat().st_mtime_ns
    result = CliRunner().invoke(main, ["render", str(faulty), "-o", str(out)])
    assert str(path) in result.output and path.stat().st_mtime_ns == first
    CliRunner().invoke(main, ["render", str(faulty), "-o", str(out), "--force"])
    assert path.stat().st_mtime_ns != first

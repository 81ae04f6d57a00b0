"""Issue 15 (17): many issues: a comment holds the first issues of its cell, only the first
cells get a comment, and 校验结果 lists every issue and says what was left out."""

from __future__ import annotations

from openpyxl import load_workbook

from awardforms.assemble import annotate
from awardforms.assemble.annotate import AUTHOR, ERROR_RGB, RESULT_SHEET, write_annotated
from awardforms.report import Issue, Report
from conftest import collective, person, write_workbook


def _issue(row: int, column: str, n: int) -> Issue:
    return Issue("先进个人", row, column, "籍贯", "error", "x", f"第{n}个问题。", "请改正。")


def test_a_cell_comment_holds_its_first_issues_and_points_to_the_rest(tmp_path):
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], [person(0)])
    many = [_issue(2, "D", n) for n in range(1, annotate.MAX_PER_CELL + 3)]
    out = write_annotated(wb, Report(many), tmp_path / "out.xlsx")
    book = load_workbook(out)
    comment = book["先进个人"]["D2"].comment.text
    assert f"第{annotate.MAX_PER_CELL}个问题" in comment and f"第{annotate.MAX_PER_CELL + 1}个问题" not in comment
    assert "另有 2 个问题" in comment and RESULT_SHEET in comment
    listed = [r[3] for r in book[RESULT_SHEET].iter_rows(min_row=2, values_only=True) if r[3]]
    assert listed == [i.message for i in many]                        # every one in 校验结果


def test_only_the_first_cells_get_comments_the_rest_are_filled_and_listed(tmp_path, monkeypatch):
    monkeypatch.setattr(annotate, "MAX_COMMENTED_CELLS", 3)
    monkeypatch.setattr(annotate, "MAX_LINKS", 4)
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], [person(n) for n in range(1, 7)])
    issues = [_issue(row, "D", row) for row in range(2, 8)]           # 6 cells
    out = write_annotated(wb, Report(issues), tmp_path / "out.xlsx")
    book = load_workbook(out)
    ws = book["先进个人"]
    commented = [row for row in range(2, 8) if ws[f"D{row}"].comment and ws[f"D{row}"].comment.author == AUTHOR]
    assert commented == [2, 3, 4]
    assert all(ws[f"D{row}"].fill.fgColor.rgb == ERROR_RGB for row in range(2, 8))
    result = book[RESULT_SHEET]
    assert len([r for r in result.iter_rows(min_row=2, max_col=4, values_only=True) if r[3]]) == 6
    notes = " ".join(str(result.cell(r, 7).value) for r in range(2, 4))
    assert "只为前 3 个有问题的单元格加了批注" in notes and "另有 3 个单元格" in notes
    assert "前 4 行" in notes
    assert [result.cell(r, 1).hyperlink is not None for r in range(2, 8)] == [True] * 4 + [False] * 2


def test_clerk_text_in_the_result_sheet_is_never_a_formula(tmp_path):
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], [person(0)])
    issue = Issue("先进个人", 2, "D", "=SUM(A1)", "error", "x", "=HYPERLINK(\"http://x\")", "+1")
    out = write_annotated(wb, Report([issue]), tmp_path / "out.xlsx")
    row = next(load_workbook(out)[RESULT_SHEET].iter_rows(min_row=2, max_row=2))
    assert all(c.data_type == "s" for c in row[:5] if c.value is not None)

"""Issue 15 (10, 11): messages a clerk can act on: the workbook open in Excel, cells named
instead of columns, no maintainer instructions, issues in the workbook's sheet order, click's
errors in Chinese, a phone number typed with an em dash."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from awardforms.build.pipeline import check
from awardforms.check.phone import parse_phone
from awardforms.commands.cli import main
from awardforms.errors import UnusableInput
from conftest import UNIT, collective, person, write_workbook


def _invoke(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_workbook_open_in_excel_is_a_warning_asking_to_save_and_close(tmp_path):
    wb = write_workbook(tmp_path / "推荐表.xlsx", [collective(0)], [person(0)])
    res = _invoke("check", wb, "-o", tmp_path / "out")
    assert res.exit_code == 0 and "Excel" not in res.output.split("带批注")[0]
    (tmp_path / "~$推荐表.xlsx").write_bytes(b"\x00" * 165)       # Excel's lock file beside it
    res = _invoke("check", wb, "-o", tmp_path / "out")
    assert res.exit_code == 0, res.output                          # a warning, not an error
    assert "正在 Excel 或 WPS 中打开" in res.output and "最后一次保存的内容" in res.output
    assert "请在 Excel 中保存并关闭该工作簿" in res.output
    res = _invoke("render", wb, "-o", tmp_path / "out2")
    assert res.exit_code == 0 and "正在 Excel 或 WPS 中打开" in res.output


def test_long_names_lock_file_counts_too(tmp_path):
    wb = write_workbook(tmp_path / "长春市推荐表.xlsx", [collective(0)], [person(0)])
    (tmp_path / "~$市推荐表.xlsx").write_bytes(b"\x00")          # Excel puts ~$ in place of 2 characters
    assert any(i.code == "workbook-open" for i in check(wb).report.warnings)


def test_no_maintainer_instructions_and_a_cell_for_the_quota(tmp_path):
    from pathlib import Path
    sample = Path(__file__).resolve().parents[2] / "data" / "samples" / "shzz" / "地方-吉林市.xlsx"
    issue = next(i for i in check(sample).report.issues if i.code == "quota-not-configured")
    assert "data/" not in issue.fix and "README" not in issue.fix and "campaign" not in issue.fix
    assert issue.cell and issue.cell.startswith("推荐单位!B")
    assert "名额" in issue.fix


def test_campaign_errors_name_the_cell(tmp_path):
    wb = write_workbook(tmp_path / "a.xlsx", [collective(0)], [person(0)], unit={**UNIT, "评选表彰项目": "安居"})
    with pytest.raises(UnusableInput) as err:
        check(wb)
    assert "推荐单位!B1" in str(err.value) and "B 列" not in str(err.value)
    wb = write_workbook(tmp_path / "b.xlsx", [collective(0)], [person(0)], unit={**UNIT, "评选表彰项目": None})
    with pytest.raises(UnusableInput) as err:
        check(wb)
    assert "推荐单位!B1" in str(err.value) and "B 列" not in str(err.value) and "anju" in str(err.value)


def test_missing_unit_row_names_the_cells_to_fill(tmp_path):
    unit = {k: v for k, v in UNIT.items() if k != "联系人"}
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], [person(0)], unit=unit)
    issue = next(i for i in check(wb).report.errors if i.field == "联系人")
    last = len(unit)
    assert issue.cell == f"推荐单位!A{last + 1}"
    assert f"推荐单位!B{last + 1}" in issue.fix


def test_missing_materials_name_the_nominees_cell():
    from pathlib import Path
    import shutil
    import tempfile
    src = Path(__file__).resolve().parents[2] / "data" / "samples" / "shzz"
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copytree(src, Path(tmp) / "s")
        shutil.rmtree(Path(tmp) / "s" / "附件" / "吉林市物流协会")
        issues = [i for i in check(Path(tmp) / "s" / "地方-吉林市.xlsx").report.issues if i.code == "material-missing"]
    assert issues and all(i.cell for i in issues)


def test_issues_follow_the_workbooks_sheet_order(tmp_path):
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0, 集体人数="十二")], [person(0, 身份证号码="123")])
    book = load_workbook(wb)
    book.move_sheet("先进个人", offset=-1)                          # 推荐单位, 先进个人, 先进集体
    book.save(wb)
    sheets = [i.sheet for i in check(wb).report.sorted() if i.row is not None]
    assert sheets.index("先进个人") < sheets.index("先进集体")
    res = _invoke("check", wb, "--json", "-o", tmp_path / "out")
    listed = [i["sheet"] for i in json.loads(res.output)["issues"] if i["row"] is not None]
    assert listed.index("先进个人") < listed.index("先进集体")
    copy = load_workbook(tmp_path / "out" / "n.校验结果.xlsx")["校验结果"]
    places = [r[0] for r in copy.iter_rows(min_row=2, values_only=True) if r[0] and "!" in r[0]]
    assert places[0].startswith("先进个人") and places[-1].startswith("先进集体")


@pytest.mark.parametrize("args, words", [
    (["check", "a.xlsx", "b.xlsx"], "多余的参数：b.xlsx"),
    (["check", "--foo", "a.xlsx"], "没有选项“--foo”"),
    (["check"], "缺少参数 WORKBOOK"),
    (["chek", "a.xlsx"], "没有命令“chek”"),
    (["watch", "x", "--poll", "abc"], "“abc”不是有效的数字"),
])
def test_click_errors_in_chinese(args, words):
    res = _invoke(*args)
    assert res.exit_code == 2
    assert words in res.output
    for english in ("Got unexpected", "No such", "Missing argument", "Usage:", "Error:", "Try '"):
        assert english not in res.output


@pytest.mark.parametrize("typed", ["0431—89152155", "0431——89152155", "0431–89152155", "0431－89152155"])
def test_phone_with_an_em_dash_is_accepted(typed):
    assert parse_phone(typed) == "0431-89152155"


def test_every_command_help_is_in_chinese():
    """The office's commands (serve, users and its sub-commands, collect, template) are made with
    plain click in their own modules: their help says 用法/选项/显示本帮助并退出 as check's does."""
    from click.testing import CliRunner
    from awardforms.commands.cli import main

    def paths(group, prefix):
        for name, cmd in group.commands.items():
            yield [*prefix, name]
            if hasattr(cmd, "commands"):
                yield from paths(cmd, [*prefix, name])

    seen = []
    for path in paths(main, []):
        out = CliRunner().invoke(main, [*path, "-h"]).output
        assert out.startswith("用法：") and "选项：" in out and "显示本帮助并退出。" in out, (path, out)
        assert not any(word in out for word in ("Usage:", "Options:", "Commands:", "Show this message")), (path, out)
        seen.append(" ".join(path))
    assert {"serve", "users add", "users reset", "collect", "template", "watch"} <= set(seen)

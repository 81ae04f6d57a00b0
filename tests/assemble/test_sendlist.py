"""Issue 15 (1, 2): no send-ready package while errors remain; 报送清单.xlsx; 汇总表 序号 = folder number."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from awardforms.build.pipeline import Settings, render
from awardforms.commands.cli import main
from conftest import collective, person, write_workbook

ROOT = Path(__file__).resolve().parents[2]
SHZZ = ROOT / "data" / "samples" / "shzz"
STEM = "长春市住房保障和房屋管理局-保障性安居工程建设工作先进集体先进个人-推荐材料"
READY_ZIP, DRAFT_ZIP = f"{STEM}.zip", f"{STEM}-未完成.zip"


def _rows(bad: bool):
    persons = [person(1, 身份证号码="123" if bad else person(1)["身份证号码"]), person(2), person(3)]
    return [collective(0)], persons


def _sheet_rows(path: Path, sheet: str | None = None) -> list[list]:
    wb = load_workbook(path)
    ws = wb[sheet] if sheet else wb.active
    return [[c.value for c in row] for row in ws.iter_rows()]


def test_errors_give_an_incomplete_zip_and_a_fixed_workbook_a_send_ready_one(tmp_path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows(bad=False))
    out = tmp_path / "out"
    render(wb, Settings(out_dir=out))
    assert (out / READY_ZIP).is_file()

    write_workbook(wb, *_rows(bad=True))              # the clerk breaks a row: no send-ready zip left
    result = render(wb, Settings(out_dir=out))
    assert not result.assembly.complete
    assert not (out / READY_ZIP).exists()
    assert result.assembly.removed == [READY_ZIP]
    with zipfile.ZipFile(out / DRAFT_ZIP) as zf:
        names = zf.namelist()
    assert "先进个人/002-张晓梅二/推荐审批表.docx" in names
    assert not any("张晓梅一" in n for n in names)

    write_workbook(wb, *_rows(bad=False))             # fixed: the draft goes, the send-ready zip is back
    result = render(wb, Settings(out_dir=out))
    assert result.assembly.complete
    assert (out / READY_ZIP).is_file() and not (out / DRAFT_ZIP).exists()


def test_summary_numbers_agree_with_the_folders(tmp_path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows(bad=True))
    result = render(wb, Settings(out_dir=tmp_path / "out"))
    rows = _sheet_rows(result.out_dir / "推荐对象汇总表.xlsx")
    numbered = {r[1]: r[0] for r in rows if r[0] not in (None, "序号") and r[1]}
    folders = {n["name"]: n["files"][0].split("/")[1] for n in result.manifest["nominees"]
               if n["status"] == "rendered" and n["sheet"] == "先进个人"}
    assert folders == {"张晓梅二": "002-张晓梅二", "张晓梅三": "003-张晓梅三"}
    assert numbered["张晓梅二"] == "2" and numbered["张晓梅三"] == "3"


def test_send_list_lists_every_nominee_with_status_forms_and_copies(tmp_path):
    persons = [person(1, 身份证号码="123"), person(2), person(3)]
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], persons)
    book = load_workbook(wb)                      # a name that looks like a formula, stored as text
    cell = book["先进个人"]["A3"]
    cell.value, cell.data_type = '=HYPERLINK("x")', "s"
    book.save(wb)
    result = render(wb, Settings(out_dir=tmp_path / "out"))
    path = result.out_dir / "报送清单.xlsx"
    book = load_workbook(path)
    ws = book.active
    cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" for c in cells)                 # text, never a formula
    rows = _sheet_rows(path)
    assert "未完成" in rows[1][0] and "1 个错误" in rows[1][0]
    header = rows[4]
    assert header[:5] == ["序号", "工作表", "行号", "推荐对象", "状态"]
    by_name = {r[3]: r for r in rows[5:]}
    assert by_name["张晓梅一"][4] == "有错误" and by_name["张晓梅一"][2] == "2"
    assert "未生成" in by_name["张晓梅一"][5]
    formula_like = by_name['=HYPERLINK("x")']
    assert formula_like[4] == "已生成" and formula_like[0] == "002"
    assert "推荐审批表：3份" in formula_like[7]
    assert formula_like[8] == "先进个人/002-=HYPERLINK(_x_)"
    assert any(r[3] and "汇总表" in r[3] for r in rows[5:])      # the submission's own documents


def test_send_list_names_missing_materials(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(SHZZ, src)
    workbook = src / "地方-吉林市.xlsx"
    shutil.rmtree(src / "附件" / "吉林市物流协会")
    result = render(workbook, Settings(out_dir=tmp_path / "out"))
    rows = _sheet_rows(result.out_dir / "报送清单.xlsx")
    line = next(r for r in rows if r[3] == "吉林市物流协会")
    assert line[4] == "缺材料"
    assert "无犯罪记录证明" in line[6] and "公示材料" in line[6]
    ok = next(r for r in rows if r[3] == "吉林市船营区爱心助老服务中心")
    assert ok[4] == "已生成" and "无犯罪记录证明：" in ok[7]


def test_render_console_says_what_blocks_sending(tmp_path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows(bad=True))
    res = CliRunner().invoke(main, ["render", str(wb), "-o", str(tmp_path / "out")])
    assert res.exit_code == 1
    assert "不能报送" in res.output and "先进个人第2行 张晓梅一" in res.output
    assert DRAFT_ZIP in res.output and "报送清单" in res.output
    assert "发送用压缩包" not in res.output


def test_checklist_file_names_stay_text(tmp_path):
    from awardforms.read.scans import write_checklist
    target = tmp_path / "材料清单.xlsx"
    write_checklist(target, "=张三 材料清单", [[1, "公示材料", "是", 1, "已提供", "=cmd|' /c calc'!A1.pdf"]])
    ws = load_workbook(target).active
    assert ws["A1"].data_type == "s" and ws["F3"].data_type == "s" and ws["F3"].value.startswith("=cmd")

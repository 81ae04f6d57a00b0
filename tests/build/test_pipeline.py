"""End to end: workbook -> check -> render; open every generated file and read it back."""

from __future__ import annotations

import json
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from awardforms.build.pipeline import Settings, check, render
from conftest import collective, person, write_workbook


def docx_text(path: Path) -> str:
    """All text of a .docx, tables included, paragraphs joined by newlines."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def test_render_writes_every_form_and_manifest(small_workbook: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = render(small_workbook, Settings(out_dir=out))
    assert result.submission.report.valid
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["campaign"] == "anju" and manifest["source"] == "nominees.xlsx"
    by_name = {n["name"]: {**n, "files": [f for f in n["files"] if f.endswith(".docx")]}
               for n in manifest["nominees"]}         # the forms (材料清单.xlsx is there too)
    # an ordinary collective: 推荐审批表 + 征求意见表 + 先进事迹材料 (七(五)); the 企业 one gets
    # 企业和企业负责人征求意见表 too
    assert len(by_name["长春市朝阳区住房保障服务中心"]["files"]) == 3
    assert any("企业和企业负责人征求意见表" in f for f in by_name["长春市朝阳区住房保障服务中心第1分中心"]["files"])
    assert len(by_name["张晓梅"]["files"]) == 3
    assert any("企业和企业负责人征求意见表" in f for f in by_name["张晓梅一"]["files"])
    assert {"推荐对象汇总表.docx", "推荐对象汇总表.xlsx"} <= set(manifest["files"])
    for n in manifest["nominees"]:
        assert n["status"] == "rendered"
        for f in (f for f in n["files"] if f.endswith(".docx")):
            xml = zipfile.ZipFile(out / f).read("word/document.xml").decode("utf-8")
            assert "{{" not in xml and "{%" not in xml, f
    for f in manifest["files"]:
        assert (out / f).stat().st_size > 0


def test_person_form_holds_every_value(small_workbook: Path, tmp_path: Path):
    out = tmp_path / "out"
    render(small_workbook, Settings(out_dir=out))
    text = docx_text(out / "先进个人/001-张晓梅/推荐审批表.docx")
    for value in ("张晓梅", "汉族", "吉林省农安县", "1978.05", "2000.07", "住房保障科科长（四级主任科员）",
                  "长春市住房保障和房屋管理局", "0431-88776655", "13904310003", "吉林省保障性安居建设工作先进个人",
                  "1996.09--2000.07 吉林建筑大学土木工程专业学习", "2023年3月1日"):
        assert value in text, value
    # 主要事迹 keeps its paragraphs: two paragraphs in the cell, not one run-on line
    doc = Document(str(out / "先进个人/001-张晓梅/推荐审批表.docx"))
    deed_paragraphs = {p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs
                       if p.text.startswith(("该同志长期", "在公租房分配"))}
    assert len(deed_paragraphs) == 2


def test_special_characters_and_line_breaks_survive(tmp_path: Path):
    name = 'A&B<集体>"测"'
    # Excel writes a vertical tab (Word line break pasted into a cell) as _x000B_
    deeds = "第一段有&和<符号。\n第二段_x000B_第三段来自粘贴的垂直制表符。"
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 集体名称=name, 主要事迹=deeds)], [person(0)])
    out = tmp_path / "out"
    result = render(wb, Settings(out_dir=out))
    assert result.submission.report.valid, [i.text() for i in result.submission.report.errors]
    folder = next((out / "先进集体").iterdir())
    text = docx_text(folder / "推荐审批表.docx")
    assert name in text
    assert "第一段有&和<符号。" in text
    assert "第二段\n第三段来自粘贴的垂直制表符。" in text     # the break is kept, not glued
    assert "\x0b" not in text
    summary = docx_text(out / "推荐对象汇总表.docx")
    assert name in summary


def test_columns_in_any_order(tmp_path: Path):
    from awardforms.campaigns.load import load_campaign
    labels = [f.label for f in load_campaign("anju").sheet("先进个人").fields]
    reordered = list(reversed(labels))
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0)], order={"先进个人": reordered})
    sub = check(wb)
    assert sub.report.valid
    assert sub.records["先进个人"][0].display["id_number"] == person(0)["身份证号码"]


def test_invalid_nominee_is_reported_by_cell_and_not_rendered(tmp_path: Path):
    bad_id = person(1)["身份证号码"][:-1] + ("0" if person(1)["身份证号码"][-1] != "0" else "1")
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0), person(1, 身份证号码=bad_id)])
    out = tmp_path / "out"
    result = render(wb, Settings(out_dir=out))
    errors = result.submission.report.errors
    assert [(e.sheet, e.row, e.column, e.field) for e in errors] == [("先进个人", 3, "I", "身份证号码")]
    assert errors[0].code == "id-checksum"
    statuses = {n["name"]: n["status"] for n in result.manifest["nominees"]}
    assert statuses["张晓梅一"] == "invalid" and statuses["张晓梅"] == "rendered"
    assert not (out / "先进个人/002-张晓梅一").exists()
    summary = docx_text(out / "推荐对象汇总表.docx")
    assert "张晓梅一" not in summary and "张晓梅" in summary


def test_summary_xlsx_lists_nominees_in_official_columns(small_workbook: Path, tmp_path: Path):
    out = tmp_path / "out"
    render(small_workbook, Settings(out_dir=out))
    ws = load_workbook(out / "推荐对象汇总表.xlsx").active
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header = next(r for r in rows if r and r[0] == "序号" and r[1] == "姓名")
    assert tuple(header[:14]) == ("序号", "姓名", "性别", "民族", "政治面貌", "工作单位", "单位性质", "职务",
                           "行政级别", "职称", "身份证号", "联系电话", "通讯地址", "备注")
    people = [r for r in rows[rows.index(header) + 1:] if r and r[1] and str(r[1]).startswith("张晓梅")]
    assert [p[0] for p in people] == ["1", "2"]
    assert people[0][10] == person(0)["身份证号码"]
    assert any(r[0] and "推荐单位：长春市住房保障和房屋管理局" in str(r[0]) for r in rows)
    # every table cell framed; headers bold; body cells text-formatted (IDs stay digits)
    h = rows.index(header) + 1
    for c in range(1, 15):
        head, body = ws.cell(h, c), ws.cell(h + 2, c)
        assert head.font.bold and head.border.left.style == "thin" and head.alignment.wrap_text
        assert not body.font.bold and body.border.bottom.style == "thin" and body.number_format == "@"
    assert ws.cell(1, 1).font.size == 18 and not ws.cell(h - 1, 1).border.left.style


def test_unchanged_records_are_not_rewritten(small_workbook: Path, tmp_path: Path):
    """A re-render that changes nothing leaves manifest.json and the tool's records as they are
    (same bytes would be written: the write is skipped), and rewrites them when they differ."""
    out = tmp_path / "out"
    render(small_workbook, Settings(out_dir=out))
    names = ["manifest.json", ".awardforms-state.json", ".awardforms-assembly.json"]
    before = {n: (out / n).stat().st_mtime_ns for n in names}
    render(small_workbook, Settings(out_dir=out))
    assert {n: (out / n).stat().st_mtime_ns for n in names} == before
    (out / "manifest.json").write_text("{}", encoding="utf-8")
    render(small_workbook, Settings(out_dir=out))
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["nominees"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permission bits")
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o077, 0o600)])
def test_outputs_get_the_usual_permissions(small_workbook: Path, tmp_path: Path, umask, mode):
    """Others sharing the output folder can read what render writes (mkstemp alone gives 0600),
    as far as the umask allows."""
    import subprocess
    out = tmp_path / "out"
    code = (f"import os; os.umask({umask}); from pathlib import Path; "
            f"from awardforms.build.pipeline import render, Settings; "
            f"render(Path({str(small_workbook)!r}), Settings(out_dir=Path({str(out)!r})))")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=Path(__file__).resolve().parents[2])
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".zip" for p in files) and any(p.suffix == ".docx" for p in files)
    assert {p.name: oct(p.stat().st_mode & 0o777) for p in files} == {p.name: oct(mode) for p in files}

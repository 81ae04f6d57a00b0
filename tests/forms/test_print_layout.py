"""What a clerk prints (issue 15, items 14-16): the forms as seed 004 lays them out, anju's
先进事迹材料 as a document of its own, and the layout properties set for printing, read back
from the templates and from rendered forms."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image

from awardforms.build.pipeline import Settings, render
from awardforms.campaigns.load import ROOT
from awardforms.forms.render import render_docx
from conftest import collective, person, write_workbook

TEMPLATES = ROOT / "templates"
APPROVAL_FORMS = sorted([*TEMPLATES.glob("anju/*推荐审批表.docx"), *TEMPLATES.glob("shzz/*推荐审批表*.docx")])
_EMU_PER_TWIP = 635


def _cells(row) -> list:
    """A row's distinct cells (a merged cell once)."""
    seen, out = set(), []
    for cell in row.cells:
        if id(cell._tc) not in seen:
            seen.add(id(cell._tc))
            out.append(cell)
    return out


def _texts(row) -> list[str]:
    return [c.text.replace("\n", "") for c in _cells(row)]


def test_collective_form_groups_the_leader_rows_as_seed_004():
    table = Document(str(TEMPLATES / "anju" / "先进集体推荐审批表.docx")).tables[0]
    rows = [_texts(r) for r in table.rows]
    i = next(k for k, r in enumerate(rows) if r[0] == "集体主要负责人姓名")
    assert rows[i] == ["集体主要负责人姓名", "{{ leader_name }}"]
    assert rows[i + 1] == ["集体主要负责人单位和职务", "{{ leader_post }}", "集体主要负责人联系电话", "{{ leader_phone }}"]
    assert rows[i - 1][0] == "集体人数" and rows[i + 2][0] == "集体所属单位"


@pytest.mark.parametrize("path", APPROVAL_FORMS, ids=lambda p: p.stem)
def test_last_seal_row_travels_with_the_one_before(path):
    table = Document(str(path)).tables[0]
    seals = [r for r in table.rows if any("盖" in c.text and "日" in c.text for c in _cells(r))]
    assert len(seals) >= 3
    for row in seals:
        assert row._tr.trPr.find(qn("w:cantSplit")) is not None
    before_last = [p for c in _cells(seals[-2]) for p in c.paragraphs]
    assert before_last and all(p.paragraph_format.keep_with_next for p in before_last)
    assert not any(p.paragraph_format.keep_with_next for c in _cells(seals[-3]) for p in c.paragraphs)


@pytest.mark.parametrize("path", sorted(TEMPLATES.glob("shzz/*推荐审批表*.docx")), ids=lambda p: p.stem)
def test_shzz_label_column_holds_six_characters(path):
    """业务主管单位 (6 characters of 小四, 240 twips each) on one line, with the cell's margins."""
    table = Document(str(path)).tables[0]
    grid = table._tbl.tblGrid.findall(qn("w:gridCol"))
    assert int(grid[0].get(qn("w:w"))) >= 6 * 240 + 2 * 57


@pytest.mark.parametrize("campaign", ["anju", "shzz"])
def test_summary_last_row_notes_and_contact_kept_together(campaign):
    doc = Document(str(TEMPLATES / campaign / "推荐对象汇总表.docx"))
    persons = doc.tables[1]
    loops = [c.text for r in persons.rows for c in _cells(r)[:1] if c.text.startswith("{%tr for")]
    assert loops == ["{%tr for r in sheets['先进个人'][:-1] %}", "{%tr for r in sheets['先进个人'][-1:] %}"]
    last = persons.rows[-2]                       # the data row of the last nominee
    assert all(p.paragraph_format.keep_with_next for c in _cells(last) for p in c.paragraphs)
    notes = [p for p in doc.paragraphs if p.text.startswith(("注：", "2.", "3.", "4."))]
    assert notes and all(p.paragraph_format.keep_with_next for p in notes)


def test_anju_summary_remarks_and_fax_have_room():
    doc = Document(str(TEMPLATES / "anju" / "推荐对象汇总表.docx"))
    persons = doc.tables[1]
    grid = [int(g.get(qn("w:w"))) for g in persons._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert _texts(persons.rows[0])[-1] == "备注"
    assert grid[-1] >= 2 * 210 + 2 * 45               # two characters of 五号 and the margins
    contact = doc.tables[2]                           # 联系人 line: one cell each, never split
    assert [t.split("：")[0] + "：" for t in _texts(contact.rows[0])] == ["联系人单位、姓名及职务：", "联系电话：", "传真："]
    assert contact._tbl.tblPr.find(qn("w:tblBorders")).find(qn("w:top")).get(qn("w:val")) == "nil"


def _photo(tmp_path: Path) -> Path:
    path = tmp_path / "照片" / "p.jpg"
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (413, 579), (30, 30, 220)).save(path, "JPEG")
    return path


def _photo_fits(docx: Path) -> None:
    """The picture has zero wrap distances and is no wider than its cell inside the margins."""
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode()
    inline = re.search(r"<wp:inline[^>]*>", xml).group(0)
    for side in ("distT", "distB", "distL", "distR"):
        assert f'{side}="0"' in inline, inline
    cx = int(re.search(r'<wp:extent cx="(\d+)"', xml).group(1))
    cell = xml[:xml.index("<wp:inline")].rsplit("<w:tc>", 1)[1]
    width = int(re.search(r'<w:tcW w:type="dxa" w:w="(\d+)"', cell).group(1))
    margin = int(re.search(r'<w:tblCellMar>.*?<w:left w:w="(\d+)"', xml).group(1))
    assert cx <= (width - 2 * margin) * _EMU_PER_TWIP


def test_photo_inside_its_cell(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    _photo(tmp_path)
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0, 照片="照片/p.jpg")])
    result = render(wb, Settings(out_dir=tmp_path / "out", force=True, workers=1))
    (form,) = (tmp_path / "out").glob("先进个人/*/推荐审批表.docx")
    _photo_fits(form)                                              # the compiled-template path
    for template in ("anju/先进个人推荐审批表.docx",
                     "shzz/附件5-社会组织工作先进个人推荐审批表（全省性社会组织）.docx"):
        out = tmp_path / (Path(template).stem + ".docx")           # the plain docxtpl path
        context = {**{f: "x" for f in re.findall(r"{{ (\w+) }}", _body(TEMPLATES / template))},
                   "unit": {"name": "u", "date": "d"}}
        render_docx(template, context, out, photo=_photo(tmp_path))
        _photo_fits(out)
    assert result.submission.report.valid


def _body(path: Path) -> str:
    return re.sub(r"<[^>]+>", "", zipfile.ZipFile(path).read("word/document.xml").decode())


def test_anju_deeds_material_is_its_own_document(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0)])
    render(wb, Settings(out_dir=tmp_path / "out", force=True, workers=1))
    (person_doc,) = (tmp_path / "out").glob("先进个人/*/先进事迹材料.docx")
    (collective_doc,) = (tmp_path / "out").glob("先进集体/*/先进事迹材料.docx")
    text = [p.text for p in Document(str(person_doc)).paragraphs]
    assert text[0] == "张晓梅同志先进事迹材料" and text[1] == "（长春市住房保障和房屋管理局推荐）"
    assert text[2].startswith("该同志长期从事保障性安居工程建设工作") and len(text) >= 4   # paragraphs kept
    assert Document(str(collective_doc)).paragraphs[0].text == "长春市朝阳区住房保障服务中心先进事迹材料"

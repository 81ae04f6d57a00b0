#!/usr/bin/env python3
"""Build the test set of blank forms (tests/fixtures/blanks/), as other offices would lay out
the seed's forms (seed 004, forms-anju.md) — not the way tools/build_templates_anju.py does:

* 先进个人推荐审批表-竖排.docx: cover lines with underlined blanks (`姓    名：` + underlined
  spaces) and underscores; labels spaced out (`姓  名`, `籍　贯`) and broken over paragraphs
  (`出 生` / `日 期`); a photo cell spanning four rows whose label is three paragraphs; a
  label cell merged over two rows; 个人简历 and 主要事迹 as heading rows over their blocks;
  fixed values (拟授予称号, 表彰层级), seal blocks and a 填表说明 page.
* 先进集体推荐审批表-表头.docx: no cover; column headings over a row of blanks (集体类型 |
  集体级别 | 集体人数); `标签：` inside cells (集体名称：) and a label over blank lines in its
  own cell (基本情况介绍： then empty paragraphs); blanks made of spaces; a note in brackets
  (`主要事迹（800字以内）`); label cells merged across columns.
* 先进个人征求意见表-下划线.docx: two `标签：` on one line with underscores
  (`姓名：＿＿＿＿  单位及职务：＿＿＿＿`) and seal blocks.

    python tools/make_blanks.py [--out tests/fixtures/blanks]
"""

from __future__ import annotations

import argparse
from pathlib import Path

from docx import Document
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "tests" / "fixtures" / "blanks"
TITLE_PERSON = "吉林省保障性安居建设工作先进个人"
TITLE_COLLECTIVE = "吉林省保障性安居建设工作先进集体"
SEAL = "（盖章）"
DATE = "年    月    日"


def new_doc(font="宋体", size=12):
    doc = Document()
    st = doc.styles["Normal"]
    st.font.name = font
    st.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    st.font.size = Pt(size)
    doc.core_properties.title = "blank form (tools/make_blanks.py)"
    doc.core_properties.comments = ""
    return doc


def line(doc, *parts, size=None, bold=False, align=None, underline_idx=()):
    p = doc.add_paragraph()
    for i, text in enumerate(parts):
        r = p.add_run(text)
        r.font.size = Pt(size) if size else None
        r.font.bold = bold or None
        r.font.underline = True if i in underline_idx else None
    if align is not None:
        p.alignment = align
    return p


def put(cell, *paragraphs, align=WD_ALIGN_PARAGRAPH.CENTER, bold=False):
    """Write paragraphs into a cell (the first replaces its empty paragraph)."""
    for i, text in enumerate(paragraphs):
        p = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        if text:
            p.add_run(text).font.bold = bold or None
        p.alignment = align
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    return cell


def seal_block(cell, seals=1):
    put(cell, "", "", "        ".join([SEAL] * seals), "        ".join([DATE] * seals),
        align=WD_ALIGN_PARAGRAPH.RIGHT)


def page_break(doc):
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def person_form(path: Path) -> None:
    doc = new_doc("仿宋", 12)
    line(doc, "附件3", size=16, bold=True)
    for _ in range(3):
        doc.add_paragraph()
    line(doc, TITLE_PERSON, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(doc, "推 荐 审 批 表", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for _ in range(4):
        doc.add_paragraph()
    line(doc, "姓    名：", "　" * 14, size=16, underline_idx=(1,))
    line(doc, "工作单位：", "＿" * 14, size=16)
    line(doc, "填报时间：", "    年    月    日", size=16)
    page_break(doc)
    line(doc, "填 表 说 明", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for text in ("一、本表是吉林省保障性安居建设工作先进个人推荐用表，必须如实填写，不得作假，违者取消评选资格。",
                 "二、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
                 "四、“简历”从学徒或高中毕业填起，精确到月，不得断档。",
                 "六、“主要事迹”要求以第三人称叙述，力求简明、重点突出，字数控制在800字左右。"):
        line(doc, text, size=14)
    page_break(doc)

    rows = 23
    t = doc.add_table(rows=rows, cols=5)
    t.style = "Table Grid"
    for i, w in enumerate((2.6, 4.2, 2.6, 3.6, 3.4)):
        for c in t.columns[i].cells:
            c.width = Cm(w)
    # rows 0-3 beside the photo (column 4, merged over four rows; label in three paragraphs)
    pairs = [("姓  名", "性  别"), ("民  族", "籍　贯"), (("出 生", "日 期"), ("政 治", "面 貌")),
             ("学历学位", "参加工作时间")]
    for r, (a, b) in enumerate(pairs):
        put(t.cell(r, 0), *(a if isinstance(a, tuple) else (a,)))
        put(t.cell(r, 2), *(b if isinstance(b, tuple) else (b,)))
    put(t.cell(0, 4).merge(t.cell(3, 4)), "照", "", "片")
    grid = [("身份证号码", "编制性质"), ("职务职级", "主要兼任职务"), ("专业技术职务", "技术等级"),
            ("职称", "职称等级"), ("工作单位隶属关系", "工作单位性质"), ("工作单位行政区划", "工作单位地址"),
            ("工作单位联系电话", "个人联系电话")]
    for r, (a, b) in enumerate(grid, start=4):
        put(t.cell(r, 0), a)
        put(t.cell(r, 2), b)
        t.cell(r, 3).merge(t.cell(r, 4))
    # 工作单位: a label merged over two rows, its blank merged likewise
    put(t.cell(11, 0).merge(t.cell(12, 0)), "工作", "单位")
    t.cell(11, 1).merge(t.cell(12, 4))
    put(t.cell(13, 0), "拟授予称号")
    put(t.cell(13, 1).merge(t.cell(13, 4)), TITLE_PERSON)
    put(t.cell(14, 0), "表彰层级")
    put(t.cell(14, 1).merge(t.cell(14, 4)), "省级")
    # 个人简历 and 主要事迹: heading rows over their blocks
    put(t.cell(15, 0).merge(t.cell(15, 4)), "个 人 简 历", bold=True)
    blank = t.cell(16, 0).merge(t.cell(16, 4))
    put(blank, "", "", "", "")
    put(t.cell(17, 0), "何时何地", "受过何种奖励")
    t.cell(17, 1).merge(t.cell(17, 4))
    put(t.cell(18, 0), "何时何地", "受过何种处分")
    t.cell(18, 1).merge(t.cell(18, 4))
    put(t.cell(19, 0).merge(t.cell(19, 4)), "主 要 事 迹（800字左右）", bold=True)
    blank = t.cell(20, 0).merge(t.cell(20, 4))
    put(blank, "", "", "", "", "", "")
    put(t.cell(21, 0), "所在单位", "意    见")
    seal_block(t.cell(21, 1).merge(t.cell(21, 4)))
    put(t.cell(22, 0), "市（州）人社、住建部门审核意见")
    seal_block(t.cell(22, 1).merge(t.cell(22, 4)), seals=2)
    doc.add_paragraph()
    doc.save(path)


def collective_form(path: Path) -> None:
    doc = new_doc("宋体", 12)
    line(doc, TITLE_COLLECTIVE + "推荐审批表", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(doc, "推荐单位（盖章）：", "                ", "填报时间：", "    年  月  日")
    t = doc.add_table(rows=12, cols=4)
    t.style = "Table Grid"
    put(t.cell(0, 0).merge(t.cell(0, 3)), "集体名称：", align=WD_ALIGN_PARAGRAPH.LEFT)
    # column headings over a row of blanks
    put(t.cell(1, 0), "集　体　类　型")
    put(t.cell(1, 1), "集体级别")
    put(t.cell(1, 2).merge(t.cell(1, 3)), "集体人数")
    t.cell(2, 2).merge(t.cell(2, 3))
    for c in range(2):
        t.cell(2, c).paragraphs[0].add_run("    ")       # a blank made of spaces
    put(t.cell(3, 0), "所在行政区划")
    put(t.cell(3, 1), "集体主要负责人姓名")
    put(t.cell(3, 2), "集体主要负责人单位和职务")
    put(t.cell(3, 3), "集体主要负责人联系电话")
    put(t.cell(5, 0), "集体所属单位")
    put(t.cell(5, 2), "集体所属单位", "联系电话")
    put(t.cell(6, 0).merge(t.cell(6, 1)), "单位地址")           # a label across two columns
    t.cell(6, 2).merge(t.cell(6, 3))
    put(t.cell(7, 0), "拟授予称号")
    put(t.cell(7, 1).merge(t.cell(7, 3)), TITLE_COLLECTIVE)
    put(t.cell(8, 0).merge(t.cell(8, 3)), "基本情况介绍：", "", "", "", align=WD_ALIGN_PARAGRAPH.LEFT)
    put(t.cell(9, 0), "主要事迹（800字以内）")
    put(t.cell(9, 1).merge(t.cell(9, 3)), "", "", "")
    put(t.cell(10, 0), "何时何地受过何种奖励")
    t.cell(10, 1).merge(t.cell(10, 3))
    put(t.cell(11, 0), "申报单位意见")
    seal_block(t.cell(11, 1).merge(t.cell(11, 3)))
    doc.add_paragraph()
    line(doc, "注：本表一式3份。")
    doc.save(path)


def consult_form(path: Path) -> None:
    doc = new_doc("仿宋", 14)
    line(doc, "附件4", size=16, bold=True)
    line(doc, "先进个人征求意见表", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    line(doc, "姓名：", "＿" * 8, "  单位及职务：", "＿" * 12)
    t = doc.add_table(rows=3, cols=2)
    t.style = "Table Grid"
    for r, label in enumerate(("组织人事部门意见", "纪检监察机关意见", "公安部门意见")):
        put(t.cell(r, 0), label)
        seal_block(t.cell(r, 1))
    line(doc, "注：1.对机关事业单位和国有企业工作人员，按管理权限征求组织人事部门、纪检监察机关意见；"
              "2.所有先进个人推荐对象均需征求公安部门意见；3.此表一式3份，随推荐审批表一并报送。")
    doc.save(path)


# file -> (builder, sheet of campaign anju it is tagged for)
BLANKS = {
    "先进个人推荐审批表-竖排.docx": (person_form, "先进个人"),
    "先进集体推荐审批表-表头.docx": (collective_form, "先进集体"),
    "先进个人征求意见表-下划线.docx": (consult_form, "先进个人"),
}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, (build, _) in BLANKS.items():
        build(args.out / name)
        print(args.out / name)


if __name__ == "__main__":
    main()

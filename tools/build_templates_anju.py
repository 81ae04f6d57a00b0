#!/usr/bin/env python3
"""Build the blank forms and the docxtpl templates of the ``anju`` campaign.

Campaign: 吉林省保障性安居工程建设工作先进集体、先进个人评选表彰 (seed 004).  Every form of
the 工作方案 is rebuilt here with python-docx, label for label, in the seed's order.

The per-nominee forms are built BLANK, as the notice prints them (``data/blanks/anju/``,
standing in for the notice's 附件*.docx), and become templates the way any campaign's do:
``awardforms template BLANK --campaign anju --sheet SHEET -o templates/anju/...`` (run by
this script).  Only the 推荐对象汇总表 is still built here with its placeholders: its rows
are a table-row loop (``{%tr for r in sheets[...] %}``) over every nominee and its lines read
the 推荐单位 sheet, which the command does not write (docs/templates.md).  Run it again whenever
the layout has to change; the .docx files in ``templates/anju/`` and ``data/blanks/anju/``
are its output and are not edited by hand.

    python tools/build_templates_anju.py [--out templates/anju] [--blanks data/blanks/anju]

Template context (what the engine passes, see data/campaigns/anju/campaign.toml):

* every field key of the nominee's sheet, as a display string; long text fields use "\\a"
  between paragraphs and "\\n" for line breaks (docxtpl turns them into paragraphs / <w:br/>);
* ``photo`` (InlineImage or ""), ``unit`` (name, region, contact, contact_post, phone, fax,
  date), ``seq``, ``parent``, ``enterprise_heading``, ``enterprise_type``;
* the summary gets ``unit`` and ``sheets`` ({'先进集体': [row, ...], '先进个人': [...]}).

Typography: A4, 仿宋 小四 (12 pt) for everything filled in, titles 方正小标宋简体, 附件 markers
黑体 三号.  Every ``{{ ... }}`` / ``{% ... %}`` is written as a single run so docxtpl sees it
whole.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates" / "anju"

BODY_FONT = "仿宋"
TITLE_FONT = "方正小标宋简体"
MARK_FONT = "黑体"

# 字号
ER_HAO = 22      # 二号
XIAO_ER = 18     # 小二
SAN_HAO = 16     # 三号
SI_HAO = 14      # 四号
XIAO_SI = 12     # 小四
WU_HAO = 10.5    # 五号

PORTRAIT_MARGINS = dict(top=Cm(2.54), bottom=Cm(2.54), left=Cm(2.54), right=Cm(2.54))
CELL_MARGIN = Cm(0.1)   # left/right padding inside table cells

SEAL = "盖  章"
SEAL_P = "（盖  章）"
DATE = "年    月    日"
DATE_SHORT = "年   月   日"

TITLE_COLLECTIVE = "吉林省保障性安居建设工作先进集体"
TITLE_PERSON = "吉林省保障性安居建设工作先进个人"


# --------------------------------------------------------------------------- low level

def _set_fonts(rpr, font: str) -> None:
    """Point ascii/hAnsi/eastAsia/cs of an rPr at ``font`` (no theme fonts)."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme"):
            del rfonts.attrib[attr]
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), font)


def style_run(run, font: str = BODY_FONT, size: float | None = None, bold: bool | None = None):
    _set_fonts(run._element.get_or_add_rPr(), font)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.font.bold = bold
    return run


def _child(parent, tag: str):
    el = parent.find(qn(tag))
    if el is None:
        el = OxmlElement(tag)
        parent.append(el)
    return el


def setup_document(title: str, landscape: bool = False, margins: dict | None = None):
    doc = Document()
    # ---- docDefaults + Normal: 仿宋 小四, no spacing, single line.
    styles_el = doc.styles.element
    doc_defaults = styles_el.find(qn("w:docDefaults"))
    rpr_default = _child(doc_defaults, "w:rPrDefault")
    rpr = _child(rpr_default, "w:rPr")
    for el in list(rpr):
        rpr.remove(el)
    rfonts = OxmlElement("w:rFonts")
    rpr.append(rfonts)
    _set_fonts(rpr, BODY_FONT)
    for tag in ("w:sz", "w:szCs"):
        el = OxmlElement(tag)
        el.set(qn("w:val"), "24")
        rpr.append(el)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")
    lang.set(qn("w:bidi"), "ar-SA")
    rpr.append(lang)
    ppr_default = _child(doc_defaults, "w:pPrDefault")
    ppr = _child(ppr_default, "w:pPr")
    for el in list(ppr):
        ppr.remove(el)
    spacing = OxmlElement("w:spacing")
    spacing.set(qn("w:before"), "0")
    spacing.set(qn("w:after"), "0")
    spacing.set(qn("w:line"), "240")
    spacing.set(qn("w:lineRule"), "auto")
    ppr.append(spacing)

    normal = doc.styles["Normal"]
    _set_fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = Pt(XIAO_SI)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    # The table style python-docx uses for add_table; make its text 仿宋 too.
    for name in ("Table Grid", "Normal Table"):
        try:
            st = doc.styles[name]
        except KeyError:
            continue
        _set_fonts(st.element.get_or_add_rPr(), BODY_FONT)

    # ---- page
    sec = doc.sections[0]
    if landscape:
        sec.orientation = WD_ORIENT.LANDSCAPE
        sec.page_width, sec.page_height = Mm(297), Mm(210)
    else:
        sec.orientation = WD_ORIENT.PORTRAIT
        sec.page_width, sec.page_height = Mm(210), Mm(297)
    m = margins or PORTRAIT_MARGINS
    sec.top_margin, sec.bottom_margin = m["top"], m["bottom"]
    sec.left_margin, sec.right_margin = m["left"], m["right"]
    sec.header_distance, sec.footer_distance = Cm(1.5), Cm(1.75)

    # ---- core properties (docxtpl renders these as Jinja too: keep them brace-free)
    cp = doc.core_properties
    cp.title = title
    cp.author = "awardforms"
    cp.last_modified_by = "awardforms"
    cp.comments = ("吉林省保障性安居工程建设工作先进集体、先进个人评选表彰 — "
                   + ("blank form" if BLANK else "template") + " built by tools/build_templates_anju.py")
    cp.subject = ""
    cp.keywords = ""
    cp.category = ""
    return doc


def text_width(doc) -> int:
    sec = doc.sections[0]
    return sec.page_width - sec.left_margin - sec.right_margin


# True while a blank form is built: placeholders and Jinja tags are left out (add_runs).
BLANK = False
_JINJA = re.compile(r"^\s*(\{\{.*\}\}|\{%.*%\})\s*$", re.DOTALL)


def add_runs(p, parts, font=BODY_FONT, size=None, bold=None):
    """Add each string of ``parts`` as ONE run ("\\n" becomes <w:br/> inside that run)."""
    if isinstance(parts, str):
        parts = [parts]
    for part in parts:
        if part == "" or (BLANK and _JINJA.match(part)):
            continue
        style_run(p.add_run(part), font, size, bold)
    return p


def fmt(p, align=None, first_line_chars: int | None = None, indent_left=None,
        before=None, after=None, line=None, line_exact=None, keep_next=False,
        page_break_before=False):
    pf = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent_left is not None:
        pf.left_indent = indent_left
    if first_line_chars:
        ind = p._p.get_or_add_pPr().get_or_add_ind()   # keeps schema order (ind before jc)
        # firstLineChars wins in Word; firstLine (twips, 12 pt a character) for the rest.
        ind.set(qn("w:firstLineChars"), str(first_line_chars))
        ind.set(qn("w:firstLine"), str(int(first_line_chars / 100 * 240)))
    if before is not None:
        pf.space_before = Pt(before)
    if after is not None:
        pf.space_after = Pt(after)
    if line is not None:
        pf.line_spacing = line
    if line_exact is not None:
        from docx.enum.text import WD_LINE_SPACING
        pf.line_spacing = Pt(line_exact)
        pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    if keep_next:
        pf.keep_with_next = True
    if page_break_before:
        pf.page_break_before = True
    return p


def para(container, parts="", size=None, font=BODY_FONT, bold=None, **kw):
    p = container.add_paragraph()
    add_runs(p, parts, font, size, bold)
    fmt(p, **kw)
    return p


def page_break_after(p):
    p.add_run().add_break(WD_BREAK.PAGE)


def add_tab_stops(p, *stops):
    """stops: (position (EMU/Length), alignment)."""
    for pos, align in stops:
        p.paragraph_format.tab_stops.add_tab_stop(pos, align)


# --------------------------------------------------------------------------- tables

def make_table(doc, n_rows: int, widths_cm, font_size=None, cell_margin=CELL_MARGIN):
    """Bordered, fixed-layout, full-width table with the given column widths (cm)."""
    table = doc.add_table(rows=n_rows, cols=len(widths_cm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl = table._tbl
    tblPr = tbl.tblPr
    # drop python-docx's default table style reference: we set everything explicitly
    style = tblPr.find(qn("w:tblStyle"))
    if style is not None:
        tblPr.remove(style)
    total = sum(int(Cm(w)) for w in widths_cm)
    tblW = _child(tblPr, "w:tblW")
    tblW.set(qn("w:w"), str(Emu(total).twips))
    tblW.set(qn("w:type"), "dxa")
    borders = _child(tblPr, "w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        b = OxmlElement(f"w:{edge}")
        b.set(qn("w:val"), "single")
        b.set(qn("w:sz"), "6")
        b.set(qn("w:space"), "0")
        b.set(qn("w:color"), "000000")
        borders.append(b)
    layout = _child(tblPr, "w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    mar = _child(tblPr, "w:tblCellMar")
    for edge, val in (("top", 0), ("left", cell_margin), ("bottom", 0), ("right", cell_margin)):
        e = OxmlElement(f"w:{edge}")
        e.set(qn("w:w"), str(Emu(int(val)).twips))
        e.set(qn("w:type"), "dxa")
        mar.append(e)
    # tblPr children must be in schema order; rebuild the order we care about.
    order = ["w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
             "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
             "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook"]
    kids = sorted(list(tblPr), key=lambda el: order.index(el.tag.replace(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}", "w:"))
        if el.tag.replace("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}", "w:") in order else 99)
    for el in kids:
        tblPr.remove(el)
        tblPr.append(el)
    for i, w in enumerate(widths_cm):
        table.columns[i].width = Cm(w)
        for cell in table.columns[i].cells:
            cell.width = Cm(w)
    table._font_size = font_size
    return table


def row_height(row, cm: float, exact: bool = False, cant_split: bool = False, header=False):
    row.height = Cm(cm)
    row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY if exact else WD_ROW_HEIGHT_RULE.AT_LEAST
    trPr = row._tr.get_or_add_trPr()
    if cant_split:
        el = OxmlElement("w:cantSplit")
        trPr.insert(0, el)
    if header:
        el = OxmlElement("w:tblHeader")
        # tblHeader goes after cantSplit/trHeight is fine for Word & LibreOffice
        trPr.append(el)


def keep_row_with_next(row):
    """Keep-with-next on every paragraph of a row: Word and LibreOffice then keep the row on
    the page of the next row (or paragraph), so a last cantSplit seal row that no longer fits
    takes the row before it along instead of standing alone on a page of its own."""
    seen = set()
    for cell in row.cells:
        if id(cell._tc) in seen:
            continue
        seen.add(id(cell._tc))
        for p in cell.paragraphs:
            p.paragraph_format.keep_with_next = True


def keep_seal_rows_together(table, kinds):
    """The last seal row (of the kinds given per row) travels with the one before it."""
    seals = [i for i, kind in enumerate(kinds) if kind == "seal"]
    if len(seals) >= 2:
        keep_row_with_next(table.rows[seals[-2]])


def merge(table, r1, c1, r2, c2):
    a = table.cell(r1, c1)
    b = table.cell(r2, c2)
    return a.merge(b) if a._tc is not b._tc else a


def cell_write(cell, parts, align=WD_ALIGN_PARAGRAPH.CENTER, valign="center", size=None,
               font=BODY_FONT, bold=None, first_line_chars=None, paragraph=None):
    """Write ``parts`` into the first (empty) paragraph of ``cell``."""
    p = paragraph if paragraph is not None else cell.paragraphs[0]
    add_runs(p, parts, font, size, bold)
    fmt(p, align=align, first_line_chars=first_line_chars)
    set_valign(cell, valign)
    return p


def set_valign(cell, valign):
    if valign:
        cell.vertical_alignment = {
            "center": WD_CELL_VERTICAL_ALIGNMENT.CENTER,
            "top": WD_CELL_VERTICAL_ALIGNMENT.TOP,
            "bottom": WD_CELL_VERTICAL_ALIGNMENT.BOTTOM,
        }[valign]


def cell_para(cell, parts="", align=WD_ALIGN_PARAGRAPH.LEFT, size=None, font=BODY_FONT, **kw):
    p = cell.add_paragraph()
    add_runs(p, parts, font, size)
    fmt(p, align=align, **kw)
    return p


def label(cell, text, size=None):
    return cell_write(cell, text, WD_ALIGN_PARAGRAPH.CENTER, "center", size=size)


def value(cell, placeholder, align=WD_ALIGN_PARAGRAPH.CENTER, size=None):
    return cell_write(cell, placeholder, align, "center", size=size)


# Long-text rows (简历, 奖励, 基本情况介绍, 主要事迹) get a modest "atLeast" height and no
# cantSplit, so a long text flows on inside its cell onto the next page.  Keep those minimum
# heights small: LibreOffice will not split a row whose minimum height does not fit in the
# space left on the page; it moves the whole row to the next page instead.


def long_value(cell, placeholder, indent: bool):
    """A long-text field: the placeholder alone in its own left-aligned paragraph."""
    return cell_write(cell, placeholder, WD_ALIGN_PARAGRAPH.LEFT, "top",
                      first_line_chars=200 if indent else None)


def seal_block(cell, inner_width: int, count: int, blank_lines: int = 3):
    """Opinion space, then one or two "盖  章" with "年 月 日" under each (seed layout)."""
    set_valign(cell, "top")
    first = cell.paragraphs[0]
    fmt(first, align=WD_ALIGN_PARAGRAPH.LEFT)
    for _ in range(blank_lines - 1):
        cell_para(cell, "")
    if count == 1:
        stops = [(Emu(int(inner_width * 0.74)), WD_TAB_ALIGNMENT.CENTER)]
    else:
        stops = [(Emu(int(inner_width * 0.32)), WD_TAB_ALIGNMENT.CENTER),
                 (Emu(int(inner_width * 0.76)), WD_TAB_ALIGNMENT.CENTER)]
    seal = cell_para(cell, "\t" + "\t".join([SEAL] * count))
    add_tab_stops(seal, *stops)
    date = cell_para(cell, "\t" + "\t".join([DATE] * count), after=4)
    add_tab_stops(date, *stops)


def consult_seal(cell, inner_width: int, blank_lines: int, pos: float = 0.72,
                 label_text: str | None = None, after: float = 4):
    """（盖  章） / 年 月 日 at the right of an opinion cell (附件4/附件5)."""
    stops = [(Emu(int(inner_width * pos)), WD_TAB_ALIGNMENT.CENTER)]
    if label_text is not None:
        cell_para(cell, label_text)
    for _ in range(blank_lines):
        cell_para(cell, "")
    s = cell_para(cell, "\t" + SEAL_P)
    add_tab_stops(s, *stops)
    d = cell_para(cell, "\t" + DATE_SHORT, after=after)
    add_tab_stops(d, *stops)


def drop_first_paragraph_if_empty(cell):
    p = cell.paragraphs[0]
    if not p.runs and len(cell.paragraphs) > 1:
        p._p.getparent().remove(p._p)


def end_paragraph(doc):
    """Body must end with a paragraph after a table; keep it tiny."""
    p = doc.add_paragraph()
    r = style_run(p.add_run(""), BODY_FONT, 2)
    pf = p.paragraph_format
    pf.line_spacing = Pt(2)
    from docx.enum.text import WD_LINE_SPACING
    pf.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    rpr = p._p.get_or_add_pPr()
    # paragraph mark size too
    mark = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "4")
    mark.append(sz)
    rpr.append(mark)
    return p


def inner(cell_width_cm: float) -> int:
    return int(Cm(cell_width_cm)) - 2 * int(CELL_MARGIN)


# --------------------------------------------------------------------------- common parts

def attachment_mark(doc, text):
    return para(doc, text, size=SAN_HAO, font=MARK_FONT, align=WD_ALIGN_PARAGRAPH.LEFT)


def cover(doc, title_lines, fields, mark=None):
    """Cover page: big title, then the 名称/单位/时间 lines."""
    if mark:
        attachment_mark(doc, mark)
    first = True
    for line in title_lines:
        para(doc, line, size=ER_HAO, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
             before=(120 if mark is None else 96) if first else 0, line_exact=40)
        first = False
    for i, (lab, val) in enumerate(fields):
        if BLANK and val == "{{ unit.date }}":
            val = "  年  月  日"                       # as the seed prints it
        para(doc, [lab, val], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.LEFT,
             indent_left=Cm(2.2), before=(200 if i == 0 else 18), line_exact=30)


def instructions(doc, title, items):
    para(doc, title, size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         page_break_before=True, after=18)
    last = None
    for item in items:
        last = para(doc, item, size=SI_HAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                    first_line_chars=200, line_exact=26)
    # firstLine in twips for 14 pt text (firstLineChars stays 200)
    for p in doc.paragraphs[-len(items):]:
        ind = p._p.pPr.find(qn("w:ind"))
        ind.set(qn("w:firstLine"), str(2 * 14 * 20))
    page_break_after(last)


def note_paragraph(doc, text, size=XIAO_SI, before=6):
    return para(doc, text, size=size, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=before,
                line_exact=20)


# --------------------------------------------------------------------------- 先进集体推荐审批表

COLLECTIVE_NOTES = [
    "1、 本表是吉林省保障性安居建设工作先进集体推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "2、 本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
    "3、 填写内容必须完整准确。“集体名称”填写全称，临时集体应在集体名称后标注“（临时集体）”；“集体类型”选填机关、参公单位、事业单位、社会组织、企业或其他，没有行政级别的集体在“集体级别”栏填写“无”；“单位所在行政区划”须精确到县（区、市）。",
    "4、 “集体所属单位”填集体所属机构的全称，如无所属单位，填写集体名称。",
    "5、 “基本情况介绍”主要包括本集体机构设置、人员概况、职能职责、主要业务等内容，字数控制在300字以内。",
    "6、 “主要事迹”要求以第三人称叙述，力求简明、重点突出，字数控制在800字以内。",
    "7、 推荐审核意见部分，按照集体所属层级填写，如集体属市级集体，则“县级相关部门意见”栏无需填写。",
    "8、 本表上报一式3份，规格为A4纸双面打印成册中间骑缝装订。",
]

# The four review/approval rows shared by both 推荐审批表 (label, number of seals).
REVIEW_ROWS = [
    ("县（市、区）\n人社、住建\n部门审核意见", 2),
    ("市（州）\n人社、住建\n部门审核意见", 2),
    ("省人社、住建\n部门审核意见", 2),
    ("省政府\n（省委、\n省政府）\n审批意见", 2),
]


def build_collective_form(path: Path):
    doc = setup_document(TITLE_COLLECTIVE + "推荐审批表")
    cover(doc, [TITLE_COLLECTIVE, "推荐审批表"], [
        ("集体名称：", "{{ name }}"),
        ("所属单位：", "{{ parent }}"),
        ("推荐单位：", "{{ unit.name }}"),
        ("填报时间：", "{{ unit.date }}"),
    ])
    instructions(doc, "填 表 说 明", COLLECTIVE_NOTES)

    tw = Emu(text_width(doc)).cm
    L = 3.2
    V = round((tw - 2 * L) / 2, 3)
    widths = [L, V, L, V]
    rows = [
        ("pair1", "集体名称", "{{ name }}"),
        ("pair2", "集体类型", "{{ type }}", "集体级别", "{{ level }}"),
        ("pair2", "集体人数", "{{ size }}", "所在行政区划", "{{ region }}"),
        # seed 004: 姓名 alone, then 单位和职务 | 联系电话 on one row
        ("pair1", "集体主要\n负责人姓名", "{{ leader_name }}"),
        ("pair2", "集体主要负责人\n单位和职务", "{{ leader_post }}", "集体主要负责人\n联系电话", "{{ leader_phone }}"),
        ("pair2", "集体所属单位", "{{ parent }}", "集体所属单位\n联系电话", "{{ parent_phone }}"),
        ("pair1", "单位地址", "{{ address }}"),
        ("pair1", "拟授予称号", TITLE_COLLECTIVE),
        ("pair1", "表彰层级", "省级"),
        ("long", "何时何地\n受过何种奖励", "{{ awards }}", 2.0, False),
        ("long", "何时何地\n受过何种处分", "{{ punishments }}", 1.5, False),
        ("long", "基本情况介绍", "{{ intro }}", 4.0, True),
        ("long", "主要事迹", "{{ deeds }}", 5.0, True),
        ("seal", "申报单位\n意    见", 1),
    ] + [("seal", lab, n) for lab, n in REVIEW_ROWS]

    table = make_table(doc, len(rows), widths)
    for i, spec in enumerate(rows):
        row = table.rows[i]
        kind = spec[0]
        if kind == "pair2":
            _, l1, v1, l2, v2 = spec
            label(table.cell(i, 0), l1)
            value(table.cell(i, 1), v1)
            label(table.cell(i, 2), l2)
            value(table.cell(i, 3), v2)
            row_height(row, 1.15)
        elif kind == "pair1":
            _, l1, v1 = spec
            label(table.cell(i, 0), l1)
            c = merge(table, i, 1, i, 3)
            value(c, v1)
            row_height(row, 1.15)
        elif kind == "long":
            _, l1, v1, h, indent = spec
            label(table.cell(i, 0), l1)
            c = merge(table, i, 1, i, 3)
            long_value(c, v1, indent)
            row_height(row, h)          # atLeast, may break across pages
        elif kind == "seal":
            _, l1, n = spec
            label(table.cell(i, 0), l1)
            c = merge(table, i, 1, i, 3)
            seal_block(c, inner(tw - L), n)
            row_height(row, 3.6, cant_split=True)
    keep_seal_rows_together(table, [spec[0] for spec in rows])
    end_paragraph(doc)
    save(doc, path)


# --------------------------------------------------------------------------- 先进个人推荐审批表

PERSON_NOTES = [
    "一、本表是吉林省保障性安居建设工作先进个人推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "二、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
    "三、填写内容必须完整准确。“籍贯”填写精确到县（区、市、旗）；“参加工作时间”精确到月；“编制性质”选填行政、参公、事业、企业；“职务职级”“职称”等按照国家有关规定详细填写；“专业技术职务”根据个人的专业技术职务级别选填正高级、副高级、中级或初级专业技术职务；“工作单位”填写规范全称；“工作单位隶属关系”根据所在单位管辖隶属关系，可选择填写省、市（州）、县（区）、乡镇（街道）或其他；“工作单位性质”根据所在单位性质选填机关、参公单位、事业单位、企业或其他；“工作单位行政区划”精确到县（区、市）。",
    "四、“简历”从学徒或高中毕业填起，精确到月，不得断档。",
    "五、“何时何地受过何种奖励”填地市级及以上表彰奖励。",
    "六、“主要事迹”要求以第三人称叙述，力求简明、重点突出，字数控制在800字左右。",
    "七、推荐审核意见部分，按照工作单位隶属关系填写，如工作单位属市级，则“县级相关部门意见”栏无需填写。",
    "八、本表上报一式3份，规格为A4纸双面打印成册中间骑缝装订。",
]

PHOTO_LABEL = "照片\n（近期2寸正面半身免冠蓝底彩色照片）"


def build_person_form(path: Path):
    doc = setup_document(TITLE_PERSON + "推荐审批表")
    cover(doc, [TITLE_PERSON, "推荐审批表"], [
        ("姓    名：", "{{ name }}"),
        ("工作单位：", "{{ employer }}"),
        ("填报时间：", "{{ unit.date }}"),
    ], mark="附件3")
    instructions(doc, "填 表 说 明", PERSON_NOTES)

    tw = Emu(text_width(doc)).cm
    # 标签 | 值 | 标签 | 值 | 照片
    P = 3.72
    L1, V1, L2 = 2.8, 4.1, 2.5
    V2 = round(tw - (L1 + V1 + L2 + P), 3)
    widths = [L1, V1, L2, V2, P]
    grid = [
        # rows beside the photo (photo spans these 4 rows, column 4)
        ("photo", "姓名", "{{ name }}", "性别", "{{ gender }}"),
        ("photo", "民族", "{{ ethnicity }}", "籍贯", "{{ native_place }}"),
        ("photo", "出生日期", "{{ birth }}", "政治面貌", "{{ politics }}"),
        ("photo", "学历学位", "{{ education }}", "参加工作\n时间", "{{ work_start }}"),
        ("pair2", "身份证\n号码", "{{ id_number }}", "编制性质", "{{ staffing }}"),
        ("pair2", "职务职级", "{{ post }}", "主要兼任\n职务", "{{ other_posts }}"),
        ("pair2", "专业技术\n职务", "{{ tech_post }}", "技术等级", "{{ tech_grade }}"),
        ("pair2", "职称", "{{ title }}", "职称等级", "{{ title_grade }}"),
        ("pair1", "工作单位", "{{ employer }}"),
        ("pair2", "工作单位\n隶属关系", "{{ affiliation }}", "工作单位\n性质", "{{ employer_type }}"),
        ("pair2", "工作单位\n行政区划", "{{ employer_region }}", "工作单位\n地址", "{{ employer_address }}"),
        ("pair2", "工作单位\n联系电话", "{{ employer_phone }}", "个人联系\n电话", "{{ phone }}"),
        ("pair1", "拟授予\n称号", TITLE_PERSON),
        ("pair1", "表彰层级", "省级"),
        ("long", "个\n人\n简\n历", "{{ resume }}", 5.0, False),
        ("long", "何时何地\n受过何种奖励", "{{ awards }}", 2.0, False),
        ("long", "何时何地\n受过何种处分", "{{ punishments }}", 1.5, False),
        ("long", "主要事迹", "{{ deeds }}", 5.0, True),
        ("seal", "所在单位\n意    见", 1),
    ] + [("seal", lab, n) for lab, n in REVIEW_ROWS]

    table = make_table(doc, len(grid), widths)
    for i, spec in enumerate(grid):
        row = table.rows[i]
        kind = spec[0]
        if kind in ("photo", "pair2"):
            _, l1, v1, l2, v2 = spec
            label(table.cell(i, 0), l1)
            value(table.cell(i, 1), v1)
            label(table.cell(i, 2), l2)
            c = table.cell(i, 3) if kind == "photo" else merge(table, i, 3, i, 4)
            value(c, v2)
            row_height(row, 1.4 if kind == "photo" else 1.15, cant_split=(kind == "photo"))
        elif kind == "pair1":
            _, l1, v1 = spec
            label(table.cell(i, 0), l1)
            value(merge(table, i, 1, i, 4), v1)
            row_height(row, 1.15)
        elif kind == "long":
            _, l1, v1, h, indent = spec
            label(table.cell(i, 0), l1)
            long_value(merge(table, i, 1, i, 4), v1, indent)
            row_height(row, h)
        elif kind == "seal":
            _, l1, n = spec
            label(table.cell(i, 0), l1)
            seal_block(merge(table, i, 1, i, 4), inner(tw - L1), n)
            row_height(row, 3.6, cant_split=True)
    keep_seal_rows_together(table, [spec[0] for spec in grid])

    # 照片: column 4 spanning the first four rows.
    photo = merge(table, 0, 4, 3, 4)
    set_valign(photo, "center")
    p = photo.paragraphs[0]
    fmt(p, align=WD_ALIGN_PARAGRAPH.CENTER)
    # one paragraph: the picture when there is one, otherwise the seed's label.
    add_runs(p, PHOTO_LABEL if BLANK else ["{% if photo %}", "{{ photo }}", "{% else %}" + PHOTO_LABEL + "{% endif %}"])
    end_paragraph(doc)
    save(doc, path)


# --------------------------------------------------------------------------- 征求意见表 (附件4)

COLLECTIVE_CONSULT_NOTE = (
    "注：1.对机关事业单位和国有企业集体，按管理权限征求组织人事部门、纪检监察机关意见； "
    "2.对社会组织，征求纪检监察机关、组织人事部门和注册地民政部门和业务主管单位（行业管理部门）意见；"
    "3.所有先进集体推荐对象均需征求公安部门意见；4.此表一式3份，随推荐审批表一并报送；"
    "5.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。"
)
PERSON_CONSULT_NOTE = (
    "注：1.对机关事业单位和国有企业工作人员，按管理权限征求组织人事部门、纪检监察机关意见；"
    "2.所有先进个人推荐对象均需征求公安部门意见；3.此表一式3份，随推荐审批表一并报送；"
    "4.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。"
)


def build_consult_form(path: Path, title: str, header_parts, rows, note: str):
    """rows: (label, number of stacked seal blocks, blank lines before each, min height cm)."""
    doc = setup_document(title)
    attachment_mark(doc, "附件4")
    para(doc, title, size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         before=6, after=12)
    para(doc, header_parts, align=WD_ALIGN_PARAGRAPH.LEFT, after=6, line=1.2)
    tw = Emu(text_width(doc)).cm
    L = 3.6
    table = make_table(doc, len(rows), [L, round(tw - L, 3)])
    for i, (lab, n, blanks, h) in enumerate(rows):
        label(table.cell(i, 0), lab)
        c = table.cell(i, 1)
        set_valign(c, "top")
        for k in range(n):
            consult_seal(c, inner(tw - L), blanks, after=(10 if k < n - 1 else 4))
        drop_first_paragraph_if_empty(c)
        row_height(table.rows[i], h, cant_split=True)
    note_paragraph(doc, note, before=8)
    save(doc, path)


def build_collective_consult(path: Path):
    build_consult_form(
        path, "先进集体征求意见表",
        ["集体名称：", "{{ name }}", "        集体性质及所属单位：", "{{ type }}", "　", "{{ parent }}"],
        [
            ("组织人事部门意见", 2, 2, 6.0),
            ("纪检监察机关意见", 1, 3, 3.6),
            ("公安部门意见", 1, 3, 3.6),
            ("民政部门和业务主管单位（行业管理部门）意见", 1, 3, 3.6),
        ],
        COLLECTIVE_CONSULT_NOTE,
    )


def build_person_consult(path: Path):
    build_consult_form(
        path, "先进个人征求意见表",
        ["姓名：", "{{ name }}", "        单位及职务：", "{{ employer }}", "{{ post }}"],
        [
            ("组织人事部门意见", 2, 3, 7.0),
            ("纪检监察机关意见", 1, 4, 4.6),
            ("公安部门意见", 1, 4, 4.6),
        ],
        PERSON_CONSULT_NOTE,
    )


# --------------------------------------------------------------------------- 企业和企业负责人征求意见表 (附件5)

ENTERPRISE_NOTE = (
    "注：1.推荐对象为企业和企业负责人的，除先进集体和先进个人征求意见表外，还需填写此表；"
    "2.对国有企业及其负责人，不征求统战部门、工商联意见；"
    "3.对其他所有制企业及其负责人，不征求审计部门意见；4.此表一式3份，随推荐审批表一并报送；"
    "5.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。"
)
ENTERPRISE_GRID = [
    ("生态环境部门意见：", "人力资源和社会保障部门意见："),
    ("税务部门意见：", "市场监管部门意见："),
    ("应急管理部门意见：", "统战部门意见："),
    ("工商联意见：", "审计部门意见："),
]


def build_enterprise_consult(path: Path):
    title = "企业和企业负责人征求意见表"
    doc = setup_document(title)
    attachment_mark(doc, "附件5")
    para(doc, title, size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         before=6, after=12)
    para(doc, ["企业名称（企业负责人姓名及职务）：", "{{ enterprise_heading }}"],
         align=WD_ALIGN_PARAGRAPH.LEFT, after=4, line=1.2)
    para(doc, ["企业类型：", "{{ enterprise_type }}"], align=WD_ALIGN_PARAGRAPH.LEFT,
         after=6, line=1.2)
    tw = Emu(text_width(doc)).cm
    half = round(tw / 2, 3)
    table = make_table(doc, len(ENTERPRISE_GRID), [half, half])
    for i, pair in enumerate(ENTERPRISE_GRID):
        for j, lab in enumerate(pair):
            c = table.cell(i, j)
            set_valign(c, "top")
            cell_write(c, lab, WD_ALIGN_PARAGRAPH.LEFT, "top")
            consult_seal(c, inner(half), 3, pos=0.66)
        row_height(table.rows[i], 4.0, cant_split=True)
    note_paragraph(doc, ENTERPRISE_NOTE, before=8)
    save(doc, path)


# --------------------------------------------------------------------------- 推荐对象汇总表 (附件6)

SUMMARY_NOTES = [
    "注：1.集体性质、单位性质填写“机关”“参公单位”“事业单位”“社会组织”“企业”“其他”。",
    "2.单位级别指行政级别或参照级别，无行政级别的填无。",
    "3.工作单位填写全称，填写职务应体现出具体工作的部门、内设处（科）室、班（组）等信息。",
    "4.需说明事项请在备注栏中注明。",
]

SUMMARY_COLLECTIVE = [
    # (header, cell content, relative width, align)
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("先进集体名称", "{{ r.name }}", 5.6, "l"),
    ("集体性质", "{{ r.type }}", 2.2, "c"),
    ("集体级别", "{{ r.level }}", 2.0, "c"),
    ("集体人数", "{{ r.size }}", 1.8, "c"),
    ("集体负责人姓名及职务", ["{{ r.leader_name }}", " ", "{{ r.leader_post }}"], 6.2, "l"),
    ("联系人及电话", "{{ r.contact }}", 4.4, "c"),
    ("备注", "{{ r.remarks }}", 2.6, "c"),
]
SUMMARY_PERSON = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("姓名", "{{ r.name }}", 1.6, "c"),
    ("性别", "{{ r.gender }}", 0.9, "c"),
    ("民族", "{{ r.ethnicity }}", 1.2, "c"),
    ("政治\n面貌", "{{ r.politics }}", 1.5, "c"),
    ("工作单位", "{{ r.employer }}", 2.8, "l"),
    ("单位性质", "{{ r.employer_type }}", 1.7, "c"),
    ("职务", "{{ r.post }}", 2.3, "l"),
    ("行政\n级别", "{{ r.admin_level }}", 1.3, "c"),
    ("职称", "{{ r.title }}", 1.3, "c"),
    ("身份证号", "{{ r.id_number }}", 3.7, "c"),
    ("联系电话", "{{ r.phone }}", 2.4, "c"),
    ("通讯地址", "{{ r.mail_address }}", 2.5, "l"),
    ("备注", "{{ r.remarks }}", 1.5, "c"),        # two characters of 五号 a line, not one
]


def summary_table(doc, heading, cols, sheet, keep_with_notes: bool = False):
    """The 汇总表 table: a header row repeated on every page, then one row per nominee.

    `keep_with_notes`: the table's last row keeps with the paragraph after it (the 注 lines
    and the 联系人 line, themselves kept together), so they are never alone on a page when
    they fit with the last row: the rows are written by two loops, all but the last nominee,
    then the last one, whose paragraphs carry keep-with-next."""
    para(doc, heading, size=SI_HAO, font=MARK_FONT, align=WD_ALIGN_PARAGRAPH.LEFT,
         before=8, after=4, keep_next=True)
    tw = Emu(text_width(doc)).cm
    total = sum(c[2] for c in cols)
    widths = [round(c[2] * tw / total, 3) for c in cols]
    loops = ([f"sheets['{sheet}'][:-1]", f"sheets['{sheet}'][-1:]"] if keep_with_notes
             else [f"sheets['{sheet}']"])
    table = make_table(doc, 1 + 3 * len(loops), widths, cell_margin=Cm(0.08))
    # row 0: header (repeats on every page)
    for j, col in enumerate(cols):
        label(table.cell(0, j), col[0], size=WU_HAO)
    row_height(table.rows[0], 1.0, cant_split=True, header=True)
    # per loop: {%tr for %}, the data row, {%tr endfor %}; the tag rows are replaced whole by
    # docxtpl (merged so the template reads cleanly)
    for k, rows in enumerate(loops):
        top = 1 + 3 * k
        cell_write(merge(table, top, 0, top, len(cols) - 1), "{%tr for r in " + rows + " %}",
                   WD_ALIGN_PARAGRAPH.LEFT, size=WU_HAO)
        for j, col in enumerate(cols):
            align = WD_ALIGN_PARAGRAPH.CENTER if col[3] == "c" else WD_ALIGN_PARAGRAPH.LEFT
            cell_write(table.cell(top + 1, j), col[1], align, "center", size=WU_HAO)
        row_height(table.rows[top + 1], 0.9, cant_split=True)
        if keep_with_notes and k == len(loops) - 1:
            keep_row_with_next(table.rows[top + 1])
        cell_write(merge(table, top + 2, 0, top + 2, len(cols) - 1), "{%tr endfor %}",
                   WD_ALIGN_PARAGRAPH.LEFT, size=WU_HAO)
    return table


def build_summary(path: Path):
    title = "推荐对象汇总表"
    doc = setup_document(title, landscape=True,
                         margins=dict(top=Cm(2.0), bottom=Cm(1.8), left=Cm(2.0), right=Cm(2.0)))
    attachment_mark(doc, "附件6")
    para(doc, title, size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=10)
    head = para(doc, ["推荐单位：", "{{ unit.name }}", "\t", "填表日期：", "{{ unit.date }}"],
                align=WD_ALIGN_PARAGRAPH.LEFT, after=4)
    add_tab_stops(head, (Emu(text_width(doc)), WD_TAB_ALIGNMENT.RIGHT))   # date flush right, never wrapped
    summary_table(doc, "一、吉林省保障性安居建设工作先进集体推荐对象汇总表", SUMMARY_COLLECTIVE, "先进集体")
    summary_table(doc, "二、吉林省保障性安居建设工作先进个人推荐对象汇总表", SUMMARY_PERSON, "先进个人",
                  keep_with_notes=True)
    first = True
    for line in SUMMARY_NOTES:
        para(doc, line, size=XIAO_SI, align=WD_ALIGN_PARAGRAPH.LEFT,
             before=8 if first else 0, line_exact=20, keep_next=True)
        first = False
    # 联系人 line: a borderless table of three cells, so that "传真：" and its number (or
    # "联系电话：" and its number) never part at the end of a line
    tw = Emu(text_width(doc)).cm
    contact = make_table(doc, 1, [round(tw * 0.58, 3), round(tw * 0.22, 3), round(tw * 0.20, 3)],
                         cell_margin=Cm(0))
    borderless(contact)
    for j, parts in enumerate([
            ["联系人单位、姓名及职务：", "{{ unit.name }}", " ", "{{ unit.contact }}", " ",
             "{{ unit.contact_post }}"],
            ["联系电话：", "{{ unit.phone }}"], ["传真：", "{{ unit.fax }}"]]):
        cell_write(contact.cell(0, j), parts, WD_ALIGN_PARAGRAPH.LEFT, "top")
    for cell in contact.rows[0].cells:
        cell.paragraphs[0].paragraph_format.space_before = Pt(12)
    row_height(contact.rows[0], 0.6, cant_split=True)
    end_paragraph(doc)
    save(doc, path)


def borderless(table):
    """No borders at all (a layout table)."""
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for edge in borders:
        edge.set(qn("w:val"), "nil")


# --------------------------------------------------------------------------- 先进事迹材料 (七(五))

def build_deeds(path: Path):
    """工作方案七(五): the forms go "连同先进事迹材料" (不超过800字), a document of its own per
    nominee: the 主要事迹 of the form under its own title."""
    doc = setup_document("先进事迹材料")
    para(doc, "{{ deeds_title }}", size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=6, line_exact=36)
    para(doc, ["（", "{{ unit.name }}", "推荐）"], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=12, line_exact=30)
    body = para(doc, "{{ deeds }}", size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY,
                first_line_chars=200, line_exact=30)
    body._p.pPr.find(qn("w:ind")).set(qn("w:firstLine"), str(2 * SAN_HAO * 20))   # two 三号 characters
    save(doc, path)


# --------------------------------------------------------------------------- saving

# Parts of python-docx's default package that no form uses, yet every rendered form would
# carry: Word 2010's stylesWithEffects.xml (a second, 438 KB copy of the styles), the stock
# preview picture (a wrong preview in Explorer; Word makes a new one when it saves) and the
# sample bibliography item under customXml/.  Parts no relationship reaches are not saved,
# and [Content_Types].xml is written from the saved parts.
UNUSED_PACKAGE_RELS = {RT.THUMBNAIL}
UNUSED_DOCUMENT_RELS = {
    RT.CUSTOM_XML, "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects",
}
_STYLE_REFS = ("w:pStyle", "w:rStyle", "w:tblStyle", "w:numStyleLink", "w:styleLink")
_STYLE_CHAIN = ("w:basedOn", "w:link", "w:next")


def trim_styles(doc) -> None:
    """Keep the styles the package uses: the defaults (Normal, Default Paragraph Font, Normal
    Table, No List), every style a part names (body, numbering, headers, ...) and their
    basedOn/link/next chains.  w:latentStyles goes too: it only holds UI hints (gallery,
    priority, hidden) for built-in styles not defined here, never formatting."""
    styles = doc.styles.element
    by_id = {s.get(qn("w:styleId")): s for s in styles.iterchildren(qn("w:style"))}
    wanted = {i for i, s in by_id.items() if s.get(qn("w:default")) in ("1", "true", "on")}
    for part in doc.part.package.iter_parts():
        root = getattr(part, "element", None)
        if root is not None and root is not styles:
            wanted |= {e.get(qn("w:val")) for tag in _STYLE_REFS for e in root.iter(qn(tag))}
    keep = set()
    while wanted:
        style_id = wanted.pop()
        if style_id in by_id and style_id not in keep:
            keep.add(style_id)
            wanted |= {e.get(qn("w:val")) for tag in _STYLE_CHAIN
                       for e in by_id[style_id].iterchildren(qn(tag))}
    for style_id, style in by_id.items():
        if style_id not in keep:
            styles.remove(style)
    for latent in styles.findall(qn("w:latentStyles")):
        styles.remove(latent)


def save(doc, path) -> None:
    """Save a template without the parts of the default package that it does not use."""
    package = doc.part.package
    for r_id, rel in list(package.rels.items()):
        if rel.reltype in UNUSED_PACKAGE_RELS:
            package.rels.pop(r_id)
    for r_id, rel in list(doc.part.rels.items()):
        if rel.reltype in UNUSED_DOCUMENT_RELS:
            doc.part.drop_rel(r_id)
    trim_styles(doc)
    doc.save(path)


# --------------------------------------------------------------------------- main

BUILDERS = {
    "先进集体推荐审批表.docx": build_collective_form,
    "先进个人推荐审批表.docx": build_person_form,
    "先进集体征求意见表.docx": build_collective_consult,
    "先进个人征求意见表.docx": build_person_consult,
    "企业和企业负责人征求意见表.docx": build_enterprise_consult,
    "推荐对象汇总表.docx": build_summary,
    "先进事迹材料.docx": build_deeds,
}
# Blank forms that `awardforms template` tags: file -> the sheet whose fields it shows (the
# enterprise form is shared by both sheets; its labels are theirs alike).
TAGGED = {
    "先进集体推荐审批表.docx": "先进集体",
    "先进个人推荐审批表.docx": "先进个人",
    "先进集体征求意见表.docx": "先进集体",
    "先进个人征求意见表.docx": "先进个人",
    "企业和企业负责人征求意见表.docx": "先进集体",
}
BLANK_DIR = ROOT / "data" / "blanks" / "anju"


def build_blank(build, path: Path) -> None:
    global BLANK
    BLANK = True
    try:
        build(path)
    finally:
        BLANK = False


def tag(blank: Path, sheet: str, out: Path) -> None:
    """`awardforms template` on one blank form; stops on any label it could not match."""
    cmd = [sys.executable, "-m", "awardforms", "template", str(blank), "--campaign", "anju",
           "--sheet", sheet, "-o", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def main(argv=None, builders=None, out_dir=None, description=None, tagged=None):
    """Build every template of `builders` (default: this campaign's) into --out; those in
    `tagged` as blank forms into --blanks first, tagged by `awardforms template`."""
    ap = argparse.ArgumentParser(description=description or __doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=out_dir or OUT_DIR, help="output folder (default: %(default)s)")
    ap.add_argument("--blanks", type=Path, default=BLANK_DIR, help="blank forms (default: %(default)s)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    tagged = TAGGED if tagged is None and builders is None else (tagged or {})
    for name, build in (builders or BUILDERS).items():
        if name in tagged:
            args.blanks.mkdir(parents=True, exist_ok=True)
            build_blank(build, args.blanks / name)
            tag(args.blanks / name, tagged[name], args.out / name)
            print(args.blanks / name, "->", args.out / name)
        else:
            build(args.out / name)
            print(args.out / name)


if __name__ == "__main__":
    main()

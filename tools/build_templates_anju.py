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
黑体 三号 (tools/docxkit.py, tools/formkit.py).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu, Pt

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxkit as kit  # noqa: E402  (shared layout helpers)
from docxkit import (  # noqa: E402
    SAN_HAO, TITLE_FONT, XIAO_ER, add_runs, cell_write,
    drop_first_paragraph_if_empty, end_paragraph, fmt, inner, keep_seal_rows_together, label,
    long_value, make_table, merge, para, row_height, save, set_valign, text_width, value,
)
from formkit import (  # noqa: E402
    SUMMARY_MARGINS, attachment_mark, body_text, borderless, consult_seal, cover, instructions,
    note_paragraph, seal_block, summary_head, summary_notes, summary_table,
)

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates" / "anju"

TITLE_COLLECTIVE = "吉林省保障性安居建设工作先进集体"
TITLE_PERSON = "吉林省保障性安居建设工作先进个人"


def setup_document(title: str, landscape: bool = False, margins: dict | None = None):
    return kit.setup_document(title, landscape, margins, comments=(
        "吉林省保障性安居工程建设工作先进集体、先进个人评选表彰 — "
        + ("blank form" if kit.BLANK else "template") + " built by tools/build_templates_anju.py"))


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
    add_runs(p, PHOTO_LABEL if kit.BLANK else ["{% if photo %}", "{{ photo }}", "{% else %}" + PHOTO_LABEL + "{% endif %}"])
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



def build_summary(path: Path):
    title = "推荐对象汇总表"
    doc = setup_document(title, landscape=True, margins=SUMMARY_MARGINS)
    attachment_mark(doc, "附件6")
    summary_head(doc, title)
    summary_table(doc, "一、吉林省保障性安居建设工作先进集体推荐对象汇总表", SUMMARY_COLLECTIVE, "先进集体")
    summary_table(doc, "二、吉林省保障性安居建设工作先进个人推荐对象汇总表", SUMMARY_PERSON, "先进个人",
                  keep_with_notes=True)
    summary_notes(doc, SUMMARY_NOTES, keep_next=True)
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



# --------------------------------------------------------------------------- 先进事迹材料 (七(五))

def build_deeds(path: Path):
    """工作方案七(五): the forms go "连同先进事迹材料" (不超过800字), a document of its own per
    nominee: the 主要事迹 of the form under its own title."""
    doc = setup_document("先进事迹材料")
    para(doc, "{{ deeds_title }}", size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=6, line_exact=36)
    para(doc, ["（", "{{ unit.name }}", "推荐）"], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=12, line_exact=30)
    body_text(doc, "{{ deeds }}")
    save(doc, path)


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


def main(argv=None):
    """Build the templates into --out; the TAGGED ones as blank forms into --blanks first, then
    tagged by `awardforms template`."""
    kit.main(argv, BUILDERS, OUT_DIR, __doc__.splitlines()[0], "anju", TAGGED, BLANK_DIR)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Build the docxtpl templates of the ``jiuye`` campaign.

Campaign: 吉林省促进就业创业和农民工工作先进集体和先进个人评选表彰 (seed 003).  The notice's
forms were not published with it; the forms here are RECONSTRUCTIONS in the family of the
province's award forms (seed 004: cover page + 填表说明 + table + seal rows, 仿宋 小四), per
``../shared/spec/forms-jiuye.md``.  The 填表说明 say nothing the notice does not support.  The
layout helpers are those of ``docxkit.py`` / ``formkit.py``.  Run
again whenever the layout changes; the .docx files in ``templates/jiuye/`` are its output.

    python tools/build_templates_jiuye.py [--out templates/jiuye]

Template context (see data/campaigns/jiuye/campaign.toml): every field key of the sheet,
``seq``, ``photo``, ``unit``, ``campaign``, ``award_title`` and ``opinion_blocks`` (the
departments chosen for this nominee by the [[sheets.blocks]] conditions: ``b.text``).
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Emu

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxkit as kit  # noqa: E402  (shared layout helpers)
from docxkit import (  # noqa: E402
    XIAO_SI, cell_write, drop_first_paragraph_if_empty, end_paragraph, inner, label, make_table,
    merge, para, row_height, save, set_valign, text_width,
)
from formkit import (  # noqa: E402
    SUMMARY_MARGINS, consult_head, consult_seal, contact_line, cover, fill_rows, instructions,
    note_paragraph, photo_form_table, summary_head, summary_notes, summary_table,
)

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates" / "jiuye"
CAMPAIGN = "吉林省促进就业创业和农民工工作先进集体和先进个人评选表彰"
TITLE_COLLECTIVE = "吉林省促进就业创业和农民工工作先进集体"
TITLE_PERSON = "吉林省促进就业创业和农民工工作先进个人"
PHOTO_LABEL = "照片\n（近期2寸正面免冠蓝底彩色照片）"


def setup_document(title: str, **kw):
    return kit.setup_document(title, comments=f"{CAMPAIGN} — reconstructed form (not published with the notice), "
                                              "template built by tools/build_templates_jiuye.py", **kw)


# 三(一)–(二): 申报 to the 同级 or 县级 领导小组办公室, then 市（州）, then 省 (initial review,
# 复评, 审定).
CHAIN = [
    ("所在单位\n意    见", ["（盖  章）"]),
    ("县（市、区）\n评选表彰工作\n领导小组办公室\n审核意见", ["（盖  章）"]),
    ("市（州）\n评选表彰工作\n领导小组\n审核意见", ["（盖  章）"]),
    ("省评选表彰\n工作领导小组\n审批意见", ["（盖  章）"]),
]

COLLECTIVE_NOTES = [
    "1、本表是吉林省促进就业创业和农民工工作先进集体推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "2、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
    "3、“推荐类别”填写促进就业创业或农民工工作；“集体类型”填写机关、参公单位、事业单位、社会组织、企业或其他；"
    "“所在行政区划”精确到县（区、市）；企业和社会组织填写“统一社会信用代码”，企业另填“成立日期”和“企业类型”。",
    "4、企业须依法成立三年以上；副厅级（含）以上单位、县级以上党委和政府不参加评选；"
    "已被评为国家促进就业创业和农民工工作先进集体的，不再参加本次评选。",
    "5、“基本情况介绍”字数控制在300字以内；“主要事迹”以第三人称叙述，800字左右。",
    "6、推荐的先进集体均需征求公安部门意见，并按集体类型征求有关部门意见（见征求意见表）；"
    "推荐对象须在本单位进行不少于5个工作日的公示。",
    "7、审核意见部分按照申报层级填写，直接向市（州）或省级申报的，“县（市、区）”栏无需填写。",
    "8、本表上报一式3份，规格为A4纸双面打印。",
]

PERSON_NOTES = [
    "1、本表是吉林省促进就业创业和农民工工作先进个人推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "2、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
    "3、“推荐类别”填写促进就业创业或农民工工作；“人员类别”填写从事就业创业工作人员、实现就业创业的劳动者、"
    "从事农民工工作人员或一线农民工或农民企业家；“籍贯”精确到县；“出生日期”“参加工作时间”精确到月。",
    "4、推荐对象年龄18-60周岁；工作人员须从事本项工作连续满3年以上或累计满5年以上；一线农民工须户籍在农村"
    "（不包括户籍在农村的全日制高校毕业生），进城务工经商或就地就近转移就业创业3年以上。",
    "5、5年内受到党纪或政务处分、问责或约谈等组织处理的不能推荐；副厅级（含）以上干部不参加评选，"
    "县处级干部比例控制在评选总数的20%以内；已被评为国家促进就业创业和农民工工作先进个人的，"
    "以及曾获省部级以上表彰奖励并享受待遇的，不再参加本次评选。",
    "6、“个人简历”精确到月，不得断档；“主要事迹”以第三人称叙述，800字左右。",
    "7、审核意见部分按照申报层级填写，直接向市（州）或省级申报的，“县（市、区）”栏无需填写。",
    "8、本表上报一式3份，规格为A4纸双面打印。",
]


def build_collective_form(path: Path):
    doc = setup_document(TITLE_COLLECTIVE + "推荐审批表")
    cover(doc, [TITLE_COLLECTIVE, "推荐审批表"], [
        ("集体名称：", "{{ name }}"),
        ("推荐类别：", "{{ category }}"),
        ("推荐单位：", "{{ unit.name }}"),
        ("填报时间：", "{{ unit.date }}"),
    ])
    instructions(doc, "填 表 说 明", COLLECTIVE_NOTES)
    tw = Emu(text_width(doc)).cm
    L = 3.3
    V = round((tw - 2 * L) / 2, 3)
    rows = [
        ("pair1", "集体名称", "{{ name }}"),
        ("pair2", "推荐类别", "{{ category }}", "集体类型", "{{ type }}"),
        ("pair2", "集体级别", "{{ level }}", "集体人数", "{{ size }}"),
        ("pair1", "所在行政区划", "{{ region }}"),
        ("pair2", "集体主要\n负责人姓名", "{{ leader_name }}", "集体主要负责人\n单位和职务", "{{ leader_post }}"),
        ("pair1", "集体主要负责\n人联系电话", "{{ leader_phone }}"),
        ("pair2", "集体所属单位", "{{ parent_unit }}", "集体所属单位\n联系电话", "{{ parent_phone }}"),
        ("pair1", "单位地址", "{{ address }}"),
        ("pair2", "统一社会\n信用代码", "{{ uscc }}", "成立日期", "{{ founded }}"),
        ("pair2", "企业类型", "{{ enterprise_type }}", "联系人及电话", "{{ contact }}"),
        ("pair1", "拟授予称号", "{{ award_title }}"),
        ("pair1", "表彰层级", "省级"),
        ("long", "何时何地\n受过何种奖励", "{{ awards }}", 2.0, False),
        ("long", "何时何地\n受过何种处分", "{{ punishments }}", 1.5, False),
        ("long", "基本情况介绍\n（300字以内）", "{{ intro }}", 4.0, True),
        ("long", "主要事迹\n（800字左右）", "{{ deeds }}", 12.0, True),
        ("pair1", "备    注", "{{ remarks }}"),
    ] + [("seal", s) for s in CHAIN]
    table = make_table(doc, len(rows), [L, V, L, V])
    fill_rows(table, rows, tw, L, 3)
    end_paragraph(doc)
    save(doc, path)


def build_person_form(path: Path):
    doc = setup_document(TITLE_PERSON + "推荐审批表")
    cover(doc, [TITLE_PERSON, "推荐审批表"], [
        ("姓    名：", "{{ name }}"),
        ("工作单位：", "{{ employer }}"),
        ("推荐单位：", "{{ unit.name }}"),
        ("填报时间：", "{{ unit.date }}"),
    ])
    instructions(doc, "填 表 说 明", PERSON_NOTES)
    tw = Emu(text_width(doc)).cm
    P = 3.6
    L1, V1, L2 = 2.6, 4.2, 2.6
    V2 = round(tw - (L1 + V1 + L2 + P), 3)
    photo_rows = [
        ("姓名", "{{ name }}", "性别", "{{ gender }}"),
        ("民族", "{{ ethnicity }}", "籍贯", "{{ native_place }}"),
        ("出生日期", "{{ birth }}", "政治面貌", "{{ politics }}"),
        ("学历学位", "{{ education }}", "参加工作\n时间", "{{ work_start }}"),
    ]
    rows = [
        ("pair2", "推荐类别", "{{ category }}", "人员类别", "{{ staff_type }}"),
        ("pair2", "身份证\n号码", "{{ id_number }}", "编制性质", "{{ staffing }}"),
        ("pair2", "职务职级", "{{ post }}", "主要兼任\n职务", "{{ side_posts }}"),
        ("pair2", "行政级别", "{{ admin_level }}", "专业技术\n职务", "{{ pro_post }}"),
        ("pair2", "技术等级", "{{ tech_grade }}", "职称及等级", "{{ title }} {{ title_grade }}"),
        ("pair1", "工作单位", "{{ employer }}"),
        ("pair2", "隶属关系", "{{ employer_relation }}", "单位性质", "{{ employer_type }}"),
        ("pair2", "是否企业\n负责人", "{{ is_enterprise_head }}", "企业类型", "{{ enterprise_type }}"),
        ("pair2", "单位行政\n区划", "{{ employer_region }}", "单位联系\n电话", "{{ employer_phone }}"),
        ("pair1", "工作单位\n地址", "{{ employer_address }}"),
        ("pair2", "户籍类型", "{{ hukou }}", "是否全日制\n高校毕业生", "{{ fulltime_grad }}"),
        ("pair2", "从事本项工作\n起始时间", "{{ service_start }}", "累计年限", "{{ service_years }}"),
        ("pair2", "进城务工\n起始时间", "{{ migrant_start }}", "个人联系\n电话", "{{ phone }}"),
        ("pair1", "通讯地址", "{{ mail_address }}"),
        ("pair1", "拟授予称号", "{{ award_title }}"),
        ("pair1", "表彰层级", "省级"),
        ("long", "个\n人\n简\n历", "{{ resume }}", 6.0, False),
        ("long", "何时何地\n受过何种\n奖励", "{{ awards }}", 2.4, False),
        ("long", "何时何地\n受过何种\n处分", "{{ punishments }}", 1.6, False),
        ("long", "主要事迹\n（800字\n左右）", "{{ deeds }}", 12.0, True),
        ("pair1", "备    注", "{{ remarks }}"),
    ] + [("seal", s) for s in CHAIN]
    photo_form_table(doc, [L1, V1, L2, V2, P], photo_rows, rows, tw, PHOTO_LABEL)
    end_paragraph(doc)
    save(doc, path)


# --------------------------------------------------------------------------- 征求意见表

CONSULT_NOTE = ("注：1.根据通知三(一)，推荐的先进集体和先进个人均需征求公安部门意见；对机关事业单位及其工作人员，"
                "还应当按照管理权限征求组织人事部门、纪检监察机关意见；对企业和企业负责人，还应当征求生态环境、"
                "人力资源社会保障、税务、市场监管、应急管理等有关主管部门意见；对非公有制企业和企业负责人，"
                "还应当征求企业注册地统战、工商联等部门意见；对社会组织，还应当征求注册地民政部门意见。"
                "本表按推荐对象的类型列出需征求意见的部门。2.此表一式2份，随推荐审批表一并报送。")


def build_consult(path: Path, title: str, header_lines):
    doc = setup_document(title)
    consult_head(doc, title, header_lines)
    tw = Emu(text_width(doc)).cm
    L = 3.8
    table = make_table(doc, 4, [L, round(tw - L, 3)])
    # row 0: header; row 1: {%tr for %}; row 2: one department's block; row 3: {%tr endfor %}
    label(table.cell(0, 0), "征求意见部门")
    label(table.cell(0, 1), "意    见")
    row_height(table.rows[0], 0.9, cant_split=True, header=True)
    cell_write(merge(table, 1, 0, 1, 1), "{%tr for b in opinion_blocks %}", WD_ALIGN_PARAGRAPH.LEFT)
    label(table.cell(2, 0), ["{{ b.text }}", "\n意见"])
    c = table.cell(2, 1)
    set_valign(c, "top")
    consult_seal(c, inner(tw - L), 3)
    drop_first_paragraph_if_empty(c)
    row_height(table.rows[2], 3.6, cant_split=True)
    cell_write(merge(table, 3, 0, 3, 1), "{%tr endfor %}", WD_ALIGN_PARAGRAPH.LEFT)
    note_paragraph(doc, CONSULT_NOTE, before=8)
    save(doc, path)


def build_collective_consult(path: Path):
    build_consult(path, TITLE_COLLECTIVE + "推荐对象征求意见表", [
        ["集体名称：", "{{ name }}"],
        ["集体类型：", "{{ type }}", "{% if enterprise_type %}（{% endif %}", "{{ enterprise_type }}",
         "{% if enterprise_type %}）{% endif %}", "        推荐类别：", "{{ category }}"],
    ])


def build_person_consult(path: Path):
    build_consult(path, TITLE_PERSON + "推荐对象征求意见表", [
        ["姓名：", "{{ name }}", "        身份证号码：", "{{ id_number }}"],
        ["工作单位及职务：", "{{ employer }}", " ", "{{ post }}"],
        ["单位性质：", "{{ employer_type }}", "{% if is_enterprise_head == '是' %}（企业负责人，{% endif %}",
         "{{ enterprise_type }}", "{% if is_enterprise_head == '是' %}）{% endif %}"],
    ])


# --------------------------------------------------------------------------- 推荐对象汇总表

SUMMARY_COLLECTIVE = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("推荐类别", "{{ r.category }}", 2.6, "c"),
    ("集体名称", "{{ r.name }}", 5.0, "l"),
    ("集体类型", "{{ r.type }}", 1.8, "c"),
    ("集体级别", "{{ r.level }}", 1.6, "c"),
    ("集体\n人数", "{{ r.size }}", 1.2, "c"),
    ("主要负责人及职务", ["{{ r.leader_name }}", " ", "{{ r.leader_post }}"], 4.2, "l"),
    ("所在行政区划", "{{ r.region }}", 3.2, "l"),
    ("联系人及电话", "{{ r.contact }}", 3.2, "c"),
    ("备注", "{{ r.remarks }}", 1.4, "c"),
]
SUMMARY_PERSON = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("推荐类别", "{{ r.category }}", 2.4, "c"),
    ("人员类别", "{{ r.staff_type }}", 2.8, "c"),
    ("姓名", "{{ r.name }}", 1.6, "c"),
    ("性别", "{{ r.gender }}", 1.0, "c"),
    ("民族", "{{ r.ethnicity }}", 1.3, "c"),
    ("政治\n面貌", "{{ r.politics }}", 1.6, "c"),
    ("工作单位及职务", ["{{ r.employer }}", " ", "{{ r.post }}"], 4.4, "l"),
    ("单位\n性质", "{{ r.employer_type }}", 1.5, "c"),
    ("行政\n级别", "{{ r.admin_level }}", 1.4, "c"),
    ("身份证号码", "{{ r.id_number }}", 3.6, "c"),
    ("联系电话", "{{ r.phone }}", 2.4, "c"),
    ("备注", "{{ r.remarks }}", 1.2, "c"),
]


def build_summary(path: Path):
    title = "推荐对象汇总表"
    doc = setup_document(title, landscape=True, margins=SUMMARY_MARGINS)
    summary_head(doc, title)
    summary_table(doc, "一、吉林省促进就业创业和农民工工作先进集体推荐对象汇总表", SUMMARY_COLLECTIVE, "先进集体")
    para(doc, ["先进集体共", "{{ totals['先进集体'] }}", "个：", "{{ stat.collective_category.text }}", "。"],
         size=XIAO_SI, align=WD_ALIGN_PARAGRAPH.LEFT, before=4)
    summary_table(doc, "二、吉林省促进就业创业和农民工工作先进个人推荐对象汇总表", SUMMARY_PERSON, "先进个人")
    para(doc, ["先进个人共", "{{ totals['先进个人'] }}", "名：", "{{ stat.person_category.text }}",
               "；其中", "{{ stat.person_staff_type.text }}", "。"],
         size=XIAO_SI, align=WD_ALIGN_PARAGRAPH.LEFT, before=4)
    summary_notes(doc, [
        "注：1.推荐类别填写“促进就业创业”或“农民工工作”；2.集体类型、单位性质填写机关、参公单位、事业单位、社会组织、企业或其他；",
        "3.县处级干部比例控制在评选总数的20%以内；4.需说明事项请在备注栏中注明。",
    ])
    contact_line(doc)
    save(doc, path)


BUILDERS = {
    "先进集体推荐审批表.docx": build_collective_form,
    "先进个人推荐审批表.docx": build_person_form,
    "先进集体征求意见表.docx": build_collective_consult,
    "先进个人征求意见表.docx": build_person_consult,
    "推荐对象汇总表.docx": build_summary,
}


def main(argv=None):
    kit.main(argv, BUILDERS, OUT_DIR, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()

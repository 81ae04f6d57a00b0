#!/usr/bin/env python3
"""Build the docxtpl templates of the ``shzz`` campaign.

Campaign: 吉林省先进社会组织和社会组织工作先进个人评选表彰（吉人社联〔2023〕165号, seed 000).
The notice's 附件3–12 were not published; the forms are reconstructed in
``../shared/spec/forms-shzz.md`` from the notice's own requirements and the province's form
family (seed 004: cover page + 填表说明 + table + seal rows, 仿宋 小四).  The layout helpers
are those of ``docxkit.py`` / ``formkit.py``.  Run again whenever the layout changes; the .docx
files in ``templates/shzz/`` are its output.  An official .docx can replace any of them as
long as it uses the same placeholders.

    python tools/build_templates_shzz.py [--out templates/shzz]

Template context (see data/campaigns/shzz/campaign.toml):

* per nominee: every field key of its sheet as display text (long text: "\\a" between
  paragraphs), ``seq``, ``photo``, ``unit``, ``campaign``, and the sheet's computed values
  (``deeds_title``; for persons ``needs_united_front``, "yes" or "");
* per submission (推荐工作报告, 汇总表): ``unit`` (incl. ``work_report``), ``sheets``,
  ``stats`` (list), ``stat`` (by key), ``totals`` (valid nominees per sheet).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Emu

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxkit as kit  # noqa: E402  (shared layout helpers)
from docxkit import (  # noqa: E402
    ER_HAO, MARK_FONT, SAN_HAO, TITLE_FONT, XIAO_ER, cell_write, drop_first_paragraph_if_empty,
    end_paragraph, inner, label, make_table, merge, para, row_height, save, set_valign, text_width,
)
from formkit import (  # noqa: E402
    body_text, consult_head, consult_seal, contact_line, cover, fill_rows, heading_text,
    instructions, note_paragraph, photo_form_table, signature, summary_head, summary_notes,
    summary_table,
)

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates" / "shzz"
CAMPAIGN = "吉林省先进社会组织和社会组织工作先进个人评选表彰（吉人社联〔2023〕165号）"

TITLE_ORG = "吉林省先进社会组织"
TITLE_PERSON = "吉林省社会组织工作先进个人"
DATE = "年    月    日"


def setup_document(title: str, **kw):
    return kit.setup_document(title, comments=f"{CAMPAIGN} — template built by tools/build_templates_shzz.py",
                              **kw)


# --------------------------------------------------------------------------- seal rows

# (label, seal captions); one caption = one 盖章 line.
APPLICANT = ("申报单位\n意    见", ["（盖  章）"])
EMPLOYER = ("所在单位\n意    见", ["（盖  章）"])
SUPERVISOR = ("业务主管单位\n（行业管理\n部门）意见", ["（盖  章）"])
COUNTY = ("县级民政、\n人社部门\n审核意见", ["民政部门（盖章）", "人社部门（盖章）"])
CITY = ("市（州）民政、\n人社部门\n审核意见", ["民政部门（盖章）", "人社部门（盖章）"])
PROVINCE_MCA = ("省民政厅\n审核意见", ["（盖  章）"])
LEADING_GROUP = ("省评选表彰\n工作领导小组\n审批意见", ["省人社厅（盖章）", "省民政厅（盖章）"])

ORG_CHAINS = {
    "全省性社会组织": [APPLICANT, SUPERVISOR, PROVINCE_MCA, LEADING_GROUP],
    "地方社会组织": [APPLICANT, SUPERVISOR, COUNTY, CITY, LEADING_GROUP],
}
PERSON_CHAINS = {
    "全省性社会组织": [EMPLOYER, SUPERVISOR, PROVINCE_MCA, LEADING_GROUP],
    "省直部门": [EMPLOYER, PROVINCE_MCA, LEADING_GROUP],
    "地方社会组织": [EMPLOYER, SUPERVISOR, COUNTY, CITY, LEADING_GROUP],
    "地方部门": [EMPLOYER, COUNTY, CITY, LEADING_GROUP],
}


# --------------------------------------------------------------------------- 附件3/4

ORG_NOTES = [
    "1、本表是吉林省先进社会组织推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "2、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
    "3、“社会组织名称”“统一社会信用代码”与登记证书一致；“社会组织类型”填写社会团体、社会服务机构或基金会；"
    "没有业务主管单位（行业管理部门）的填写“无”；“成立登记时间”“评估等级有效期至”精确到月；"
    "“所在行政区划”精确到县（市、区）；“会员数”仅社会团体填写。",
    "4、曾获得“全国先进社会组织”称号的社会组织不参与评选；评估等级一般应为4A及以上且在有效期内。",
    "5、“简要事迹”300字左右，“主要事迹”以第三人称叙述，字数控制在1500字以内。",
    "6、推荐审核意见部分，按照社会组织登记层级填写，如社会组织在市级登记，则“县级民政、人社部门审核意见”栏无需填写。",
    "7、本表上报一式3份，规格为A4纸双面打印。",
]


def notes_for(notes: list[str], category: str) -> list[str]:
    """The 县级 row exists only on the 地方 variants: say how to fill the review rows there."""
    if category.startswith("地方"):
        return notes
    return [re.sub(r"推荐审核意见部分.*?。", "推荐审核意见部分，按照审核程序逐级填写。", n) for n in notes]


def build_org_form(path: Path, mark: str, category: str):
    doc = setup_document(TITLE_ORG + "推荐审批表")
    cover(doc, [TITLE_ORG, "推荐审批表", f"（{category}）"], [
        ("社会组织名称：", "{{ name }}"),
        ("业务主管单位（行业管理部门）：", "{{ supervisor }}"),
        ("推荐单位：", "{{ unit.name }}"),
        ("填报时间：", "{{ unit.date }}"),
    ], mark=mark)
    instructions(doc, "填 表 说 明", notes_for(ORG_NOTES, category))
    tw = Emu(text_width(doc)).cm
    L = 3.3
    V = round((tw - 2 * L) / 2, 3)
    rows = [
        ("pair1", "推荐类别", "{{ category }}"),
        ("pair1", "社会组织名称", "{{ name }}"),
        ("pair2", "统一社会\n信用代码", "{{ uscc }}", "社会组织类型", "{{ org_type }}"),
        ("pair2", "登记管理机关", "{{ registrar }}", "业务主管单位\n（行业管理部门）", "{{ supervisor }}"),
        ("pair2", "成立登记时间", "{{ founded }}", "所在行政区划", "{{ region }}"),
        ("pair2", "法定代表人", "{{ legal_rep }}", "秘书长", "{{ secretary }}"),
        ("pair2", "专职工作\n人员数", "{{ staff }}", "会员数", "{{ members }}"),
        ("pair2", "评估等级", "{{ rating }}", "评估等级\n有效期至", "{{ rating_until }}"),
        ("pair2", "党组织名称", "{{ party_org }}", "党员人数", "{{ party_members }}"),
        ("pair1", "近5年年度\n检查情况", "{{ annual_check }}"),
        ("pair1", "单位地址", "{{ address }}"),
        ("pair2", "联系人", "{{ contact }}", "联系电话", "{{ contact_phone }}"),
        ("pair1", "拟授予称号", TITLE_ORG),
        ("pair1", "表彰层级", "省级"),
        ("long", "何时何地\n受过何种奖励", "{{ awards }}", 2.4, False),
        ("long", "何时何地\n受过何种处分", "{{ punishments }}", 1.6, False),
        ("long", "简要事迹\n（300字左右）", "{{ brief }}", 5.0, True),
        ("long", "主要事迹\n（1500字以内）", "{{ deeds }}", 14.0, True),
        ("pair1", "备    注", "{{ remarks }}"),
    ] + [("seal", s) for s in ORG_CHAINS[category]]
    table = make_table(doc, len(rows), [L, V, L, V])
    fill_rows(table, rows, tw, L, 3)
    end_paragraph(doc)
    save(doc, path)


# --------------------------------------------------------------------------- 附件5–8

PERSON_NOTES = [
    "1、本表是吉林省社会组织工作先进个人推荐用表，必须如实填写，不得作假，违者取消评选资格。",
    "2、本表一律打印填写，不得随意更改格式，使用仿宋小四号字，数字统一使用阿拉伯数字。",
    "3、“人员类别”填写社会组织负责人、社会组织专职工作人员、社会组织登记管理机关工作人员或业务主管单位（行业管理部门）工作人员；"
    "“籍贯”精确到县（区、市、旗）；“出生日期”“参加工作时间”精确到月；“干部级别”填写县处级、县级党委管理的科级、其他或无。",
    "4、“个人简历”从高中毕业填起，精确到月，不得断档。",
    "5、社会组织负责人和专职工作人员须从事社会组织工作5年以上；副厅级及以上干部不参加评选。",
    "6、“简要事迹”300字左右，“主要事迹”以第三人称叙述，字数控制在1500字以内。",
    "7、推荐审核意见部分，按照管理层级填写，如属市级，则“县级民政、人社部门审核意见”栏无需填写。",
    "8、本表上报一式3份，规格为A4纸双面打印。",
]
PHOTO_LABEL = "照片\n（近期2寸正面免冠蓝底彩色照片）"


def build_person_form(path: Path, mark: str, category: str):
    doc = setup_document(TITLE_PERSON + "推荐审批表")
    cover(doc, [TITLE_PERSON, "推荐审批表", f"（{category}）"], [
        ("姓    名：", "{{ name }}"),
        ("工作单位：", "{{ employer }}"),
        ("推荐单位：", "{{ unit.name }}"),
        ("填报时间：", "{{ unit.date }}"),
    ], mark=mark)
    instructions(doc, "填 表 说 明", notes_for(PERSON_NOTES, category))
    tw = Emu(text_width(doc)).cm
    P = 3.72                    # the 35 mm photo and the cell's margins, inside its borders
    # L1 holds 业务主管单位 (6 characters of 小四) on one line, V1 an 18-digit 身份证号码,
    # V2 a 籍贯 of 6 characters (吉林省舒兰市); L2's labels have 4 characters a line
    L1, V1, L2 = 2.9, 4.2, 2.3
    V2 = round(tw - (L1 + V1 + L2 + P), 3)
    in_org = category in ("全省性社会组织", "地方社会组织")
    photo_rows = [
        ("姓名", "{{ name }}", "性别", "{{ gender }}"),
        ("民族", "{{ ethnicity }}", "籍贯", "{{ native_place }}"),
        ("出生日期", "{{ birth }}", "政治面貌", "{{ politics }}"),
        ("学历学位", "{{ education }}", "参加工作\n时间", "{{ work_start }}"),
    ]
    rows = [
        ("pair2", "推荐类别", "{{ category }}", "人员类别", "{{ staff_type }}"),
        ("pair2", "身份证\n号码", "{{ id_number }}", "干部级别", "{{ cadre_level }}"),
        ("pair1", "工作单位", "{{ employer }}"),
        ("pair2", "职务", "{{ post }}", "职称", "{{ title }}"),
        ("pair1", "工作单位\n地址", "{{ employer_address }}"),
    ]
    if in_org:
        rows.append(("pair2", "从事社会\n组织工作\n起始时间", "{{ so_start }}", "个人联系\n电话", "{{ phone }}"))
    else:
        rows.append(("pair1", "个人联系\n电话", "{{ phone }}"))
    rows += [
        ("pair1", "拟授予称号", TITLE_PERSON),
        ("pair1", "表彰层级", "省级"),
        ("long", "个\n人\n简\n历", "{{ resume }}", 6.0, False),
        ("long", "何时何地\n受过何种\n奖励", "{{ awards }}", 2.4, False),
        ("long", "何时何地\n受过何种\n处分", "{{ punishments }}", 1.6, False),
        ("long", "简要事迹\n（300字\n左右）", "{{ brief }}", 5.0, True),
        ("long", "主要事迹\n（1500字\n以内）", "{{ deeds }}", 14.0, True),
        ("pair1", "备    注", "{{ remarks }}"),
    ] + [("seal", s) for s in PERSON_CHAINS[category]]
    photo_form_table(doc, [L1, V1, L2, V2, P], photo_rows, rows, tw, PHOTO_LABEL)
    end_paragraph(doc)
    save(doc, path)


# --------------------------------------------------------------------------- 附件9–11

NOTE_9 = ("注：1.按照管理权限征求以上部门单位意见，载明该社会组织及其主要负责人、秘书长有无因本组织的"
          "职务行为接受执纪问责或处罚情形；2.此表一式2份，随推荐审批表一并报送；"
          "3.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。")
NOTE_10 = ("注：1.按照管理权限征求以上部门单位意见，载明推荐对象有无因本组织的职务行为接受执纪问责或"
           "处罚情形；2.此表一式2份，随推荐审批表一并报送；"
           "3.如需征求其他部门意见，请参照此表自行制作表格，或提供书面材料。")
NOTE_11 = ("注：1.对社会组织管理工作人员，按照管理权限征求组织人事部门、纪检监察机关、公安部门意见；"
           "2.推荐对象为民主党派成员、无党派人士的，还需征求统战部门意见，载明推荐对象有无因职务行为"
           "接受执纪问责情形；3.此表一式2份，随推荐审批表一并报送。")
NINE_DEPTS = ["组织人事部门意见：", "纪检监察机关意见：", "统战部门意见：", "公安部门意见：",
              "财政部门意见：", "人力资源和社会保障部门意见：", "市场监管部门意见：", "税务部门意见：",
              "工商联意见："]


def build_nine_consult(path: Path, mark: str, title: str, header_lines, note: str):
    doc = setup_document(title, margins=dict(top=Cm(2.2), bottom=Cm(2.0), left=Cm(2.4), right=Cm(2.4)))
    consult_head(doc, title, header_lines, mark)
    tw = Emu(text_width(doc)).cm
    half = round(tw / 2, 3)
    n_rows = (len(NINE_DEPTS) + 1) // 2
    table = make_table(doc, n_rows, [half, half])
    for k, dept in enumerate(NINE_DEPTS):
        i, j = divmod(k, 2)
        c = table.cell(i, j) if not (k == len(NINE_DEPTS) - 1 and j == 0) else merge(table, i, 0, i, 1)
        width = half if c is table.cell(i, j) and j == 1 or k < len(NINE_DEPTS) - 1 else tw
        set_valign(c, "top")
        cell_write(c, dept, WD_ALIGN_PARAGRAPH.LEFT, "top")
        consult_seal(c, inner(width), 2, pos=0.66 if width == half else 0.82)
    for i in range(n_rows):
        row_height(table.rows[i], 3.5, cant_split=True)
    note_paragraph(doc, note, before=6)
    save(doc, path)


def build_consult_9(path: Path):
    build_nine_consult(path, "附件9", "吉林省先进社会组织推荐对象征求意见表", [
        ["社会组织名称：", "{{ name }}"],
        ["统一社会信用代码：", "{{ uscc }}"],
        ["主要负责人：", "{{ legal_rep }}", "            秘书长：", "{{ secretary }}"],
    ], NOTE_9)


def build_consult_10(path: Path):
    build_nine_consult(path, "附件10", "吉林省社会组织工作先进个人推荐对象征求意见表", [
        ["（全省性社会组织/地方社会组织）"],
        ["姓名：", "{{ name }}", "        人员类别：", "{{ staff_type }}"],
        ["单位及职务：", "{{ employer }}", " ", "{{ post }}"],
    ], NOTE_10)


def build_consult_11(path: Path):
    title = "吉林省社会组织工作先进个人推荐对象征求意见表"
    doc = setup_document(title)
    consult_head(doc, title, [
        ["（省直部门/地方部门）"],
        ["姓名：", "{{ name }}", "        政治面貌：", "{{ politics }}"],
        ["单位及职务：", "{{ employer }}", " ", "{{ post }}"],
    ], "附件11")
    tw = Emu(text_width(doc)).cm
    L = 3.6
    rows = [("组织人事部门意见", 4.2), ("纪检监察机关意见", 4.2), ("公安部门意见", 4.2),
            ("{%tr if needs_united_front %}", None), ("统战部门意见", 4.2), ("{%tr endif %}", None)]
    table = make_table(doc, len(rows), [L, round(tw - L, 3)])
    for i, (lab, h) in enumerate(rows):
        if h is None:                       # docxtpl control row: replaced by the tag
            cell_write(table.cell(i, 0), lab)
            continue
        label(table.cell(i, 0), lab)
        c = table.cell(i, 1)
        set_valign(c, "top")
        consult_seal(c, inner(tw - L), 4)
        drop_first_paragraph_if_empty(c)
        row_height(table.rows[i], h, cant_split=True)
    note_paragraph(doc, NOTE_11, before=8)
    save(doc, path)


# --------------------------------------------------------------------------- 事迹材料

def build_deeds(path: Path):
    doc = setup_document("事迹材料")
    para(doc, "{{ deeds_title }}", size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=6, line_exact=36)
    para(doc, ["（", "{{ unit.name }}", "推荐）"], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=12, line_exact=30)
    para(doc, "一、简要事迹", size=SAN_HAO, font=MARK_FONT, align=WD_ALIGN_PARAGRAPH.LEFT,
         line_exact=30, keep_next=True)
    body_text(doc, "{{ brief }}")
    para(doc, "二、主要事迹", size=SAN_HAO, font=MARK_FONT, align=WD_ALIGN_PARAGRAPH.LEFT,
         line_exact=30, keep_next=True, before=12)
    body_text(doc, "{{ deeds }}")
    save(doc, path)


# --------------------------------------------------------------------------- 附件12

def build_report(path: Path):
    doc = setup_document("推荐工作报告")
    para(doc, ["{{ unit.name }}", "关于吉林省先进社会组织和社会组织工作先进个人推荐工作的报告"],
         size=ER_HAO, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=18,
         line_exact=36)

    def body(parts, **kw):
        return body_text(doc, parts, line_exact=29, **kw)

    def heading(text):
        heading_text(doc, text)

    def control(tag):
        para(doc, tag)

    para(doc, "吉林省先进社会组织和社会组织工作先进个人评选表彰工作领导小组办公室：", size=SAN_HAO,
         align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=29)
    body("根据《关于组织开展吉林省先进社会组织和社会组织工作先进个人评选表彰工作的通知》"
         "（吉人社联〔2023〕165号）要求，现将推荐工作有关情况报告如下。")
    heading("一、推荐工作组织情况")
    control("{%p for line in unit.work_report.split('\\n') if line.strip() %}")
    body("{{ line.strip() }}")
    control("{%p endfor %}")
    heading("二、推荐对象基本情况")
    body(["经民主推荐、公示和逐级审核，共推荐吉林省先进社会组织", "{{ totals['先进社会组织'] }}",
          "个、吉林省社会组织工作先进个人", "{{ totals['先进个人'] }}", "名。"])
    para(doc, "（一）先进社会组织", size=SAN_HAO, font="楷体", align=WD_ALIGN_PARAGRAPH.LEFT,
         first_line_chars=200, line_exact=29, keep_next=True)
    control("{%p for s in stats if s.sheet == '先进社会组织' %}")
    body(["{{ s.label }}", "：", "{{ s.text }}", "。"])
    control("{%p endfor %}")
    para(doc, "（二）社会组织工作先进个人", size=SAN_HAO, font="楷体", align=WD_ALIGN_PARAGRAPH.LEFT,
         first_line_chars=200, line_exact=29, keep_next=True)
    control("{%p for s in stats if s.sheet == '先进个人' %}")
    body(["{{ s.label }}", "：", "{{ s.text }}", "。"])
    control("{%p endfor %}")
    body("县处级干部（含非领导职务人员）、县级党委管理的科级干部的推荐比例分别控制在推荐总数的"
         "15%、25%以内。推荐对象名单详见《推荐对象汇总表》。")
    heading("三、推荐工作联系人")
    body(["联系人：", "{{ unit.contact }}", "{% if unit.contact_post %}（{% endif %}",
          "{{ unit.contact_post }}", "{% if unit.contact_post %}）{% endif %}",
          "    手机号：", "{{ unit.phone }}"])
    signature(doc, ["{{ unit.name }}", "{{ unit.date }}"])
    save(doc, path)


# --------------------------------------------------------------------------- 推荐对象汇总表

SUMMARY_ORG = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("推荐类别", "{{ r.category }}", 2.6, "c"),
    ("社会组织名称", "{{ r.name }}", 5.0, "l"),
    ("统一社会信用代码", "{{ r.uscc }}", 4.2, "c"),
    ("社会组织\n类型", "{{ r.org_type }}", 2.2, "c"),
    ("业务主管单位\n（行业管理部门）", "{{ r.supervisor }}", 4.0, "l"),
    ("评估\n等级", "{{ r.rating }}", 1.3, "c"),
    ("法定\n代表人", "{{ r.legal_rep }}", 1.7, "c"),
    ("联系人及电话", ["{{ r.contact }}", " ", "{{ r.contact_phone }}"], 3.6, "c"),
    ("备注", "{{ r.remarks }}", 1.4, "c"),
]
SUMMARY_PERSON = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("推荐类别", "{{ r.category }}", 2.4, "c"),
    ("人员类别", "{{ r.staff_type }}", 2.8, "c"),
    ("姓名", "{{ r.name }}", 1.7, "c"),
    ("性别", "{{ r.gender }}", 1.0, "c"),
    ("民族", "{{ r.ethnicity }}", 1.3, "c"),
    ("政治\n面貌", "{{ r.politics }}", 1.6, "c"),
    ("工作单位及职务", ["{{ r.employer }}", " ", "{{ r.post }}"], 4.4, "l"),
    ("干部级别", "{{ r.cadre_level }}", 1.8, "c"),
    ("身份证号码", "{{ r.id_number }}", 3.6, "c"),
    ("联系电话", "{{ r.phone }}", 2.4, "c"),
    ("备注", "{{ r.remarks }}", 1.2, "c"),
]


def build_summary(path: Path):
    title = "推荐对象汇总表"
    doc = setup_document(title, landscape=True,
                         margins=dict(top=Cm(2.2), bottom=Cm(2.0), left=Cm(2.0), right=Cm(2.0)))
    summary_head(doc, title)
    summary_table(doc, "一、吉林省先进社会组织推荐对象汇总表", SUMMARY_ORG, "先进社会组织")
    summary_table(doc, "二、吉林省社会组织工作先进个人推荐对象汇总表", SUMMARY_PERSON, "先进个人",
                  keep_with_notes=True)
    summary_notes(doc, [
        "注：1.推荐类别按推荐审批表（附件3~8）填写；2.干部级别填写县处级、县级党委管理的科级、其他或无；",
        "3.工作单位填写全称；4.需说明事项请在备注栏中注明。",
    ], keep_next=True)
    contact_line(doc)
    save(doc, path)


# --------------------------------------------------------------------------- main

BUILDERS = {
    "附件3-先进社会组织推荐审批表（全省性社会组织）.docx": lambda p: build_org_form(p, "附件3", "全省性社会组织"),
    "附件4-先进社会组织推荐审批表（地方社会组织）.docx": lambda p: build_org_form(p, "附件4", "地方社会组织"),
    "附件5-社会组织工作先进个人推荐审批表（全省性社会组织）.docx": lambda p: build_person_form(p, "附件5", "全省性社会组织"),
    "附件6-社会组织工作先进个人推荐审批表（省直部门）.docx": lambda p: build_person_form(p, "附件6", "省直部门"),
    "附件7-社会组织工作先进个人推荐审批表（地方社会组织）.docx": lambda p: build_person_form(p, "附件7", "地方社会组织"),
    "附件8-社会组织工作先进个人推荐审批表（地方部门）.docx": lambda p: build_person_form(p, "附件8", "地方部门"),
    "附件9-先进社会组织推荐对象征求意见表.docx": build_consult_9,
    "附件10-社会组织工作先进个人推荐对象征求意见表（社会组织）.docx": build_consult_10,
    "附件11-社会组织工作先进个人推荐对象征求意见表（部门）.docx": build_consult_11,
    "事迹材料.docx": build_deeds,
    "推荐工作报告.docx": build_report,
    "推荐对象汇总表.docx": build_summary,
}


def main(argv=None):
    kit.main(argv, BUILDERS, OUT_DIR, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()

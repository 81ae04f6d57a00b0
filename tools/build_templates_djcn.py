#!/usr/bin/env python3
"""Build the docxtpl templates of the ``djcn`` document set.

Source: 吉组通字〔2017〕66号 (seed 002), 一1: an organisation applying for registration hands
in 《社会组织党建工作承诺书》(附件1) and 《社会组织党员情况调查表》(附件2).  Neither form
was published with the document: these are RECONSTRUCTIONS from its own words, per
``../shared/spec/forms-dangjian.md``.  The 承诺书 promises only what 66号文 一1–3 and 二4 ask of
the organisation.  The 调查表's member table has one row per person of sheet 党员 and grows
over as many pages as it needs; its header row repeats on every page (w:tblHeader).

    python tools/build_templates_djcn.py [--out templates/djcn]

Template context (data/campaigns/djcn/campaign.toml): the organisation's fields, ``members``
(one dict per member: its fields, ``seq`` 1..), ``members_count``, the counts
``formal_count`` … ``applicant_count`` and ``party_need`` (sheet context), ``unit``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.shared import Cm, Emu

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxkit as kit  # noqa: E402  (shared layout helpers)
from docxkit import (  # noqa: E402
    SAN_HAO, TITLE_FONT, WU_HAO, XIAO_ER, XIAO_SI, add_tab_stops, cell_write, label, make_table, merge,
    para, row_height, save, text_width, value,
)
from formkit import (  # noqa: E402
    SUMMARY_MARGINS, attachment_mark, body_text, contact_line, summary_head, summary_notes, summary_table,
)

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates" / "djcn"
SOURCE = "吉组通字〔2017〕66号"


def setup_document(title: str, **kw):
    return kit.setup_document(title, comments=f"{SOURCE} {title} — reconstructed form (not published with the "
                                              "document), template built by tools/build_templates_djcn.py", **kw)


# --------------------------------------------------------------------------- 附件1 承诺书

def build_commitment(path: Path):
    doc = setup_document("社会组织党建工作承诺书")
    attachment_mark(doc, "附件1")
    para(doc, "社会组织党建工作承诺书", size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         before=12, after=18, line_exact=36)
    para(doc, ["{{ registrar }}", "："], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=30)
    body_text(doc, ["{{ name }}", "（以下简称本组织）申请成立登记，根据《关于在社会组织登记和管理中同步加强党建工作的若干意见》"
               "（吉组通字〔2017〕66号），郑重承诺如下："])
    body_text(doc, ["一、如实填报《社会组织党员情况调查表》，本组织现有从业人员", "{{ staff }}", "名，其中正式党员",
               "{{ formal_count }}", "名、预备党员", "{{ probationary_count }}", "名。"])
    body_text(doc, "二、支持党的组织和工作覆盖。本组织有党员的，在批准成立之日起3个月内，在业务主管单位（行业管理部门）、"
              "驻地党组织指导下，通过单独组建、联合组建、挂靠组建等方式建立党组织；没有党员的，接受派驻党支部或"
              "选派的党建工作指导员，开展党建工作。")
    body_text(doc, "三、将党建工作内容写入本组织章程：在章程总则中明确党组织的法定地位和作用，在党建专章中明确党组织设置形式、"
              "职责权限、党建工作经费保障、党组织研究讨论本组织重大问题的运行机制等内容。")
    body_text(doc, "四、将党建工作纳入年度检查：年检时按照《社会组织党建工作年检清单》开展自查，填报党建统计表格，"
              "形成年度工作报告，按时报送登记管理机关，并按要求整改党建工作中的问题。")
    body_text(doc, "本组织知悉：不按要求建立党组织、开展党建工作的，年检结果一般认定为不合格。")
    para(doc, ["法定代表人（签字）：", "{{ legal_rep }}"], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.RIGHT,
         before=36, line_exact=30).paragraph_format.right_indent = Cm(1.0)
    para(doc, ["{{ name }}", "（盖章）"], size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.RIGHT, line_exact=30
         ).paragraph_format.right_indent = Cm(1.0)
    para(doc, "{{ commit_date }}", size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.RIGHT, line_exact=30
         ).paragraph_format.right_indent = Cm(1.0)
    save(doc, path)


# --------------------------------------------------------------------------- 附件2 调查表

MEMBER_COLUMNS = [
    ("序号", "{{ m.seq }}", 1.0),
    ("姓名", "{{ m.name }}", 1.8),
    ("性别", "{{ m.gender }}", 1.0),
    ("民族", "{{ m.ethnicity }}", 1.4),
    ("出生\n日期", "{{ m.birth }}", 1.6),
    ("身份证号码", "{{ m.id_number }}", 3.8),
    ("学历", "{{ m.education }}", 1.8),
    ("人员类别", "{{ m.category }}", 2.2),
    ("入党\n时间", "{{ m.joined }}", 1.6),
    ("转正\n时间", "{{ m.confirmed }}", 1.6),
    ("党组织关系\n所在单位", "{{ m.relation_unit }}", 3.6),
    ("在本组织\n职务", "{{ m.post }}", 2.0),
    ("专职或\n兼职", "{{ m.fulltime }}", 1.3),
    ("联系电话", "{{ m.phone }}", 2.6),
]


def build_survey(path: Path):
    doc = setup_document("社会组织党员情况调查表", landscape=True,
                         margins=dict(top=Cm(2.0), bottom=Cm(1.8), left=Cm(1.8), right=Cm(1.8)))
    attachment_mark(doc, "附件2")
    para(doc, "社会组织党员情况调查表", size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         after=8, line_exact=32)
    tw = Emu(text_width(doc)).cm
    L, V = 3.6, round((tw - 2 * 3.6) / 2, 3)
    head = [
        ("社会组织名称", "{{ name }}", "统一社会信用代码", "{{ uscc }}"),
        ("社会组织类型", "{{ org_type }}", "登记管理机关", "{{ registrar }}"),
        ("业务主管单位\n（行业管理部门）", "{{ supervisor }}", "住所", "{{ address }}"),
        ("法定代表人", "{{ legal_rep }}", "联系人及电话", ["{{ contact }}", " ", "{{ phone }}"]),
        ("从业人员数", "{{ staff }}", "是否已建立党组织", ["{{ has_party_org }}", "{% if party_org %}（{% endif %}",
                                                   "{{ party_org }}", "{% if party_org %}）{% endif %}"]),
    ]
    table = make_table(doc, len(head), [L, V, L, V])
    for i, (l1, v1, l2, v2) in enumerate(head):
        label(table.cell(i, 0), l1, size=XIAO_SI)
        value(table.cell(i, 1), v1, size=XIAO_SI)
        label(table.cell(i, 2), l2, size=XIAO_SI)
        value(table.cell(i, 3), v2, size=XIAO_SI)
        row_height(table.rows[i], 0.9, cant_split=True)
    para(doc, "党员（含发展对象、入党积极分子、入党申请人）情况", size=XIAO_SI, font="黑体",
         align=WD_ALIGN_PARAGRAPH.LEFT, before=8, after=4, keep_next=True)
    total = sum(c[2] for c in MEMBER_COLUMNS)
    widths = [round(c[2] * tw / total, 3) for c in MEMBER_COLUMNS]
    n = len(MEMBER_COLUMNS)
    members = make_table(doc, 6, widths, cell_margin=Cm(0.08))
    for j, col in enumerate(MEMBER_COLUMNS):
        label(members.cell(0, j), col[0], size=WU_HAO)
    row_height(members.rows[0], 1.0, cant_split=True, header=True)      # repeated on every page
    cell_write(merge(members, 1, 0, 1, n - 1), "{%tr for m in members %}", WD_ALIGN_PARAGRAPH.LEFT, size=WU_HAO)
    for j, col in enumerate(MEMBER_COLUMNS):
        cell_write(members.cell(2, j), col[1], WD_ALIGN_PARAGRAPH.CENTER, "center", size=WU_HAO)
    row_height(members.rows[2], 0.8, cant_split=True)
    cell_write(merge(members, 3, 0, 3, n - 1), "{%tr endfor %}", WD_ALIGN_PARAGRAPH.LEFT, size=WU_HAO)
    cell_write(merge(members, 4, 0, 4, n - 1), "{%tr if not members %}", WD_ALIGN_PARAGRAPH.LEFT, size=WU_HAO)
    cell_write(merge(members, 5, 0, 5, n - 1), "无", WD_ALIGN_PARAGRAPH.CENTER, size=XIAO_SI)
    row_height(members.rows[5], 0.8, cant_split=True)
    # the closing tag shares the 无 row's paragraph? No: docxtpl needs its own row
    extra = members.add_row()
    cell_write(merge(members, 6, 0, 6, n - 1), "{%tr endif %}", WD_ALIGN_PARAGRAPH.LEFT, size=WU_HAO)
    del extra
    para(doc, ["合计：正式党员", "{{ formal_count }}", "名，预备党员", "{{ probationary_count }}", "名，发展对象",
               "{{ candidate_count }}", "名，入党积极分子", "{{ activist_count }}", "名，入党申请人",
               "{{ applicant_count }}", "名。"], size=XIAO_SI, align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
    p = para(doc, ["填表人：", "{{ contact }}", "\t", "填表日期：", "{{ commit_date }}"], size=XIAO_SI,
             align=WD_ALIGN_PARAGRAPH.LEFT, before=6)
    add_tab_stops(p, (Emu(text_width(doc)), WD_TAB_ALIGNMENT.RIGHT))
    para(doc, "注：本表由申请成立登记的社会组织填写，与《社会组织党建工作承诺书》一并提交登记机关；登记机关在成立登记1个月内"
              "送达业务主管单位（无业务主管单位的送本级行业管理部门和驻地党组织）。",
         size=WU_HAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, before=4, line_exact=18)
    save(doc, path)


# --------------------------------------------------------------------------- 汇总表

SUMMARY = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("社会组织名称", "{{ r.name }}", 4.6, "l"),
    ("类型", "{{ r.org_type }}", 2.0, "c"),
    ("业务主管单位\n（行业管理部门）", "{{ r.supervisor }}", 3.6, "l"),
    ("从业\n人员", "{{ r.staff }}", 1.2, "c"),
    ("正式\n党员", "{{ r.formal_count }}", 1.2, "c"),
    ("预备\n党员", "{{ r.probationary_count }}", 1.2, "c"),
    ("发展\n对象", "{{ r.candidate_count }}", 1.2, "c"),
    ("积极\n分子", "{{ r.activist_count }}", 1.2, "c"),
    ("申请人", "{{ r.applicant_count }}", 1.2, "c"),
    ("已建党\n组织", "{{ r.has_party_org }}", 1.4, "c"),
    ("党建工作建议", "{{ r.party_need }}", 3.6, "l"),
]
NEEDS = [
    ("社会组织名称", "{{ r.name }}", 5.0, "l"),
    ("业务主管单位（行业管理部门）", "{{ r.supervisor }}", 4.2, "l"),
    ("住所", "{{ r.address }}", 4.6, "l"),
    ("正式党员", "{{ r.formal_count }}", 1.6, "c"),
    ("预备党员", "{{ r.probationary_count }}", 1.6, "c"),
    ("党建工作建议", "{{ r.party_need }}", 4.4, "l"),
]


def build_summary(path: Path):
    title = "社会组织党建情况汇总表"
    doc = setup_document(title, landscape=True, margins=SUMMARY_MARGINS)
    summary_head(doc, title, "登记机关：")
    summary_table(doc, "一、社会组织党员情况汇总", SUMMARY, "社会组织")
    table = summary_table(doc, "二、需建立党组织或选派党建工作指导员的社会组织（吉组通字〔2017〕66号一2）", NEEDS, "社会组织")
    # only the organisations that need something
    cell = table.cell(1, 0)
    for p in cell.paragraphs:
        for r in p.runs:
            r.text = r.text.replace("%}", "if r.party_need %}")
    summary_notes(doc, ["注：有党员的社会组织，应在批准成立之日起3个月内通过单独组建、联合组建、挂靠组建等方式建立党组织"
                        "（有正式党员三人以上的，应当单独建立）；没有党员的，应派驻党支部或选派党建工作指导员。"])
    contact_line(doc, post=False)
    save(doc, path)


BUILDERS = {
    "社会组织党建工作承诺书.docx": build_commitment,
    "社会组织党员情况调查表.docx": build_survey,
    "社会组织党建情况汇总表.docx": build_summary,
}


def main(argv=None):
    kit.main(argv, BUILDERS, OUT_DIR, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()

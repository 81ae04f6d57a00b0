#!/usr/bin/env python3
"""Build the docxtpl templates of the ``djjd`` document set.

Source: 关于在省级社会组织中开展党建创新示范基地创建活动工作方案 (seed 001).  Each 省级社会组织
party organisation hands in a 创建申请 and a 自评报告 (with 佐证材料).  Neither form was
published: these are RECONSTRUCTIONS from the 方案's own words, per
``../shared/spec/forms-dangjian.md``: the 自评报告 has the four 创建标准 of 四(一)–(四) as its
sections, in order, and the 佐证材料 list as an appendix.

    python tools/build_templates_djjd.py [--out templates/djjd]

Template context (data/campaigns/djjd/campaign.toml): the applicant's fields (long text: "\\a"
between paragraphs), ``unit``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx.enum.text import WD_ALIGN_PARAGRAPH

sys.path.insert(0, str(Path(__file__).resolve().parent))
import docxkit as kit  # noqa: E402  (shared layout helpers)
from docxkit import ER_HAO, MARK_FONT, SAN_HAO, TITLE_FONT, XIAO_ER, para, save  # noqa: E402
from formkit import (  # noqa: E402
    SUMMARY_MARGINS, body_text, contact_line, heading_text, signature, summary_head, summary_table,
)

ROOT = Path(__file__).resolve().parents[1]
OUT_DIR = ROOT / "templates" / "djjd"
SECTIONS = [("一、党组织建设规范", "s_org"), ("二、党员队伍建设好", "s_members"),
            ("三、组织活动内容丰富", "s_activities"), ("四、社会组织业绩突出", "s_results")]


def setup_document(title: str, **kw):
    return kit.setup_document(title, comments=f"党建创新示范基地 {title} — reconstructed form (not published with "
                                              "the 方案), template built by tools/build_templates_djjd.py", **kw)


def body(doc, parts, **kw):
    return body_text(doc, parts, line_exact=29, **kw)


def build_application(path: Path):
    doc = setup_document("创建申请")
    para(doc, ["关于申报省级社会组织党建创新示范基地的申请"], size=ER_HAO, font=TITLE_FONT,
         align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=18, line_exact=36)
    para(doc, "中共吉林省社会组织联合委员会：", size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=29)
    body(doc, ["根据《关于在省级社会组织中开展党建创新示范基地创建活动工作方案》，", "{{ party_org }}",
               "对照创建标准进行了自查自评，现申请创建省级社会组织党建创新示范基地。"])
    body(doc, ["{{ name }}", "（统一社会信用代码：", "{{ uscc }}", "）党组织成立于", "{{ party_founded }}",
               "，现有党员", "{{ party_members }}", "名，党组织书记为", "{{ secretary }}", "同志，上次换届时间为",
               "{{ last_election }}", "。本组织社会组织评估等级为", "{{ rating }}", "（有效期至", "{{ rating_until }}",
               "），近三年年检结论为", "{{ annual_checks }}", "，近三年", "{% if penalty == '否' %}未受到{% else %}受到过{% endif %}",
               "行政处罚。"])
    body(doc, "现将自评报告及佐证材料一并报上，请予审核。")
    body(doc, ["联系人：", "{{ contact }}", "    联系电话：", "{{ phone }}"])
    signature(doc, ["{{ party_org }}（盖章）", "{{ apply_date }}"])
    save(doc, path)


def build_report(path: Path):
    doc = setup_document("自评报告")
    para(doc, ["{{ party_org }}", "\n创建省级社会组织党建创新示范基地自评报告"], size=XIAO_ER, font=TITLE_FONT,
         align=WD_ALIGN_PARAGRAPH.CENTER, before=12, after=18, line_exact=36)
    body(doc, ["{{ name }}", "党组织对照《关于在省级社会组织中开展党建创新示范基地创建活动工作方案》四项创建标准，"
               "逐项开展自查自评，现报告如下。"])
    for title, key in SECTIONS:
        heading_text(doc, title)
        body(doc, "{{ " + key + " }}")
    signature(doc, ["{{ party_org }}", "{{ apply_date }}"])
    para(doc, "附件：佐证材料清单", size=SAN_HAO, font=MARK_FONT, align=WD_ALIGN_PARAGRAPH.LEFT,
         page_break_before=True, line_exact=29, after=12)
    para(doc, "{%p for item in evidence.split('\\a') if item.strip() %}")
    para(doc, "{{ item }}", size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.LEFT, line_exact=29)
    para(doc, "{%p endfor %}")
    save(doc, path)


SUMMARY = [
    ("序号", "{{ r.seq }}", 1.0, "c"),
    ("社会组织名称", "{{ r.name }}", 4.4, "l"),
    ("党组织名称", "{{ r.party_org }}", 4.4, "l"),
    ("党组织\n书记", "{{ r.secretary }}", 1.6, "c"),
    ("党员\n人数", "{{ r.party_members }}", 1.2, "c"),
    ("上次换届\n时间", "{{ r.last_election }}", 1.7, "c"),
    ("评估\n等级", "{{ r.rating }}", 1.2, "c"),
    ("有效期至", "{{ r.rating_until }}", 1.7, "c"),
    ("近三年\n年检结论", "{{ r.annual_checks }}", 3.0, "c"),
    ("近三年行\n政处罚", "{{ r.penalty }}", 1.4, "c"),
    ("联系人及电话", ["{{ r.contact }}", " ", "{{ r.phone }}"], 3.0, "c"),
    ("申报日期", "{{ r.apply_date }}", 2.4, "c"),
]


def build_summary(path: Path):
    title = "省级社会组织党建创新示范基地创建申报汇总表"
    doc = setup_document(title, landscape=True, margins=SUMMARY_MARGINS)
    summary_head(doc, title, "报送单位：")
    summary_table(doc, "申报单位", SUMMARY, "申报单位")
    para(doc, "注：申报条件见工作方案四(四)：近三年未受到行政处罚且年检合格，在社会组织评估中达到3A以上；"
              "于7月10日前报省社会组织联合党委办公室，逾期申报的视为放弃。", align=WD_ALIGN_PARAGRAPH.LEFT, before=8)
    contact_line(doc, post=False)
    save(doc, path)


BUILDERS = {
    "创建申请.docx": build_application,
    "自评报告.docx": build_report,
    "申报汇总表.docx": build_summary,
}


def main(argv=None):
    kit.main(argv, BUILDERS, OUT_DIR, __doc__.splitlines()[0])


if __name__ == "__main__":
    main()

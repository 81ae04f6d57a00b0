"""Layout facts of the bundled templates that a rendered form depends on."""

import pytest
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT

from awardforms.campaign import ROOT


@pytest.mark.parametrize("campaign", ["anju", "shzz"])
def test_summary_date_is_flush_right_and_cannot_wrap(campaign):
    """'填表日期：2026年11月21日' sits on a right tab at the margin (a left tab 5.2 cm from the
    margin wrapped its last character onto a line of its own)."""
    doc = Document(str(ROOT / "templates" / campaign / "推荐对象汇总表.docx"))
    head = next(p for p in doc.paragraphs if "填表日期" in p.text)
    section = doc.sections[0]
    width = section.page_width - section.left_margin - section.right_margin
    stops = list(head.paragraph_format.tab_stops)
    assert [(s.alignment, s.position) for s in stops] == [(WD_TAB_ALIGNMENT.RIGHT, width)]

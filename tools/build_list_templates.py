"""Write the review-list templates (考核对象名单, 公示名单) of a campaign beside its
campaign.toml: docxtpl tags over `title`, `short_title`, `count`,
`sheets[].title/count/groups[].region/count/rows[].seq/name/unit/line` (collect/documents.py).

    python tools/build_list_templates.py CAMPAIGN_ID "<落款单位>"

Run once when adding a campaign; the .docx files are then campaign data, editable in Word.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
from docxkit import save  # noqa: E402 - drops python-docx's unused default parts


def _font(run, name: str, size: float, bold: bool = False) -> None:
    run.font.name, run.font.size, run.bold = name, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)


def make(path: Path, intro: str, signer: str) -> None:
    doc = Document()
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(210), Mm(297)
    s.left_margin = s.right_margin = Mm(28)

    def para(text: str, font: str = "仿宋_GB2312", size: float = 16, bold: bool = False, align=None, indent=False):
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        _font(p.add_run(text), font, size, bold)
        return p

    para("{{ title }}", "方正小标宋简体", 22, align=WD_ALIGN_PARAGRAPH.CENTER)
    para("（{{ short_title }}，共{{ count }}个）", "楷体_GB2312", 16, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(intro, indent=True)
    para("{%p for s in sheets %}")
    para("{{ s.title }}（{{ s.count }}个）", "黑体", 16)
    para("{%p for g in s.groups %}")
    para("{{ g.region }}（{{ g.count }}个）", "楷体_GB2312", 16, bold=True)
    para("{%p for r in g.rows %}")
    para("{{ r.seq }}. {{ r.line }}", indent=True)
    para("{%p endfor %}")
    para("{%p endfor %}")
    para("{%p endfor %}")
    para(signer, align=WD_ALIGN_PARAGRAPH.RIGHT)
    save(doc, path)


if __name__ == "__main__":
    cid, signer = sys.argv[1], sys.argv[2]
    folder = ROOT / "data" / "campaigns" / cid
    make(folder / "考核对象名单.docx", "经评审，确定以下推荐对象为考核对象（按所属地区排列）：", signer)
    make(folder / "公示名单.docx", "现将拟表彰对象予以公示。公示期间，如有异议，请以书面形式向评选表彰工作领导小组办公室反映。", signer)

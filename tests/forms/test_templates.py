"""Layout facts of the bundled templates that a rendered form depends on."""

import re
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_TAB_ALIGNMENT
from lxml import etree

from awardforms.campaigns.load import ROOT


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


TEMPLATES = sorted((ROOT / "templates").glob("*/*.docx"))
# Built sizes: 9.3-11.7 KB (37-39 KB while they carried python-docx's default parts below).
MAX_TEMPLATE_BYTES = 16_000
UNUSED_PARTS = ("word/stylesWithEffects.xml", "docProps/thumbnail.jpeg", "customXml/")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_template_has_no_unused_default_parts(path):
    """The builders drop stylesWithEffects.xml, the stock thumbnail, the customXml item and
    the styles nothing uses (every rendered form copies them), with their relationships
    and content types; what is left still opens, and every style named resolves."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        listing = b"".join(archive.read(n) for n in
                           ("[Content_Types].xml", "_rels/.rels", "word/_rels/document.xml.rels"))
        xml = {n: archive.read(n) for n in names if n.endswith(".xml")}
    assert [n for n in names if n.startswith(UNUSED_PARTS)] == []
    assert re.findall(rb"stylesWithEffects|thumbnail|customXml", listing) == []
    assert b"latentStyles" not in xml["word/styles.xml"]
    assert path.stat().st_size < MAX_TEMPLATE_BYTES

    styles = Document(str(path)).styles.element
    defined = {s.get(_W + "styleId") for s in styles.iter(_W + "style")}
    assert {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"} <= defined
    tags = ("pStyle", "rStyle", "tblStyle", "numStyleLink", "styleLink", "basedOn", "link", "next")
    named = {e.get(_W + "val") for blob in xml.values() for tag in tags
             for e in etree.fromstring(blob).iter(_W + tag)}
    assert named <= defined

"""Shared python-docx layout kit of the template builders (tools/build_templates_*.py).

Page setup (A4, 仿宋 小四 defaults), runs and paragraphs, bordered fixed-layout tables, label /
value / long-text cells, seal blocks, cover and 填表说明 pages, the 汇总表 table, saving without
python-docx's unused default parts, and the build loop every builder's ``main`` runs.  Every
``{{ ... }}`` / ``{% ... %}`` is written as a single run so docxtpl sees it whole.  While
``BLANK`` is true (a blank form is built, see ``build_blank``) placeholders and Jinja tags are
left out.
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
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Mm, Pt

ROOT = Path(__file__).resolve().parents[1]

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


def setup_document(title: str, landscape: bool = False, margins: dict | None = None, comments: str = ""):
    """A new A4 document: 仿宋 小四 defaults, no spacing, the page, core properties."""
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
    cp.comments = comments
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


def drop_first_paragraph_if_empty(cell):
    p = cell.paragraphs[0]
    if not p.runs and len(cell.paragraphs) > 1:
        p._p.getparent().remove(p._p)


def end_paragraph(doc):
    """Body must end with a paragraph after a table; keep it tiny."""
    p = doc.add_paragraph()
    style_run(p.add_run(""), BODY_FONT, 2)
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

def build_blank(build, path: Path) -> None:
    """Run ``build`` with BLANK set: no placeholders, no Jinja tags."""
    global BLANK
    BLANK = True
    try:
        build(path)
    finally:
        BLANK = False


def tag(blank: Path, campaign: str, sheet: str, out: Path) -> None:
    """`awardforms template` on one blank form; stops on any label it could not match."""
    cmd = [sys.executable, "-m", "awardforms", "template", str(blank), "--campaign", campaign,
           "--sheet", sheet, "-o", str(out)]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


def main(argv, builders: dict, out_dir: Path, description: str, campaign: str = "",
         tagged: dict | None = None, blank_dir: Path | None = None):
    """Build every template of `builders` into --out; those in `tagged` (file -> sheet) as blank
    forms into --blanks first, then tagged by `awardforms template --campaign campaign`."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", type=Path, default=out_dir, help="output folder (default: %(default)s)")
    if tagged:
        ap.add_argument("--blanks", type=Path, default=blank_dir, help="blank forms (default: %(default)s)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for name, build in builders.items():
        if tagged and name in tagged:
            args.blanks.mkdir(parents=True, exist_ok=True)
            build_blank(build, args.blanks / name)
            tag(args.blanks / name, campaign, tagged[name], args.out / name)
            print(args.blanks / name, "->", args.out / name)
        else:
            build(args.out / name)
            print(args.out / name)

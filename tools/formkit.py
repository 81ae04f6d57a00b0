"""Shared parts of the province's award forms (tools/build_templates_*.py), on docxkit.

Seal blocks (盖章 / 年 月 日), cover page and 填表说明, note paragraphs, the form table rows
(pair / long text / seal), the photo cell, the 汇总表 page (heading, table, contact line) and
the 事迹材料 / 承诺书 body text.
"""

from __future__ import annotations

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml.ns import qn
from docx.shared import Cm, Emu

import docxkit as kit
from docxkit import (
    ER_HAO, MARK_FONT, SAN_HAO, SI_HAO, TITLE_FONT, WU_HAO, XIAO_ER, XIAO_SI, add_runs,
    add_tab_stops, cell_para, cell_write, fmt, keep_row_with_next, label, long_value, make_table,
    merge, page_break_after, para, row_height, set_valign, text_width, value, inner,
)

SEAL = "盖  章"
SEAL_P = "（盖  章）"
DATE = "年    月    日"
DATE_SHORT = "年   月   日"


# --------------------------------------------------------------------------- seals

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
        if kit.BLANK and val == "{{ unit.date }}":
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


def borderless(table):
    """No borders at all (a layout table)."""
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    for edge in borders:
        edge.set(qn("w:val"), "nil")




# --------------------------------------------------------------------------- form tables

def caption_seal_block(cell, inner_width: int, captions: list[str], blank_lines: int = 3):
    """Opinion space, then one or two named seals with 年 月 日 under each."""
    set_valign(cell, "top")
    fmt(cell.paragraphs[0], align=WD_ALIGN_PARAGRAPH.LEFT)
    for _ in range(blank_lines - 1):
        cell_para(cell, "")
    if len(captions) == 1:
        stops = [(Emu(int(inner_width * 0.74)), WD_TAB_ALIGNMENT.CENTER)]
    else:
        stops = [(Emu(int(inner_width * 0.27)), WD_TAB_ALIGNMENT.CENTER),
                 (Emu(int(inner_width * 0.75)), WD_TAB_ALIGNMENT.CENTER)]
    seal = cell_para(cell, "\t" + "\t".join(captions))
    add_tab_stops(seal, *stops)
    date = cell_para(cell, "\t" + "\t".join([DATE] * len(captions)), after=4)
    add_tab_stops(date, *stops)


def fill_rows(table, rows, tw, L, last_col):
    """Write row specs into ``table``: ("pair2", l1, v1, l2, v2), ("pair1", l1, v1),
    ("long", l1, v1, height, indent), ("seal", (label, captions))."""
    for i, spec in enumerate(rows):
        kind = spec[0]
        row = table.rows[i]
        if kind == "pair2":
            _, l1, v1, l2, v2 = spec
            label(table.cell(i, 0), l1)
            value(table.cell(i, 1), v1)
            label(table.cell(i, 2), l2)
            value(merge(table, i, 3, i, last_col), v2)
            row_height(row, 1.1)
        elif kind == "pair1":
            _, l1, v1 = spec
            label(table.cell(i, 0), l1)
            value(merge(table, i, 1, i, last_col), v1)
            row_height(row, 1.1)
        elif kind == "long":
            _, l1, v1, h, indent = spec
            label(table.cell(i, 0), l1)
            long_value(merge(table, i, 1, i, last_col), v1, indent)
            row_height(row, h)
        elif kind == "seal":
            _, (l1, captions) = spec
            label(table.cell(i, 0), l1)
            caption_seal_block(merge(table, i, 1, i, last_col), inner(tw - L), captions)
            row_height(row, 3.4, cant_split=True)
    seals = [i for i, spec in enumerate(rows) if spec[0] == "seal"]
    if len(seals) >= 2:                 # no lone last seal row on a page of its own
        keep_row_with_next(table.rows[seals[-2]])


class _Offset:
    """A table seen from row ``k`` on (fill_rows on the rows below the photo block)."""

    def __init__(self, t, k):
        self.t, self.k = t, k
        self.rows = t.rows[k:]

    def cell(self, r, c):
        return self.t.cell(r + self.k, c)


def photo_form_table(doc, widths, photo_rows, rows, tw, photo_label):
    """Person form table of five columns: `photo_rows` (label, value, label, value) beside the
    photo cell, then `rows` (fill_rows specs) across the full width."""
    table = make_table(doc, len(photo_rows) + len(rows), widths)
    for i, (l1, v1, l2, v2) in enumerate(photo_rows):
        label(table.cell(i, 0), l1)
        value(table.cell(i, 1), v1)
        label(table.cell(i, 2), l2)
        value(table.cell(i, 3), v2)
        row_height(table.rows[i], 1.4, cant_split=True)
    fill_rows(_Offset(table, len(photo_rows)), rows, tw, widths[0], 4)
    photo = merge(table, 0, 4, len(photo_rows) - 1, 4)
    set_valign(photo, "center")
    p = photo.paragraphs[0]
    fmt(p, align=WD_ALIGN_PARAGRAPH.CENTER)
    add_runs(p, ["{% if photo %}", "{{ photo }}", "{% else %}" + photo_label + "{% endif %}"])
    return table


def consult_head(doc, title, header_lines, mark=None):
    """征求意见表 heading: optional 附件 mark, the title, the nominee's lines."""
    if mark:
        attachment_mark(doc, mark)
    para(doc, title, size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER,
         before=4, after=8, line_exact=30)
    for parts in header_lines:
        para(doc, parts, align=WD_ALIGN_PARAGRAPH.LEFT, after=3, line=1.15)


# --------------------------------------------------------------------------- 汇总表 page

SUMMARY_MARGINS = dict(top=Cm(2.0), bottom=Cm(1.8), left=Cm(2.0), right=Cm(2.0))


def summary_head(doc, title, unit_label="推荐单位："):
    """The 汇总表's title and its 推荐单位 … 填表日期 line (the date flush right, never wrapped)."""
    para(doc, title, size=XIAO_ER, font=TITLE_FONT, align=WD_ALIGN_PARAGRAPH.CENTER, after=10)
    head = para(doc, [unit_label, "{{ unit.name }}", "\t", "填表日期：", "{{ unit.date }}"],
                align=WD_ALIGN_PARAGRAPH.LEFT, after=4)
    add_tab_stops(head, (Emu(text_width(doc)), WD_TAB_ALIGNMENT.RIGHT))
    return head


def summary_notes(doc, lines, keep_next=False):
    """The 注 lines under the 汇总表 (kept with the contact line when `keep_next`)."""
    for k, line in enumerate(lines):
        para(doc, line, size=XIAO_SI, align=WD_ALIGN_PARAGRAPH.LEFT, before=8 if k == 0 else 0,
             line_exact=20, keep_next=keep_next)


def contact_line(doc, post=True):
    """联系人 (and 职务) and 联系电话 of the submitting unit."""
    parts = ["联系人：", "{{ unit.contact }}"] + ([" ", "{{ unit.contact_post }}"] if post else [])
    para(doc, parts + ["        联系电话：", "{{ unit.phone }}"], align=WD_ALIGN_PARAGRAPH.LEFT, before=12)


# --------------------------------------------------------------------------- 三号 documents

def indent_two_chars(p, size=SAN_HAO):
    """firstLine in twips for two characters of `size` (firstLineChars stays 200)."""
    p._p.pPr.find(qn("w:ind")).set(qn("w:firstLine"), str(int(2 * size * 20)))


def body_text(doc, parts, line_exact=30, **kw):
    """A justified 三号 body paragraph, first line indented by two characters."""
    p = para(doc, parts, size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.JUSTIFY, first_line_chars=200,
             line_exact=line_exact, **kw)
    indent_two_chars(p)
    return p


def heading_text(doc, text, line_exact=29):
    """A 黑体 三号 section heading (一、…), indented like the body, kept with it."""
    para(doc, text, size=SAN_HAO, font=MARK_FONT, align=WD_ALIGN_PARAGRAPH.LEFT, first_line_chars=200,
         line_exact=line_exact, keep_next=True)


def signature(doc, lines, line_exact=29):
    """落款 lines at the right, 1.5 cm in, after a gap."""
    for k, text in enumerate(lines):
        p = para(doc, text, size=SAN_HAO, align=WD_ALIGN_PARAGRAPH.RIGHT, line_exact=line_exact,
                 before=36 if k == 0 else 0)
        p.paragraph_format.right_indent = Cm(1.5)

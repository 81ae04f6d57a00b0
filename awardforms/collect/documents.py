"""The collection's Word documents: 推荐对象总表.docx (python-docx: a table per sheet, a row
per 所属地区 before its nominees) and, after review, the lists from the campaign's templates
(docxtpl, autoescaped)."""

from __future__ import annotations

from pathlib import Path

from awardforms.campaigns.model import Campaign
from awardforms.collect.config import CollectConfig, ReviewList
from awardforms.collect.tables import SheetRows, values_of
from awardforms.forms.context import evaluate
from awardforms.output import atomic_write, safe_name
from awardforms.textnorm import xml_text

OVERVIEW_DOCX = "推荐对象总表.docx"
NUMERALS = "一二三四五六七八九十"


def write_overview_docx(path: Path, campaign: Campaign, sheets: list[SheetRows]) -> None:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm, Pt

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(15))
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(xml_text(f"{campaign.short_title}推荐对象总表"))
    run.bold, run.font.size = True, Pt(16)
    for s in sheets:
        doc.add_paragraph().add_run(xml_text(f"{s.title}（共{len(s.rows)}个）")).bold = True
        headers = ["序号", "推荐单位", *s.headers]
        table = doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers):
            cell.text = xml_text(text)
            cell.paragraphs[0].runs[0].bold = True
        for region, rows in s.groups:
            cells = table.add_row().cells
            merged = cells[0].merge(cells[-1])
            merged.text = xml_text(f"{region}（{len(rows)}个）")
            merged.paragraphs[0].runs[0].bold = True
            for row in rows:
                for cell, text in zip(table.add_row().cells, [str(row.seq), row.received.unit, *row.cells]):
                    cell.text = xml_text(text)       # python-docx escapes; "\n" becomes a line break
    atomic_write(path, lambda p: doc.save(str(p)))


def list_context(campaign: Campaign, config: CollectConfig, item: ReviewList, sheets: list[SheetRows]) -> dict:
    out = []
    for s in sheets:
        line = config.lines.get(s.sheet.name, "{{ %s }}" % s.sheet.name_field)
        groups = []
        for region, rows in s.groups:
            picked = [r for r in rows if r.nominee.result in item.results]
            if picked:
                groups.append({"region": region, "count": len(picked), "rows": [
                    {"seq": i, "name": r.nominee.name, "unit": r.received.unit,
                     "line": evaluate(line, values_of(s.sheet, r.nominee, r.seq, r.received))}
                    for i, r in enumerate(picked, start=1)]})
        out.append({"name": s.sheet.name, "groups": groups, "count": sum(g["count"] for g in groups)})
    listed = [s for s in out if s["count"]]
    for numeral, s in zip(NUMERALS, listed):      # 一、<sheet name>: the category, numbered over those listed
        s["title"] = f"{numeral}、{s['name']}"
    return {"title": item.title, "campaign": campaign.title, "short_title": campaign.short_title,
            "sheets": listed, "count": sum(s["count"] for s in out)}


def write_lists(out_dir: Path, campaign: Campaign, config: CollectConfig, sheets: list[SheetRows]) -> list[str]:
    """Each list with at least one nominee; a list left with none is removed. Returns names written."""
    from docxtpl import DocxTemplate
    written = []
    for item in config.lists:
        target = out_dir / f"{safe_name(item.name)}.docx"
        ctx = list_context(campaign, config, item, sheets)
        if not ctx["count"]:
            target.unlink(missing_ok=True)
            continue
        tpl = DocxTemplate(str(campaign.directory / item.template))
        tpl.render(ctx, autoescape=True)
        atomic_write(target, lambda p: tpl.save(str(p)))
        written.append(target.name)
    return written

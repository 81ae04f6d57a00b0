"""With --pdf: 推荐材料总册.pdf, bookmarked 所属地区 → 推荐单位 → nominee, from each nominee's
推荐材料汇编.pdf (render --pdf writes it; an e-mailed zip has it when its sender used --pdf),
else the nominee's form PDFs (assemble/dossier.py writes the book)."""

from __future__ import annotations

from pathlib import Path

from awardforms.assemble.dossier import Doc, Section, write_book
from awardforms.assemble.stage import DOSSIER_NAME
from awardforms.campaigns.model import Campaign
from awardforms.collect.sources import Received
from awardforms.collect.tables import SheetRows


def _docs(out_dir: Path, r: Received, nominee) -> list[Doc]:
    pdfs = [f for f in nominee.files if f.lower().endswith(".pdf")]
    dossier = [f for f in pdfs if f.rsplit("/", 1)[-1] == DOSSIER_NAME]
    chosen = dossier or pdfs
    return [Doc(nominee.name if len(chosen) == 1 else Path(f).stem, out_dir / r.folder / f) for f in chosen
            if (out_dir / r.folder / f).is_file()]


def write_book_of(target: Path, campaign: Campaign, counted: list[Received], sheets: list[SheetRows]) -> list[str]:
    """Write the book (nothing when no PDF is there); Chinese messages about what is missing."""
    out_dir = target.parent
    missing: list[str] = []
    regions: dict[str, dict[str, Section]] = {}
    for s in sheets:
        for region, rows in s.groups:
            units = regions.setdefault(region, {})
            for row in rows:
                r = row.received
                docs = _docs(out_dir, r, row.nominee) if r.folder else []
                if not docs:
                    missing.append(f"{r.unit} {row.nominee.name}")
                    continue
                unit = units.setdefault(r.unit, Section(r.unit))
                unit.children.append(docs[0] if len(docs) == 1 else Section(row.nominee.name, docs))
    nodes = [Section(region, list(units.values())) for region, units in regions.items() if units]
    messages = []
    if missing:
        messages.append(f"推荐材料总册：{len(missing)} 个推荐对象没有 PDF（未装 LibreOffice，或发来的压缩包中没有 PDF），"
                        f"未编入：{'、'.join(missing[:10])}{' 等' if len(missing) > 10 else ''}。")
    if not nodes:
        target.unlink(missing_ok=True)
        return messages
    info = write_book(target, nodes, title=f"{campaign.short_title}推荐材料总册")
    messages += [f"推荐材料总册：{p.name} 无法读取（{why}），未编入。" for p, why in info.unreadable]
    return messages

"""Counts and shares over the nominees of a submission, as a campaign's data asks for them.

A campaign lists what to count in `[[summary.statistics]]`:

    [[summary.statistics]]
    key = "person_gender"        # name in the template: stat.person_gender
    sheet = "先进个人"
    field = "gender"
    label = "性别"
    measure = "名"               # 量词 in the sentence (default 名)
    show_zero = false            # list choices nobody has (default: only values that occur)

Each statistic counts the display values of one field over the valid nominees of one
sheet (those the 汇总表 lists) and gives, for templates, `items` (value, count, share as
"37.5%") and a ready sentence `text`: "男5名（占62.5%）、女3名（占37.5%）".
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from awardforms.campaigns.model import Campaign
from awardforms.check.records import Record

BLANK = "未填写"


def _share(count: int, total: int) -> str:
    return f"{count / total * 100:.1f}%" if total else "0.0%"


def _joiner(value: str) -> str:
    """"：" after a value ending in a Latin letter or digit (`5A：1个`, never `5A1个`)."""
    return "：" if value and value[-1].isascii() and value[-1].isalnum() else ""


def statistic(spec: dict, records: list[Record], choices: tuple[str, ...]) -> dict[str, Any]:
    counts = Counter((rec.display.get(spec["field"]) or BLANK) for rec in records)
    total = len(records)
    order = [c for c in choices if c in counts or spec.get("show_zero")]
    order += sorted(v for v in counts if v not in order)
    measure = spec.get("measure", "名")
    items = [{"value": v, "count": counts.get(v, 0), "share": _share(counts.get(v, 0), total)}
             for v in order]
    text = "、".join(f"{i['value']}{_joiner(i['value'])}{i['count']}{measure}（占{i['share']}）"
                     for i in items) or "无"
    return {"key": spec["key"], "label": spec["label"], "sheet": spec["sheet"],
            "field": spec["field"], "total": total, "items": items, "text": text,
            "counts": {i["value"]: i["count"] for i in items}}


def compute_statistics(campaign: Campaign, records: dict[str, list[Record]]) -> dict[str, Any]:
    """Template values: `stats` (in the data's order), `stat` (by key), `totals` (per sheet)."""
    valid = {s.name: [r for r in records.get(s.name, []) if not r.has_errors] for s in campaign.sheets}
    stats = []
    for spec in campaign.summary.get("statistics", []):
        sheet = campaign.sheet(spec["sheet"])
        stats.append(statistic(spec, valid[sheet.name], sheet.field(spec["field"]).choices))
    return {"stats": stats, "stat": {s["key"]: s for s in stats},
            "totals": {name: len(rs) for name, rs in valid.items()}}

"""The collection's nominee rows, shared by the 总表 (.xlsx, .docx), the page and the review
lists: every valid nominee of every counted submission, grouped by 所属地区 in the quota table's
order, with the 推荐单位 and the columns of the campaign's 推荐对象汇总表."""

from __future__ import annotations

from dataclasses import dataclass

from awardforms.campaigns.model import Campaign, SheetDef
from awardforms.collect.crosscheck import key_fields
from awardforms.collect.quota import region_of, regions_in_order
from awardforms.collect.sources import Nominee, Received
from awardforms.forms.context import evaluate

RESULT_HEADER = "评审结果"
KEY_HEADER = "识别码"


@dataclass
class Row:
    seq: int
    region: str
    received: Received
    nominee: Nominee
    cells: list[str]                 # the summary table's columns, 序号 aside
    key: str                         # 识别码: the values that identify the nominee (crosscheck)


@dataclass
class SheetRows:
    sheet: SheetDef
    title: str
    headers: list[str]               # the summary columns, 序号 aside
    groups: list[tuple[str, list[Row]]]   # (所属地区, rows) in the quota table's order

    @property
    def rows(self) -> list[Row]:
        return [r for _, rows in self.groups for r in rows]


def _columns(campaign: Campaign, sheet: SheetDef) -> list[tuple[str, str]]:
    table = next((t for t in campaign.summary.get("tables", []) if t.get("sheet") == sheet.name), None)
    columns = [tuple(c) for c in table["columns"]] if table else [(sheet.field(sheet.name_field).label,
                                                                   "{{ %s }}" % sheet.name_field)]
    return [(label, expr) for label, expr in columns if "seq" not in expr]


def values_of(sheet: SheetDef, nominee: Nominee, seq: int, received: Received) -> dict:
    """What a column expression sees: every field ('' when not known), the sheet's computed
    values, seq, and the submission's unit and region."""
    values = {f.key: "" for f in sheet.fields}
    values.update({k: v for k, v in nominee.values.items() if isinstance(v, str)})
    values["seq"] = seq
    for key, expr in sheet.context.items():
        values[key] = _safe(expr, values)
    values["unit"], values["region"] = received.unit, received.region
    return values


def _safe(expr: str, values: dict) -> str:
    try:
        return evaluate(expr, values)
    except Exception:  # noqa: BLE001 - a column naming what an e-mailed zip does not carry
        return ""


def nominee_rows(campaign: Campaign, counted: list[Received]) -> list[SheetRows]:
    order = regions_in_order(campaign, counted)
    out = []
    for sheet in campaign.sheets:
        columns = _columns(campaign, sheet)
        by_region: dict[str, list[Row]] = {name: [] for name in order}
        seq = 0
        for region in order:
            for r in counted:
                if region_of(campaign, r.region) != region:
                    continue
                for n in r.nominees:
                    if n.sheet != sheet.name or not n.valid:
                        continue
                    seq += 1
                    values = values_of(sheet, n, seq, r)
                    key = "/".join(n.values.get(k, "") for k in key_fields(sheet))
                    by_region[region].append(Row(seq, region, r, n, [_safe(e, values) for _, e in columns], key))
        title = next((t.get("title", sheet.name) for t in campaign.summary.get("tables", [])
                      if t.get("sheet") == sheet.name), sheet.name)
        out.append(SheetRows(sheet, title, [label for label, _ in columns],
                             [(region, rows) for region, rows in by_region.items() if rows]))
    return out

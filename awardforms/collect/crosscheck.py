"""The same nominee in two submissions: the same 身份证号码, 统一社会信用代码 or (normalised)
name of a sheet without ID numbers (集体, 组织) — an error on each, naming the other file and cell."""

from __future__ import annotations

from awardforms.campaigns.model import Campaign, SheetDef
from awardforms.collect.sources import Nominee, Received
from awardforms.report import Issue
from awardforms.textnorm import header_key

CODE = "duplicate-across"
KEY_TYPES = ("idcard", "uscc")


def key_fields(sheet: SheetDef) -> list[str]:
    """The fields that identify a nominee of `sheet` across submissions."""
    keys = [f.key for f in sheet.fields if f.type in KEY_TYPES]
    if not any(f.type == "idcard" for f in sheet.fields):
        keys.append(sheet.name_field)
    return keys


def _normal(value: str) -> str:
    return header_key(value).upper()


def duplicates(campaign: Campaign, counted: list[Received]) -> int:
    """Add a `duplicate-across` error to each nominee found in another counted submission; the
    nominee no longer counts as valid. Returns the number of issues added."""
    seen: dict[tuple, list[tuple[Received, Nominee, str]]] = {}
    for r in counted:
        for n in r.nominees:
            try:
                sheet = campaign.sheet(n.sheet)
            except KeyError:
                continue
            for key in key_fields(sheet):
                value = (n.values.get(key) or "").strip()
                if value:
                    kind = sheet.field(key).type if key != sheet.name_field else f"name:{sheet.name}"
                    seen.setdefault((kind, _normal(value)), []).append((r, n, key))
    added = 0
    flagged: set[tuple[int, int, str]] = set()
    for places in seen.values():
        if len({id(r) for r, _, _ in places}) < 2:
            continue
        for r, n, key in places:
            others = [(o, m, k) for o, m, k in places if o is not r]
            if (id(r), id(n), key) in flagged or not others:
                continue
            flagged.add((id(r), id(n), key))
            label = campaign.sheet(n.sheet).field(key).label
            where = "；".join(f"“{o.name}”（{o.unit or '推荐单位未填'}）{m.cell(k)}" for o, m, k in others)
            r.issues.append(Issue(n.sheet, n.row, n.columns.get(key), label, "error", CODE,
                                  f"{label}“{n.values.get(key)}”与{where}相同：同一推荐对象被两个推荐单位推荐。",
                                  "请与对方推荐单位核实，只保留一处推荐。"))
            n.valid = False
            added += 1
    return added

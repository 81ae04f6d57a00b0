"""Sheet rules: each looks at all records of a sheet, with the submission's quota."""

from __future__ import annotations

from typing import Iterable

from awardforms.check.records import Record
from awardforms.report import Issue


def _fmt(template: str, **values) -> str:
    return template.format(**values) if template else ""


def unique(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    seen: dict[str, Record] = {}
    label = records[0].sheet.field(r["field"]).label if records else ""
    for rec in records:
        value = rec.display.get(r["field"])
        if not value:
            continue
        if value in seen:
            first = seen[value]
            yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                            f"与第{first.row}行的{label}相同（{value}）。",
                            "同一推荐对象只能填写一次，请删除重复的行或核对号码。")
        else:
            seen[value] = rec


def _share_issue(r: dict, records: list[Record], count: int, **values) -> Issue:
    sheet = records[0].sheet
    return Issue(sheet.name, None, None, sheet.field(r["field"]).label, r.get("severity", "warning"),
                 r["code"], _fmt(r["message"], count=count, **values), r.get("fix", ""))


def max_share(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    if not records:
        return
    count = sum(1 for rec in records if rec.values.get(r["field"]) in r["values"])
    if count / len(records) > r["max"]:
        yield _share_issue(r, records, count, total=len(records), share=f"{count / len(records):.0%}")


def max_share_of_quota(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    if not records or not quota:
        return
    count = sum(1 for rec in records if rec.values.get(r["field"]) in r["values"])
    if count > quota * r["max"]:
        yield _share_issue(r, records, count, quota=quota, total=len(records))


def quota_ratio(r: dict, records: list[Record], quota: int | None) -> Iterable[Issue]:
    """The sheet's count lies within `min`..`max` times its quota (申报数量按名额的150%-200%);
    nothing to say while the quota table has no line for the region (load.py warns)."""
    if quota is None:
        return
    count, low, high = len(records), quota * r.get("min", 0), quota * r.get("max", float("inf"))
    if records and not low <= count <= high:
        sheet = records[0].sheet.name
        yield Issue(sheet, None, None, None, r.get("severity", "error"), r["code"],
                    _fmt(r["message"], count=count, quota=quota, low=_n(low), high=_n(high)), r.get("fix", ""))


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:.1f}"


RULES = {
    "quota_ratio": quota_ratio,
    "unique": unique,
    "max_share": max_share,
    "max_share_of_quota": max_share_of_quota,
}

"""What a record's templates see beyond its own fields: blocks chosen by conditions, and the
rows of other sheets that belong to it.

* `[[sheets.blocks]]` (`list`, `text`, optional `when` and any other keys): every block whose
  condition holds for the row, in the data's order, as a list of dicts under the name `list`
  (e.g. the 征求意见表's opinion blocks: `{%tr for b in opinion_blocks %}`).
* `belongs_to` on a member sheet: the parent's templates get `<as>` (the member rows, each
  a dict of its display strings with `seq` numbered 1.. within the parent) and
  `<as>_count`.
"""

from __future__ import annotations

from typing import Any, Callable

from awardforms.campaigns.model import SheetDef, condition_holds
from awardforms.check.records import Record

_NOT_SHOWN = {"list", "when"}


def block_lists(sheet: SheetDef, values: dict[str, Any]) -> dict[str, list[dict[str, str]]]:
    lists: dict[str, list[dict[str, str]]] = {}
    for block in sheet.blocks:
        chosen = lists.setdefault(block["list"], [])
        if condition_holds(block.get("when"), values):
            chosen.append({k: v for k, v in block.items() if k not in _NOT_SHOWN})
    return lists


def member_lists(rec: Record, values_of: Callable[[Record], dict[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, members in rec.members.items():
        rows = []
        for n, m in enumerate(members, start=1):
            row = dict(values_of(m))
            row["seq"] = n
            rows.append(row)
        out[name] = rows
        out[f"{name}_count"] = len(rows)
    return out

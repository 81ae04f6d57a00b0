"""Workbook rules (top-level [[rules]] of a campaign): rows of two sheets compared.

    [[rules]]
    type = "same_value_across"
    sheet = "<sheet A>"
    field = "employer"
    other_sheet = "<sheet B>"
    other_field = "name"
    match = "contains"        # "equal" (default) or "contains": A's value contains B's
"""

from __future__ import annotations

from typing import Iterable

from awardforms.check.records import Record
from awardforms.report import Issue
from awardforms.textnorm import header_key


def same_value_across(r: dict, records: dict[str, list[Record]]) -> Iterable[Issue]:
    """A row of `sheet` whose `field` equals (or contains) `other_field` of a row of
    `other_sheet`: an issue on both rows, each naming the other."""
    others = [(header_key(o.display.get(r["other_field"]) or ""), o) for o in records.get(r["other_sheet"], [])]
    others = [(k, o) for k, o in others if k]
    contains = r.get("match", "equal") == "contains"
    flagged: set[int] = set()
    for rec in records.get(r["sheet"], []):
        value = header_key(rec.display.get(r["field"]) or "")
        if not value:
            continue
        for key, other in others:
            if key == value or (contains and key in value):
                words = dict(value=rec.display.get(r["field"]), other=other.display.get(r["other_field"]),
                             row=rec.row, other_row=other.row, sheet=r["sheet"], other_sheet=r["other_sheet"])
                yield rec.issue(r["field"], r.get("severity", "warning"), r["code"],
                                r["message"].format(**words), r.get("fix", ""))
                if id(other) not in flagged:
                    flagged.add(id(other))
                    yield other.issue(r["other_field"], r.get("severity", "warning"), r["code"],
                                      r.get("other_message", r["message"]).format(**words), r.get("fix", ""))
                break


RULES = {
    "same_value_across": same_value_across,
}

"""Member rules: one record and the rows of another sheet that belong to it (the 党员 of an
organisation, linked by `belongs_to`; check/links.py attaches them as `rec.members`).

`members` names the list (the child sheet's `belongs_to.as`); `where` picks the members a
rule looks at (a condition on the member's fields, as `when` is on the record's).
"""

from __future__ import annotations

from typing import Iterable

from awardforms.campaigns.model import condition_holds
from awardforms.check.records import Record
from awardforms.report import Issue


def _chosen(r: dict, rec: Record) -> list[Record]:
    return [m for m in rec.members.get(r["members"], []) if condition_holds(r.get("where"), m.values)]


def member_count(r: dict, rec: Record) -> Iterable[Issue]:
    """The number of (chosen) members is at least `min` and at most `max`; the issue goes on
    the record's row (on the column of `field` if given)."""
    count = len(_chosen(r, rec))
    if ("min" in r and count < r["min"]) or ("max" in r and count > r["max"]):
        yield rec.issue(r.get("field"), r.get("severity", "error"), r["code"],
                        r["message"].format(count=count), r.get("fix", ""))


def every_member(r: dict, rec: Record) -> Iterable[Issue]:
    """Every (chosen) member satisfies the condition `check`; the issue goes on each member
    row that does not, naming the record."""
    for m in _chosen(r, rec):
        if not condition_holds(r["check"], m.values):
            field = r["check"].get("field") if "field" in r["check"] else None
            yield m.issue(field, r.get("severity", "error"), r["code"],
                          r["message"].format(parent=rec.name, member=m.name), r.get("fix", ""))


RULES = {
    "member_count": member_count,
    "every_member": every_member,
}

"""Typed nominee records, as the validator leaves them for the planner and renderer."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awardforms.campaigns.model import SheetDef
from awardforms.report import Issue


@dataclass
class Record:
    sheet: SheetDef
    row: int
    values: dict[str, Any]                 # field key -> typed value (None when blank)
    display: dict[str, str]                # field key -> text as printed on the forms
    columns: dict[str, str]                # field key -> Excel column letter
    seq: int = 0                           # 序号 within its sheet, among valid records
    has_errors: bool = False
    raw: dict[str, Any] = field(default_factory=dict)   # normalised cell text, for hashing
    # context.record_values, worked out once per seq (the forms and the 汇总表 both need it)
    context_values: tuple[int, dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    # scans.collect as validate found it; assemble lists the same files within the same render
    checklist: Any = field(default=None, repr=False, compare=False)
    # rows of other sheets that belong to this one (links.py), by the list's name (`as`)
    members: dict[str, list["Record"]] = field(default_factory=dict, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.display.get(self.sheet.name_field) or f"第{self.row}行"

    def issue(self, key: str | None, severity: str, code: str, message: str, fix: str = "") -> Issue:
        label = self.sheet.field(key).label if key else None
        return Issue(self.sheet.name, self.row, self.columns.get(key) if key else None,
                     label, severity, code, message, fix)


@dataclass
class Unit:
    """The 推荐单位 sheet: who submits, for which region, and the contact."""
    values: dict[str, Any]
    display: dict[str, str]

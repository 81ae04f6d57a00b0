"""The campaign model: what a loaded campaign.toml becomes (plain dataclasses, no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class FieldDef:
    key: str
    label: str
    type: str
    required: bool = False
    required_when: dict | None = None
    choices: tuple[str, ...] = ()
    strict: bool = True
    default: str = ""
    note: str = ""
    example: str = ""
    word_limit: int | None = None
    word_mode: str = "以内"
    word_hard_max: int | None = None
    word_tolerance: float = 0.10      # 左右: no official tolerance; outside ±10 % is a warning
    max_chars: int | None = None
    min: int | None = None
    max: int | None = None
    width: int | None = None
    allow_future: bool = False      # month/date fields that name a future time (有效期至)
    cell: str | None = None         # unit fields only: also read from "工作表!B1" when present
    min_year: int | None = None     # month/date fields: an earlier year is an error (1998.1 -> 1905)
    # other labels for it: headers clerks write (身份证号), labels official forms print (tagging)
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FormDef:
    template: str
    output: str
    title: str
    copies: int = 1
    when: dict | None = None

    def applies(self, values: dict[str, Any]) -> bool:
        return condition_holds(self.when, values)


@dataclass(frozen=True)
class MaterialDef:
    """A document the clerk scans (附件/<nominee>/), matched by keywords in its file name."""
    name: str
    match: tuple[str, ...] = ()     # file-name keywords; the name itself always matches
    required: bool = False
    copies: int = 1                 # in the print bundle
    note: str = ""


@dataclass
class SheetDef:
    name: str
    name_field: str
    folder: str
    fields: list[FieldDef]
    forms: list[FormDef]
    rules: list[dict]
    context: dict[str, str] = field(default_factory=dict)   # computed template values (Jinja)
    materials: list[MaterialDef] = field(default_factory=list)   # scans to attach (scans.py)
    # rows that belong to a row of another sheet (the members of an organisation):
    # {sheet, field, parent_field, as} — see docs/campaigns.md
    belongs_to: dict | None = None
    # items chosen per row by a condition, given to the templates as lists (opinion blocks)
    blocks: list[dict] = field(default_factory=list)
    # labels of the official forms that stand for no single field: label -> text with
    # placeholders, e.g. "集体性质及所属单位" -> "{{ type }}　{{ parent }}" (template tagging)
    form_labels: dict[str, str] = field(default_factory=dict)

    def field(self, key: str) -> FieldDef:
        for f in self.fields:
            if f.key == key:
                return f
        raise KeyError(key)


@dataclass
class Campaign:
    id: str
    title: str
    short_title: str
    aliases: tuple[str, ...]
    sheets: list[SheetDef]
    unit_fields: list[FieldDef]
    summary: dict
    quotas: dict[str, dict[str, int]]          # 所属地区 -> {sheet name: quota}
    rules: list[dict] = field(default_factory=list)   # workbook-level rules
    directory: Path = Path(".")
    submission_forms: list[FormDef] = field(default_factory=list)   # per-submission documents
    package_name: str = "推荐材料"  # the zip's and PDF's name: <推荐单位>-<简称>-<package_name>.zip
    collect: dict = field(default_factory=dict)   # [collect]: the level above (collect/config.py)
    uses_quotas: bool = True        # False: the definition has no [[quotas]] (nothing to check)
    quota_cap: bool = True          # False: the quota is not a maximum (see quota_ratio rules)

    def children(self, parent: str) -> list[SheetDef]:
        """The sheets whose rows belong to rows of sheet `parent`."""
        return [s for s in self.sheets if s.belongs_to and s.belongs_to["sheet"] == parent]

    def sheet(self, name: str) -> SheetDef:
        for s in self.sheets:
            if s.name == name:
                return s
        raise KeyError(name)


def condition_holds(cond: dict | None, values: dict[str, Any]) -> bool:
    """`{field = "type", equals = "企业"}` or `{field = ..., in = [...]}`; None is always true.

    Also `not_equals`, `all = [cond, ...]` and `any = [cond, ...]`; `{field = ...}` alone:
    the field is filled in."""
    if not cond:
        return True
    if "all" in cond:
        return all(condition_holds(c, values) for c in cond["all"])
    if "any" in cond:
        return any(condition_holds(c, values) for c in cond["any"])
    value = values.get(cond["field"])
    if "equals" in cond:
        return value == cond["equals"]
    if "in" in cond:
        return value in cond["in"]
    if "not_in" in cond:
        return value not in cond["not_in"]
    if "not_equals" in cond:
        return value != cond["not_equals"]
    return bool(value)


def condition_fields(cond: dict | None) -> set[str]:
    """Every field a condition names (to check them when the definition is loaded)."""
    if not cond:
        return set()
    if "all" in cond or "any" in cond:
        return {f for c in cond.get("all", cond.get("any", [])) for f in condition_fields(c)}
    return {cond.get("field")}

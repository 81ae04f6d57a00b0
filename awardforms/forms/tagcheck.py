"""Check a template against its campaign: every placeholder names a field (or a value the
renderer gives: photo, seq, unit.*, campaign.*, the sheet's computed values), and which of
the sheet's required fields it does not place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import nodes

from awardforms.campaigns.model import Campaign, SheetDef
from awardforms.forms.context import expressions

RENDERER_NAMES = {"photo", "seq", "unit", "campaign"}   # forms.context.nominee_context
CAMPAIGN_ATTRS = {"id", "title"}


@dataclass
class CheckResult:
    unknown: list[str] = field(default_factory=list)        # placeholders naming nothing
    placed: list[str] = field(default_factory=list)         # field keys the template shows
    missing_required: list[str] = field(default_factory=list)   # labels of required fields not placed

    @property
    def ok(self) -> bool:
        return not self.unknown

    def as_json(self) -> dict:
        return {"valid": self.ok, "unknown_placeholders": self.unknown,
                "placed_fields": self.placed, "missing_required_fields": self.missing_required}


def _names(source: str) -> tuple[set[str], set[tuple[str, str]]]:
    """(top-level names read, (object, attribute) pairs read) of a Jinja source."""
    tree = expressions.parse(source)
    declared = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx == "load"} - declared
    attrs = set()
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if not isinstance(node.node, nodes.Name) or node.node.name in declared:
            continue
        if isinstance(node, nodes.Getattr):
            attrs.add((node.node.name, node.attr))
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            attrs.add((node.node.name, node.arg.value))
    return names, attrs


def check_sources(sources: list[str], campaign: Campaign, sheet: SheetDef) -> CheckResult:
    keys = {f.key for f in sheet.fields}
    unit_keys = {f.key for f in campaign.unit_fields}
    names: set[str] = set()
    attrs: set[tuple[str, str]] = set()
    for source in sources:
        n, a = _names(source)
        names |= n
        attrs |= a
    result = CheckResult()
    known = keys | set(sheet.context) | RENDERER_NAMES
    result.unknown = sorted(f"{{{{ {n} }}}}" for n in names - known)
    for obj, attr in sorted(attrs):
        if (obj == "unit" and attr not in unit_keys) or (obj == "campaign" and attr not in CAMPAIGN_ATTRS):
            result.unknown.append(f"{{{{ {obj}.{attr} }}}}")
    placed = names & keys
    for key in names & set(sheet.context):           # computed values read fields too
        placed |= _names(sheet.context[key])[0] & keys
    result.placed = sorted(placed)
    result.missing_required = [f.label for f in sheet.fields if f.required and f.key not in placed]
    return result


def check_template(path: Path, campaign: Campaign, sheet: SheetDef) -> CheckResult:
    """Raises TemplateError (from the compiler) when the template's Jinja does not parse."""
    from awardforms.forms.fastrender import CompiledTemplate
    return check_sources(CompiledTemplate(Path(path)).sources, campaign, sheet)

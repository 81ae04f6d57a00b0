"""Template contexts: what a form's placeholders see for one nominee or one submission.

Display strings come from the validator. Long text is split into paragraphs joined by
"\\a", which docxtpl turns into new paragraphs that keep the template paragraph's style;
Jinja's autoescape takes care of `&`, `<` and quotes.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from jinja2 import Environment, StrictUndefined

from awardforms.campaigns.model import Campaign, SheetDef
from awardforms.check.records import Record, Unit
from awardforms.forms.linked import block_lists, member_lists
from awardforms.textnorm import paragraphs

MULTI_PARAGRAPH = {"longtext", "resume"}

# Used for the small expressions in campaign data (computed values, summary columns):
# plain text, no autoescape (docxtpl escapes when the result goes into a document).
expressions = Environment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=1024)
def _compiled(expression: str):
    return expressions.from_string(expression)      # compiling dominates; do it once per text


_PLAIN_NAME = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


@lru_cache(maxsize=1024)
def _plain_name(expression: str) -> str | None:
    """`name` when the expression is just `{{ name }}` (most summary columns)."""
    m = _PLAIN_NAME.fullmatch(expression.strip())
    return m.group(1) if m else None


def evaluate(expression: str, values: dict[str, Any]) -> str:
    name = _plain_name(expression)
    if name is not None and name in values and isinstance(values[name], (str, int)):
        return str(values[name]).strip()       # what Jinja gives, without a render per cell
    return _compiled(expression).render(values).strip()


def record_values(rec: Record) -> dict[str, Any]:
    """Display strings of every field, long text as "\\a"-joined paragraphs, plus seq.

    A fresh dict each call; the values are worked out once per record and seq (the forms and
    the 汇总表 both need them)."""
    return dict(_values(rec))


def _values(rec: Record) -> dict[str, Any]:
    cached = rec.context_values
    if cached is None or cached[0] != rec.seq:
        cached = rec.context_values = (rec.seq, _record_values(rec))
    return cached[1]


def _record_values(rec: Record) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in rec.sheet.fields:
        text = rec.display.get(f.key, "")
        out[f.key] = "\a".join(paragraphs(text)) if f.type in MULTI_PARAGRAPH else text
    out["seq"] = rec.seq
    out.update(linked_values(rec))
    for key, expression in rec.sheet.context.items():
        out[key] = evaluate(expression, out)
    return out


def linked_values(rec: Record) -> dict[str, Any]:
    """Chosen blocks and member rows (linked.py); {} for a sheet that has neither."""
    if not rec.sheet.blocks and not rec.members:
        return {}
    return {**block_lists(rec.sheet, rec.values), **member_lists(rec, record_values)}


def unit_values(unit: Unit) -> dict[str, str]:
    return dict(unit.display)


def nominee_context(campaign: Campaign, unit: Unit, rec: Record) -> dict[str, Any]:
    ctx = record_values(rec)
    ctx["photo"] = ""                    # replaced by an image where the sheet has one
    ctx["unit"] = unit_values(unit)
    ctx["campaign"] = {"id": campaign.id, "title": campaign.title}
    return ctx


class ReadOnlyDict(dict):
    """A dict that refuses changes (TypeError), for contexts shared by several jobs
    (`job_context`). json.dumps,
    pickle, Jinja and dict(ctx) see a dict; to change one, copy it (dict(ctx))."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a form job's context is shared and read-only: change a copy (dict(ctx))")

    __setitem__ = __delitem__ = __ior__ = clear = pop = popitem = setdefault = update = _refuse

    def __reduce__(self):
        return (type(self), (dict(self),))


def read_only(ctx: dict[str, Any]) -> ReadOnlyDict:
    """`ctx` with it and the dicts in it (at any depth) as ReadOnlyDicts."""
    return ReadOnlyDict({k: read_only(v) if isinstance(v, dict) else v for k, v in ctx.items()})


def job_context(campaign: Campaign, unit: Unit, rec: Record) -> ReadOnlyDict:
    """`nominee_context`, read-only: the forms of one nominee share it."""
    return read_only(nominee_context(campaign, unit, rec))


def summary_rows(sheet: SheetDef, records: list[Record], keys: frozenset[str] | None = None
                 ) -> list[dict[str, Any]]:
    """Rows of the 汇总表 for one sheet: valid records, numbered 1..n; only `keys` if given."""
    rows = []
    for n, rec in enumerate((r for r in records if not r.has_errors), start=1):
        values = record_values(rec)
        values["seq"] = n
        rows.append(values if keys is None else {k: v for k, v in values.items() if k in keys})
    return rows


def summary_context(campaign: Campaign, unit: Unit, records: dict[str, list[Record]],
                    keys: frozenset[str] | None = None) -> dict[str, Any]:
    """The submission documents' context; rows hold only `keys` (templatekeys.py) if given."""
    return {"unit": unit_values(unit), "campaign": {"id": campaign.id, "title": campaign.title},
            "sheets": {s.name: summary_rows(s, records.get(s.name, []), keys) for s in campaign.sheets}}

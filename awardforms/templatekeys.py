"""Which fields of a row the submission documents read.

The 汇总表 (.docx and .xlsx) and other per-submission documents list a few fields of every
nominee. Their context holds only those fields, so that an edit of anything else (主要事迹,
简历, 出生年月 ...) leaves their fingerprint, and so the documents, as they are.

The fields are read off the templates' Jinja syntax trees: every `x.name` and `x['name']`,
plus the names in the campaign's column expressions. A template that reaches a row in a way
that cannot be read off (`r[key]` with a computed key, a whole row printed or passed to a
filter) keeps every field.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, meta, nodes

from .campaign import Campaign
from .context import expressions


def summary_keys(campaign: Campaign) -> frozenset[str] | None:
    """Row fields the submission documents read; None: every field (cannot tell)."""
    from .fastrender import compiled        # python-docx and docxtpl: only loaded when used
    templates = [form.template for form in campaign.submission_forms]
    if campaign.summary.get("template"):
        templates.append(campaign.summary["template"])
    sources = tuple(src for name in templates for src in compiled(name).sources)
    columns = tuple(expr for table in campaign.summary.get("tables", []) for _, expr in table["columns"])
    return _keys(sources, columns)


@lru_cache(maxsize=64)
def _keys(sources: tuple[str, ...], columns: tuple[str, ...]) -> frozenset[str] | None:
    keys: set[str] = {"seq"}
    for source in sources:
        found = row_keys(source, expressions)
        if found is None:
            return None
        keys |= found
    for expr in columns:
        keys |= meta.find_undeclared_variables(expressions.parse(expr))
    return frozenset(keys)


def row_keys(source: str, env: Environment) -> set[str] | None:
    """Attribute and constant-subscript names the loops of `source` read from their rows.

    None when a loop variable is used other than as `var.name` / `var['name']`.
    """
    tree = env.parse(source)
    loop_vars = {n.name for loop in tree.find_all(nodes.For)
                 for n in (loop.target, *loop.target.find_all(nodes.Name)) if isinstance(n, nodes.Name)}
    keys: set[str] = set()
    bases: set[int] = set()            # Name nodes that are the object of .name / ['name']
    for node in tree.find_all((nodes.Getattr, nodes.Getitem)):
        if isinstance(node, nodes.Getattr):
            keys.add(node.attr)
        elif isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
            keys.add(node.arg.value)
        elif isinstance(node.node, nodes.Name) and node.node.name in loop_vars:
            return None                 # r[some_variable]
        else:
            continue
        bases.add(id(node.node))
    for name in tree.find_all(nodes.Name):
        if name.ctx == "load" and name.name in loop_vars and id(name) not in bases:
            return None                 # the whole row used: {{ r }}, r|tojson, f(r) ...
    return keys

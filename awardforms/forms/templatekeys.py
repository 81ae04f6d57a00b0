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

import json
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, meta, nodes

from awardforms.cachedir import cache_root, content_digest, package_dir, store
from awardforms.campaigns.model import Campaign
from awardforms.forms.context import expressions
from awardforms.forms.render import template_path

_CACHE_FORMAT = "templatekeys 2"


def summary_keys(campaign: Campaign) -> frozenset[str] | None:
    """Row fields the submission documents read; None: every field (cannot tell).

    Reading them needs the templates compiled (python-docx and docxtpl loaded, ~60 ms in a new
    process), so the answer is kept in the per-user cache under a digest of everything it
    follows from: the template files, the column expressions, this module, fastrender.py (how
    a template becomes Jinja source) and docxtpl's code. A run that does not rebuild the 汇总表
    then starts without python-docx.
    """
    templates = [form.template for form in campaign.submission_forms]
    if campaign.summary.get("template"):
        templates.append(campaign.summary["template"])
    columns = tuple(expr for table in campaign.summary.get("tables", []) for _, expr in table["columns"])
    return _cached("rows", templates, columns)


def form_keys(template: str) -> frozenset[str] | None:
    """The context names a nominee's form template reads (`name`, `deeds`, `unit`, ...); None:
    cannot tell. A form's job context holds only these (jobs.nominee_jobs), so its fingerprint
    changes only with what the form shows: an edit of 主要事迹 leaves a 征求意见表 that does
    not print it as it is. Kept in the user cache as `summary_keys`."""
    return _cached("names", [template], ())


def _cached(kind: str, templates: list[str], columns: tuple[str, ...]) -> frozenset[str] | None:
    try:
        key = _cache_key(kind, templates, columns)
    except OSError:
        key = None
    return _compute(kind, tuple(templates), columns, key)


def _compute(kind: str, templates: tuple[str, ...], columns: tuple[str, ...], key: str | None):
    path = cache_root() / "templatekeys" / f"{key}.json" if key else None
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") == _CACHE_FORMAT:
                return None if data["keys"] is None else frozenset(data["keys"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            pass                                    # missing or damaged: worked out again
    from awardforms.forms.fastrender import compiled        # python-docx and docxtpl: only loaded when used
    sources = tuple(src for name in templates for src in compiled(name).sources)
    keys = _keys(sources, columns) if kind == "rows" else _names(sources)
    if path is not None:
        data = {"format": _CACHE_FORMAT, "keys": None if keys is None else sorted(keys)}
        store(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))
    return keys


def _cache_key(kind: str, templates: list[str], columns: tuple[str, ...]) -> str:
    seed = "\0".join([_CACHE_FORMAT, kind, _code_digest(), json.dumps([templates, columns], ensure_ascii=False)])
    return content_digest([template_path(name) for name in templates], seed.encode())


def _names(sources: tuple[str, ...]) -> frozenset[str]:
    """Every top-level name the sources read (Jinja's undeclared variables)."""
    keys: set[str] = set()
    for source in sources:
        keys |= meta.find_undeclared_variables(expressions.parse(source))
    return frozenset(keys)


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """This module, fastrender.py and docxtpl's source files (found, not imported)."""
    here = Path(__file__).resolve().parent
    return content_digest([here / "templatekeys.py", here / "fastrender.py",
                           *sorted(package_dir("docxtpl").glob("*.py"))])


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

"""The package's shape: folders in pipeline order, imports one way, no campaign in the code.

Read from the source (ast), so a newcomer's promise in README ("How it is built") and each
folder's __init__.py is held to the code.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

PKG = Path(__file__).resolve().parents[1] / "awardforms"

# Lowest first: a module may import its own folder and the folders before it, never after.
LAYERS = ["foundation", "campaigns", "read", "check", "forms", "assemble", "build", "collect", "commands"]
MAX_LINES = 600


def _module_name(path: Path) -> str:
    rel = path.relative_to(PKG.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _layer(module: str) -> str:
    if module == "awardforms.__main__":
        return "commands"
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in LAYERS) else "foundation"


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("awardforms"):
            assert node.level == 0
            found.add(node.module)
            for alias in node.names:
                found.add(f"{node.module}.{alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.level:
            raise AssertionError(f"{path}: relative import; the layout test reads absolute ones")
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("awardforms")}
    return found


def _graph() -> dict[str, set[str]]:
    modules = {_module_name(p): p for p in PKG.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        graph[name] = {m for m in _imports(path) if m in modules and m != name}
    return graph


def test_every_stage_is_a_folder_that_says_what_it_owns():
    for layer in LAYERS[1:]:
        init = PKG / layer / "__init__.py"
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        assert "May import" in doc and len(doc.splitlines()) >= 2, layer


def test_imports_run_one_way():
    wrong = []
    for module, targets in _graph().items():
        here = LAYERS.index(_layer(module))
        for target in targets:
            if _layer(target) == "foundation" and target.count(".") == 0:
                continue                                  # `awardforms` itself (__version__)
            if LAYERS.index(_layer(target)) > here:
                wrong.append(f"{module} -> {target}")
    assert not wrong, wrong


def test_no_import_cycles():
    graph = _graph()
    # a package's __init__ importing its own submodules is not a cycle of the pipeline
    for name in list(graph):
        graph[name] = {t for t in graph[name] if not t.startswith(name + ".")}
    state: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert not cycles, cycles


def test_modules_stay_small():
    big = {str(p.relative_to(PKG)): n for p in PKG.rglob("*.py")
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, big


def test_no_campaign_in_the_code():
    """Campaigns are data: no campaign id or sheet name after any module's docstring."""
    for path in PKG.rglob("*.py"):
        code = path.read_text(encoding="utf-8").split('"""', 2)[-1]
        assert not re.search(r"['\"](anju|shzz|jiuye|djcn|djjd)['\"]", code), path
        for word in ("先进集体", "先进个人", "先进社会组织", "社会组织名称", "申报单位"):
            assert word not in code, (path, word)


def test_rule_and_field_types_agree_with_the_schema():
    from awardforms.campaigns.schema import FIELD_TYPES, RULE_TYPES
    from awardforms.check.fields import PARSERS
    from awardforms.check.rules import RULES
    assert set(RULES) == set(RULE_TYPES)
    assert set(PARSERS) == set(FIELD_TYPES)

"""Each counted submission under submissions/<推荐单位>/: a workbook rendered with the library
(build.pipeline.render, incremental: a re-run after one region re-sends redoes that region), an
e-mailed zip unpacked as it came (its forms are what `render` wrote). Folders of submissions no
longer counted are removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

from awardforms.assemble.bundle import safe_member
from awardforms.build import pipeline
from awardforms.collect.sources import KIND_BUNDLE, Received, unpack
from awardforms.errors import AwardformsError
from awardforms.output import safe_name, write_json
from awardforms.report import Issue

FOLDER = "submissions"
MARKER = ".awardforms-collect.json"


def folder_name(r: Received) -> str:
    return safe_name(r.unit or r.path.stem, 80)


def _prepare(folder: Path, r: Received) -> None:
    """A folder that held another kind of submission (workbook <-> zip) starts empty."""
    try:
        before = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = None
    if before is not None and before.get("kind") != (r.kind == KIND_BUNDLE):
        shutil.rmtree(folder, ignore_errors=True)


def _render_one(r: Received, folder: Path, pdf: bool) -> None:
    if r.kind == KIND_BUNDLE:
        unpack(r.path, folder)
        r.files = [safe_member(f) for f in r.files]
        for n in r.nominees:
            n.files = [safe_member(f) for f in n.files]
        return
    result = pipeline.render(r.workbook, pipeline.Settings(out_dir=folder, pdf=pdf), checked=r.submission)
    by_row = {(e["sheet"], e["row"]): e["files"] for e in result.manifest["nominees"]}
    for n in r.nominees:
        n.files = list(by_row.get((n.sheet, n.row), []))
    bundle = result.assembly.bundle if result.assembly is not None else ""
    r.files = list(result.manifest["files"]) + ([bundle] if bundle else [])


def render_counted(counted: list[Received], out_dir: Path, pdf: bool, say: Callable[[str], None]) -> list[str]:
    messages = []
    root = out_dir / FOLDER
    used = set()
    for r in counted:
        name = folder_name(r)
        if name in used:                      # two 推荐单位 whose names differ only in unsafe characters
            name = safe_name(f"{name}-{r.path.stem}", 120)
        used.add(name)
        folder = root / name
        _prepare(folder, r)
        say(f"生成：{r.unit or r.name}")
        try:
            _render_one(r, folder, pdf)
        except (AwardformsError, OSError) as err:
            r.issues.append(Issue(None, None, None, None, "error", "render-failed",
                                  f"生成材料时出错：{err}", "请检查此提交的文件后重新汇总。"))
            messages.append(f"{r.name}：生成材料时出错：{err}")
            continue
        write_json(folder / MARKER, {"kind": r.kind == KIND_BUNDLE, "source": str(r.path)})
        r.folder = f"{FOLDER}/{name}"
    if root.is_dir():
        for entry in root.iterdir():
            if entry.is_dir() and entry.name not in used and (entry / MARKER).exists():
                shutil.rmtree(entry, ignore_errors=True)
    return messages

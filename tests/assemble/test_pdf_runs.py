"""PDFs of a whole run: few LibreOffice calls for many folders, what LibreOffice leaves out
converted again, a hung call killed and retried, and incremental PDFs after a one-row edit.

LibreOffice is wrapped (AWARDFORMS_SOFFICE) by a small script that logs each call (its
process id and the files it was given) and then runs the real soffice, or misbehaves as a
test asks. Needs LibreOffice: skips without it on a developer's machine, fails on CI.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from pypdf import PdfReader

from awardforms.assemble import convert
from awardforms.build.pipeline import Settings, render
from conftest import collective, person, write_workbook
from test_convert import make_docx, settle

WRAPPER = """
import json, os, sys, time
log, mode, real = {log!r}, {mode!r}, {real!r}
args = sys.argv[1:]
files = [a for a in args[args.index("--outdir") + 2:]]
calls = sum(1 for _ in open(log)) if os.path.exists(log) else 0
with open(log, "a") as fh:
    fh.write(json.dumps({{"pid": os.getpid(), "files": files}}) + "\\n")
if mode == "first-hangs" and calls == 0:
    time.sleep(600)
if mode == "two-per-call":             # as LibreOffice 7.4 past ~240 files: the rest ignored, exit 0
    args = args[:args.index("--outdir") + 2] + files[:2]
os.execv(real, [real] + args)
"""


def _require_soffice() -> str:
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice not installed (run scripts/install-system-deps.sh)")
    pytest.skip("LibreOffice not installed")


@pytest.fixture
def wrapped(tmp_path, monkeypatch):
    """Install the wrapper; returns a function giving the calls logged so far."""
    real = _require_soffice()
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    log = tmp_path / "soffice-calls.jsonl"

    def install(mode: str = "plain"):
        script = tmp_path / "fake-soffice.py"
        script.write_text(f"#!{sys.executable}\n" + WRAPPER.format(log=str(log), mode=mode, real=real),
                          encoding="utf-8")
        script.chmod(0o755)
        monkeypatch.setenv("AWARDFORMS_SOFFICE", str(script))

    def calls() -> list[dict]:
        return [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    install()
    calls.install = install
    return calls


def _text(pdf: Path) -> str:
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 1
    return "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", "")


def test_many_folders_two_lanes_two_calls(wrapped, tmp_path):
    sources = []
    for folder in range(6):                       # 6 folders, the same two names in each
        for name in ("推荐审批表", "征求意见表"):
            path = tmp_path / "out" / f"{folder:03d}-对象" / f"{name}.docx"
            path.parent.mkdir(parents=True, exist_ok=True)
            sources.append(make_docx(path, text=f"第{folder}号对象的{name}"))
    stats = {}
    pdfs = convert.convert_to_pdf(sources, workers=2, stats=stats)

    assert len(wrapped()) == stats["calls"] == 2                 # one call per lane, not per folder
    assert sorted(len(c["files"]) for c in wrapped()) == [6, 6]
    assert pdfs == [s.with_suffix(".pdf") for s in sources]
    for source, pdf in zip(sources, pdfs):                       # each PDF is its own .docx's
        folder, name = source.parent.name[:3], source.stem
        assert f"第{int(folder)}号对象的{name}" in _text(pdf)
    assert not list((tmp_path / "out").glob(".awardforms-pdf-*")), "staging folder left behind"


def test_files_libreoffice_silently_skips_are_converted_again(wrapped, tmp_path):
    wrapped.install("two-per-call")
    (tmp_path / "in").mkdir()
    sources = [make_docx(tmp_path / "in" / f"表{i}.docx", text=f"第{i}份表") for i in range(5)]
    pdfs = convert.convert_to_pdf(sources, workers=1)

    assert [len(c["files"]) for c in wrapped()] == [5, 3, 1]   # each call takes what is left
    for i, pdf in enumerate(pdfs):
        assert pdf == tmp_path / "in" / f"表{i}.pdf" and f"第{i}份表" in _text(pdf)


def test_hung_call_is_killed_and_its_batch_retried(wrapped, tmp_path):
    wrapped.install("first-hangs")
    sources = [make_docx(tmp_path / f"表{i}.docx", text=f"第{i}份表") for i in range(4)]
    started = time.monotonic()
    pdfs = convert.convert_to_pdf(sources, workers=1, timeout=10)

    calls = wrapped()
    # the hung call, then its first file alone, then the rest as a batch
    assert [len(c["files"]) for c in calls] == [4, 1, 3]
    assert time.monotonic() - started < 60
    for i, pdf in enumerate(pdfs):
        assert f"第{i}份表" in _text(pdf)
    hung = calls[0]["pid"]
    deadline = time.monotonic() + 5
    while Path(f"/proc/{hung}").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not Path(f"/proc/{hung}").exists(), "the hung call is still running"
    assert not (left := settle(tmp_path)), left


def _stamps(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.pdf")}


def test_one_row_edited_converts_only_its_forms_and_rebuilds_only_its_dossier(wrapped, tmp_path):
    persons = [person(1), person(2)]
    (tmp_path / "in").mkdir()
    book = write_workbook(tmp_path / "in" / "nominees.xlsx", [collective(0)], persons)
    out = tmp_path / "out"
    first = render(book, Settings(out_dir=out, pdf=True))
    docx = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert len([f for c in wrapped() for f in c["files"]]) == len(docx)      # each .docx once
    assert len(wrapped()) <= 2                                   # at most one call per lane
    for rel in first.assembly.pdfs:                              # every PDF opens
        assert len(PdfReader(out / rel).pages) >= 1
    before, calls_before = _stamps(out), len(wrapped())
    time.sleep(0.05)

    persons[1]["主要事迹"] = persons[1]["主要事迹"] + "二〇二三年新增改造任务全部完成。"
    write_workbook(book, [collective(0)], persons)
    second = render(book, Settings(out_dir=out, pdf=True))
    rebuilt = sorted(p for p, _ in second.rebuilt)
    new_calls = wrapped()[calls_before:]
    assert len(new_calls) == 1 and len(new_calls[0]["files"]) == len(rebuilt)   # just the rebuilt .docx
    after = _stamps(out)
    changed = sorted(rel for rel in after if after[rel] != before.get(rel))
    folder = rebuilt[0].rsplit("/", 1)[0]
    assert all(r.startswith(folder + "/") for r in rebuilt)
    assert changed == sorted([r[:-5] + ".pdf" for r in rebuilt] + [f"{folder}/推荐材料汇编.pdf",
                                                                  second.assembly.submission_pdf])
    assert "二〇二三年新增改造任务全部完成" in _text(out / f"{folder}/推荐材料汇编.pdf")
    assert "二〇二三年新增改造任务全部完成" in _text(out / second.assembly.submission_pdf)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = manifest["files"] + [f for n in manifest["nominees"] for f in n["files"]]
    for rel in listed:
        if rel.endswith(".pdf"):
            assert len(PdfReader(out / rel).pages) >= 1

    third = render(book, Settings(out_dir=out, pdf=True))        # nothing changed: no call, no write
    assert len(wrapped()) == calls_before + 1 and _stamps(out) == after
    assert third.assembly.pdfs == second.assembly.pdfs


def test_lost_pdf_is_made_again(wrapped, tmp_path):
    (tmp_path / "in").mkdir()
    book = write_workbook(tmp_path / "in" / "nominees.xlsx", [], [person(1)])
    out = tmp_path / "out"
    first = render(book, Settings(out_dir=out, pdf=True))
    form_pdf = next(p for p in first.assembly.pdfs if p.endswith("推荐审批表.pdf"))
    (out / form_pdf).unlink()
    calls = len(wrapped())
    render(book, Settings(out_dir=out, pdf=True))
    assert [len(c["files"]) for c in wrapped()[calls:]] == [1]
    assert len(PdfReader(out / form_pdf).pages) >= 1

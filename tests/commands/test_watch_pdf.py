"""Issue 15 (3): `watch --pdf` / `--copies`: whoever drops a file gets the printable PDFs too."""

from __future__ import annotations

import os
import shutil

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from awardforms.commands import watch as watch_module
from awardforms.commands.cli import main
from awardforms.commands.inbox import PROCESSED, Watcher, WatchSettings

from conftest import collective, person, write_workbook


def test_cli_passes_pdf_and_copies_to_the_watcher(tmp_path, monkeypatch):
    seen = []
    monkeypatch.setattr(watch_module, "run", lambda settings: seen.append(settings) or 0)
    for flags, pdf, copies in (([], False, False), (["--pdf"], True, False), (["--copies"], True, True)):
        res = CliRunner().invoke(main, ["watch", str(tmp_path / "inbox"), *flags])
        assert res.exit_code == 0, res.output
        assert (seen[-1].pdf, seen[-1].copies) == (pdf, copies)


def test_dropped_workbook_gets_the_pdfs(tmp_path):
    if not (shutil.which("soffice") or shutil.which("libreoffice")):
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice not installed (run scripts/install-system-deps.sh)")
        pytest.skip("LibreOffice not installed")
    os.environ.setdefault("XDG_CACHE_HOME", str(tmp_path / "cache"))
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.0, pdf=True, copies=True)
    w = Watcher(settings)
    write_workbook(settings.inbox / "表.xlsx", [collective(0)], [person(0)])
    w.scan()
    [outcome] = [w.process(w.claim(p)) for p in w.scan()]
    assert outcome.ok, outcome.report
    pdfs = sorted(p.name for p in outcome.output.glob("*.pdf"))
    assert any(n.endswith("-推荐材料.pdf") for n in pdfs) and any(n.endswith("-打印版.pdf") for n in pdfs)
    printed = next(outcome.output.glob("*-打印版.pdf"))
    assert len(PdfReader(str(printed)).pages) > len(PdfReader(str(next(outcome.output.glob("*-推荐材料.pdf")))).pages)
    assert list(outcome.output.glob("先进个人/001-*/推荐材料汇编.pdf"))
    note = next((settings.inbox / PROCESSED).glob("*.结果.txt")).read_text(encoding="utf-8")
    assert "打印版 PDF" in note and "报送清单" in note and "发送用压缩包" in note

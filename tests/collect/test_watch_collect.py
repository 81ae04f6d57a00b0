"""`watch INBOX --collect`: the collection is refreshed after each drop; a unit that sends again
replaces its earlier submission, which stays in processed/ as history."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from collect_helpers import workbook
from conftest import collective, person

ROOT = Path(__file__).resolve().parents[2]


def _wait(check, what: str, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _statuses(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {Path(s["file"]).name.split("_", 1)[1]: s["status"] for s in data["submissions"]}


def test_watch_collect_refreshes_after_every_drop(tmp_path):
    inbox, out, staging = tmp_path / "inbox", tmp_path / "out", tmp_path / "staging"
    inbox.mkdir()
    staging.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT), AWARDFORMS_WATCH_STALL="3")
    proc = subprocess.Popen([sys.executable, "-m", "awardforms", "watch", str(inbox), "-o", str(out),
                             "--settle", "0.3", "--rescan", "1", "--collect"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        summary = out / "汇总" / "collect.json"
        workbook(staging / "长春.xlsx", [collective(1)], [person(1)], "长春市住建局", "长春市", 0)
        os.replace(staging / "长春.xlsx", inbox / "长春.xlsx")
        _wait(lambda: _statuses(summary) == {"长春.xlsx": "合格"}, "the first collection")
        workbook(staging / "吉林.xlsx", [collective(2)], [person(2)], "吉林市住建局", "吉林市", 1)
        os.replace(staging / "吉林.xlsx", inbox / "吉林.xlsx")
        _wait(lambda: len(_statuses(summary)) == 2, "the second drop collected")
        workbook(staging / "长春-更正.xlsx", [collective(1), collective(3)], [person(1)], "长春市住建局", "长春市", 60)
        os.replace(staging / "长春-更正.xlsx", inbox / "长春-更正.xlsx")
        _wait(lambda: _statuses(summary).get("长春-更正.xlsx") == "合格", "the re-send collected")
        assert _statuses(summary) == {"长春.xlsx": "已被替换", "吉林.xlsx": "合格", "长春-更正.xlsx": "合格"}
        assert (out / "汇总" / "index.html").is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _Lines(__import__("logging").Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _refresh(inbox: Path, **settings) -> list[str]:
    """What the watcher logs when it refreshes the collection after a file."""
    from awardforms.commands.inbox import WatchSettings, log
    from awardforms.commands.watch import _collect
    handler, level = _Lines(), log.level
    log.addHandler(handler)
    log.setLevel("INFO")
    try:
        _collect(WatchSettings(inbox, collect=True, **settings))
    finally:
        log.removeHandler(handler)
        log.setLevel(level)
    return handler.lines


def test_watch_collect_says_why_the_collection_was_not_updated(tmp_path):
    """A file of another campaign filed in failed/ stops the collection: the log names it and says
    what to do, not “汇总已更新：None（退出码 2）”."""
    from awardforms.commands.blank import write_blank
    from awardforms.campaigns.load import load_campaign
    inbox = tmp_path / "inbox"
    (inbox / "processed").mkdir(parents=True)
    (inbox / "failed").mkdir()
    workbook(inbox / "processed" / "长春.xlsx", [collective(1)], [person(1)], "长春市住建局", "长春市")
    lines = _refresh(inbox)
    assert any(line.startswith("汇总已更新") and "没有发现问题" in line for line in lines), lines
    write_blank(load_campaign("shzz"), inbox / "failed" / "社会组织.xlsx")
    lines = _refresh(inbox)
    assert not any("None" in line or "退出码" in line for line in lines), lines
    said = next(line for line in lines if line.startswith("汇总未更新"))
    assert "社会组织.xlsx" in said and "移出" in said


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="needs LibreOffice")
def test_watch_collect_with_pdf_writes_the_book(tmp_path):
    """watch --collect --pdf: the collection gets its 推荐材料总册.pdf, as collect --pdf does."""
    inbox = tmp_path / "inbox"
    (inbox / "processed").mkdir(parents=True)
    workbook(inbox / "processed" / "长春.xlsx", [], [person(1)], "长春市住建局", "长春市")
    _refresh(inbox, pdf=True)
    book = inbox / "output" / "汇总" / "推荐材料总册.pdf"
    assert book.is_file()
    from pypdf import PdfReader
    assert [o.title for o in PdfReader(book).outline if not isinstance(o, list)] == ["长春市"]

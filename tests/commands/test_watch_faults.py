"""The watcher under bad luck (issue 16): a drop that kills it every time, names that are not
UTF-8, a journal that cannot be written, a file that cannot be filed."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

from awardforms.commands import inbox as inbox_module
from awardforms.commands import journal as journal_module
from awardforms.commands.inbox import FAILED, JOURNAL, PROCESSED, PROCESSING, Watcher, WatchSettings
from awardforms.commands.journal import MAX_ATTEMPTS
from conftest import collective, person, write_workbook

ROOT = Path(__file__).resolve().parents[2]

# the watcher, with a render that kills the whole process for a workbook named "poison"
# (as the kernel's OOM killer or a crash in a library would)
KILLER = """
import os, signal, sys
import awardforms.build.pipeline as p
real = p.render
def render(workbook, *a, **k):
    if "poison" in str(workbook):
        os.kill(os.getpid(), signal.SIGKILL)
    return real(workbook, *a, **k)
p.render = render
from awardforms.commands.cli import main
sys.argv = ["awardforms", "watch", *sys.argv[1:]]
main()
"""


def _valid(path: Path, n: int = 0) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return write_workbook(path, [collective(n)], [person(n)])


def _settings(tmp_path: Path) -> WatchSettings:
    return WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.0)


def _take_all(w: Watcher) -> list:
    w.scan()
    return [w.take(p) for p in w.scan()]


def test_a_drop_that_kills_the_watcher_every_time_is_filed_after_bounded_tries(tmp_path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    _valid(inbox / "poison.xlsx")
    env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"))
    args = [sys.executable, "-c", KILLER, str(inbox), "-o", str(out), "--settle", "0.2", "--rescan", "0.5"]
    for n in range(MAX_ATTEMPTS):
        proc = subprocess.run(args, cwd=ROOT, env=env, timeout=60,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        assert proc.returncode == -9                    # it really died, with the file in processing/
        if n == 0:
            _valid(inbox / "good.xlsx", 1)              # dropped while the poison one is retried
    assert not list((inbox / PROCESSED).glob("*_good.xlsx"))
    # the next start gives up on it, files it with a report and goes on with the queue
    proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 60
        while time.monotonic() < end and not list((inbox / PROCESSED).glob("*_good.xlsx")):
            time.sleep(0.2)
    finally:
        proc.terminate()
        proc.wait(10)
    [failed] = list((inbox / FAILED).glob("*_poison.xlsx"))
    report = failed.with_name(failed.name + ".错误报告.txt").read_text(encoding="utf-8")
    assert f"处理了 {MAX_ATTEMPTS} 次" in report
    assert list((inbox / PROCESSED).glob("*_good.xlsx"))
    assert not [p for p in (inbox / PROCESSING).iterdir() if not p.name.startswith(".")]
    assert f"处理了 {MAX_ATTEMPTS} 次" in (inbox / "watch.log").read_text(encoding="utf-8")


def test_gbk_file_name_is_journalled_and_filed(tmp_path):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    raw = "推荐表张三.xlsx".encode("gbk")                  # as a Windows share may give it
    dropped = Path(os.fsdecode(os.path.join(os.fsencode(settings.inbox), raw)))
    _valid(dropped)
    [outcome] = _take_all(w)
    assert outcome.ok, outcome.report
    [filed] = list((settings.inbox / PROCESSED).glob("*_推荐表张三.xlsx"))
    assert filed.name.encode("utf-8")                     # a valid name now
    records = w.journal.records()
    assert {r["event"] for r in records} >= {"claimed", "attempt", "done"}
    assert any(r.get("source") == "推荐表张三.xlsx" for r in records)
    assert "推荐表张三" in outcome.output.name
    note = filed.with_name(filed.name + ".结果.txt").read_text(encoding="utf-8")
    assert "推荐表张三.xlsx" in note


def test_journal_that_cannot_be_written_does_not_strand_the_file(tmp_path, monkeypatch, caplog):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "满.xlsx")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")
    monkeypatch.setattr(journal_module, "open", full, raising=False)
    [outcome] = _take_all(w)
    assert outcome is not None and outcome.ok
    assert list((settings.inbox / PROCESSED).glob("*_满.xlsx"))
    assert not [p for p in (settings.inbox / PROCESSING).iterdir() if not p.name.startswith(".")]
    assert "无法写入处理记录" in caplog.text and "No space left" in caplog.text
    assert not (settings.inbox / JOURNAL).exists()


def test_file_that_could_not_be_filed_is_filed_at_a_later_rescan(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "x.xlsx")
    real = os.replace
    blocked = {"on": True}

    def replace(src, dst, *a, **k):
        if blocked["on"] and Path(dst).parent.name == PROCESSED and not str(dst).endswith((".txt", ".json")):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(src, dst, *a, **k)
    monkeypatch.setattr(inbox_module.os, "replace", replace)
    [outcome] = _take_all(w)
    assert outcome.ok
    assert [p.name.endswith("_x.xlsx") for p in (settings.inbox / PROCESSING).iterdir()
            if not p.name.startswith(".")] == [True]
    blocked["on"] = False
    w.retry_unfiled()
    assert list((settings.inbox / PROCESSED).glob("*_x.xlsx"))
    assert not [p for p in (settings.inbox / PROCESSING).iterdir() if not p.name.startswith(".")]
    done = [r for r in w.journal.records() if r["event"] == "done"]
    assert len(done) == 1 and done[0]["result"] == PROCESSED


def test_journal_counts_attempts_until_done(tmp_path):
    j = journal_module.Journal(tmp_path / JOURNAL)
    for event in ("attempt", "attempt", "done", "attempt"):
        j.append(event, id="a")
    j.append("attempt", id="b\udcd5")                     # a name with undecodable bytes
    assert journal_module.attempts(j.records()) == {"a": 1, "b\udcd5": 1}
    assert json.loads((tmp_path / JOURNAL).read_text(encoding="utf-8").splitlines()[-1])["id"] == "b\udcd5"

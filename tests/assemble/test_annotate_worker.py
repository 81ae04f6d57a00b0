"""The annotated copy written by a child process (annotate_worker.py), with real processes:
the same file as written in-process, the same failure message, a fallback whenever the child
cannot start or gives no answer, a stale child's copy never kept, and no process or
temporary file left behind when the parent stops it or dies."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from awardforms.assemble import annotate
from awardforms.assemble import annotate_worker
from awardforms.assemble.annotate import ERROR_RGB, RESULT_SHEET, annotated_path, likely_kept, source_sha
from awardforms.assemble.annotate_worker import BackgroundCopy
from awardforms.report import Issue, Report
from awardforms.check.validate import check_workbook
from conftest import collective, person, write_workbook

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def two_cores(monkeypatch):
    """Children are started on machines with one core too (they are not started there)."""
    monkeypatch.setattr(annotate_worker, "available_cores", lambda: 2)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    """Person row 2 has an error (性别 not in the list)."""
    return write_workbook(tmp_path / "推荐对象表.xlsx", [collective(0)], [person(0, 性别="M"), person(1)])


@pytest.fixture
def here(monkeypatch) -> list:
    """Calls of the in-process fallback (annotate.try_write_annotated)."""
    calls = []
    real = annotate_worker.try_write_annotated
    monkeypatch.setattr(annotate_worker, "try_write_annotated",
                        lambda *a, **k: (calls.append(a), real(*a, **k))[1])
    return calls


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob(".*.tmp")) if folder.exists() else []


def parts(path: Path) -> dict[str, bytes]:
    """The package's parts, without docProps/core.xml (it holds the time of saving)."""
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


def test_child_writes_the_same_copy_as_this_process(workbook, tmp_path, here):
    report = check_workbook(workbook).report
    with BackgroundCopy.start(workbook, tmp_path / "child") as copy:
        assert copy.running
        copy.begin(report)
        path, problem = copy.finish(report)
        assert not copy.running                      # answered, exited, waited for
    assert here == []                                # not written again in this process
    assert problem is None and path == annotated_path(workbook, tmp_path / "child")
    here, problem = annotate.try_write_annotated(workbook, report, tmp_path / "here")
    assert problem is None
    assert parts(path) == parts(here)
    wb = load_workbook(path)
    assert wb.sheetnames[0] == RESULT_SHEET
    assert any(c.fill.fgColor.rgb == ERROR_RGB for row in wb["先进个人"].iter_rows() for c in row)
    assert leftovers(tmp_path / "child") == []


def test_copy_by_the_child_is_recorded_and_then_kept(workbook, tmp_path, monkeypatch):
    out = tmp_path / "o"
    report = check_workbook(workbook).report
    with BackgroundCopy.start(workbook, out) as copy:
        copy.begin(report)
        path, _ = copy.finish(report)
    first = path.stat().st_mtime_ns
    assert likely_kept(source_sha(workbook.read_bytes()), path)
    # the same workbook again: no child; the in-process check keeps the copy
    with BackgroundCopy.start(workbook, out) as copy:
        assert not copy.running
        copy.begin(report)
        assert copy.finish(report) == (path, None)
    assert path.stat().st_mtime_ns == first
    # --force (reuse off), or an edited workbook: a child again, and a new copy
    with BackgroundCopy.start(workbook, out, reuse=False) as copy:
        assert copy.running
    write_workbook(workbook, [collective(0)], [person(0, 性别="X"), person(1)])
    report = check_workbook(workbook).report
    with BackgroundCopy.start(workbook, out) as copy:
        assert copy.running
        copy.begin(report)
        assert copy.finish(report) == (path, None)
    assert path.stat().st_mtime_ns != first
    assert "X" in [c.value for row in load_workbook(path)["先进个人"].iter_rows() for c in row]


def test_stale_issues_are_not_trusted(workbook, tmp_path, here):
    """The workbook changed between the first check and render's: the copy shows render's."""
    first = Report([Issue("先进个人", 2, "A", "姓名", "warning", "w", "旧的提醒。", "")])
    final = Report([Issue("先进个人", 3, "A", "姓名", "error", "e", "新的错误。", "")])
    with BackgroundCopy.start(workbook, tmp_path) as copy:
        copy.begin(first)
        path, problem = copy.finish(final)
    assert problem is None and len(here) == 1
    ws = load_workbook(path)["先进个人"]
    assert ws["A3"].comment is not None and "新的错误。" in ws["A3"].comment.text
    assert ws["A2"].comment is None
    assert leftovers(tmp_path) == []


def test_failing_copy_says_what_it_says_in_process(workbook, tmp_path, here):
    report = check_workbook(workbook).report
    annotated_path(workbook, tmp_path).mkdir()        # a folder where the copy should go
    with BackgroundCopy.start(workbook, tmp_path) as copy:
        assert copy.running
        copy.begin(report)
        path, problem = copy.finish(report)
    assert here == []                                # the child's failure, not tried again
    assert path is None and problem.startswith("未能生成带批注的校验结果副本")
    here = annotate.try_write_annotated(workbook, report, tmp_path, reuse=True)

    def same(text):                   # the temporary file's writer and random part aside
        return re.sub(r"\.(\d+~)?[a-z0-9_]{8}\.tmp", ".TMP.tmp", text)
    assert here[0] is None and same(problem) == same(here[1])
    assert leftovers(tmp_path) == []


def test_no_child_can_start_written_here(workbook, tmp_path, monkeypatch):
    monkeypatch.setattr(annotate_worker, "child_command",
                        lambda: [str(tmp_path / "no-such-python"), "-m", "awardforms.assemble.annotate_worker"])
    report = check_workbook(workbook).report
    with BackgroundCopy.start(workbook, tmp_path) as copy:
        assert not copy.running
        copy.begin(report)
        path, problem = copy.finish(report)
    assert problem is None and path.is_file()
    assert load_workbook(path).sheetnames[0] == RESULT_SHEET


@pytest.mark.parametrize("command", [
    # another awardforms than this process's: the child refuses
    lambda: [sys.executable, "-m", "awardforms.assemble.annotate_worker", "/elsewhere/awardforms"],
    # a child that dies without an answer
    lambda: [sys.executable, "-c", "import sys; sys.exit(1)"],
])
def test_child_without_an_answer_written_here(workbook, tmp_path, monkeypatch, command, here):
    monkeypatch.setattr(annotate_worker, "child_command", command)
    report = check_workbook(workbook).report
    with BackgroundCopy.start(workbook, tmp_path) as copy:
        assert copy.running
        copy.begin(report)
        path, problem = copy.finish(report)
    assert problem is None and path.is_file() and len(here) == 1
    assert load_workbook(path).sheetnames[0] == RESULT_SHEET


def test_child_stops_when_told_and_leaves_nothing(workbook, tmp_path):
    report = check_workbook(workbook).report
    copy = BackgroundCopy.start(workbook, tmp_path)          # not needed after all (exit 2)
    proc = copy.proc
    copy.close()
    assert proc.returncode is not None and not copy.running
    for delay in (0.0, 0.2, 0.4):                            # stopped at different moments
        copy = BackgroundCopy.start(workbook, tmp_path / str(delay), reuse=False)
        proc = copy.proc
        copy.begin(report)
        time.sleep(delay)
        copy.close()
        assert proc.returncode is not None
        assert leftovers(tmp_path / str(delay)) == []
        target = annotated_path(workbook, tmp_path / str(delay))
        if delay == 0:            # told long before it could finish: it stopped, no copy
            assert not target.exists()
        elif target.exists():                                # finished before it was told
            assert load_workbook(target).sheetnames[0] == RESULT_SHEET


def _begun(script: str, workbook, tmp_path, monkeypatch):
    """(copy, its process): a child running `script` (python -c) instead of the module, given
    the workbook's issues."""
    monkeypatch.setattr(annotate_worker, "child_command",
                        lambda: [sys.executable, "-c", script, annotate_worker._package_dir()])
    copy = BackgroundCopy.start(workbook, tmp_path, reuse=False)
    proc = copy.proc
    copy.begin(check_workbook(workbook).report)
    return copy, proc


def test_child_stops_in_the_middle_of_a_long_load(workbook, tmp_path, monkeypatch):
    """End of input interrupts the child where it is (here a load that would take 30 s)."""
    slow = ("import sys, time; from awardforms.assemble import annotate, annotate_worker; "
            "annotate.open_copy = lambda source: [time.sleep(0.01) for _ in range(3000)]; "
            "sys.exit(annotate_worker.main(sys.argv[1:]))")
    copy, proc = _begun(slow, workbook, tmp_path, monkeypatch)
    time.sleep(1.0)                                   # well into the load
    t0 = time.monotonic()
    copy.close()
    assert time.monotonic() - t0 < 10 and proc.returncode == 130     # KeyboardInterrupt
    assert leftovers(tmp_path) == [] and not annotated_path(workbook, tmp_path).exists()


def test_child_told_to_stop_never_replaces_the_copy(workbook, tmp_path, monkeypatch):
    """Even when the interrupt is lost (an asynchronous exception raised inside a __del__ is
    only printed): a child whose input has ended does not put its copy in place."""
    deaf = ("import sys, _thread; from awardforms.assemble import annotate_worker; "
            "_thread.interrupt_main = lambda *a: None; "
            "sys.exit(annotate_worker.main(sys.argv[1:]))")
    copy, proc = _begun(deaf, workbook, tmp_path, monkeypatch)
    copy.close()                                      # long before it could finish
    assert proc.returncode == 130
    assert leftovers(tmp_path) == [] and not annotated_path(workbook, tmp_path).exists()


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    try:                          # an exited child no one has reaped yet (PID 1 in a container)
        return Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0] == "Z"
    except OSError:
        return False


@pytest.mark.skipif(os.name == "nt", reason="SIGKILL")
@pytest.mark.parametrize("delay", [0.0, 0.3])
def test_child_stops_when_the_parent_is_killed(workbook, tmp_path, delay):
    """The parent SIGKILLed (no clean-up at all): the child sees its input end and stops."""
    out = tmp_path / "o"
    script = textwrap.dedent(f"""
        import os, signal, sys, time
        from pathlib import Path
        from awardforms.assemble import annotate_worker
        from awardforms.check.validate import check_workbook
        annotate_worker.available_cores = lambda: 2
        source = Path({str(workbook)!r})
        copy = annotate_worker.BackgroundCopy.start(source, Path({str(out)!r}), reuse=False)
        copy.begin(check_workbook(source).report)
        print(copy.proc.pid, flush=True)
        time.sleep({delay})
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    parent = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True)
    assert parent.returncode == -signal.SIGKILL, parent.stderr
    child = int(parent.stdout.split()[0])
    deadline = time.monotonic() + 10
    while not _gone(child):
        assert time.monotonic() < deadline, "the child outlived its parent"
        time.sleep(0.05)
    assert leftovers(out) == []
    target = annotated_path(workbook, out)
    if delay == 0:                # killed long before the child could finish: it stopped
        assert not target.exists()
    elif target.exists():
        assert load_workbook(target).sheetnames[0] == RESULT_SHEET


def test_console_script_entry_point_writes_the_copy(workbook, tmp_path):
    """`awardforms check` as installed (the console script, run from another folder; with two
    cores or more, the copy's child is started from it)."""
    import shutil
    script = shutil.which("awardforms")
    if script is None:
        pytest.skip("console script not installed")
    out = tmp_path / "out"
    done = subprocess.run([script, "check", str(workbook), "-o", str(out)], cwd=tmp_path,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 1, done.stderr
    path = annotated_path(workbook, out)
    assert str(path) in done.stdout and path.is_file()
    assert leftovers(out) == []


def test_a_save_between_the_childs_load_and_the_check_gives_a_copy_of_the_checked_version(
        workbook, tmp_path, here):
    """The child loads the workbook before the check; the clerk saves meanwhile. The copy must
    show the version whose issues it carries (the checked bytes), not the one the child read."""
    with BackgroundCopy.start(workbook, tmp_path / "out") as copy:
        assert copy.running
        deadline = time.monotonic() + 30          # let the child read the first version
        while time.monotonic() < deadline and copy.proc.poll() is None:
            time.sleep(0.5)
            break
        time.sleep(1.5)
        # the clerk fixes 性别 and breaks the 身份证号码 of another row, and saves
        write_workbook(workbook, [collective(0)], [person(0), person(1, 身份证号码="22010219780512452X")])
        sub = check_workbook(workbook)
        copy.begin(sub.report)
        path, problem = copy.finish(sub.report, sub.source_data)
    assert problem is None
    assert here, "the child's copy of the older version was not replaced"
    wb = load_workbook(path)
    marked = {c.coordinate for row in wb["先进个人"].iter_rows() for c in row
              if c.fill.fgColor.rgb == ERROR_RGB}
    issues = {f"{i.column}{i.row}" for i in sub.report.errors if i.sheet == "先进个人" and i.column}
    assert issues and marked == issues
    values = [c.value for c in wb["先进个人"][3]]
    assert "22010219780512452X" in values            # the saved (checked) version's cells


def test_the_childs_copy_counts_when_the_workbook_did_not_change(workbook, tmp_path, here):
    sub = check_workbook(workbook)
    with BackgroundCopy.start(workbook, tmp_path / "out") as copy:
        copy.begin(sub.report)
        path, problem = copy.finish(sub.report, sub.source_data)
    assert problem is None and here == [] and path.exists()


def test_one_process_asked_for_writes_the_copy_here(workbook, tmp_path, here, monkeypatch):
    """AWARDFORMS_WORKERS=1 keeps everything in this process, the annotated copy included."""
    monkeypatch.setenv("AWARDFORMS_WORKERS", "1")
    sub = check_workbook(workbook)
    with BackgroundCopy.start(workbook, tmp_path / "out") as copy:
        assert not copy.running
        copy.begin(sub.report)
        path, problem = copy.finish(sub.report, sub.source_data)
    assert problem is None and len(here) == 1 and path.exists()
    assert load_workbook(path).sheetnames[0] == RESULT_SHEET

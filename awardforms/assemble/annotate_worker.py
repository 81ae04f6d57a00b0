"""The annotated copy written by a second process while this one renders (the CLI).

Writing the copy (annotate.py) is mostly openpyxl: importing it, loading the clerk's workbook,
saving the marked copy, about 0.3 s for 200 nominees, in a run that after a one-row edit
otherwise takes well under a second. The copy needs only the workbook and its issues, so:

1. `BackgroundCopy.start`, before the check: a child process (`python -m
   awardforms.assemble.annotate_worker`) imports openpyxl and loads the workbook meanwhile. Not started
   when the copy will probably be kept (`annotate.likely_kept`), on a single core, in a frozen
   program, or when no process can be started: then everything happens here, as before.
2. `begin(report)`: the issues go to the child, which marks and saves the copy (atomically,
   as always) while this process renders.
3. `finish(report)`: wait for the child's answer. Its copy counts only if the final report has
   exactly the issues it was given and was made from the very bytes this process checked (a
   clerk may save the workbook between the child's load and the check); otherwise, and
   whenever the child gives no answer, the copy is written here from the checked bytes
   (`annotate.try_write_annotated`), so the clerk gets the same file and the same messages
   either way.

The child never outlives its use: it reads its standard input until end of file, which comes
when the parent closes it (`close`, always called, also on Ctrl-C or an error) or dies, even
by SIGKILL / TerminateProcess; it then stops where it is (KeyboardInterrupt in its main
thread), and `output.atomic_write` removes its half-written temporary file, so the copy is
either the old one or the whole new one. The parent always waits for it (no zombie).
Plain `subprocess` rather than multiprocessing: the same on Windows and POSIX, nothing to
re-import from the console-script's `__main__`, and no pool start-up.

Protocol: the parent sends one line, JSON `{"order": [sheet names in the workbook's order],
"issues": [[Issue fields in order], ...]}`; the child
answers one line `PREFIX {"sha": ...}` (the hash of the workbook bytes the copy was made
from) or `PREFIX {"error": [type, message]}` (the copy failed, as it would have here).
"""

from __future__ import annotations

import dataclasses
import json
import os
import subprocess
import sys
from pathlib import Path

from awardforms.assemble.annotate import annotated_path, check_target, copy_digest, failure, likely_kept, \
    record_copy, source_sha, try_write_annotated
from awardforms.machine import available_cores
from awardforms.report import Issue, Report

PREFIX = b"awardforms-copy "
CLOSE_WAIT = 10.0        # seconds for a child to stop after its input is closed, then killed


def _issue_rows(report: Report) -> dict:
    """What the child is sent: the issues and the workbook's sheet order they are listed in."""
    return {"order": list(report.order), "issues": [list(dataclasses.astuple(issue)) for issue in report.issues]}


def _package_dir() -> str:
    return os.path.dirname(os.path.abspath(__file__))


def child_command() -> list[str]:
    """The child's command line: this interpreter with this process's flags (-X utf8, -E ...)."""
    flags = subprocess._args_from_interpreter_flags()   # what multiprocessing's spawn uses too
    return [sys.executable, *flags, "-m", "awardforms.assemble.annotate_worker", _package_dir()]


class BackgroundCopy:
    """The annotated copy of `source` into `out_dir`, prepared in a child process if one runs.

    Use as a context manager; `begin` once the issues are known, `finish` for the result."""

    def __init__(self, source: Path, out_dir: Path, reuse: bool):
        self.source, self.out_dir, self.reuse = Path(source), Path(out_dir), reuse
        self.out = annotated_path(self.source, self.out_dir)
        self.proc: subprocess.Popen | None = None
        self.sent: dict | None = None             # the issues the child was given

    @classmethod
    def start(cls, source: Path, out_dir: Path, reuse: bool = True) -> "BackgroundCopy":
        copy = cls(source, out_dir, reuse)
        if copy._worth_a_child():
            try:
                copy.proc = subprocess.Popen(
                    [*child_command(), str(copy.source), str(copy.out)],
                    stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    # no console window of its own on Windows (nor Ctrl-C: it stops when
                    # its input closes)
                    creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))
            except (OSError, ValueError, subprocess.SubprocessError):
                copy.proc = None                   # written in this process instead
        return copy

    def _worth_a_child(self) -> bool:
        if getattr(sys, "frozen", False) or available_cores() < 2:
            return False
        if os.environ.get("AWARDFORMS_WORKERS", "").strip() == "1":
            return False                           # one process asked for: everything here
        try:
            check_target(self.source, self.out)
            if self.source.suffix.lower() != ".xlsx":
                return False                       # the check will refuse it anyway
            return not (self.reuse and likely_kept(source_sha(self.source.read_bytes()), self.out))
        except (OSError, ValueError):
            return False                           # this process will say what is wrong

    @property
    def running(self) -> bool:
        return self.proc is not None

    def __enter__(self) -> "BackgroundCopy":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def begin(self, report: Report) -> None:
        """Hand the issues to the child: it writes the copy while this process goes on."""
        if self.proc is None:
            return
        rows = _issue_rows(report)
        try:
            self.proc.stdin.write(json.dumps(rows, ensure_ascii=False).encode("utf-8") + b"\n")
            self.proc.stdin.flush()
            self.sent = rows
        except OSError:                            # the child is gone: written here instead
            self.close()

    def finish(self, report: Report, data: bytes | None = None) -> tuple[Path | None, str | None]:
        """(path, None) when the copy is written (or kept); (None, the clerk's message) when
        it could not be. Never raises, like `annotate.try_write_annotated`.

        `data`: the workbook's bytes the issues come from (`Submission.source_data`). The
        child's copy counts only if it was made from these very bytes: a clerk who saves the
        workbook between the child's load and the check gets a copy of the checked version."""
        if self.proc is not None and self.sent == _issue_rows(report):
            answer = self._answer()
            if answer is not None and data is not None and answer.get("sha") not in (None, source_sha(data)):
                answer = None                      # the child loaded another version
            if answer is not None:
                if "error" in answer:
                    kind, text = answer["error"]
                    return None, failure(self.out, kind, text)
                try:
                    if self.reuse:
                        record_copy(self.out, copy_digest(answer["sha"], report), answer["sha"])
                except Exception as err:  # noqa: BLE001 - as try_write_annotated
                    return None, failure(self.out, type(err).__name__, str(err))
                return self.out, None
        self.close()          # no child, a copy of other issues, or no answer: written here
        return try_write_annotated(self.source, report, self.out_dir, reuse=self.reuse, data=data)

    def _answer(self) -> dict | None:
        """The child's answer (it then exits and is waited for); None if it gave none."""
        answer = None
        try:
            for line in self.proc.stdout:
                if line.startswith(PREFIX):
                    answer = json.loads(line[len(PREFIX):].decode("utf-8"))
                    if not isinstance(answer, dict) or not ("sha" in answer or "error" in answer):
                        answer = None
                    break
        except (OSError, ValueError):
            answer = None
        self.close()
        return answer

    def close(self) -> None:
        """Stop the child if it still runs (end of its input), and wait for it."""
        proc, self.proc = self.proc, None
        if proc is None:
            return
        try:
            proc.stdin.close()
        except OSError:
            pass
        try:
            proc.wait(CLOSE_WAIT)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        finally:
            proc.stdout.close()


# --------------------------------------------------------------------------- child side

def _read_parent(lines, state) -> None:
    """Thread: pass the parent's lines on; at end of input (the parent closed it or died)
    interrupt the main thread, unless the copy is already done. An asynchronous exception
    can be lost (raised inside a __del__, it is only printed), so the main thread also looks
    at `ended` before its copy replaces the old one.

    Reads the raw descriptor: a thread blocked in `sys.stdin.buffer` holds its lock, and the
    interpreter then aborts at exit ("could not acquire lock ... at interpreter shutdown")."""
    import _thread
    pending = b""
    try:
        while True:
            chunk = os.read(0, 1 << 16)
            if not chunk:
                break
            pending += chunk
            *complete, pending = pending.split(b"\n")
            for line in complete:
                lines.put(line)
    except OSError:
        pass
    state["ended"].set()
    lines.put(None)
    with state["lock"]:
        if state["busy"]:
            _thread.interrupt_main()


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str]) -> int:
    """The child: argv = [package dir, source, out]."""
    import queue
    import signal
    import threading
    package_dir, source, out = argv
    lines: queue.Queue = queue.Queue()
    state = {"lock": threading.Lock(), "busy": True, "ended": threading.Event()}
    threading.Thread(target=_read_parent, args=(lines, state), daemon=True).start()
    if os.name != "nt":
        signal.signal(signal.SIGTERM, _interrupt)    # stop cleanly: the temporary file goes
    # openpyxl imports numpy when it is installed (~50-100 ms), only to accept numpy numbers as
    # cell values; this process writes back only values openpyxl itself read from the file
    sys.modules.setdefault("numpy", None)
    try:
        if os.path.normcase(os.path.realpath(package_dir)) != \
                os.path.normcase(os.path.realpath(_package_dir())):
            return 3                 # another awardforms than the parent's: the parent writes it
        answer = _copy(Path(source), Path(out), lines, state["ended"])
        if answer is None:
            return 0                 # not needed after all
        with state["lock"]:
            state["busy"] = False
        sys.stdout.buffer.write(PREFIX + json.dumps(answer, ensure_ascii=False).encode("utf-8") + b"\n")
        sys.stdout.buffer.flush()
        return 0
    except KeyboardInterrupt:
        return 130


def _copy(source: Path, out: Path, lines, ended) -> dict | None:
    """Load while the parent checks; mark and save once the issues come (unless the parent
    has gone meanwhile: `ended`)."""

    def unless_ended() -> None:
        if ended.is_set():
            raise KeyboardInterrupt

    from awardforms.assemble import annotate
    wb = sha = error = None
    try:
        data = source.read_bytes()
        sha = source_sha(data)
        import io
        wb = annotate.open_copy(io.BytesIO(data))
    except Exception as err:  # noqa: BLE001 - reported as the copy's failure
        error = err
    line = lines.get()
    if line is None:
        return None
    sent = json.loads(line)
    report = Report([Issue(*row) for row in sent["issues"]], order=tuple(sent["order"]))
    if error is None:
        try:
            annotate.finish_copy(wb, report, out, before_replace=unless_ended)
        except Exception as err:  # noqa: BLE001 - reported as the copy's failure
            error = err
    if error is not None:
        return {"error": [type(error).__name__, str(error)]}
    return {"sha": sha}


if __name__ == "__main__":
    code = main(sys.argv[1:])
    # the copy is saved and closed, the answer flushed: skip the interpreter's clean-up of
    # openpyxl's objects (~5-10 ms the parent would wait for)
    sys.stdout.flush()
    os._exit(code)

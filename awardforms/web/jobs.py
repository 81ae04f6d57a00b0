"""The job queue (a table in SQLite) and the bounded pool of worker processes that works it.

An accepted upload is a row in `submissions` plus a `render` job, written in one transaction
after the file is safely on disk: from then on it is not lost. Workers claim the oldest
queued job whose lane (one per unit, one per campaign's collect) has nothing running, so two
uploads of one unit never render into its output folder at once.

The pool (`WorkerPool`, in the server process) starts `workers` processes (`python -m
awardforms.web.worker`), restarts one that dies and puts its job back in the queue (at most
MAX_ATTEMPTS tries, then the submission fails with a message). A worker exits when its
standard input closes, i.e. when the server stops or dies. At start, jobs left `running`
by a server that stopped are queued again (`recover`): a restart resumes them. Rendering is
incremental, so a job redone after an interruption redoes only what was not finished.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import threading
from pathlib import Path

from awardforms.web import db

MAX_ATTEMPTS = 3
CRASHED = "处理时工作进程意外退出（已重试 {n} 次），请稍后重新上传；如仍失败请联系管理员。"
log = logging.getLogger("awardforms.web")


def unit_lane(unit_id: int) -> str:
    return f"unit:{int(unit_id)}"


def enqueue_render(con, sid: int, unit_id: int) -> int:
    return con.execute("INSERT INTO jobs(kind, submission_id, lane, created) VALUES ('render', ?, ?, ?)",
                       (sid, unit_lane(unit_id), db.now())).lastrowid


def enqueue_collect(con, campaign: str) -> int | None:
    """A collect job for the campaign, unless one is already waiting (it will see the news)."""
    if con.execute("SELECT 1 FROM jobs WHERE kind = 'collect' AND campaign = ? AND state = 'queued'",
                   (campaign,)).fetchone():
        return None
    return con.execute("INSERT INTO jobs(kind, campaign, lane, created) VALUES ('collect', ?, ?, ?)",
                       (campaign, f"collect:{campaign}", db.now())).lastrowid


def claim(data_dir: Path, worker: int):
    """The next job for `worker`, marked running; None when there is nothing to do."""
    with db.connect(data_dir) as con:
        row = con.execute(
            "SELECT * FROM jobs WHERE state = 'queued' AND lane NOT IN"
            " (SELECT lane FROM jobs WHERE state = 'running') ORDER BY id LIMIT 1").fetchone()
        if row is None:
            return None
        con.execute("UPDATE jobs SET state = 'running', worker = ?, attempts = attempts + 1, started = ?,"
                    " stage = '', done = 0, total = 0 WHERE id = ?", (worker, db.now(), row["id"]))
        if row["submission_id"] is not None:
            con.execute("UPDATE submissions SET state = 'running', updated = ? WHERE id = ?",
                        (db.now(), row["submission_id"]))
        return con.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone()


def set_progress(data_dir: Path, job_id: int, stage: str, done: int = 0, total: int = 0) -> None:
    with db.connect(data_dir) as con:
        con.execute("UPDATE jobs SET stage = ?, done = ?, total = ? WHERE id = ?", (stage, done, total, job_id))


def finish(con, job_id: int, state: str = "done") -> None:
    con.execute("UPDATE jobs SET state = ?, finished = ? WHERE id = ?", (state, db.now(), job_id))


def recover(data_dir: Path) -> int:
    """Jobs a stopped server left running go back to the queue. Returns how many."""
    with db.connect(data_dir) as con:
        n = con.execute("UPDATE jobs SET state = 'queued', worker = NULL WHERE state = 'running'").rowcount
        con.execute("UPDATE submissions SET state = 'queued' WHERE state = 'running'")
        # an upload cut off before it was stored whole was never accepted
        con.execute("DELETE FROM submissions WHERE state = 'receiving'")
    return n


def requeue_worker(data_dir: Path, worker: int) -> None:
    """The jobs of a worker that died: queued again, or failed after MAX_ATTEMPTS tries."""
    with db.connect(data_dir) as con:
        for job in con.execute("SELECT * FROM jobs WHERE state = 'running' AND worker = ?", (worker,)).fetchall():
            if job["attempts"] >= MAX_ATTEMPTS:
                finish(con, job["id"], "failed")
                if job["submission_id"] is not None:
                    con.execute("UPDATE submissions SET state = 'failed', status = '无法使用', message = ?,"
                                " updated = ? WHERE id = ?",
                                (CRASHED.format(n=job["attempts"]), db.now(), job["submission_id"]))
            else:
                con.execute("UPDATE jobs SET state = 'queued', worker = NULL WHERE id = ?", (job["id"],))
                if job["submission_id"] is not None:
                    con.execute("UPDATE submissions SET state = 'queued' WHERE id = ?", (job["submission_id"],))


def _package_parent() -> str:
    return str(Path(__file__).resolve().parents[2])


def worker_command(data_dir: Path, slot: int) -> list[str]:
    flags = subprocess._args_from_interpreter_flags()     # -X utf8, -E ... as this process
    return [sys.executable, *flags, "-m", "awardforms.web.worker", str(data_dir), str(slot)]


class WorkerPool:
    """`size` worker processes, watched by a thread: a dead one is replaced, its job requeued."""

    def __init__(self, data_dir: Path, size: int, check_every: float = 1.0):
        self.data_dir, self.size, self.check_every = Path(data_dir), max(1, size), check_every
        self.procs: dict[int, subprocess.Popen] = {}
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        resumed = recover(self.data_dir)
        if resumed:
            log.info("继续处理上次未完成的 %d 个任务。", resumed)
        for slot in range(self.size):
            self._spawn(slot)
        self.thread = threading.Thread(target=self._watch, name="awardforms-workers", daemon=True)
        self.thread.start()

    def _spawn(self, slot: int) -> None:
        env = dict(os.environ)
        # the worker imports this very package, wherever the server was started from
        env["PYTHONPATH"] = os.pathsep.join(p for p in (_package_parent(), env.get("PYTHONPATH")) if p)
        self.procs[slot] = subprocess.Popen(
            worker_command(self.data_dir, slot), stdin=subprocess.PIPE, env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0))

    def _watch(self) -> None:
        while not self.stopping.wait(self.check_every):
            for slot, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping.is_set():
                    log.warning("工作进程 %d 已退出（%s），重新启动。", slot, proc.returncode)
                    requeue_worker(self.data_dir, slot)
                    self._spawn(slot)

    def stop(self, wait: float = 10.0) -> None:
        self.stopping.set()
        for proc in self.procs.values():
            try:
                proc.stdin.close()          # the worker's signal to stop
            except OSError:
                pass
        for proc in self.procs.values():
            try:
                proc.wait(wait)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        if self.thread is not None:
            self.thread.join(wait)

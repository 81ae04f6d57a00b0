"""The queue survives restarts and dead workers: no accepted upload is lost."""

from __future__ import annotations

import signal
import time

from awardforms.web import db, jobs
from awardforms.web.jobs import WorkerPool
from webhelp import UNIT_A, Client, good_book, live_server, make_users


def _states(data):
    with db.connect(data, write=False) as con:
        return {r["id"]: (r["state"], r["status"]) for r in con.execute("SELECT * FROM submissions")}


def test_uploads_accepted_while_no_worker_runs_are_processed_after_a_restart(tmp_path):
    data = tmp_path / "data"
    make_users(data)
    with live_server(data, workers=1) as live:
        c = Client(live.url)
        assert c.login("clerk_a") == 302
        sids = [c.upload(good_book(tmp_path / f"{i}.xlsx", UNIT_A, n=i + 1)) for i in range(3)]
        live.proc.send_signal(signal.SIGKILL)            # the server dies right after accepting them
        live.proc.wait()
    assert all(s in _states(data) for s in sids)
    with live_server(data, workers=2) as live:           # restarted: the queue resumes
        c = Client(live.url)
        c.login("clerk_a")
        done = [c.wait(s, timeout=300) for s in sids]
    assert [d["state"] for d in done] == ["done"] * 3
    assert {_states(data)[s] for s in sids} == {("done", "合格")}


def test_a_job_left_running_is_queued_again_and_a_crashing_one_fails_after_three_tries(tmp_path):
    data = tmp_path / "data"
    make_users(data)
    with db.connect(data) as con:
        for sid in (1, 2):
            con.execute("INSERT INTO submissions(id, unit_id, user_id, filename, stored, size, sha256, created,"
                        " updated) VALUES (?, 1, 1, 'a.xlsx', 'a.xlsx', 1, '', 0, 0)", (sid,))
            jobs.enqueue_render(con, sid, 1)
    first = jobs.claim(data, 0)
    assert jobs.claim(data, 1) is None               # same unit: never two at once
    assert jobs.recover(data) == 1                   # a server restart
    job = jobs.claim(data, 0)
    assert (job["id"], job["attempts"]) == (first["id"], 2)
    jobs.requeue_worker(data, 0)                     # its worker died: queued again
    assert _states(data)[1] == ("queued", "")
    job = jobs.claim(data, 0)
    assert (job["id"], job["attempts"]) == (first["id"], jobs.MAX_ATTEMPTS)
    jobs.requeue_worker(data, 0)                     # died again: given up, with a message
    states = _states(data)
    assert states[1] == ("failed", "无法使用") and states[2][0] == "queued"


def test_the_pool_replaces_a_worker_that_dies(tmp_path):
    data = tmp_path / "data"
    make_users(data)
    pool = WorkerPool(data, 1, check_every=0.2)
    pool.start()
    try:
        old = pool.procs[0]
        old.kill()
        deadline = time.monotonic() + 30
        while pool.procs[0] is old and time.monotonic() < deadline:
            time.sleep(0.1)
        assert pool.procs[0] is not old and pool.procs[0].poll() is None
    finally:
        pool.stop()
    assert all(p.poll() is not None for p in pool.procs.values())


def test_issue_table_lists_errors_first_then_sheets_in_the_workbooks_order():
    from awardforms.report import Issue
    from awardforms.web.worker import ordered
    issues = [Issue("先进个人", 3, "B", "姓名", "error", "x", "甲"),
              Issue("先进集体", 4, "C", "名称", "warning", "y", "乙"),
              Issue("先进集体", 2, "A", "名称", "error", "z", "丙")]
    got = ordered(issues, ("先进集体", "先进个人"))     # the workbook's tab order, not by name
    assert [(i.severity, i.sheet, i.row) for i in got] == [
        ("error", "先进集体", 2), ("error", "先进个人", 3), ("warning", "先进集体", 4)]

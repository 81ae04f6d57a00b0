"""The executor: the process pool and the in-process path write the same files; a worker's
error comes back as the same clean exception; small runs never start a pool."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from awardforms.forms import executor
from awardforms.campaigns.load import ROOT
from awardforms.errors import TemplateError
from awardforms.forms.executor import JobRunner, configured_workers, run_jobs, session
from awardforms.forms.jobs import nominee_jobs, summary_jobs
from awardforms.build.pipeline import check

SAMPLE = ROOT / "data" / "samples" / "anju" / "长春市保障性安居推荐.xlsx"


@pytest.fixture(scope="module")
def sample():
    sub = check(SAMPLE)
    _, jobs = nominee_jobs(sub)
    return sub.campaign.id, jobs + summary_jobs(sub)


def contents(folder: Path) -> dict[str, object]:
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".docx":
            with zipfile.ZipFile(path) as z:
                out[str(path.relative_to(folder))] = {
                    n: etree.tostring(etree.fromstring(z.read(n)), method="c14n")
                    if n.endswith((".xml", ".rels")) else z.read(n) for n in z.namelist()}
        elif path.is_file():
            out[str(path.relative_to(folder))] = path.stat().st_size > 0
    return out


def test_pool_and_in_process_write_the_same_files(sample, tmp_path):
    campaign, jobs = sample
    run_jobs(jobs, tmp_path / "one", campaign, workers=1)
    with JobRunner(workers=2, min_jobs=1) as runner:
        runner(jobs, tmp_path / "pool", campaign)
        assert runner.pooled
    one, pool = contents(tmp_path / "one"), contents(tmp_path / "pool")
    assert len(one) == len(jobs) and one.keys() == pool.keys()
    for name in one:
        assert one[name] == pool[name], name


def test_worker_error_surfaces_as_the_same_exception(sample, tmp_path):
    campaign, jobs = sample
    docx = [j for j in jobs if j.kind == "docx"]
    k = next(i for i, j in enumerate(docx) if i >= 5 and j.template.endswith("推荐审批表.docx"))   # uses {{ name }}
    broken = dataclasses.replace(docx[k], context={key: v for key, v in docx[k].context.items() if key != "name"})
    batch = docx[:k] + [broken] + docx[k + 1:]
    with pytest.raises(TemplateError) as local:
        run_jobs(batch, tmp_path / "one", campaign, workers=1)
    with pytest.raises(TemplateError) as pooled:
        run_jobs(batch, tmp_path / "pool", campaign, workers=2, min_jobs=1)
    assert type(pooled.value) is type(local.value)
    assert str(pooled.value) == str(local.value)
    assert pooled.value.path == local.value.path and pooled.value.fix == local.value.fix
    assert "name" in str(pooled.value)


def test_other_worker_errors_keep_their_type(sample, tmp_path):
    campaign, jobs = sample
    docx = [j for j in jobs if j.kind == "docx"]
    with_photo = next(j for j in docx if j.template.endswith("先进个人推荐审批表.docx"))
    missing = dataclasses.replace(with_photo, photo=str(tmp_path / "no-such-photo.jpg"))
    with pytest.raises(FileNotFoundError):
        run_jobs([missing] + docx[1:4], tmp_path / "pool", campaign, workers=2, min_jobs=1)


def test_small_run_stays_in_process(sample, tmp_path, monkeypatch):
    campaign, jobs = sample

    def no_pool(*a, **k):
        raise AssertionError("a pool was started for a small run")
    monkeypatch.setattr(executor, "ProcessPoolExecutor", no_pool)
    run_jobs(jobs[:12], tmp_path / "out", campaign, workers=2)
    assert len(list((tmp_path / "out").rglob("*.docx"))) == 12


def test_env_var_forces_one_worker(sample, tmp_path, monkeypatch):
    campaign, jobs = sample
    monkeypatch.setenv(executor.WORKERS_ENV, "1")
    assert configured_workers() == 1
    monkeypatch.setattr(executor, "ProcessPoolExecutor", None)     # would fail if used
    run_jobs(jobs, tmp_path / "out", campaign)
    assert len(list((tmp_path / "out").rglob("*.docx"))) == sum(j.kind == "docx" for j in jobs)
    monkeypatch.setenv(executor.WORKERS_ENV, "3")
    assert configured_workers() == 3 and configured_workers(2) == 2


def test_session_shares_one_pool_across_chunks(sample, tmp_path):
    campaign, jobs = sample
    with session(workers=2, min_jobs=20) as runner:
        for i in range(0, len(jobs), 8):          # as the incremental build hands them over
            run_jobs(jobs[i:i + 8], tmp_path / "out", campaign)
            if i + 8 < 20:
                assert not runner.pooled          # the first chunks run here
        assert runner.pooled
        pool = runner._pool
        run_jobs(jobs[:8], tmp_path / "out", campaign)
        assert runner._pool is pool
    assert not runner.pooled                      # closed with the session
    assert len(list((tmp_path / "out").rglob("*.docx"))) == sum(j.kind == "docx" for j in jobs)


def test_batch_size_only_grows_for_runs_that_may_use_the_pool(monkeypatch):
    monkeypatch.delenv(executor.WORKERS_ENV, raising=False)
    assert executor.batch_size(12, workers=2) is None            # small: the build's default
    assert executor.batch_size(1000, workers=1) is None
    assert executor.batch_size(1000, workers=2) == 128


def test_parent_keeps_the_templates_a_pooled_run_used(sample, tmp_path):
    """The next render in this process (the watcher, an edit) does not compile again."""
    from awardforms.forms import fastrender
    campaign, jobs = sample
    fastrender.clear_cache()
    with JobRunner(workers=2, min_jobs=1) as runner:
        runner(jobs, tmp_path / "pool", campaign)
        assert runner.pooled
    used = {str(fastrender.template_path(j.template)) for j in jobs if j.kind == "docx"}
    assert used and used <= set(fastrender._CACHE)



def test_a_template_only_one_job_uses_is_rendered_here(sample, tmp_path, monkeypatch):
    """The 汇总表 (one job) is rendered in this process while workers render the forms: this
    process then keeps its remembered rows for the next render after an edit."""
    campaign, jobs = sample
    here = []
    real = executor.run_job

    def recording(job, out_dir, campaign_id):     # workers run their own copy: not recorded
        here.append(job.out)
        real(job, out_dir, campaign_id)

    monkeypatch.setattr(executor, "run_job", recording)
    docx = [j for j in jobs if j.kind == "docx"]
    counts = {t: sum(j.template == t for j in docx) for t in {j.template for j in docx}}
    single = sorted(j.out for j in docx if counts[j.template] == 1)
    assert single and len(single) < len(docx)     # the sample has both kinds
    with JobRunner(workers=2, min_jobs=1) as runner:
        runner(jobs, tmp_path / "pool", campaign)
        assert runner.pooled
    assert sorted(o for o in here if o.endswith(".docx")) == single
    assert sorted(p.relative_to(tmp_path / "pool").as_posix()
                  for p in (tmp_path / "pool").rglob("*.docx")) == sorted(j.out for j in docx)

# --------------------------------------------------------------------------- worker hygiene
# These run a small script in a subprocess: it replaces `executor.run_job` at module level (so
# forked and spawned workers alike run the replacement) and starts a pool via JobRunner.

import json
import os
import signal
import subprocess
import sys
import time

from awardforms.forms.jobs import FormJob

REPO = Path(__file__).resolve().parents[2]

SLOW_JOBS = """
import os, sys, time
from pathlib import Path
from awardforms.forms import executor
from awardforms.forms.jobs import FormJob

def slow_job(job, out_dir, campaign_id):
    (Path(out_dir) / f"{os.getpid()}.pid").write_text("")
    time.sleep(600)

executor.run_job = slow_job

if __name__ == "__main__":
    out = Path(sys.argv[1])
    jobs = [FormJob(out=f"{i}.docx", template="none.docx", context={}) for i in range(8)]
    with executor.JobRunner(workers=2, min_jobs=1) as runner:
        runner(jobs, out, "x")
"""

REPORT_JOBS = """
import json, logging, os, signal, sys
from pathlib import Path
from awardforms.forms import executor
from awardforms.forms.jobs import FormJob

def report(job, out_dir, campaign_id):
    loggers = [logging.getLogger()] + [
        lg for lg in logging.Logger.manager.loggerDict.values() if isinstance(lg, logging.Logger)]
    logging.getLogger("awardforms.commands.watch").warning("worker wrote this")
    state = {"sigterm_default": signal.getsignal(signal.SIGTERM) is signal.SIG_DFL,
             "sigint_ignored": signal.getsignal(signal.SIGINT) is signal.SIG_IGN,
             "handlers": [repr(h) for lg in loggers for h in lg.handlers]}
    (Path(out_dir) / f"{os.getpid()}-{job.out}.json").write_text(json.dumps(state))

executor.run_job = report

if __name__ == "__main__":
    out = Path(sys.argv[1])
    signal.signal(signal.SIGTERM, lambda *a: None)       # as the watcher does
    signal.signal(signal.SIGINT, lambda *a: None)
    watch_log = logging.getLogger("awardforms.commands.watch")
    watch_log.propagate = False
    watch_log.addHandler(logging.FileHandler(out / "watch.log", encoding="utf-8"))
    logging.getLogger().addHandler(logging.StreamHandler())
    jobs = [FormJob(out=f"{i}", template="none.docx", context={}) for i in range(8)]
    with executor.JobRunner(workers=2, min_jobs=1) as runner:
        runner(jobs, out, "x")
    watch_log.warning("parent wrote this")
"""


def _script_env() -> dict:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")]))
    env.pop(executor.WORKERS_ENV, None)
    return env


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that may never come counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX: kill -9 and the parent watchdog")
def test_workers_exit_when_the_parent_is_killed(tmp_path):
    script = tmp_path / "slow.py"
    script.write_text(SLOW_JOBS)
    out = tmp_path / "out"
    out.mkdir()
    parent = subprocess.Popen([sys.executable, str(script), str(out)], cwd=tmp_path,
                              env=_script_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and time.monotonic() < deadline and parent.poll() is None:
            workers = [int(p.stem) for p in out.glob("*.pid")]
            time.sleep(0.05)
        assert len(workers) == 2, "the workers never started their jobs"
        parent.kill()                                    # SIGKILL: no cleanup in the parent
        parent.wait()
        deadline = time.monotonic() + 5
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived their parent"
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()
        for pid in workers:                              # never leave them behind
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_workers_drop_the_parents_signal_and_logging_handlers(tmp_path):
    script = tmp_path / "report.py"
    script.write_text(REPORT_JOBS)
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run([sys.executable, str(script), str(out)], cwd=tmp_path, env=_script_env(),
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    reports = [json.loads(p.read_text()) for p in out.glob("*.json")]
    assert len(reports) == 8
    for state in reports:
        assert state == {"sigterm_default": True, "sigint_ignored": True, "handlers": []}
    log = (out / "watch.log").read_text(encoding="utf-8")
    assert "parent wrote this" in log                    # the parent's handler still works
    assert "worker wrote this" not in log


def test_worker_initializer_is_given_the_parents_pid(monkeypatch):
    started = {}

    def fake_pool(workers, initializer, initargs):
        started.update(initializer=initializer, initargs=initargs)
        raise RuntimeError("stop here")
    monkeypatch.setattr(executor, "ProcessPoolExecutor", fake_pool)
    jobs = [FormJob(out=f"{i}.docx", template="none.docx", context={}) for i in range(4)]
    with pytest.raises(RuntimeError, match="stop here"):
        JobRunner(workers=2, min_jobs=1)._get_pool(jobs)
    assert started["initializer"] is executor._init_worker
    assert started["initargs"][-1] == os.getpid()

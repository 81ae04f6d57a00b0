"""Run output jobs: in-process for small runs, on every core for large ones.

`JobRunner` is called like the pipeline's executor, `runner(jobs, out_dir, campaign_id)`,
possibly many times in one run (the incremental build hands jobs over in chunks). It works
in-process until the run has seen `POOL_MIN_JOBS` jobs, so 3 nominees never pay for a pool;
from then on .docx jobs go to a process pool that lives until the runner is closed. Each
worker compiles a template once (`fastrender.compiled`, cached for the worker's life): in its
initializer for templates nearly every job uses, else when it first meets one. Jobs are
grouped by template and sent in chunks, so a worker renders many forms per round trip and
meets few templates. The parent compiles the templates of the first pooled call before the
pool starts (with `fork` the workers inherit them) and, while the workers render, those of
each later call, so it has every template for its next render.

Forms are independent files, so order does not matter; after an error, the pool path
reports the first failing job of the first failing chunk.

A worker's error comes back as the same exception the in-process path raises (e.g.
`TemplateError` naming template and field), not as a pool's wrapped traceback.

`AWARDFORMS_WORKERS=1` (or `workers=1`) keeps everything in-process.
"""

from __future__ import annotations

import os
import pickle
from collections import Counter
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from awardforms.campaigns.load import load_campaign
from awardforms.errors import AwardformsError
from awardforms.forms.fastrender import compiled, render_docx_fast
from awardforms.forms.jobs import FormJob
from awardforms.machine import available_cores
from awardforms.forms.summary import write_summary_xlsx

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor as _Pool

WORKERS_ENV = "AWARDFORMS_WORKERS"
POOL_MIN_JOBS = 20          # below this many jobs in a run, no pool
CHUNKS_PER_WORKER = 16      # per call: enough chunks to balance, few enough round trips
MIN_CHUNK = 4               # jobs per round trip at least (small calls: one chunk per worker)


def configured_workers(workers: int | None = None) -> int:
    """`workers` if given, else $AWARDFORMS_WORKERS, else every core."""
    if workers is None:
        env = os.environ.get(WORKERS_ENV, "").strip()
        if env:
            try:
                workers = int(env)
            except ValueError:
                raise AwardformsError(f"环境变量 {WORKERS_ENV} 应为整数，实为“{env}”。") from None
    return max(1, workers if workers else available_cores())


# Job kinds a pool runs besides the forms: each nominee's 材料清单.xlsx (assemble/stage.py;
# openpyxl, ~5 ms each: 5 s for 1,000 nominees in one process)
POOLED = ("docx", "checklist-xlsx")


def run_job(job: FormJob, out_dir: Path, campaign_id: str) -> None:
    """Produce one output file, in this process."""
    target = out_dir / job.out
    if job.kind == "summary-xlsx":
        write_summary_xlsx(load_campaign(campaign_id), job.context, target)
    elif job.kind == "checklist-xlsx":
        from awardforms.read.scans import write_checklist
        write_checklist(target, job.context["title"], job.context["rows"])
    else:
        render_docx_fast(job.template, job.context, target, photo=job.photo)


# --------------------------------------------------------------------------- worker side

PARENT_CHECK_INTERVAL = 0.5    # seconds between a worker's checks that its parent lives


def _init_worker(templates: list[str], parent_pid: int | None = None) -> None:
    """Set up a worker: undo what it inherited from the parent, make it exit with the
    parent, and compile, once, the templates it was started for (see JobRunner)."""
    _reset_inherited_state()
    if parent_pid is not None:
        _watch_parent(parent_pid)
    _compile_quietly(templates)


def _reset_inherited_state() -> None:
    """A forked worker starts with the parent's signal and logging handlers (the watcher's:
    a SIGTERM would only log "stopping" into watch.log and carry on). A worker takes
    SIGTERM's default (it dies), ignores SIGINT (a Ctrl-C in the terminal reaches the whole
    process group; the parent alone handles it and shuts the pool down) and logs nowhere:
    its errors go back to the parent with the chunk's result."""
    import logging
    import signal
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    loggers = [logging.getLogger()] + [
        lg for lg in list(logging.Logger.manager.loggerDict.values()) if isinstance(lg, logging.Logger)]
    for lg in loggers:
        for handler in list(lg.handlers):
            lg.removeHandler(handler)     # not closed: the parent's file stays the parent's


def _watch_parent(parent_pid: int) -> None:
    """Exit this worker (os._exit) once the parent is gone, e.g. killed with SIGKILL: a
    forked worker holds copies of its own pipe ends, so it would never see EOF and would
    wait for work forever. POSIX only; on Windows (spawned) workers exit when their
    pipes break, and os.kill(pid, 0) there would terminate the process it names."""
    if os.name == "nt":
        return
    import threading
    import time
    ppid = os.getppid()

    def parent_alive() -> bool:
        if os.getppid() != ppid:                 # re-parented: whoever started us died
            return False
        if ppid != parent_pid:                   # started by a fork server (or the parent
            try:                                 # died before we got here): ask directly
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                return False
            except OSError:                      # exists, not ours to signal
                pass
        return True

    def watch() -> None:
        while parent_alive():
            time.sleep(PARENT_CHECK_INTERVAL)
        os._exit(1)

    threading.Thread(target=watch, name="awardforms-parent-watch", daemon=True).start()


def _compile_quietly(templates) -> None:
    for name in sorted(templates):
        try:
            compiled(name)
        except Exception:        # noqa: BLE001 - reported with the job that uses it
            pass


def _run_chunk(jobs: list[FormJob], out_dir: Path, campaign_id: str) -> tuple | None:
    """Run jobs in order; on error stop and return it in a form the parent can rebuild."""
    for job in jobs:
        try:
            run_job(job, out_dir, campaign_id)
        except Exception as err:            # noqa: BLE001 - re-raised in the parent
            return _pack_error(err)
    return None


def _pack_error(err: Exception) -> tuple:
    """(class, args, attributes) for our errors; the exception itself if it pickles."""
    if isinstance(err, AwardformsError):
        attrs = {k: v for k, v in vars(err).items() if _picklable(v)}
        return ("awardforms", type(err), err.args, attrs)
    if _picklable(err):
        return ("plain", err)
    return ("plain", RuntimeError(f"{type(err).__name__}: {err}"))


def _picklable(value: Any) -> bool:
    try:
        pickle.loads(pickle.dumps(value))
        return True
    except Exception:          # noqa: BLE001
        return False


def _unpack_error(packed: tuple) -> BaseException:
    if packed[0] == "awardforms":
        _, cls, args, attrs = packed
        err = cls.__new__(cls)
        Exception.__init__(err, *args)
        err.__dict__.update(attrs)
        return err
    return packed[1]


# --------------------------------------------------------------------------- parent side

def ProcessPoolExecutor(*args, **kwargs):     # noqa: N802 - stands in for the class (tests replace it)
    """concurrent.futures.ProcessPoolExecutor, imported when a pool is started: with
    multiprocessing it costs ~13 ms, which a run that renders little or nothing never needs."""
    from concurrent.futures import ProcessPoolExecutor as pool_class
    return pool_class(*args, **kwargs)


def _chunks(items: list, count: int) -> Iterable[list]:
    size = max(1, -(-len(items) // count))
    for i in range(0, len(items), size):
        yield items[i:i + size]


class JobRunner:
    """An executor for one run; use as a context manager (closes the pool)."""

    def __init__(self, workers: int | None = None, min_jobs: int = POOL_MIN_JOBS):
        self.workers = configured_workers(workers)
        self.min_jobs = min_jobs
        self.seen = 0
        self._pool: _Pool | None = None

    @property
    def pooled(self) -> bool:
        return self._pool is not None

    def __enter__(self) -> "JobRunner":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __call__(self, jobs: list[FormJob], out_dir: Path, campaign_id: str) -> None:
        self.seen += len(jobs)
        docx = [j for j in jobs if j.kind in POOLED]
        if self.workers == 1 or len(docx) < 2 or (self._pool is None and self.seen < self.min_jobs):
            for job in jobs:
                run_job(job, out_dir, campaign_id)
            return
        from concurrent.futures import wait
        # A template only one job of this call uses (the 汇总表, a report) is rendered here
        # while the workers render the rest: this process compiles every template anyway,
        # and it keeps that document's remembered rows (fastrender) for the next render
        # after an edit (the watcher, `render` called again), which then redoes one row
        counts = Counter(j.template for j in docx)
        here = [j for j in docx if counts[j.template] == 1 and j.kind == "docx"]
        if len(here) < len(docx):
            docx = [j for j in docx if counts[j.template] > 1 or j.kind != "docx"]
        else:
            here = []
        pool = self._get_pool(docx)
        # grouped by template (stable): a chunk needs few templates, so each worker compiles
        # only those it meets, and the compile work is shared out too
        docx.sort(key=lambda j: j.template)
        count = min(self.workers * CHUNKS_PER_WORKER, -(-len(docx) // MIN_CHUNK))
        futures = [pool.submit(_run_chunk, chunk, out_dir, campaign_id)
                   for chunk in _chunks(docx, max(count, min(self.workers, len(docx))))]
        try:
            for job in jobs:                     # the few others meanwhile, here
                if job.kind not in POOLED:
                    run_job(job, out_dir, campaign_id)
            for job in here:
                run_job(job, out_dir, campaign_id)
            # and this process keeps every template compiled for its next render (the
            # watcher, or an edit re-rendered in the same process)
            _compile_quietly({j.template for j in docx if j.kind == "docx"})
        except BaseException:
            for f in futures:
                f.cancel()
            wait(futures)
            raise
        for f in futures:                        # first error in job order wins
            packed = f.result()                  # a crashed pool raises here
            if packed is not None:
                for other in futures:
                    other.cancel()
                wait(futures)
                raise _unpack_error(packed)

    def _get_pool(self, docx: list[FormJob]) -> _Pool:
        if self._pool is None:
            # Templates used by nearly every job (e.g. one form per nominee) are compiled in
            # each worker's initializer; the others on first use (then cached in the worker).
            counts = Counter(j.template for j in docx if j.kind == "docx")
            common = sorted(t for t, n in counts.items() if n * 2 > len(docx))
            # compiled here first: forked workers inherit them
            _compile_quietly(counts)
            self._pool = ProcessPoolExecutor(self.workers, initializer=_init_worker,
                                             initargs=(common, os.getpid()))
        return self._pool


def batch_size(planned: int, workers: int | None = None) -> int | None:
    """Jobs to hand over per call in a run of `planned` jobs that may use the pool (None:
    the caller's default). Each call ends with a wait for every worker, so calls of a few
    jobs would spend more on the round trip than the pool gains."""
    n = configured_workers(workers)
    if n == 1 or planned < POOL_MIN_JOBS:
        return None
    return 64 * n


_SESSION: ContextVar[JobRunner | None] = ContextVar("awardforms_job_runner", default=None)


@contextmanager
def session(workers: int | None = None, min_jobs: int = POOL_MIN_JOBS):
    """One run's JobRunner: `run_jobs` calls inside share it (and its pool)."""
    with JobRunner(workers, min_jobs) as runner:
        token = _SESSION.set(runner)
        try:
            yield runner
        finally:
            _SESSION.reset(token)


def run_jobs(jobs: list[FormJob], out_dir: Path, campaign_id: str, workers: int | None = None,
             min_jobs: int = POOL_MIN_JOBS) -> None:
    """Run jobs on the current `session`'s runner, or as one batch: on a pool if there are
    at least `min_jobs`, else in-process."""
    runner = _SESSION.get()
    if runner is not None and workers is None:
        runner(jobs, out_dir, campaign_id)
        return
    with JobRunner(workers, min_jobs) as runner:
        runner(jobs, out_dir, campaign_id)

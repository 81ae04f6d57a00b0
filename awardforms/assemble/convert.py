""".docx → PDF through lanes of headless LibreOffice, in as few start-ups as the lanes need.

Every file of a call is staged under a unique name (`f00001.docx`, a hard link, or a copy where
links are impossible) in one flat folder, so files from any number of folders, even with the
same name, convert together: a run's 550 forms in 260 nominee folders are a handful of
LibreOffice calls, not one per folder. The files are cut into batches of at most
`batch_size` (LibreOffice 7.4 stops after about 240 files in one call and still exits 0) in
a multiple of the lanes, and each lane (one soffice at a time, with its own profile, kept
warm in the cache folder between runs) takes the next batch when it is free.

After each call every PDF of the batch is checked (it is there, starts with %PDF- and pypdf
opens it and finds pages) and moved beside its .docx (or where `out_dir_for` says). What is
missing after a call that ended normally having made some PDFs is converted again by the
next call (LibreOffice stopped early). A call that makes no progress for `timeout` seconds
(a hang) is killed with its whole process group; so is a crash. Then the first file the call
left, the likely cause, is tried once more on its own and the rest of the batch again as a
batch: one poisonous file cannot sink its neighbours, and a file is given up after failing
twice. No soffice process outlives `convert_to_pdf`, also on Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import time
import zipfile
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Queue

from awardforms.assemble.fonts import converter_env
from awardforms.cachedir import cache_root
from awardforms.errors import AwardformsError
from awardforms.machine import available_cores

INSTALL_HINT = ("未找到 LibreOffice，无法生成 PDF（.docx 不受影响）：请运行 scripts/install-system-deps.sh，"
                "或 sudo apt-get install libreoffice-writer-nogui；Windows 请安装 LibreOffice")
WINDOWS_SOFFICE = Path(r"C:\Program Files\LibreOffice\program\soffice.exe")
BATCH_SIZE = 150          # files per LibreOffice call: well below the ~240 where 7.4 stops
MIN_PER_LANE = 4          # fewer files than this per lane: fewer lanes (a start-up costs ~1 s)
POLL = 0.25               # seconds between looks at a running call's progress
PROFILE_SLOTS = 32        # warm profiles kept in the cache folder, one per concurrent soffice


class ConverterMissing(AwardformsError):
    """LibreOffice (soffice) is not installed or not on PATH."""


class ConversionFailed(AwardformsError):
    """Some files could not be converted; `failed` maps each to a reason, `converted` lists
    the PDFs that were written."""

    def __init__(self, failed: dict[Path, str], converted: list[Path]):
        lines = "；".join(f"{p.name}（{why}）" for p, why in failed.items())
        super().__init__(f"有 {len(failed)} 个文件未能转换为 PDF：{lines}",
                         fix="。请用 Word 打开这些文件检查是否损坏，并确认输出文件夹可写，然后重试")
        self.failed = failed
        self.converted = converted


def find_soffice() -> str:
    """Path of the LibreOffice binary: $AWARDFORMS_SOFFICE, soffice or libreoffice on PATH."""
    candidates = [os.environ.get("AWARDFORMS_SOFFICE"), shutil.which("soffice"),
                  shutil.which("libreoffice")]
    if os.name == "nt":
        candidates.append(str(WINDOWS_SOFFICE) if WINDOWS_SOFFICE.exists() else None)
    for found in candidates:
        if found:
            return found
    raise ConverterMissing(INSTALL_HINT)


def pdf_problem(path: Path) -> str:
    """Why `path` is not a complete PDF ('' if it is): present, %PDF-, pypdf finds pages."""
    try:
        with path.open("rb") as handle:
            if handle.read(5) != b"%PDF-":
                return "不是 PDF 文件"
        from pypdf import PdfReader
        if not len(PdfReader(path).pages):
            return "PDF 没有页面"
    except FileNotFoundError:
        return "未生成 PDF"
    except Exception as err:            # noqa: BLE001 - any damage: the file is not usable
        return f"PDF 无法打开（{type(err).__name__}）"
    return ""


def _docx_problem(path: Path) -> str:
    """Why `path` is not a Word file worth handing to LibreOffice ('' if it is). LibreOffice
    would import a damaged file as plain text and print its bytes as a PDF of garbage."""
    if not path.is_file():
        return "文件不存在"
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        names = set()
    if path.suffix.lower() in (".docx", ".docm", ".dotx") and "word/document.xml" not in names:
        return "不是有效的 .docx 文件，可能已损坏"
    return ""


class _Job:
    __slots__ = ("source", "target", "staged")

    def __init__(self, source: Path, target: Path, staged: Path):
        self.source, self.target, self.staged = source, target, staged


class _Pool:
    """The running soffice process groups (killed together on the way out) and the outcome."""

    def __init__(self, soffice: str, timeout: float, scratch: Path, on_done=None):
        self.soffice, self.timeout, self.scratch, self.on_done = soffice, timeout, scratch, on_done
        self.env = {**converter_env(), "SAL_USE_VCLPLUGIN": "svp"}
        self.running: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.done: set[Path] = set()
        self.failures: dict[Path, str] = {}
        self.calls = 0

    def convert(self, profile: Path, batch: list[_Job]) -> None:
        """Convert a batch on one lane: again what LibreOffice left out; after a hang, crash
        or a call without progress, the first file left alone and the rest as a batch."""
        pending: deque[tuple[list[_Job], bool]] = deque([(batch, False)])   # (jobs, failed once)
        while pending and not self.stopping.is_set():
            jobs, failed_once = pending.popleft()
            why = self._attempt(profile, jobs)
            rest = [j for j in jobs if j.source not in self.done]
            if not rest:
                continue
            if not why and len(rest) < len(jobs):         # stopped early, exit 0: go on
                pending.appendleft((rest, failed_once))
                continue
            why = why or "未生成 PDF"
            if why.startswith("LibreOffice"):            # the profile may be what broke
                shutil.rmtree(profile, ignore_errors=True)
            if len(rest) == 1:
                if failed_once:
                    self.failures[rest[0].source] = why
                else:
                    pending.appendleft((rest, True))
                continue
            pending.appendleft((rest[1:], failed_once))
            pending.appendleft((rest[:1], True))

    def _attempt(self, profile: Path, jobs: list[_Job]) -> str:
        """One LibreOffice call; PDFs that check out are moved into place. '' or why not."""
        try:
            out = Path(tempfile.mkdtemp(prefix="out-", dir=self.scratch))
        except OSError as err:
            return f"无法写入临时文件夹：{err.strerror or err}"
        try:
            why = self.run(profile, jobs, out)
            self._harvest(jobs, out, final=True)
            return why
        finally:
            shutil.rmtree(out, ignore_errors=True)

    def _harvest(self, jobs: list[_Job], out: Path, final: bool) -> int:
        """Move the finished PDFs of a call into place, as it runs: LibreOffice converts its
        files in order, so a PDF is complete once a later file has one (or the call ended).
        The number of PDFs in `out`."""
        try:
            with os.scandir(out) as entries:
                names = {e.name for e in entries if e.name.endswith(".pdf")}
        except OSError:
            return 0
        made = [job.staged.stem + ".pdf" in names for job in jobs]
        last = max((i for i, m in enumerate(made) if m), default=-1)
        for index, job in enumerate(jobs):
            if not made[index] or job.source in self.done or not (final or index < last):
                continue
            pdf = out / (job.staged.stem + ".pdf")
            if pdf_problem(pdf):
                continue
            problem = _move(pdf, job.target)
            if problem:
                self.failures[job.source] = problem
                continue
            self.done.add(job.source)
            self.failures.pop(job.source, None)
            if self.on_done is not None:
                self.on_done(job.source, job.target)
        return len(names)

    def run(self, profile: Path, jobs: list[_Job], out_dir: Path) -> str:
        """Convert the jobs' files into `out_dir` with one soffice start-up; '' or why it
        failed. Killed when no new PDF appears for `timeout` seconds."""
        files = [j.staged for j in jobs]
        command = [self.soffice, "--headless", "--norestore", "--nologo", "--nodefault",
                   "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
                   *map(str, files)]
        with self.lock:
            if self.stopping.is_set():
                return "已取消"
            errors = tempfile.TemporaryFile(dir=self.scratch)
            proc = subprocess.Popen(command, env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.DEVNULL, stderr=errors, start_new_session=True)
            self.running.add(proc)
            self.calls += 1
        try:
            made, last = 0, time.monotonic()
            while True:
                try:
                    proc.wait(timeout=POLL)
                    break
                except subprocess.TimeoutExpired:
                    pass
                now_made = self._harvest(jobs, out_dir, final=False)
                if now_made != made:
                    made, last = now_made, time.monotonic()
                elif time.monotonic() - last > self.timeout:
                    return f"LibreOffice 超过 {self.timeout:g} 秒没有进展，已终止"
            if self.stopping.is_set():
                return "已取消"
            if proc.returncode != 0:
                return f"LibreOffice 异常退出（代码 {proc.returncode}）"
            errors.seek(0)
            return "文件无法打开" if b"could not be loaded" in errors.read() else ""
        finally:
            self.kill(proc)            # also reaps helpers left in the group
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass
            with self.lock:
                self.running.discard(proc)
            errors.close()

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        try:
            if os.name == "nt":
                proc.kill()
            else:
                os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError, OSError):
            pass

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
            procs = list(self.running)
        for proc in procs:
            self.kill(proc)


def _move(made: Path, target: Path) -> str:
    """Put a checked PDF in place, atomically ('' or why not)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(made, target)
        except OSError:                  # another drive: copy beside the target, then replace
            tmp = target.with_name(f".{target.stem[:40]}.{os.getpid()}.pdf.tmp")
            shutil.copyfile(made, tmp)
            os.replace(tmp, target)
    except OSError as err:
        return f"无法写入 {target.parent}：{err.strerror or err}"
    return ""


def _stage(source: Path, staged: Path) -> None:
    try:
        os.link(source, staged)
    except OSError:                      # another drive, or links not supported
        shutil.copyfile(source, staged)


def _scratch_dir(targets: list[Path]) -> Path:
    """A private folder on the drive of the PDFs (moves are renames), else in the temp folder."""
    try:
        common = Path(os.path.commonpath([str(t.parent) for t in targets]))
        common.mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=".awardforms-pdf-", dir=common))
    except (OSError, ValueError):
        return Path(tempfile.mkdtemp(prefix="awardforms-pdf-"))


class _Profiles:
    """LibreOffice profiles, one per lane. Kept warm in the cache folder (a first start-up
    with a new profile costs ~0.7 s more); each held with an exclusive lock while in use, as
    two soffice on one profile block each other. Temporary ones where locks are unavailable."""

    def __init__(self, count: int, scratch: Path):
        self.handles = []
        self.paths: list[Path] = []
        try:
            import fcntl
            root = cache_root() / "libreoffice"
            root.mkdir(parents=True, exist_ok=True)
            for slot in range(PROFILE_SLOTS):
                if len(self.paths) == count:
                    break
                handle = open(root / f"profile-{slot}.lock", "a+b")
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    handle.close()
                    continue
                self.handles.append(handle)
                self.paths.append(root / f"profile-{slot}")
        except (ImportError, OSError):
            pass
        self.paths += [scratch / f"profile-{i}" for i in range(count - len(self.paths))]

    def close(self) -> None:
        for handle in self.handles:
            handle.close()                 # releases the lock


def _batches(jobs: list, batch_size: int, lanes: int) -> list[list]:
    """At most `batch_size` jobs each, as many as a multiple of the lanes (every lane gets as
    many calls), in order."""
    if not jobs:
        return []
    count = -(-len(jobs) // max(1, batch_size))
    count = min(len(jobs), -(-count // lanes) * lanes)
    size, extra = divmod(len(jobs), count)
    batches, start = [], 0
    for index in range(count):
        end = start + size + (index < extra)
        batches.append(jobs[start:end])
        start = end
    return batches


def _destinations(docx_paths: list[Path], out_dir_for) -> list[Path]:
    if out_dir_for is None:
        return [p.with_suffix(".pdf") for p in docx_paths]
    if callable(out_dir_for):
        return [Path(out_dir_for(p)) / (p.stem + ".pdf") for p in docx_paths]
    return [Path(out_dir_for) / (p.stem + ".pdf") for p in docx_paths]


def convert_to_pdf(docx_paths: Iterable[Path], out_dir_for: Callable[[Path], Path] | Path | None = None,
                   *, workers: int | None = None, batch_size: int = BATCH_SIZE, timeout: float = 120,
                   stats: dict | None = None, on_done: Callable[[Path, Path], None] | None = None
                   ) -> list[Path]:
    """Convert .docx files to PDF; return the PDF paths in the order of `docx_paths`.

    `out_dir_for`: None puts each PDF beside its .docx (what `render --pdf`, the watcher and
    `collect --pdf` use); a folder puts them all there; a callable maps a .docx path to its
    folder. `workers`: LibreOffice
    lanes (default: every core). `timeout`: seconds a call may go without a new PDF before
    it is taken for hung. `stats`, if given, receives {"calls": LibreOffice start-ups}.
    `on_done(source, pdf)` is called (from a converter thread) as each PDF is in place.
    Raises ConverterMissing without LibreOffice and ConversionFailed (naming each file and
    why) if some files failed after one retry.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    soffice = find_soffice()
    targets = _destinations(sources, out_dir_for)
    scratch = _scratch_dir(targets)
    pool = _Pool(soffice, timeout, scratch, on_done)
    pool.failures = {s: why for s in sources if (why := _docx_problem(s))}
    staged_dir = scratch / "in"
    staged_dir.mkdir()
    jobs = []
    for index, (source, target) in enumerate(dict(zip(sources, targets)).items()):
        if source in pool.failures:
            continue
        job = _Job(source, target, staged_dir / f"f{index:05d}{source.suffix.lower()}")
        try:
            _stage(source, job.staged)
        except OSError as err:
            pool.failures[source] = f"无法读取：{err.strerror or err}"
            continue
        jobs.append(job)
    lanes = max(1, min(workers or available_cores(), -(-len(jobs) // MIN_PER_LANE)))
    batches = _batches(jobs, batch_size, lanes)
    profiles: Queue[Path] = Queue()
    held = _Profiles(lanes, scratch)
    for path in held.paths:
        profiles.put(path)

    def convert(batch: list[_Job]) -> None:
        profile = profiles.get()  # one profile per running soffice, reused by later batches
        try:
            pool.convert(profile, batch)
        finally:
            profiles.put(profile)

    executor = ThreadPoolExecutor(max_workers=lanes, thread_name_prefix="soffice")
    try:
        for future in [executor.submit(convert, batch) for batch in batches]:
            future.result()
    finally:
        pool.stop()  # no-op after a clean run; kills every running group on errors / Ctrl-C
        executor.shutdown(wait=True, cancel_futures=True)
        held.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if stats is not None:
        stats["calls"] = stats.get("calls", 0) + pool.calls
    for job in jobs:                       # every expected PDF (checked before it was moved)
        if job.source in pool.done and not job.target.is_file():
            pool.done.discard(job.source)
            pool.failures[job.source] = "PDF 已不在原处"
    if pool.failures:
        converted = [t for s, t in zip(sources, targets) if s in pool.done]
        raise ConversionFailed({s: pool.failures[s] for s in sources if s in pool.failures}, converted)
    return targets

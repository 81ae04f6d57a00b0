""".docx → PDF through a pool of headless LibreOffice processes.

Each worker owns a private LibreOffice profile (two soffice processes sharing one profile
block each other) and converts a batch of files per start-up, so the start-up cost is paid
once per batch, not once per file. A batch runs in its own process group with a timeout;
on a timeout or a crash the whole group is killed and the files of that batch still without
a PDF are retried once, each on its own (so one poisonous file cannot sink its neighbours).
PDFs are written to a temporary folder next to their destination and moved into place only
when they are complete. No soffice process outlives `convert_to_pdf`, also on Ctrl-C.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
import threading
import zipfile
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from queue import Queue

from awardforms.errors import AwardformsError
from awardforms.assemble.fonts import converter_env

INSTALL_HINT = ("未找到 LibreOffice，无法生成 PDF（.docx 不受影响）：请运行 scripts/install-system-deps.sh，"
                "或 sudo apt-get install libreoffice-writer-nogui；Windows 请安装 LibreOffice")
WINDOWS_SOFFICE = Path(r"C:\Program Files\LibreOffice\program\soffice.exe")


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


def _is_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(5) == b"%PDF-"
    except OSError:
        return False


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


class _Pool:
    """The running soffice process groups, killed together on the way out."""

    def __init__(self, soffice: str, timeout: float):
        self.soffice, self.timeout = soffice, timeout
        self.env = {**converter_env(), "SAL_USE_VCLPLUGIN": "svp"}
        self.running: set[subprocess.Popen] = set()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.done: set[Path] = set()
        self.failures: dict[Path, str] = {}

    def convert(self, profile: Path, batch: list[tuple[Path, Path]]) -> None:
        """Convert (source, pdf) jobs: the whole batch, then what is still missing, each alone."""
        for attempt in (batch, *([job] for job in batch)):
            todo = [job for job in attempt if job[0] not in self.done]
            if not todo or self.stopping.is_set():
                continue
            why = self._attempt(profile, todo)
            for source, _ in todo:
                if source not in self.done:
                    self.failures[source] = why or "未生成 PDF"

    def _attempt(self, profile: Path, todo: list[tuple[Path, Path]]) -> str:
        out_dir = todo[0][1].parent
        try:
            out_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".awardforms-pdf-", dir=out_dir))
        except OSError as err:
            return f"无法写入文件夹 {out_dir}：{err.strerror or err}"
        try:
            why = self.run(profile, [source for source, _ in todo], staging)
            for source, target in todo:
                made = staging / (source.stem + ".pdf")
                if made.is_file() and made.stat().st_size > 0 and _is_pdf(made):
                    os.replace(made, target)  # complete PDFs only reach their place
                    self.done.add(source)
                    self.failures.pop(source, None)
            return why
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def run(self, profile: Path, files: list[Path], out_dir: Path) -> str:
        """Convert `files` into `out_dir` with one soffice start-up; '' or why it failed."""
        command = [self.soffice, "--headless", "--norestore", "--nologo", "--nodefault",
                   "--nolockcheck", f"-env:UserInstallation={profile.as_uri()}",
                   "--convert-to", "pdf:writer_pdf_Export", "--outdir", str(out_dir),
                   *map(str, files)]
        with self.lock:
            if self.stopping.is_set():
                return "已取消"
            proc = subprocess.Popen(command, env=self.env, stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                    start_new_session=True)
            self.running.add(proc)
        try:
            _, err = proc.communicate(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.kill(proc)
            try:
                proc.communicate(timeout=10)
            except subprocess.TimeoutExpired:  # a helper escaped the group and holds the pipes
                proc.kill()
            return f"LibreOffice 超过 {self.timeout:g} 秒未完成"
        finally:
            self.kill(proc)  # also reaps helpers left in the group
            with self.lock:
                self.running.discard(proc)
        if proc.returncode != 0:
            return f"LibreOffice 异常退出（代码 {proc.returncode}）"
        text = err.decode("utf-8", "replace")
        return "文件无法打开" if "could not be loaded" in text else ""

    @staticmethod
    def kill(proc: subprocess.Popen) -> None:
        try:
            if os.name == "nt":
                proc.kill()
            else:
                os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass

    def stop(self) -> None:
        with self.lock:
            self.stopping.set()
            procs = list(self.running)
        for proc in procs:
            self.kill(proc)


def _destinations(docx_paths: list[Path], out_dir_for) -> list[Path]:
    if out_dir_for is None:
        return [p.with_suffix(".pdf") for p in docx_paths]
    if callable(out_dir_for):
        return [Path(out_dir_for(p)) / (p.stem + ".pdf") for p in docx_paths]
    return [Path(out_dir_for) / (p.stem + ".pdf") for p in docx_paths]


def _batches(jobs: list[tuple[Path, Path]], batch_size: int, workers: int) -> list[list]:
    """Split (source, pdf) jobs into batches sharing a destination folder, no two files of a
    batch with the same PDF name, sized so that every worker gets work."""
    groups: dict[Path, list[list]] = {}
    for job in jobs:  # one sub-list per repeat of a PDF name inside a folder
        lanes = groups.setdefault(job[1].parent, [])
        lane = next((l for l in lanes if all(j[1].name != job[1].name for j in l)), None)
        if lane is None:
            lanes.append(lane := [])
        lane.append(job)
    batches = []
    for lanes in groups.values():
        for lane in lanes:
            count = -(-len(lane) // max(1, batch_size))
            count = min(len(lane), -(-count // workers) * workers)  # a multiple of workers
            size = -(-len(lane) // count)
            batches += [lane[i:i + size] for i in range(0, len(lane), size)]
    return sorted(batches, key=len, reverse=True)


def convert_to_pdf(docx_paths: Iterable[Path], out_dir_for: Callable[[Path], Path] | Path | None = None,
                   *, workers: int | None = None, batch_size: int = 8, timeout: float = 120) -> list[Path]:
    """Convert .docx files to PDF; return the PDF paths in the order of `docx_paths`.

    `out_dir_for`: None puts each PDF next to its .docx; a folder puts them all there; a
    callable maps a .docx path to its folder. Raises ConverterMissing without LibreOffice and
    ConversionFailed (naming each file and why) if some files failed after one retry.
    """
    sources = [Path(p).resolve() for p in docx_paths]
    if not sources:
        return []
    soffice = find_soffice()
    targets = _destinations(sources, out_dir_for)
    workers = max(1, workers or os.cpu_count() or 1)
    pool = _Pool(soffice, timeout)
    pool.failures = {s: why for s in sources if (why := _docx_problem(s))}
    jobs = [(s, t) for s, t in zip(sources, targets) if s not in pool.failures]
    batches = _batches(jobs, batch_size, workers)
    workers = max(1, min(workers, len(batches)))
    profiles: Queue[Path] = Queue()
    scratch = Path(tempfile.mkdtemp(prefix="awardforms-lo-"))
    for index in range(workers):
        profiles.put(scratch / f"profile-{index}")

    def convert(batch: list[tuple[Path, Path]]) -> None:
        profile = profiles.get()  # one profile per running soffice, reused by later batches
        try:
            pool.convert(profile, batch)
        finally:
            profiles.put(profile)

    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="soffice")
    try:
        for future in [executor.submit(convert, batch) for batch in batches]:
            future.result()
    finally:
        pool.stop()  # no-op after a clean run; kills every running group on errors / Ctrl-C
        executor.shutdown(wait=True, cancel_futures=True)
        shutil.rmtree(scratch, ignore_errors=True)
    if pool.failures:
        converted = [t for s, t in zip(sources, targets) if s in pool.done]
        raise ConversionFailed({s: pool.failures[s] for s in sources if s in pool.failures}, converted)
    return targets

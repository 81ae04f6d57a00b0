"""The watched folder's files: clerks drop a workbook (or a .zip with its files) into INBOX, the
watcher renders it and files the input under processed/ or failed/ with a note beside it.

Life of a dropped file (top level of INBOX only; subfolders are never looked into):

1. seen by a watchdog event or a full rescan (at start, every `rescan` seconds, and often
   while something is settling); `~$*`, `*.tmp`, hidden files and other types are ignored;
2. taken once its size and mtime have not changed for `settle` seconds and it can be opened
   (a file that does not look like a complete .xlsx/.zip yet waits until unchanged for `stall`
   seconds, so a copy that pauses is not taken half-done, but a corrupt one still ends up in
   failed/; a workbook whose Excel lock file ~$name is in INBOX waits up to `lock_wait`);
   folders, symlinks and other types are not taken, with one log line saying what to do;
3. claimed by moving it to `processing/<时间戳>_<原名>` (unique: the same name dropped again
   later is a new submission and both results are kept) and journalled;
4. rendered into `<out>/<原名>-<时间戳>/` (a .zip is first unpacked safely, see safezip.py); a
   name dropped before starts from a copy of its latest result (buildstate.seed), so an
   edited workbook dropped again only has what changed generated again;
5. notes written, then the input moved to `processed/` (结果.txt/.json naming the output
   folder) or `failed/` (错误报告.txt, and the annotated workbook when that exists), then
   the journal records it as done.

Restart safety: every move is an atomic rename inside INBOX and the journal (JSON lines,
fsync'd) is written after it, so the folders are the truth. A file found in `processing/` at
start was interrupted and is processed again (rendering is incremental, so that is cheap); a
file in processed/ or failed/ is never touched again. Nothing is lost, nothing done twice.
"""

from __future__ import annotations

import errno
import glob
import json
import os
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from awardforms.build import state as buildstate
from awardforms.build import pipeline
from awardforms.commands.dropnames import (  # noqa: F401 - MAX_STEM_BYTES, is_candidate: for tests
    MAX_STEM_BYTES, _STAMP, _nbytes, _new_stamp, _original, clerk_name, is_candidate, is_silent, readable)
from awardforms.commands.journal import MAX_ATTEMPTS, Journal, attempts, log
from awardforms.errors import AwardformsError
from awardforms.read.safezip import extract, find_workbook
from awardforms.read.workbook import excel_lock
from awardforms.textnorm import BIDI

PROCESSING, PROCESSED, FAILED = "processing", "processed", "failed"
OWN_FOLDERS = (PROCESSING, PROCESSED, FAILED)
JOURNAL = ".awardforms-journal.jsonl"
NOTE_SUFFIXES = (".结果.txt", ".结果.json", ".错误报告.txt", ".批注.xlsx")
MAX_CID_BYTES = 200        # a claimed name (<stamp>_<name>); longer ones (older versions) are shortened
STEP_DELAY_ENV = "AWARDFORMS_WATCH_STEP_DELAY"      # tests: widen the windows between steps
STALL_ENV = "AWARDFORMS_WATCH_STALL"                # default of WatchSettings.stall (seconds)
LOCK_WAIT_ENV = "AWARDFORMS_WATCH_LOCK_WAIT"        # default of WatchSettings.lock_wait (seconds)
FOLDER_HINT = "请把文件夹压缩成 .zip 后放入"
TYPE_HINT = "只处理 .xlsx 工作簿或 .zip 压缩包；请另存为 .xlsx（WPS 的 .et、.csv、.ods 也请另存为 .xlsx）"


def _env_float(name: str, default: float) -> float:
    try:
        return float(os.environ[name])
    except (KeyError, ValueError):
        return default


@dataclass
class WatchSettings:
    inbox: Path
    out_dir: Path | None = None          # default: INBOX/output
    poll: float | None = None            # polling observer interval (network shares)
    settle: float = 2.0                  # size and mtime unchanged this long before taking a file
    rescan: float = 30.0                 # full rescan of INBOX this often, events or not
    log_file: Path | None = None         # default: INBOX/watch.log
    # a file that does not look complete waits until unchanged this long, then goes to failed/
    stall: float = field(default_factory=lambda: _env_float(STALL_ENV, 120.0))
    # a workbook with an Excel lock file (~$name) waits this long at most (a stale lock)
    lock_wait: float = field(default_factory=lambda: _env_float(LOCK_WAIT_ENV, 1800.0))
    pdf: bool = False                    # also the PDFs, dossiers and submission PDF (render --pdf)
    copies: bool = False                 # also the print bundle (render --copies; implies pdf)
    collect: bool = False                # watch --collect: after each file, refresh OUTPUT/汇总

    @property
    def output_root(self) -> Path:
        return self.out_dir if self.out_dir else self.inbox / "output"


def _internal_error(err: Exception) -> "Outcome":
    return Outcome(False, f"程序内部出错（{type(err).__name__}: {err}）",
                   [f"处理时程序内部出错：{type(err).__name__}: {err}", "请把本报告和 watch.log 发给技术支持。"])


def _step(name: str) -> None:
    delay = os.environ.get(STEP_DELAY_ENV)
    if delay:
        time.sleep(float(delay))


def _fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _looks_complete(path: Path) -> bool:
    """A .xlsx/.zip is complete when its central directory (at the very end) is readable."""
    if path.suffix.lower() == ".xls":
        return True
    try:
        return zipfile.is_zipfile(path)
    except OSError:
        return False


def _openable(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            fh.read(1)
        return True
    except OSError:
        return False


@dataclass
class _Seen:
    size: int
    mtime: int
    since: float
    announced: bool = False
    refused: bool = False          # taking it failed unexpectedly: not again until it changes
    first: float = 0.0             # first seen (any size)
    locked: bool = False           # "open in Excel" logged


@dataclass
class Outcome:
    ok: bool
    summary: str                          # one line for the log
    report: list[str] = field(default_factory=list)
    output: Path | None = None
    details: dict = field(default_factory=dict)


class Watcher:
    """The folder logic, without threads or signals (tests drive it directly)."""

    def __init__(self, settings: WatchSettings):
        self.s = settings
        self.inbox = settings.inbox
        for sub in OWN_FOLDERS:
            (self.inbox / sub).mkdir(parents=True, exist_ok=True)
        self.journal = Journal(self.inbox / JOURNAL)
        self.seen: dict[str, _Seen] = {}
        # claimed files whose filing failed (e.g. disk full): filed again at each rescan
        self.unfiled: dict[str, tuple[Path, str, "Outcome"]] = {}
        self.sources: dict[str, str] = {}  # claimed name -> the clerk's name as dropped (for messages)
        self.told: set[str] = set()        # INBOX entries we said we do not take
        self._waiting: set | None = None   # (name, size, mtime) said to be incomplete (journal)

    # -- finding files ---------------------------------------------------------------------

    @property
    def pending(self) -> bool:
        return bool(self.seen)

    def _tell(self, name: str, message: str, *args) -> None:
        """Log `message` once for the entry `name` (until it goes away)."""
        if name not in self.told:
            self.told.add(name)
            log.info(message, *args)

    def _own_entries(self) -> set[str]:
        own = set(OWN_FOLDERS) | {"watch.log"}
        for path in (self.s.output_root, self.s.log_file):
            if path is not None:
                try:
                    if path.resolve().parent == self.inbox.resolve():
                        own.add(path.name)
                except OSError:
                    pass
        return own

    def _lock_file(self, name: str) -> str | None:
        """The Excel lock file of workbook `name` in INBOX, if there is one."""
        lock = excel_lock(self.inbox / name)
        return lock.name if lock is not None else None

    def scan(self) -> list[Path]:
        """Files ready to take, oldest first; updates what is settling."""
        now = time.monotonic()
        ready, present = [], set()
        try:
            entries = list(os.scandir(self.inbox))
        except OSError as err:
            log.error("无法读取收件文件夹 %s：%s", self.inbox, err)
            return []
        own = self._own_entries()
        for entry in entries:
            name = entry.name
            present.add(name)
            if is_silent(name) or name in own:
                continue
            try:
                if entry.is_symlink():
                    self._tell(name, "没有处理 %s：这是快捷方式（符号链接），请放入文件本身。", name)
                    continue
                if entry.is_dir(follow_symlinks=False):
                    self._tell(name, "没有处理文件夹 %s：%s。", name, FOLDER_HINT)
                    continue
                if not entry.is_file(follow_symlinks=False):
                    continue
                if not is_candidate(name):
                    self._tell(name, "没有处理 %s：%s。", name, TYPE_HINT)
                    continue
                st = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            seen = self.seen.get(name)
            if seen is None or (seen.size, seen.mtime) != (st.st_size, st.st_mtime_ns):
                if seen is None:
                    log.info("收到文件：%s（等待写入完成）", name)
                self.seen[name] = _Seen(st.st_size, st.st_mtime_ns, now, seen.announced if seen else False,
                                        first=seen.first if seen else now)
                continue
            if seen.refused:
                continue
            stable = now - seen.since
            if stable < self.s.settle:
                continue
            path = Path(entry.path)
            if not _openable(path):
                continue
            if st.st_size == 0 or not _looks_complete(path):
                if stable < self.s.stall:
                    if not seen.announced and not self._announced_before(name, st):
                        log.info("文件 %s 看起来还没有复制完，再等一会儿（%s 秒没有变化则按无法使用的文件处理）。",
                                 name, f"{self.s.stall:g}")
                        self.journal.append("waiting", source=name, size=st.st_size, mtime=st.st_mtime_ns)
                    seen.announced = True
                    continue
                log.info("文件 %s %s 秒没有变化，仍不完整，按无法使用的文件处理。", name, f"{self.s.stall:g}")
            lock = self._lock_file(name)
            if lock is not None:
                if now - seen.first < self.s.lock_wait:
                    if not seen.locked:
                        log.info("文件 %s 正在 Excel 中打开（有锁定文件 %s），关闭后再处理。", name, lock)
                        seen.locked = True
                    continue
                log.info("文件 %s 的锁定文件 %s 已存在 %s 秒，可能是遗留的，现在处理。",
                         name, lock, f"{self.s.lock_wait:g}")
            ready.append((st.st_mtime_ns, path))
        for name in list(self.seen):
            if name not in present:
                del self.seen[name]
        self.told &= present
        return [p for _, p in sorted(ready)]

    def _announced_before(self, name: str, st) -> bool:
        """Whether "not complete yet" was logged for this very file (name, size, mtime) by an
        earlier run, so a restart does not say it again."""
        if self._waiting is None:
            self._waiting = {(r.get("source"), r.get("size"), r.get("mtime"))
                             for r in self.journal.records() if r.get("event") == "waiting"}
        return (name, st.st_size, st.st_mtime_ns) in self._waiting

    # -- claiming and filing ----------------------------------------------------------------

    def _unique(self, stamp: str, name: str) -> Path:
        """processing/<stamp>[-n]_<name>, a name none of our folders holds yet."""
        target = self.inbox / PROCESSING / f"{stamp}_{name}"
        n = 1
        while any(os.path.lexists(self.inbox / d / target.name) for d in OWN_FOLDERS):
            target = self.inbox / PROCESSING / f"{stamp}-{n}_{name}"
            n += 1
        return target

    def claim(self, path: Path) -> Path | None:
        """Move a dropped file into processing/ under a unique name; None if it went away."""
        target = self._unique(_new_stamp(), clerk_name(path.name))
        try:
            os.replace(path, target)
        except OSError as err:          # gone, or still locked (Excel, a copy on Windows)
            log.debug("暂时无法取走 %s：%s", path.name, err)
            return None
        self.seen.pop(path.name, None)
        _fsync_dir(target.parent)
        _fsync_dir(self.inbox)
        shown = readable(path.name)
        if BIDI.search(shown):
            log.warning("文件名 %s 含有改变文字显示方向的控制字符，已从输出文件夹名中删除。", ascii(shown))
        self.journal.append("claimed", id=target.name, source=shown)
        self.sources[target.name] = shown
        log.info("开始处理：%s", shown)
        _step("claimed")
        return target

    def recover(self) -> list[Path]:
        """At start: settle the journal with the folders; return files to resume."""
        records = self.journal.records()
        done = {r["id"] for r in records if r.get("event") == "done"}
        claimed = {r["id"]: r.get("source", "") for r in records if r.get("event") == "claimed"}
        self.sources.update((cid, src) for cid, src in claimed.items() if src)
        for cid in set(claimed) - done:
            for folder in (PROCESSED, FAILED):
                if (self.inbox / folder / cid).exists():
                    self.journal.append("done", id=cid, result=folder, recovered=True)
        resume = sorted(p for p in (self.inbox / PROCESSING).iterdir()
                        if p.is_file() and not p.name.startswith("."))
        tried = attempts(records)
        for p in list(resume):
            if tried.get(p.name, 0) >= MAX_ATTEMPTS:
                resume.remove(p)
                self._give_up(p, tried[p.name])
            else:
                log.info("继续处理上次中断的文件：%s", self._shown(p.name))
        for scratch in (self.inbox / PROCESSING).iterdir():    # work folders, annotations
            if scratch.name.startswith("."):
                if scratch.is_dir():
                    shutil.rmtree(scratch, ignore_errors=True)
                else:
                    scratch.unlink(missing_ok=True)
        return resume

    def _give_up(self, claimed: Path, tries: int) -> None:
        """A file whose render was begun `tries` times and never finished (the watcher was
        killed, crashed or ran out of memory each time): filed under failed/ with a report, so
        the files dropped after it are processed."""
        shown = self._shown(claimed.name)
        why = f"处理了 {tries} 次，每次都在中途中断（程序崩溃、内存耗尽或被强行结束），已停止重试"
        outcome = Outcome(False, why, [f"{why}。",
                                       "可能是文件过大或已损坏：请检查后重新放入收件文件夹；如仍不行，"
                                       "请把本文件和 watch.log 发给技术支持。"])
        try:
            self._file(claimed, claimed.name, shown, outcome)
            log.warning("处理失败：%s：%s（错误报告在 %s/ 中）", shown, why, FAILED)
        except Exception as err:  # noqa: BLE001
            self._keep_unfiled(claimed, shown, outcome, err)

    def _shown(self, cid: str) -> str:
        """The clerk's file name for messages (as dropped, not our claimed name)."""
        return self.sources.get(cid) or _original(cid)

    def take(self, path: Path) -> Outcome | None:
        """Claim and process one dropped file. Never raises: a problem with one file is
        logged and the watcher goes on."""
        try:
            claimed = self.claim(path)
        except Exception:  # noqa: BLE001 - one bad file never stops the watcher
            log.error("取走 %s 时程序内部出错，文件留在收件文件夹中（文件有变化时再试）。",
                      path.name, exc_info=True)
            seen = self.seen.get(path.name)
            if seen is not None:
                seen.refused = True
            return None
        return None if claimed is None else self.process(claimed)

    def _bounded(self, claimed: Path) -> Path:
        """A claimed file whose name is too long to derive names from (left by an older
        version) is renamed to a bounded one first."""
        cid = claimed.name
        if _nbytes(cid) <= MAX_CID_BYTES:
            return claimed
        stamp, _, rest = cid.partition("_")
        stamp = stamp if _STAMP.fullmatch(stamp) else _new_stamp()
        target = self._unique(stamp, clerk_name(rest or cid))
        os.replace(claimed, target)
        _fsync_dir(target.parent)
        source = self._shown(cid)
        self.journal.append("done", id=cid, result="renamed", renamed=target.name)
        self.journal.append("claimed", id=target.name, source=source)
        self.sources[target.name] = source
        return target

    def process(self, claimed: Path) -> Outcome:
        """Render one claimed file and file it under processed/ or failed/. Never raises."""
        if claimed.name in self.unfiled:
            return self.unfiled[claimed.name][2]
        try:
            return self._process(claimed)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the watcher
            shown = self._shown(claimed.name)
            log.error("处理 %s 时程序内部出错：%s", shown, err, exc_info=True)
            outcome = _internal_error(err)
            try:
                if claimed.exists():
                    self._file(claimed, claimed.name, shown, outcome)
                    log.warning("处理失败：%s：%s（错误报告在 %s/ 中）", shown, outcome.summary, FAILED)
            except Exception as err:  # noqa: BLE001
                self._keep_unfiled(claimed, shown, outcome, err)
            return outcome

    def _keep_unfiled(self, claimed: Path, shown: str, outcome: Outcome, err: Exception) -> None:
        self.unfiled[claimed.name] = (claimed, shown, outcome)
        log.error("无法把 %s 移到 %s/：%s（文件留在 processing/，稍后自动再试）。", shown,
                  PROCESSED if outcome.ok else FAILED, err, exc_info=not isinstance(err, OSError))

    def retry_unfiled(self) -> None:
        """File again what could not be filed (the disk was full, a folder was locked)."""
        for cid, (claimed, shown, outcome) in list(self.unfiled.items()):
            if not claimed.exists():
                del self.unfiled[cid]
                continue
            try:
                self._file(claimed, cid, shown, outcome)
            except Exception as err:  # noqa: BLE001 - again at the next rescan
                log.debug("仍无法归档 %s：%s", shown, err)
                continue
            del self.unfiled[cid]
            log.info("已归档：%s → %s/", shown, PROCESSED if outcome.ok else FAILED)

    def _process(self, claimed: Path) -> Outcome:
        claimed = self._bounded(claimed)
        cid = claimed.name
        shown = self._shown(cid)
        original = _original(cid)
        stamp = cid.split("_", 1)[0]
        out_dir = self.s.output_root.resolve() / f"{Path(original).stem}-{stamp}"
        work = claimed.parent / f".{cid}.work"
        self.journal.append("attempt", id=cid)
        try:
            outcome = self._render(claimed, original, out_dir, work)
        except Exception as err:  # noqa: BLE001 - one bad file never stops the watcher
            log.error("处理 %s 时程序内部出错：%s", shown, err, exc_info=True)
            outcome = _internal_error(err)
        _step("rendered")
        shutil.rmtree(work, ignore_errors=True)        # scratch gone before the input is filed
        try:
            self._file(claimed, cid, shown, outcome)
        except OSError as err:
            self._keep_unfiled(claimed, shown, outcome, err)
            return outcome
        if outcome.ok:
            log.info("处理完成：%s → %s", shown, outcome.output)
        else:
            log.warning("处理失败：%s：%s（错误报告在 %s/ 中）", shown, outcome.summary, FAILED)
        return outcome

    def _render(self, claimed: Path, original: str, out_dir: Path, work: Path) -> Outcome:
        if claimed.stat().st_size == 0:
            why = "文件是空的（0 字节），请重新复制"
            return Outcome(False, why, [f"{why}。"])
        try:
            if claimed.suffix.lower() == ".zip":
                files = extract(claimed, work)
                workbook = find_workbook(files, work)
            else:                       # a copy under its own name: messages name the clerk's file
                if work.exists():
                    shutil.rmtree(work)
                work.mkdir(parents=True)
                workbook = work / original
                shutil.copyfile(claimed, workbook)
            self._seed(original, out_dir)
            result = pipeline.render(workbook, pipeline.Settings(out_dir=out_dir, pdf=self.s.pdf,
                                                                 copies=self.s.copies))
        except AwardformsError as err:
            return Outcome(False, str(err), [f"文件无法使用：{err}"])
        except OSError as err:
            if err.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
                why = f"磁盘空间不足，无法写入输出文件夹 {out_dir}"
                return Outcome(False, why, [f"{why}。", "请清理磁盘空间后，把本文件重新放入收件文件夹。"])
            why = f"读写文件出错：{err.strerror or err}（{err.filename or ''}）"
            return Outcome(False, why, [f"{why}。", "请检查文件夹权限或文件是否被其他程序占用，然后重新提交。"])
        sub = result.submission
        issues = [i.text() for i in sub.report.sorted()]
        rendered = [n for n in result.manifest["nominees"] if n["status"] == "rendered"]
        details = {"output": str(result.out_dir), "campaign": sub.campaign.id,
                   "nominees": len(result.manifest["nominees"]), "rendered": len(rendered),
                   "errors": len(sub.report.errors), "warnings": len(sub.report.warnings)}
        files = _assembly_lines(result.assembly)
        if sub.report.valid:
            lines = [f"生成完成：{len(rendered)} 个推荐对象的材料。", f"输出文件夹：{result.out_dir}"] + files
            if issues:
                lines += ["", f"有 {len(sub.report.warnings)} 个提醒（不影响生成，请核对）："] + issues
            return Outcome(True, f"{len(rendered)} 个推荐对象", lines, result.out_dir, details)
        lines = [f"推荐对象表有 {len(sub.report.errors)} 个错误，请修改后重新放入收件文件夹。", ""] + issues
        if rendered:
            lines += ["", f"没有错误的 {len(rendered)} 个推荐对象已生成材料，在：{result.out_dir}"] + files
        if sub.report.errors:
            self._annotate(claimed, workbook, sub)
        return Outcome(False, f"{len(sub.report.errors)} 个错误", lines, result.out_dir, details)

    def _seed(self, original: str, out_dir: Path) -> None:
        """A file dropped again under the same name (an edited workbook) starts from the
        latest earlier result for that name, so only what changed is generated again; the
        earlier result stays as it was."""
        stem = Path(original).stem
        earlier = [p for p in self.s.output_root.glob(f"{glob.escape(stem)}-*")
                   if p != out_dir and _STAMP.fullmatch(p.name[len(stem) + 1:])]
        if not earlier:
            return
        latest = max(earlier, key=lambda p: p.name[len(stem) + 1:])     # stamps sort by time
        copied = buildstate.seed(latest, out_dir)
        if copied:
            log.info("以上次的结果 %s 为基础（%d 个文件），只重新生成有变化的部分。", latest.name, copied)

    def _annotate(self, claimed: Path, workbook: Path, sub) -> None:
        """The annotated workbook, made from the bytes that were checked."""
        from awardforms.assemble.annotate import write_annotated
        target = claimed.parent / f".{claimed.name}.批注.xlsx"
        try:
            write_annotated(workbook, sub.report, target, data=sub.source_data)
        except Exception as err:  # noqa: BLE001 - the report matters more than the annotation
            log.warning("未能生成批注工作簿：%s", err)

    def _file(self, claimed: Path, cid: str, original: str, outcome: Outcome) -> None:
        folder = self.inbox / (PROCESSED if outcome.ok else FAILED)
        other = self.inbox / (FAILED if outcome.ok else PROCESSED)
        for suffix in NOTE_SUFFIXES:                   # leftovers of an interrupted earlier try
            try:
                (other / f"{cid}{suffix}").unlink(missing_ok=True)
            except OSError as err:
                log.warning("无法删除上次留下的说明文件 %s%s：%s", cid, suffix, err)
        header = [f"提交的文件：{original}", f"处理时间：{datetime.now():%Y-%m-%d %H:%M:%S}", ""]
        try:
            if outcome.ok:
                _write_text(folder / f"{cid}.结果.txt", "\n".join(header + outcome.report) + "\n")
                _write_text(folder / f"{cid}.结果.json", json.dumps(
                    {"source": original, "input": f"{PROCESSED}/{cid}", "result": "processed",
                     **outcome.details}, ensure_ascii=False, indent=2))
            else:
                _write_text(folder / f"{cid}.错误报告.txt", "\n".join(header + outcome.report) + "\n")
                annotated = claimed.parent / f".{cid}.批注.xlsx"
                if annotated.exists():
                    os.replace(annotated, folder / f"{cid}.批注.xlsx")
        except OSError as err:                          # e.g. the disk is full: still file the input
            log.error("无法写入 %s 的说明文件：%s", original, err)
        _step("noted")
        os.replace(claimed, folder / cid)
        _fsync_dir(folder)
        _fsync_dir(claimed.parent)
        self.journal.append("done", id=cid, result=folder.name,
                            output=str(outcome.output) if outcome.output else None)


def _assembly_lines(assembly) -> list[str]:
    """What the clerk finds in the output folder besides the forms: 报送清单, zip, PDFs."""
    if assembly is None:
        return []
    lines = []
    if assembly.send_list:
        lines.append(f"报送清单：{assembly.send_list}（每个推荐对象的状态、缺少的材料和打印份数）")
    if assembly.bundle:
        lines.append(f"{'发送用压缩包' if assembly.complete else '压缩包（未完成，不能报送）'}：{assembly.bundle}")
    if assembly.submission_pdf:
        lines.append(f"全部材料 PDF：{assembly.submission_pdf}（另有每个推荐对象的“推荐材料汇编.pdf”）")
    if assembly.print_pdf:
        lines.append(f"打印版 PDF：{assembly.print_pdf}（每份材料按通知要求的份数重复）")
    if assembly.converter_missing:
        lines.append(f"PDF 未生成：{assembly.converter_missing}")
    lines += [f"提醒：{w}" for w in assembly.warnings]
    return lines


def _write_text(path: Path, text: str) -> None:
    from awardforms.output import atomic_write_bytes
    atomic_write_bytes(path, text.encode("utf-8"))


# -- running ---------------------------------------------------------------------------------

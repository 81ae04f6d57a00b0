"""Incremental builds: decide which output jobs to run from recorded content hashes.

The output folder holds `.awardforms-state.json`, a versioned JSON record (schema version and
tool version) mapping each output's relative path to the fingerprint of its job
(a content hash of its context, template, photo, extra files and the tool version), the digests of its parts
(to say *why* it is rebuilt) and the SHA-256 of the output file itself (so an output deleted
or edited by hand is rebuilt). Inputs are judged by content only. For the outputs, the size
and mtime recorded when this tool wrote them spare re-reading an output nobody touched; an
output whose size or mtime differs is hashed and compared.

A job runs when: `--force`; it has no record (新增, or 无生成记录 when a file is there but this
tool has no record of writing it, e.g. after a render killed halfway); its output is missing or
differs from what was written (文件缺失 / 文件被改动); or its fingerprint changed (模板变化,
程序版本变化, 内容变化). Outputs recorded in the state but no longer planned (a nominee removed
from the workbook, or now invalid) are deleted; nothing the state does not name is touched.

The state is written after the outputs (and at checkpoints during long runs), always
atomically, so a render killed at any point leaves a state that the next render completes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import time
from contextlib import nullcontext
from dataclasses import dataclass, field, fields
from pathlib import Path, PurePosixPath
from typing import Any, Callable, ContextManager, Iterable

from awardforms import __version__
from awardforms.campaigns.load import TEMPLATE_DIR
from awardforms.forms.jobs import FormJob
from awardforms.output import atomic_write_bytes

STATE_FILE = ".awardforms-state.json"
SCHEMA_VERSION = 1
CHECKPOINT_SECONDS = 5.0          # during long runs, record finished outputs this often

# Reasons, as the clerk reads them.
NEW = "新增"
UNRECORDED = "无生成记录"
MISSING = "文件缺失"
EDITED = "文件被改动"
CONTENT = "内容变化"
TEMPLATE = "模板变化"
VERSION = "程序版本变化"
FORCED = "强制"

Executor = Callable[[list[FormJob], Path, str], None]
ProgressFactory = Callable[[int], ContextManager[Any]]


def file_digest(path: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it cannot be read."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


@dataclass(frozen=True)
class Entry:
    """What the state remembers about one output (never changed once made: a state loaded or
    saved again in the same process shares its entries, see `_last_state`)."""
    fingerprint: str
    template: str             # digest of the template file ("" for outputs without one)
    data: str                 # digest of the job minus the template (context, photo, extras)
    output: str | None        # digest of the file as written
    tool: str = __version__
    stat: list[int] | None = None   # [size, mtime_ns] of the file as written

    @classmethod
    def from_json(cls, data: dict) -> "Entry":
        st = data.get("stat")
        st = [int(v) for v in st] if isinstance(st, list) and len(st) == 2 else None
        return cls(str(data["fingerprint"]), str(data.get("template", "")), str(data.get("data", "")),
                   data.get("output"), str(data.get("tool", "")), st)


@dataclass
class BuildState:
    entries: dict[str, Entry] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> "BuildState":
        """The recorded state; empty when absent, unreadable, or of another schema version."""
        global _last_state
        try:
            blob = (out_dir / STATE_FILE).read_bytes()
        except OSError:
            return cls()
        known = _last_state
        if known is not None and known[0] == blob:      # the very bytes last read or written
            return cls(dict(known[1]))
        try:
            data = json.loads(blob.decode("utf-8"))
            if data.get("schema") != SCHEMA_VERSION:
                return cls()
            entries = {str(k): Entry.from_json(v) for k, v in data.get("outputs", {}).items()}
        except (ValueError, TypeError, KeyError, AttributeError):
            return cls()
        _last_state = (blob, dict(entries))
        return cls(entries)

    def save(self, out_dir: Path) -> None:
        """Write the state (atomically; not at all when the file already holds these bytes).

        The same text as json.dumps of {"schema", "tool_version", "outputs": sorted entries}
        without spaces, put together from each entry's text, which is kept from the previous
        save while the entry is the same object (`_fragments`): a re-render changes a few."""
        global _last_state, _fragments
        fragments: dict[str, tuple[Entry, str]] = {}
        previous = _fragments
        for rel in sorted(self.entries):
            entry = self.entries[rel]
            hit = previous.get(rel)
            if hit is None or hit[0] is not entry:
                hit = (entry, _dumps(rel) + ":" + _dumps(vars(entry)))
            fragments[rel] = hit
        blob = (f'{{"schema":{_dumps(SCHEMA_VERSION)},"tool_version":{_dumps(__version__)},"outputs":{{'
                + ",".join(text for _, text in fragments.values()) + "}}").encode("utf-8")
        _write_if_changed(out_dir / STATE_FILE, blob)
        _fragments = fragments
        _last_state = (blob, dict(self.entries))


# The state file this process last read or wrote, as its bytes and entries: `load` that finds
# the same bytes again (a re-render in the same process: the watcher, `render` called again)
# takes the entries from here instead of parsing 400 JSON objects. Exact: the entries are
# what parsing those bytes gives (Entry.from_json of what `save` wrote), and never changed.
_last_state: tuple[bytes, dict[str, Entry]] | None = None
# Each entry's text in the last saved state: output path -> (entry, '"path":{...}').
_fragments: dict[str, tuple[Entry, str]] = {}


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _write_if_changed(path: Path, blob: bytes) -> None:
    """output.write_json's way with the tool's own records, for bytes made here: the same
    bytes again are not rewritten; otherwise written atomically."""
    try:
        if path.stat().st_size == len(blob) and path.read_bytes() == blob:
            return
    except OSError:
        pass
    atomic_write_bytes(path, blob)


@dataclass
class Decision:
    job: FormJob
    fingerprint: str
    template: str
    data: str
    reason: str | None        # None: up to date, skip


@dataclass
class BuildOutcome:
    rebuilt: list[tuple[str, str]] = field(default_factory=list)   # (path, reason)
    skipped: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    kept_stale: list[str] = field(default_factory=list)            # could not be removed (open?)
    outputs: dict[str, str] = field(default_factory=dict)          # path -> digest of the file as written


class _Digests:
    """File digests, each file read once per build; context digests, each context object
    serialised once per build (a nominee's forms share one context, the 汇总表 .docx and
    .xlsx another)."""

    def __init__(self) -> None:
        self._cache: dict[str, str] = {}
        self._contexts: dict[int, tuple[object, str]] = {}

    def __call__(self, path: Path) -> str:
        key = str(path)
        if key not in self._cache:
            self._cache[key] = file_digest(path) or "missing"
        return self._cache[key]

    def template(self, name: str) -> str:
        key = "template:" + name
        if key not in self._cache:
            self._cache[key] = self(TEMPLATE_DIR / name)
        return self._cache[key]

    def context(self, ctx: dict) -> str:
        hit = self._contexts.get(id(ctx))
        if hit is None or hit[0] is not ctx:        # the object is kept, so its id stays its own
            text = json.dumps(ctx, ensure_ascii=False, sort_keys=True, default=str)
            hit = self._contexts[id(ctx)] = (ctx, hashlib.sha256(text.encode()).hexdigest())
        return hit[1]


def _parts(job: FormJob, digests: _Digests) -> tuple[str, str]:
    """(template digest, data digest): what the fingerprint covers, split to explain a change."""
    template = digests.template(job.template) if job.kind == "docx" and job.template else ""
    plain = {f.name: getattr(job, f.name) for f in fields(job) if f.name != "context"}
    plain["context"] = digests.context(job.context)
    h = hashlib.sha256(json.dumps(plain, ensure_ascii=False, sort_keys=True, default=str).encode())
    for extra in ([job.photo] if job.photo else []) + list(job.depends):
        h.update(digests(Path(extra)).encode())
    return template, h.hexdigest()


def fingerprint(template: str, data: str) -> str:
    """One hash of tool version, job data, template, photo and extra files, from the parts
    computed with each file read once per build."""
    return hashlib.sha256(f"{__version__}\n{template}\n{data}".encode()).hexdigest()


def decide(jobs: Iterable[FormJob], out_dir: Path, state: BuildState, force: bool = False) -> list[Decision]:
    """For each job: run it (with the reason) or skip it."""
    digests = _Digests()
    decisions = []
    base = os.path.join(out_dir, "")                 # with a separator at the end
    for job in jobs:
        template, data = _parts(job, digests)
        fp = fingerprint(template, data)
        old = state.entries.get(job.out)
        target = base + job.out                         # os.path.join for a relative job.out
        now = _stat(target)
        exists = now is not None
        if force:
            reason = FORCED
        elif old is None:
            reason = UNRECORDED if exists else NEW
        elif not exists:
            reason = MISSING
        elif old.fingerprint != fp:
            reason = (TEMPLATE if old.template != template else
                      VERSION if old.tool != __version__ else CONTENT)
        elif now != old.stat and file_digest(target) != old.output:
            reason = EDITED
        else:
            reason = None
        decisions.append(Decision(job, fp, template, data, reason))
    return decisions


def _stat(path: Path | str) -> list[int] | None:
    """[size, mtime_ns] of a regular file, None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_size, st.st_mtime_ns] if stat.S_ISREG(st.st_mode) else None


def _remove(out_dir: Path, rel: str) -> bool:
    """Delete one recorded output and the folders it leaves empty (never out_dir itself)."""
    target = out_dir / PurePosixPath(rel)
    try:
        target.unlink()
    except FileNotFoundError:
        pass
    except OSError:
        return False
    parent = target.parent
    root = out_dir.resolve()
    while parent.resolve() != root and root in parent.resolve().parents:
        try:
            parent.rmdir()              # only succeeds when empty
        except OSError:
            break
        parent = parent.parent
    return True


def _chunks(items: list, size: int) -> Iterable[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def build(jobs: list[FormJob], out_dir: Path, campaign_id: str, execute: Executor, *,
          force: bool = False, progress: ProgressFactory | None = None,
          chunk: int | None = None) -> BuildOutcome:
    """Run the outdated jobs with `execute`, delete outputs no longer planned, record the state.

    Jobs go to `execute` in chunks (so a parallel executor still gets many at once) between
    which the progress bar moves and, on long runs, the state is checkpointed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    state = BuildState.load(out_dir)
    decisions = decide(jobs, out_dir, state, force)
    todo = [d for d in decisions if d.reason]
    outcome = BuildOutcome(skipped=[d.job.out for d in decisions if not d.reason])
    planned = {j.out for j in jobs}
    # Skipped outputs keep their entry as is; entries of outputs being rebuilt are dropped
    # until the new file is there, so a crash in between leaves them "unrecorded" -> rebuilt.
    for d in todo:
        state.entries.pop(d.job.out, None)
    size = chunk or max(8, 4 * (os.cpu_count() or 1))
    last_save = time.monotonic()
    bar_cm = progress(len(todo)) if progress and todo else nullcontext()
    try:
        with bar_cm as bar:
            for group in _chunks(todo, size):
                # a chunk that raises records nothing: its outputs stay unrecorded -> rebuilt
                execute([d.job for d in group], out_dir, campaign_id)
                _record(group, out_dir, state, outcome)
                if bar is not None:
                    bar.update(len(group))
                if time.monotonic() - last_save > CHECKPOINT_SECONDS:
                    state.save(out_dir)
                    last_save = time.monotonic()
        for rel in sorted(set(state.entries) - planned):
            if _remove(out_dir, rel):
                del state.entries[rel]
                outcome.removed.append(rel)
            else:
                outcome.kept_stale.append(rel)
    finally:
        state.save(out_dir)
    outcome.outputs = {rel: e.output for rel, e in state.entries.items() if e.output}
    return outcome


def _record(group: list[Decision], out_dir: Path, state: BuildState, outcome: BuildOutcome) -> None:
    """Record the jobs of a chunk that ran to its end."""
    for d in group:
        target = out_dir / d.job.out
        before = _stat(target)
        written = file_digest(target)
        if written is None or before is None:
            continue
        # the stat is only trusted if the file did not change while it was hashed
        state.entries[d.job.out] = Entry(d.fingerprint, d.template, d.data, written,
                                         stat=before if _stat(target) == before else None)
        outcome.rebuilt.append((d.job.out, d.reason or ""))


def seed(previous: Path, out_dir: Path) -> int:
    """Start a new, empty output folder from an earlier one: copy the outputs its state
    records (with their mtimes, so they need no re-hashing), the assembled files its cache
    records, then the records themselves. The render that follows rebuilds only what differs.

    Copies, not links: the earlier folder stays exactly as it was. The state is copied last,
    so an interrupted seed leaves outputs without a record, which the render rebuilds.
    Returns the number of files copied (0 when there is nothing usable to start from).
    """
    from awardforms.output import UnchangedCache
    if out_dir.exists() and any(out_dir.iterdir()):
        return 0
    state = BuildState.load(previous)
    if not state.entries:
        return 0
    assembled = UnchangedCache(previous).digests
    copied = 0
    for rel in [*state.entries, *assembled, "manifest.json", UnchangedCache.NAME, STATE_FILE]:
        src, dst = previous / PurePosixPath(rel), out_dir / PurePosixPath(rel)
        if ".." in PurePosixPath(rel).parts or not src.is_file():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
        copied += 1
    return copied


def describe(rebuilt: list[tuple[str, str]], skipped: list[str], removed: list[str],
             limit: int = 20) -> list[str]:
    """Chinese lines for the console: what was rebuilt and why, what was removed."""
    lines = []
    if rebuilt:
        counts: dict[str, int] = {}
        for _, reason in rebuilt:
            counts[reason] = counts.get(reason, 0) + 1
        why = "，".join(f"{reason} {n} 个" for reason, n in counts.items())
        lines.append(f"重新生成 {len(rebuilt)} 个文件（{why}），{len(skipped)} 个没有变化、未重新生成。")
        lines += [f"  重新生成：{path}（{reason}）" for path, reason in rebuilt[:limit]]
        if len(rebuilt) > limit:
            lines.append(f"  ……另有 {len(rebuilt) - limit} 个")
    else:
        lines.append(f"没有变化：{len(skipped)} 个文件都是最新的，未重新生成（如需全部重新生成请加 --force）。")
    if removed:
        lines.append(f"删除 {len(removed)} 个不再需要的文件（推荐对象已从表中删除或有错误）：")
        lines += [f"  已删除：{path}" for path in removed[:limit]]
        if len(removed) > limit:
            lines.append(f"  ……另有 {len(removed) - limit} 个")
    return lines

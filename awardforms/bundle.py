"""One zip to e-mail: `<推荐单位>-<项目简称>-推荐材料.zip` in the output folder.

It holds what manifest.json lists (the .docx, .pdf and .xlsx files) and the manifest itself,
under their paths in the output folder, with Windows-safe names; the print bundle (a paper-only
duplicate) stays out. Written atomically; non-ASCII names carry the zip UTF-8 flag.

Rewritten only when a member changed, and then incrementally: `.awardforms-bundle.json` records
the zip as written (its size and mtime) and, per member, its file's size, mtime and version
(see `write_bundle`) and where its bytes lie in the zip. A member whose file is unchanged since
is carried over from the previous zip instead of being read again, provided the zip is the
very file recorded (size and mtime) and its central directory agrees with the record. Its
local record (header, name, stored bytes) is then copied as it is, consecutive carried members
lying one after another in the old zip as one run (ziparchive.Carried): a read and a write per
run instead of a read per member and three writes. That copy is what a full write would give:
the local header depends only on the name (its UTF-8 flag), the method (stored), the DOS time
of the file's mtime, the CRC and the sizes, all the same for an unchanged file; the mode goes
only into the central directory, written afresh. ziparchive checks that, byte for byte, against
the header it would write now (a changed time zone shows here), and the stored bytes against
their CRC: bytes damaged in the old zip while its size and mtime stayed (a flaky USB drive, a
write cut short) are not carried on. Should a run not check out, the zip is written again
with every member read from its file. Either way the zip comes out byte for byte the same.
The old zip is read a run at a time, 64 MB at most (ziparchive._PIECE): memory stays bounded.
Only stored members (forms, workbooks, PDFs) are carried; manifest.json, deflated and new on
every render, is always compressed afresh. The streamed path (large members, ZIP64) keeps no
record and carries nothing.
"""

from __future__ import annotations

import functools
import json
import os
import stat
import time
import zipfile
from pathlib import Path, PurePosixPath

from .output import UnchangedCache, atomic_write, digest_of, safe_name, write_json
from .ziparchive import (STORED, UTF8_FLAG, Carried, Member, Mismatch, dos_time, fits, read_directory,
                         write_members)

BUNDLE_SUFFIXES = {".docx", ".pdf", ".xlsx"}
PRECOMPRESSED = {".docx", ".xlsx", ".pdf"}
_PRECOMPRESSED = tuple(PRECOMPRESSED)
_WHOLE = 8 * 1024 ** 2       # members up to this size are read in one go (forms, checklists)


def bundle_stem(unit_name: str, short_title: str) -> str:
    return safe_name(f"{unit_name or '推荐单位'}-{short_title}-推荐材料", 120)


def bundle_name(unit_name: str, short_title: str) -> str:
    return bundle_stem(unit_name, short_title) + ".zip"


def manifest_files(manifest: dict) -> list[str]:
    files = list(manifest.get("files", []))
    for n in manifest.get("nominees", []):
        files += n.get("files", [])
    return list(dict.fromkeys(files))


@functools.lru_cache(maxsize=65536)
def safe_member(path: str) -> str:
    """The member name of an output path (remembered: 600 paths per render, ~3 ms)."""
    return "/".join(safe_name(part, 120) for part in PurePosixPath(path).parts)


def write_bundle(out_dir: Path, manifest: dict, name: str, exclude: set[str] = frozenset(),
                 versions: dict[str, str] | None = None) -> list[str]:
    """Write the zip (only when a member changed); return its member names.

    A member has changed when its file's size, mtime or version differs. Outputs are replaced
    only when rebuilt, so size and mtime tell nearly always; the version (the digest the build
    recorded for a form it wrote, `versions`, or the assembly record's digest of what a 材料清单
    or PDF was made from) also tells a file rebuilt at the same size within the clock's
    resolution (2 s on FAT drives)."""
    base = str(out_dir)
    stats = _member_stats(base, manifest, exclude)
    manifest_text = (out_dir / "manifest.json").read_text(encoding="utf-8")
    cache = UnchangedCache(out_dir)
    known = {**cache.digests, **(versions or {})}
    versions = {m: known.get(m, "") for m, _ in stats}
    digest = digest_of([(m, st.st_size, st.st_mtime_ns, versions[m]) for m, st in stats], manifest_text)
    if cache.fresh(out_dir, name, digest):
        return [safe_member(m) for m, _ in stats] + ["manifest.json"]
    members = stats + [("manifest.json", os.stat(os.path.join(base, "manifest.json")))]
    names = [safe_member(rel) for rel, _ in members]
    placed: list[tuple[int, int, int]] = []         # where write_members put each member
    write = _writer(out_dir, name, members, names, placed, versions)
    _forget(out_dir)            # until the new zip is recorded, nothing in it is trusted
    atomic_write(out_dir / name, write)
    if placed:
        _remember(out_dir, name, members, placed, versions)
    cache.record(name, digest)
    cache.save()
    return names


def _writer(out_dir: Path, name: str, members: list, names: list[str], placed: list,
            versions: dict[str, str]):
    """What writes the zip: ziparchive in one pass, carrying over what it can from the
    previous zip, or zipfile streaming when a member is large or ZIP64 is needed."""
    base = str(out_dir)
    small = all(st.st_size <= _WHOLE for _, st in members)
    if small and fits(len(members), sum(st.st_size + 2 * len(arc.encode()) + 100
                                        for (_, st), arc in zip(members, names))):
        record = _recorded(out_dir, name)            # read before write_bundle drops it
        return functools.partial(_write_in_one_pass, out_dir / name, record, versions, members, names,
                                 placed)
    return functools.partial(_write_streamed, base, members, names)    # a large submission PDF


def _member_stats(base: str, manifest: dict, exclude: set[str]) -> list[tuple[str, os.stat_result]]:
    stats = []                    # (member, os.stat_result); plain strings: 600 members add up
    for f in manifest_files(manifest):
        if os.path.splitext(f)[1].lower() not in BUNDLE_SUFFIXES or f in exclude:
            continue
        try:
            st = os.stat(os.path.join(base, f))
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            stats.append((f, st))
    return stats


def _compressed(rel: str) -> bool:
    # .docx/.xlsx are zips already and PDFs are compressed: deflating again costs time and
    # saves next to nothing (endswith: 0.1 ms for 600 members, splitext 0.4 ms)
    return rel.lower().endswith(_PRECOMPRESSED)


def _write_in_one_pass(path: Path, record: dict, versions: dict[str, str], members: list, names: list[str],
                       placed: list, tmp: Path) -> None:
    """Members carried over from the previous zip at `path` or read whole, written with
    ziparchive (~4x faster than zipfile for 600 forms); `placed` receives where each one went.
    Should a carried member not check out, the zip is written again from the files alone."""
    base = str(path.parent)
    try:
        with _Previous(path, record, versions) as previous:
            _write_members(tmp, base, members, names, previous.carry, placed, previous.file)
    except Mismatch:
        placed.clear()
        _write_members(tmp, base, members, names, _carry_nothing, placed, None)


def _write_members(tmp: Path, base: str, members: list, names: list[str], carry, placed: list,
                   source) -> None:
    def member(rel: str, st: os.stat_result, arc: str) -> Member | Carried:
        return carry(rel, st, arc) or _read(base, rel, st, arc)

    with open(tmp, "wb") as out:
        write_members(out, (member(rel, st, arc) for (rel, st), arc in zip(members, names)), placed,
                      source)


def _read(base: str, rel: str, st: os.stat_result, arc: str) -> Member:
    with open(os.path.join(base, rel), "rb") as src:
        blob = src.read()
    make = Member.stored if _compressed(rel) else Member.deflated
    return make(arc, blob, when=dos_time(st.st_mtime), mode=st.st_mode)


# ---- the previous zip: what it holds, proved before anything in it is used

RECORD = ".awardforms-bundle.json"   # buildstate.seed copies it after the zip
_RECORD_VERSION = 2          # 2: each member's version (write_bundle) recorded too


def _carry_nothing(rel: str, st: os.stat_result, arc: str) -> None:
    return None


def _recorded(out_dir: Path, name: str) -> dict:
    """The record of the zip `name`, as `_remember` wrote it; {} if there is none."""
    try:
        record = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(record, dict) and record.get("version") == _RECORD_VERSION and record.get("zip") == name
    return record if ok else {}


class _Previous:
    """The previous zip, open while the next one is written (and closed before that one
    replaces it); ziparchive reads the carried members' records from it, a run at a time."""

    def __init__(self, path: Path, record: dict, versions: dict[str, str]):
        self.file = None
        self.versions = versions
        self.kept: dict[str, tuple] = {}      # rel -> (file size, file mtime_ns, version, Entry)
        if not record:
            return
        try:
            self.file = open(path, "rb", buffering=0)
            self.kept = self._matched(record)
        except (OSError, ValueError, KeyError, TypeError):
            self.kept = {}

    def _matched(self, record: dict) -> dict[str, tuple]:
        """Members of the zip whose central directory record agrees with ours; {} unless
        the zip is the very file recorded (size, mtime) with a directory as recorded."""
        st = os.fstat(self.file.fileno())
        if (st.st_size, st.st_mtime_ns) != (record["size"], record["mtime_ns"]):
            return {}                           # rewritten, replaced, truncated since
        entries = read_directory(self.file, st.st_size)
        recorded = record["members"]
        if entries is None or len(entries) != len(recorded):
            return {}
        kept = {}
        for (rel, size, mtime_ns, version, offset, crc, stored), entry in zip(recorded, entries):
            if (entry.offset, entry.crc, entry.stored_size) != (offset, crc, stored):
                return {}
            if entry.method == STORED:          # manifest.json (deflated) is new every time
                kept[rel] = (size, mtime_ns, version, entry)
        return kept

    def carry(self, rel: str, st: os.stat_result, arc: str) -> Carried | None:
        """The member's record in the previous zip, if its file is the one it was made from
        (same size, mtime and version) and it would be stored, under the same name, now; else
        None. Nothing is read here: ziparchive checks the record as it copies it."""
        kept = self.kept.get(rel)
        if kept is None:
            return None
        size, mtime_ns, version, entry = kept
        if ((size, mtime_ns, version) != (st.st_size, st.st_mtime_ns, self.versions.get(rel, ""))
                or entry.size != st.st_size
                or entry.name != arc.encode() or not _compressed(rel)):
            return None
        return Carried(entry.name, entry.crc, entry.size, entry.stored_size, STORED,
                       dos_time(st.st_mtime), st.st_mode, entry.offset)

    def __enter__(self) -> "_Previous":
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()


def _remember(out_dir: Path, name: str, members: list, placed: list, versions: dict[str, str]) -> None:
    """Record the zip just written; best effort (without a record the next zip is written in full)."""
    try:
        st = os.stat(out_dir / name)
        write_json(out_dir / RECORD, {
            "version": _RECORD_VERSION, "zip": name, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "members": [[rel, s.st_size, s.st_mtime_ns, versions.get(rel, ""), *where]
                        for (rel, s), where in zip(members, placed)],
        }, compact=True)
    except OSError:
        _forget(out_dir)


def _forget(out_dir: Path) -> None:
    """Drop the record. Should that fail, a stale record still proves nothing: the zip it
    names has another size or mtime by now, and every carried record is checked anyway."""
    try:
        os.unlink(out_dir / RECORD)
    except OSError:
        pass


def _write_streamed(base: str, members: list, names: list[str], tmp: Path) -> None:
    """zipfile, streaming members larger than _WHOLE (and ZIP64 when needed)."""
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
        for (rel, st), arc in zip(members, names):
            info = zipfile.ZipInfo(arc, time.localtime(st.st_mtime)[:6])
            info.external_attr = (st.st_mode & 0xFFFF) << 16
            info.compress_type = zipfile.ZIP_STORED if _compressed(rel) else zipfile.ZIP_DEFLATED
            info.flag_bits |= UTF8_FLAG
            with open(os.path.join(base, rel), "rb") as src:
                if st.st_size <= _WHOLE:
                    zf.writestr(info, src.read())
                else:
                    with zf.open(info, "w") as dst:
                        while chunk := src.read(1 << 20):
                            dst.write(chunk)

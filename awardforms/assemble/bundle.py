"""One zip to e-mail: `<推荐单位>-<项目简称>-推荐材料.zip` in the output folder.

It holds what manifest.json lists (the .docx, .pdf and .xlsx files) and the manifest itself,
under their paths in the output folder, with Windows-safe names; the print bundle (a paper-only
duplicate) stays out. Written atomically; non-ASCII names carry the zip UTF-8 flag.

Rewritten only when a member changed, and then incrementally: `.awardforms-bundle.json` records
the zip as written (its size and mtime), a digest of what it was made from (each member's path,
size, mtime and version, see `write_bundle`, and manifest.json's bytes: equal, and the zip still
the file recorded, it is not written again) and, per member, its file's size, mtime and version
and where its bytes lie in the zip. (`.awardforms-assembly.json` lists the zip among the
assembled outputs, for buildstate.seed, with this record's name for its digest.) A member whose
file is unchanged since is carried over from the previous zip instead of being read again,
provided the zip is the very file recorded (size and mtime) and its central directory agrees
with the record. Its local record (header, name, stored bytes) is then copied as it is,
consecutive carried members lying one after another in the old zip as one run
(ziparchive.Carried): a read and a write per run instead of a read per member and three writes.
That copy is what a full write would give: the local header depends only on the name (its UTF-8
flag), the method (stored), the DOS time of the file's mtime, the CRC and the sizes, all the
same for an unchanged file; the mode goes only into the central directory, written afresh.
ziparchive checks that, byte for byte, against the header it would write now (a changed time
zone shows here), and the stored bytes against their CRC: bytes damaged in the old zip while its
size and mtime stayed (a flaky USB drive, a write cut short) are not carried on. Should a run
not check out, the zip is written again with every member read from its file. Either way the zip
comes out byte for byte the same. The old zip is read a run at a time, 64 MB at most
(ziparchive._PIECE): memory stays bounded. Only stored members (forms, workbooks, PDFs) are
carried; manifest.json, deflated, never is (another zlib may deflate it otherwise): it is
deflated again unless its bytes are the ones this process deflated last. The streamed path
(large members, ZIP64) records no members and carries nothing.

A process that renders again (the watcher, a program calling pipeline.render) remembers the
record it wrote (`_Made`) instead of reading the file back and the zip's central directory
(JSON, directory and DOS times: ~1.8 ms per rewrite of 600 members), as long as the record file
and the zip are the very files it wrote (size, mtime, file id, change time) and the time zone is
the same. What it remembers is what it wrote, so stale it cannot be while the zip is that file;
the carried records are checked all the same.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import stat
import time
import zipfile
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from awardforms.output import UnchangedCache, atomic_write, safe_name, write_json
from awardforms.ziparchive import (STORED, UTF8_FLAG, Carried, Member, Mismatch, dos_time, fits, read_directory,
                         write_members)

BUNDLE_SUFFIXES = {".docx", ".pdf", ".xlsx"}
PRECOMPRESSED = {".docx", ".xlsx", ".pdf"}
_PRECOMPRESSED = tuple(PRECOMPRESSED)
_BUNDLED = tuple(BUNDLE_SUFFIXES)
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
    manifest_bytes = (out_dir / "manifest.json").read_bytes()
    cache = UnchangedCache(out_dir)
    known = {**cache.digests, **(versions or {})}
    versions = {m: known.get(m, "") for m, _ in stats}
    inputs = _inputs_digest(stats, versions, manifest_bytes)
    if cache.digests.get(name) != RECORD:   # the zip is an assembled output (buildstate.seed
        cache.record(name, RECORD)          # copies it); what it was made from is in RECORD
        cache.save()
    previous = _recorded(out_dir, name)
    if _fresh(out_dir / name, previous, inputs):
        return [safe_member(m) for m, _ in stats] + ["manifest.json"]
    members = stats + [("manifest.json", os.stat(os.path.join(base, "manifest.json")))]
    names = [safe_member(rel) for rel, _ in members]
    written = _Written()
    write = _writer(out_dir, name, members, names, written, versions, previous)
    zone = _zone()              # the DOS times are worked out in this zone
    _forget(out_dir)            # until the new zip is recorded, nothing in it is trusted
    atomic_write(out_dir / name, write)
    _remember(out_dir, name, inputs, members, written, versions, zone)
    return names


def _inputs_digest(stats: list, versions: dict[str, str], manifest: bytes) -> str:
    """A digest of what the zip is made from: each member's path, size, mtime and version, and
    manifest.json. Each field ends with NUL, which none holds (~0.4 ms for 600 members;
    output.digest_of, through JSON, ~1 ms)."""
    fields = "".join([f"{m}\0{st.st_size}\0{st.st_mtime_ns}\0{versions[m]}\0" for m, st in stats])
    return hashlib.sha256(fields.encode("utf-8", "surrogatepass") + b"\0" + manifest).hexdigest()


def _writer(out_dir: Path, name: str, members: list, names: list[str], written: "_Written",
            versions: dict[str, str], previous: "_Made | dict"):
    """What writes the zip: ziparchive in one pass, carrying over what it can from the
    previous zip, or zipfile streaming when a member is large or ZIP64 is needed."""
    base = str(out_dir)
    small = all(st.st_size <= _WHOLE for _, st in members)
    if small and fits(len(members), sum(st.st_size + 2 * len(arc.encode()) + 100
                                        for (_, st), arc in zip(members, names))):
        return functools.partial(_write_in_one_pass, out_dir / name, previous, versions, members, names,
                                 written)
    return functools.partial(_write_streamed, base, members, names)    # a large submission PDF


def _member_stats(base: str, manifest: dict, exclude: set[str]) -> list[tuple[str, os.stat_result]]:
    stats = []                    # (member, os.stat_result); plain strings: 600 members add up
    folder = os.path.join(base, "")
    for f in manifest_files(manifest):
        if f in exclude or not _bundled(f):
            continue
        try:
            st = os.stat(folder + f)          # "/" separates on Windows too
        except OSError:
            continue
        if stat.S_ISREG(st.st_mode):
            stats.append((f, st))
    return stats


def _bundled(rel: str) -> bool:
    """Whether the output goes into the zip by its suffix (as os.path.splitext tells it;
    endswith first: 0.1 ms for 600 members, splitext 0.4 ms)."""
    if not rel.lower().endswith(_BUNDLED):
        return False
    return not rel.rpartition("/")[2].startswith(".") or os.path.splitext(rel)[1].lower() in BUNDLE_SUFFIXES


def _compressed(rel: str) -> bool:
    # .docx/.xlsx are zips already and PDFs are compressed: deflating again costs time and
    # saves next to nothing (endswith: 0.1 ms for 600 members, splitext 0.4 ms)
    return rel.lower().endswith(_PRECOMPRESSED)


class _Written:
    """What the one-pass writer wrote: where each member went (offset of its local record, CRC,
    stored size) and, for a stored member, the name and DOS time its header holds."""

    def __init__(self) -> None:
        self.placed: list[tuple[int, int, int]] = []
        self.stored: list[tuple[bytes, tuple[int, int]] | None] = []     # None: deflated

    def clear(self) -> None:
        self.placed.clear()
        self.stored.clear()


def _write_in_one_pass(path: Path, previous: "_Made | dict", versions: dict[str, str], members: list,
                       names: list[str], written: _Written, tmp: Path) -> None:
    """Members carried over from the previous zip at `path` or read whole, written with
    ziparchive (~4x faster than zipfile for 600 forms); `written` receives where each one went.
    Should a carried member not check out, the zip is written again from the files alone."""
    base = str(path.parent)
    try:
        with _Previous(path, previous, versions) as old:
            _write_members(tmp, base, members, names, old.carry, written, old.file)
    except Mismatch:
        written.clear()
        _write_members(tmp, base, members, names, _carry_nothing, written, None)


def _write_members(tmp: Path, base: str, members: list, names: list[str], carry, written: _Written,
                   source) -> None:
    made = written.stored.append

    def member(rel: str, st: os.stat_result, arc: str) -> Member | Carried:
        m = carry(rel, st, arc) or _read(base, rel, st, arc)
        made((m.name, m.when) if m.method == STORED else None)
        return m

    with open(tmp, "wb") as out:
        write_members(out, (member(rel, st, arc) for (rel, st), arc in zip(members, names)),
                      written.placed, source)


def _read(base: str, rel: str, st: os.stat_result, arc: str) -> Member:
    with open(os.path.join(base, rel), "rb") as src:
        blob = src.read()
    if _compressed(rel):
        return Member.stored(arc, blob, when=dos_time(st.st_mtime), mode=st.st_mode)
    return _deflated(arc, blob, dos_time(st.st_mtime), st.st_mode)


_DEFLATED: dict[str, tuple[bytes, Member]] = {}   # name -> (content, member): the last one deflated


def _deflated(arc: str, blob: bytes, when: tuple[int, int], mode: int) -> Member:
    """Member.deflated; for the same name and content as last time, what it gave then
    (manifest.json, the one deflated member, is the same after most edits: 0.7 ms of deflating
    80 KB saved; zlib in this process gives the same bytes again)."""
    known = _DEFLATED.get(arc)
    if known is None or known[0] != blob:
        known = (blob, Member.deflated(arc, blob))
        _DEFLATED.clear()                       # one kept: memory stays small
        _DEFLATED[arc] = known
    m = known[1]
    return Member(m.name, m.crc, m.size, m.data, m.method, when, mode)


# ---- the previous zip: what it holds, proved before anything in it is used

RECORD = ".awardforms-bundle.json"   # buildstate.seed copies it after the zip
_RECORD_VERSION = 2          # 2: each member's version (write_bundle) recorded too


class _Made(NamedTuple):
    """What this process knows of a zip it wrote and recorded, kept for the next render in the
    same process (the watcher, a program calling pipeline.render again): the record without
    reading and parsing it (115 KB for 600 members) and without reading the zip's central
    directory again. Used only while the zip and the record file are the very files written
    then (`_identity`) and the time zone is the one the DOS times were worked out in; every
    carried record is still checked against its header and CRC as it is copied."""
    zip: tuple                  # _identity() of the zip just after it replaced the old one
    record: tuple               # _identity() of the record file written with it
    zone: tuple                 # _zone() then
    inputs: str                 # _inputs_digest() of what it was made from
    kept: dict[str, tuple]      # rel -> (file size, file mtime_ns, version, Carried), stored members


_MADE: dict[tuple[str, str], _Made] = {}    # (folder, zip name) -> the zip last written there
_MADE_MAX = 16                              # folders remembered (a watcher renders many)


def _key(out_dir: Path, name: str) -> tuple[str, str]:
    return os.path.abspath(out_dir), name


def _identity(what: "Path | os.stat_result") -> tuple:
    """Which file this is: size, mtime, file id and change time (Unix: the inode's ctime,
    which no program sets; Windows: the creation time). () if there is none."""
    try:
        st = what if isinstance(what, os.stat_result) else os.stat(what)
    except OSError:
        return ()
    return st.st_size, st.st_mtime_ns, st.st_ino, st.st_dev, st.st_ctime_ns


def _zone() -> tuple:
    """The local time zone as time.localtime sees it (TZ too: where it changes without tzset)."""
    return os.environ.get("TZ"), time.timezone, time.altzone, time.daylight, time.tzname


def _carry_nothing(rel: str, st: os.stat_result, arc: str) -> None:
    return None


def _recorded(out_dir: Path, name: str) -> "_Made | dict":
    """What is known of the zip `name`: what this process remembers of writing it, while its
    record file is still the one written with it (and the time zone the same), else the record
    as `_remember` wrote it; {} if there is none."""
    made = _MADE.get(_key(out_dir, name))
    if made is not None and made.zone == _zone() and made.record == _identity(out_dir / RECORD):
        return made
    try:
        record = json.loads((out_dir / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    ok = isinstance(record, dict) and record.get("version") == _RECORD_VERSION and record.get("zip") == name
    return record if ok else {}


def _fresh(path: Path, previous: "_Made | dict", inputs: str) -> bool:
    """Whether the zip at `path` is the one recorded, made from the same `inputs`."""
    if isinstance(previous, _Made):
        return previous.inputs == inputs and previous.zip == _identity(path)
    if not previous or previous.get("inputs") != inputs:
        return False
    try:
        st = os.stat(path)
    except OSError:
        return False
    return (st.st_size, st.st_mtime_ns) == (previous.get("size"), previous.get("mtime_ns"))


class _Previous:
    """The previous zip, open while the next one is written (and closed before that one
    replaces it); ziparchive reads the carried members' records from it, a run at a time."""

    def __init__(self, path: Path, previous: "_Made | dict", versions: dict[str, str]):
        self.file = None
        self.versions = versions
        self.kept: dict[str, tuple] = {}      # rel -> (file size, file mtime_ns, version, Carried)
        if not previous:
            return
        try:
            self.file = open(path, "rb", buffering=0)
            st = os.fstat(self.file.fileno())
            if isinstance(previous, _Made):
                self.kept = previous.kept if _identity(st) == previous.zip else {}
            else:
                self.kept = self._matched(previous, st)
        except (OSError, ValueError, KeyError, TypeError):
            self.kept = {}

    def _matched(self, record: dict, st: os.stat_result) -> dict[str, tuple]:
        """Members of the zip whose central directory record agrees with ours; {} unless
        the zip is the very file recorded (size, mtime) with a directory as recorded."""
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
                kept[rel] = (size, mtime_ns, version, Carried(entry.name, entry.crc, entry.size,
                                                              entry.stored_size, STORED, None, None, offset))
        return kept

    def carry(self, rel: str, st: os.stat_result, arc: str) -> Carried | None:
        """The member's record in the previous zip, if its file is the one it was made from
        (same size, mtime and version) and it would be stored, under the same name, now; else
        None. Nothing is read here: ziparchive checks the record as it copies it."""
        kept = self.kept.get(rel)
        if kept is None:
            return None
        size, mtime_ns, version, carried = kept
        if ((size, mtime_ns, version) != (st.st_size, st.st_mtime_ns, self.versions.get(rel, ""))
                or carried.size != st.st_size
                or carried.name != arc.encode() or not _compressed(rel)):
            return None
        if carried.when is None:                # from the record file: the DOS time of that mtime now
            carried = carried._replace(when=dos_time(st.st_mtime))
        return carried if carried.mode == st.st_mode else carried._replace(mode=st.st_mode)

    def __enter__(self) -> "_Previous":
        return self

    def __exit__(self, *exc) -> None:
        if self.file is not None:
            self.file.close()


def _remember(out_dir: Path, name: str, inputs: str, members: list, written: _Written,
              versions: dict[str, str], zone: tuple) -> None:
    """Record the zip just written, what it was made from (`inputs`) and where its members lie
    (none for a streamed zip: nothing is carried from it); best effort (without a record the
    next render writes the zip in full)."""
    try:
        st = os.stat(out_dir / name)
        write_json(out_dir / RECORD, {
            "version": _RECORD_VERSION, "zip": name, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
            "inputs": inputs,
            "members": [[rel, s.st_size, s.st_mtime_ns, versions.get(rel, ""), *where]
                        for (rel, s), where in zip(members, written.placed)],
        }, compact=True)
    except OSError:
        _forget(out_dir)
        return
    record = _identity(out_dir / RECORD)
    if not record:
        return
    kept = {}
    for (rel, s), (offset, crc, size), made in zip(members, written.placed, written.stored):
        if made is not None:                    # manifest.json (deflated) is never carried
            kept[rel] = (s.st_size, s.st_mtime_ns, versions.get(rel, ""),
                         Carried(made[0], crc, s.st_size, size, STORED, made[1], s.st_mode, offset))
    _MADE[_key(out_dir, name)] = _Made(_identity(st), record, zone, inputs, kept)
    for key in list(_MADE)[:-_MADE_MAX]:        # the folders written longest ago
        _MADE.pop(key, None)


def _forget(out_dir: Path) -> None:
    """Drop the record. Should that fail, a stale record still proves nothing: the zip it
    names has another size or mtime by now, and every carried record is checked anyway."""
    folder = os.path.abspath(out_dir)
    for key in list(_MADE):
        if key[0] == folder:
            _MADE.pop(key, None)
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

"""Zip archives whose members are known in full before they are written.

`zipfile` writes each member through a file-like object, writes its header twice and seeks
back; for the 600 members of a submission zip that machinery alone costs ~50 ms, for a form
(17 members) it costs more than rendering the form. Here a member arrives with its CRC, sizes
and (stored or deflated) bytes, and the archive is written in one pass: local records, then the
central directory. No ZIP64: callers use `zipfile` when `fits()` says no.

Readers see what `zipfile` would have written: version 2.0 records, the UTF-8 flag on
non-ASCII names, DOS timestamps, Unix permission bits in the external attributes.

`read_directory` and `read_entry` read back an archive written here (and nothing else: no
ZIP64, extra fields or comments), checking a member against its CRC.

A member of an archive written here can be carried into the next one (bundle.py): a `Carried`
names where its local record (header, name, stored bytes) lies in the `source` archive, and
`write_members` copies that record as it is, a run of records lying one after another in the
source at once (a read and a write per run, not three writes per member). The record is
copied only if it is exactly what writing the member afresh would produce: its header equals,
byte for byte, the header built now from the member's fields (name, flags, method, DOS time,
CRC, sizes, no extra field), and its bytes have that CRC and size. The bytes are checked in
the buffer they are then written from: what is written is what was checked. A record that
does not check out raises `Mismatch` (the caller starts over without carrying). A run is read
in pieces of at most `_PIECE` bytes (cut between records): memory stays bounded by that, or
by the largest member.

Copying in the kernel (`os.copy_file_range`, checking the headers only) was weighed and left
out: the CRC check needs the bytes read anyway, and once read, writing them costs what a kernel
copy costs (ext4: 5.6 MB either way in the same time). Skipping the read and the CRC made no
measurable difference to a 600-member rewrite (16-17 ms either way) but would carry bytes
damaged in the old archive (a flaky USB drive, a write cut short) into every later one.
"""

from __future__ import annotations

import struct
import sys
import time
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterable, NamedTuple, Union

STORED, DEFLATED = 0, 8
UTF8_FLAG = 0x800
_MADE_BY = (0 if sys.platform == "win32" else 3) << 8 | 20     # host system, zip spec 2.0
_LIMIT = 0xFFFFFFFF - (1 << 24)     # sizes and offsets are 32-bit without ZIP64; keep a margin
_MAX_MEMBERS = 0xFFFF - 1
_LOCAL = struct.Struct("<4s2B4HL2L2H")           # local file header, then the name
_CENTRAL = struct.Struct("<4s2H4HL2L5H2L")       # central directory record, then the name
_END = struct.Struct("<4s4H2LH")                 # end of central directory record
_PIECE = 64 * 1024 ** 2       # a run of carried records is read and written this much at most at once


def dos_time(when: float | None = None) -> tuple[int, int]:
    """(date, time) fields of a local time; before 1980 (unrepresentable) becomes 1980-01-01."""
    t = time.localtime(when)
    if t.tm_year < 1980:
        return (0 << 9 | 1 << 5 | 1), 0
    return ((t.tm_year - 1980) << 9 | t.tm_mon << 5 | t.tm_mday,
            t.tm_hour << 11 | t.tm_min << 5 | t.tm_sec // 2)


@dataclass
class Member:
    name: bytes            # UTF-8
    crc: int
    size: int              # uncompressed
    data: bytes | memoryview   # as stored in the archive (deflated without zlib header, or as is)
    method: int = DEFLATED
    when: tuple[int, int] | None = None    # dos_time(); None: when the archive is written
    mode: int = 0o600      # Unix permission bits

    @classmethod
    def deflated(cls, name: str, blob: bytes, level: int = zlib.Z_DEFAULT_COMPRESSION,
                 when: tuple[int, int] | None = None, mode: int = 0o600) -> "Member":
        comp = zlib.compressobj(level, zlib.DEFLATED, -15)
        return cls(name.encode("utf-8"), zlib.crc32(blob), len(blob),
                   comp.compress(blob) + comp.flush(), DEFLATED, when, mode)

    @classmethod
    def stored(cls, name: str, blob: bytes, when: tuple[int, int] | None = None,
               mode: int = 0o600) -> "Member":
        return cls(name.encode("utf-8"), zlib.crc32(blob), len(blob), blob, STORED, when, mode)

    @property
    def stored_size(self) -> int:
        return len(self.data)


class Carried(NamedTuple):
    """A member whose local record lies at `at` in the source archive, written there by
    `write_members` (read back with `read_directory`); copied from there as it is."""
    name: bytes            # UTF-8
    crc: int
    size: int              # uncompressed
    stored_size: int       # as stored in the source
    method: int
    when: tuple[int, int]  # dos_time(): must be the time in the source's local header
    mode: int              # Unix permission bits (central directory only: may differ from the source)
    at: int                # offset of the local record in the source


class Mismatch(Exception):
    """A carried record is not in the source as `Carried` says (or cannot be read there)."""


def fits(count: int, total_bytes: int) -> bool:
    """Whether `count` members holding about `total_bytes` can be written without ZIP64."""
    return count <= _MAX_MEMBERS and total_bytes < _LIMIT


def write_members(out: BinaryIO, members: Iterable[Union[Member, Carried]],
                  placed: list[tuple[int, int, int]] | None = None, source: BinaryIO | None = None) -> int:
    """Write the archive to `out` (its current position is offset 0); return the member count.

    `placed`, if given, receives (offset of the local record, crc, stored size) of each member.
    `Carried` members are copied from `source` (see the module docstring); raises `Mismatch`
    if one does not check out there, leaving `out` half written.
    """
    now = dos_time()
    central, offset = [], 0
    run = _Run(source, out)
    for m in members:
        date, tod = m.when or now
        flags = 0 if m.name.isascii() else UTF8_FLAG
        stored = m.stored_size
        header = _LOCAL.pack(b"PK\x03\x04", 20, 0, flags, m.method, tod, date,
                             m.crc, stored, m.size, len(m.name), 0) + m.name
        if offset + len(header) + stored > _LIMIT:
            raise ValueError("zip archive too large without ZIP64")
        central.append(_CENTRAL.pack(b"PK\x01\x02", _MADE_BY, 20, flags, m.method, tod, date,
                                     m.crc, stored, m.size, len(m.name), 0, 0,
                                     0, 0, (m.mode & 0xFFFF) << 16, offset) + m.name)
        if isinstance(m, Carried):
            run.add(m, header)
        else:
            run.flush()
            out.write(header)
            out.write(m.data)
        if placed is not None:
            placed.append((offset, m.crc, stored))
        offset += len(header) + stored
    run.flush()
    if len(central) > _MAX_MEMBERS:
        raise ValueError("too many zip members without ZIP64")
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central),
                        len(directory), offset, 0))
    return len(central)


class _Run:
    """Carried records lying one after another in the source, to be checked and copied at once."""

    def __init__(self, source: BinaryIO | None, out: BinaryIO):
        self.source, self.out = source, out
        self.start, self.length = 0, 0
        self.records: list[tuple[Carried, bytes]] = []      # (member, its header and name)

    def add(self, m: Carried, header: bytes) -> None:
        length = len(header) + m.stored_size
        if self.records and (m.at != self.start + self.length or self.length + length > _PIECE):
            self.flush()
        if not self.records:
            self.start = m.at
        self.records.append((m, header))
        self.length += length

    def flush(self) -> None:
        if self.records:
            self.out.write(self._checked())
            self.records, self.length = [], 0

    def _checked(self) -> memoryview:
        """The run's bytes from the source, every record in it checked."""
        if self.source is None:
            raise Mismatch("carried members without a source archive")
        try:
            self.source.seek(self.start)
            raw = _read_fully(self.source, self.length)
        except OSError as e:
            raise Mismatch(f"source unreadable at {self.start}") from e
        if len(raw) != self.length:
            raise Mismatch(f"source ends before {self.start + self.length}")
        data, pos = memoryview(raw), 0
        for m, header in self.records:
            start = pos + len(header)
            end = start + m.stored_size
            if not raw.startswith(header, pos) or not _holds(data[start:end], m):
                raise Mismatch(f"record at {m.at} differs")
            pos = end
        return data


def _read_fully(f: BinaryIO, size: int) -> bytes:
    """`size` bytes from `f`, fewer only at its end (an unbuffered read may stop short, as on
    a network drive)."""
    data = f.read(size)
    while len(data) < size and (more := f.read(size - len(data))):
        data += more            # rare: copying again is fine
    return data


def _holds(data: memoryview, m: Union[Member, Carried, "Entry"]) -> bool:
    """Whether stored bytes give m's content: its size and CRC (inflated first if deflated)."""
    try:
        content = data if m.method == STORED else zlib.decompress(data, -15)
    except zlib.error:
        return False
    return len(content) == m.size and zlib.crc32(content) == m.crc


def archive(members: Iterable[Member]) -> bytes:
    """The archive as bytes."""
    parts: list[bytes] = []

    class _Join:
        write = parts.append

    write_members(_Join, members)
    return b"".join(parts)


class Entry(NamedTuple):
    """A central directory record of an archive written by `write_members`."""
    name: bytes
    crc: int
    stored_size: int       # len(Member.data)
    size: int              # uncompressed
    method: int
    flags: int
    offset: int            # of the local record


def read_directory(f: BinaryIO, file_size: int) -> list[Entry] | None:
    """The entries of the archive in `f` (`file_size` bytes) laid out as `write_members` writes
    it; None for anything else (a comment, ZIP64, extra fields, several disks, records that do
    not add up). Reads only the end of the file."""
    if file_size < _END.size:
        return None
    f.seek(file_size - _END.size)
    end = f.read(_END.size)
    if len(end) != _END.size:
        return None
    sig, disk, cd_disk, count, total, cd_size, cd_offset, comment = _END.unpack(end)
    if (sig != b"PK\x05\x06" or disk or cd_disk or comment or count != total
            or cd_offset + cd_size != file_size - _END.size):
        return None
    f.seek(cd_offset)
    directory = f.read(cd_size)
    if len(directory) != cd_size:
        return None
    entries, pos = [], 0
    for _ in range(count):
        if pos + _CENTRAL.size > cd_size:
            return None
        (sig, _made_by, _needs, flags, method, _tod, _date, crc, stored, size, name_len, extra_len,
         comment_len, disk, _internal, _external, offset) = _CENTRAL.unpack_from(directory, pos)
        pos += _CENTRAL.size
        if (sig != b"PK\x01\x02" or extra_len or comment_len or disk
                or offset + _LOCAL.size + name_len + stored > cd_offset):   # member overruns
            return None
        entries.append(Entry(directory[pos:pos + name_len], crc, stored, size, method, flags, offset))
        pos += name_len
    return entries if pos == cd_size else None


def read_entry(f: BinaryIO, entry: Entry) -> memoryview | None:
    """The member's bytes as stored, if the local record at `entry.offset` agrees with the
    entry from `read_directory` (name, flags, method, CRC, sizes, no extra field) and its
    content has that CRC and size; else None."""
    f.seek(entry.offset)
    start = _LOCAL.size + len(entry.name)
    record = f.read(start + entry.stored_size)
    if len(record) != start + entry.stored_size:
        return None
    (sig, _version, _host, flags, method, _tod, _date, crc, stored, size, name_len,
     extra_len) = _LOCAL.unpack_from(record)
    if ((sig, flags, method, crc, stored, size, name_len, extra_len)
            != (b"PK\x03\x04", entry.flags, entry.method, entry.crc, entry.stored_size, entry.size,
                len(entry.name), 0) or record[_LOCAL.size:start] != entry.name):
        return None
    data = memoryview(record)[start:]
    return data if _holds(data, entry) else None

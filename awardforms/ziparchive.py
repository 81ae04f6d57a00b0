"""Zip archives whose members are known in full before they are written.

`zipfile` writes each member through a file-like object, writes its header twice and seeks
back; for the 600 members of a submission zip that machinery alone costs ~50 ms, for a form
(17 members) it costs more than rendering the form. Here a member arrives with its CRC, sizes
and (stored or deflated) bytes, and the archive is written in one pass: local records, then the
central directory. No ZIP64: callers use `zipfile` when `fits()` says no.

Readers see what `zipfile` would have written: version 2.0 records, the UTF-8 flag on
non-ASCII names, DOS timestamps, Unix permission bits in the external attributes.
"""

from __future__ import annotations

import struct
import sys
import time
import zlib
from dataclasses import dataclass
from typing import BinaryIO, Iterable

STORED, DEFLATED = 0, 8
UTF8_FLAG = 0x800
_MADE_BY = (0 if sys.platform == "win32" else 3) << 8 | 20     # host system, zip spec 2.0
_LIMIT = 0xFFFFFFFF - (1 << 24)     # sizes and offsets are 32-bit without ZIP64; keep a margin
_MAX_MEMBERS = 0xFFFF - 1
_LOCAL = struct.Struct("<4s2B4HL2L2H")           # local file header, then the name
_CENTRAL = struct.Struct("<4s2H4HL2L5H2L")       # central directory record, then the name
_END = struct.Struct("<4s4H2LH")                 # end of central directory record


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


def fits(count: int, total_bytes: int) -> bool:
    """Whether `count` members holding about `total_bytes` can be written without ZIP64."""
    return count <= _MAX_MEMBERS and total_bytes < _LIMIT


def write_members(out: BinaryIO, members: Iterable[Member]) -> int:
    """Write the archive to `out` (its current position is offset 0); return the member count."""
    now = dos_time()
    central, offset = [], 0
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
        out.write(header)
        out.write(m.data)
        offset += len(header) + stored
    if len(central) > _MAX_MEMBERS:
        raise ValueError("too many zip members without ZIP64")
    directory = b"".join(central)
    out.write(directory)
    out.write(_END.pack(b"PK\x05\x06", 0, 0, len(central), len(central),
                        len(directory), offset, 0))
    return len(central)


def archive(members: Iterable[Member]) -> bytes:
    """The archive as bytes."""
    parts: list[bytes] = []

    class _Join:
        write = parts.append

    write_members(_Join, members)
    return b"".join(parts)

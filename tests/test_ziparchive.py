"""ziparchive writes what zipfile (and unzip) read back: bytes, names, times, permissions; reads
back what it wrote, refusing anything else; and copies records it wrote into the next archive
only when they are exactly what writing them afresh would give."""

from __future__ import annotations

import io
import random
import shutil
import subprocess
import time
import zipfile
import zlib

import pytest

from awardforms import ziparchive
from awardforms.ziparchive import (DEFLATED, STORED, Carried, Member, Mismatch, archive, dos_time, fits,
                                   read_directory, read_entry, write_members)

BLOBS = {"word/document.xml": "<w:document>表格 & 内容</w:document>".encode() * 50,
         "先进个人/001-张晓梅/推荐审批表.docx": bytes(range(256)) * 40,
         "empty.txt": b""}


def _members(when=None):
    return [Member.deflated(n, b, when=when) if n.endswith((".xml", ".txt")) else Member.stored(n, b, when=when)
            for n, b in BLOBS.items()]


def test_zipfile_reads_back_every_member(tmp_path):
    path = tmp_path / "a.zip"
    path.write_bytes(archive(_members(when=dos_time(1_700_000_000))))
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        assert z.namelist() == list(BLOBS)
        for name, blob in BLOBS.items():
            info = z.getinfo(name)
            assert z.read(name) == blob
            assert info.compress_type == (zipfile.ZIP_DEFLATED if name.endswith((".xml", ".txt"))
                                          else zipfile.ZIP_STORED)
            assert bool(info.flag_bits & 0x800) == (not name.isascii())     # UTF-8 names flagged
            assert info.external_attr >> 16 == 0o600
        t = time.localtime(1_700_000_000)
        assert z.getinfo("empty.txt").date_time == t[:5] + (t.tm_sec // 2 * 2,)   # 2-second steps
    if shutil.which("unzip"):            # another reader than Python's
        done = subprocess.run(["unzip", "-t", str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def test_stream_and_bytes_agree():
    out = io.BytesIO()
    assert write_members(out, _members(when=(0x21, 0))) == len(BLOBS)
    assert out.getvalue() == archive(_members(when=(0x21, 0)))


def test_times_before_1980_become_1980():
    assert dos_time(0) == (1 << 5 | 1, 0)
    data = archive([Member.stored("a", b"x", when=dos_time(0))])
    assert zipfile.ZipFile(io.BytesIO(data)).getinfo("a").date_time == (1980, 1, 1, 0, 0, 0)


def test_member_fields():
    m = Member.deflated("a.xml", b"abc" * 100)
    assert (m.method, m.size, m.crc) == (DEFLATED, 300, zlib.crc32(b"abc" * 100))
    assert zlib.decompress(m.data, -15) == b"abc" * 100
    assert Member.stored("b", b"xyz").method == STORED


def test_limits_without_zip64(monkeypatch):
    assert fits(600, 20 * 1024 ** 2)
    assert not fits(70_000, 1024) and not fits(10, 5 * 1024 ** 3)
    monkeypatch.setattr(ziparchive, "_LIMIT", 100)
    with pytest.raises(ValueError):
        archive([Member.stored("a", b"x" * 200)])


def _directory(data: bytes):
    return read_directory(io.BytesIO(data), len(data))


def test_read_directory_and_read_entry_give_back_what_was_written():
    members = _members(when=dos_time(1_700_000_000))
    out, placed = io.BytesIO(), []
    write_members(out, members, placed)
    data = out.getvalue()
    entries = _directory(data)
    offsets = [info.header_offset for info in zipfile.ZipFile(io.BytesIO(data)).infolist()]
    assert [(e.offset, e.crc, e.stored_size) for e in entries] == placed
    assert [e.offset for e in entries] == offsets
    f = io.BytesIO(data)
    for m, e in zip(members, entries):
        assert (e.name, e.crc, e.size, e.method) == (m.name, m.crc, m.size, m.method)
        assert bytes(read_entry(f, e)) == m.data                   # deflated ones too
    assert _directory(archive([])) == []
    # members carried as stored make the same archive again
    again = [Member(e.name, e.crc, e.size, read_entry(f, e), e.method, m.when, m.mode)
             for m, e in zip(members, entries)]
    assert archive(again) == data


def test_read_directory_refuses_what_it_did_not_write(tmp_path):
    data = archive(_members())
    assert _directory(data[:-1]) is None                           # truncated
    assert _directory(data + b"x") is None                         # trailing bytes
    assert _directory(b"") is None and _directory(b"PK\x05\x06") is None
    assert read_directory(io.BytesIO(data[:-50]), len(data)) is None     # shorter than said
    with_comment = io.BytesIO()
    with zipfile.ZipFile(with_comment, "w") as z:
        z.writestr("a.txt", b"x")
        z.comment = b"note"
    assert _directory(with_comment.getvalue()) is None
    zip64 = tmp_path / "zip64.zip"
    with zipfile.ZipFile(zip64, "w") as z:
        with z.open("a.txt", "w", force_zip64=True) as f:          # ZIP64 sizes in the local record
            f.write(b"x")
    data64 = zip64.read_bytes()
    assert [read_entry(io.BytesIO(data64), e) for e in _directory(data64)] == [None]
    cd_offset = len(data) - 22 - sum(46 + len(m.name) for m in _members())
    overrun = bytearray(data)
    overrun[cd_offset + 20:cd_offset + 24] = (len(data)).to_bytes(4, "little")   # 1st stored size
    assert _directory(bytes(overrun)) is None


@pytest.mark.parametrize("member", [0, 1])                          # deflated, stored
@pytest.mark.parametrize("where", [0, 14, 18, 22, 30, -1])          # signature, CRC, sizes, name, data
def test_read_entry_checks_the_local_record_and_the_crc(member, where):
    data = archive(_members())
    entry = _directory(data)[member]
    end = entry.offset + 30 + len(entry.name) + entry.stored_size
    broken = bytearray(data)
    broken[entry.offset + where if where >= 0 else end - 1] ^= 1
    assert read_entry(io.BytesIO(bytes(broken)), entry) is None
    assert read_entry(io.BytesIO(data), entry) is not None


# ---- records carried from a source archive

WHEN = dos_time(1_700_000_000)


def _source_members(count: int = 6) -> list[Member]:
    rng = random.Random(count)
    return [Member.stored(f"先进个人/{i:03d}-表.docx" if i % 2 else f"m{i}.pdf", rng.randbytes(200 + 37 * i),
                          when=WHEN, mode=0o644) for i in range(count)]


class _CountingSource(io.BytesIO):
    def __init__(self, data: bytes):
        super().__init__(data)
        self.reads: list[int] = []

    def read(self, size=-1):
        self.reads.append(size)
        return super().read(size)


def _carried(m: Member, e, mode: int | None = None, when=None) -> Carried:
    return Carried(e.name, e.crc, e.size, e.stored_size, e.method, when or m.when,
                   m.mode if mode is None else mode, e.offset)


def _write(members, source) -> bytes:
    out = io.BytesIO()
    write_members(out, members, source=source)
    return out.getvalue()


@pytest.mark.parametrize("case, fresh, order, runs", [
    ("all carried: one run", set(), None, 1),
    ("a fresh member in the middle breaks the run", {2}, None, 2),
    ("first and last fresh", {0, 5}, None, 1),
    ("all fresh", set(range(6)), None, 0),
    ("not consecutive in the source", set(), [0, 1, 4, 5, 2, 3], 3),
    ("reversed", set(), [5, 4, 3, 2, 1, 0], 6),
])
def test_carried_records_give_the_archive_a_full_write_gives(case, fresh, order, runs):
    members = _source_members()
    data = archive(members)
    entries = _directory(data)
    order = order or list(range(len(members)))
    want = archive([members[i] for i in order])
    source = _CountingSource(data)
    mixed = [members[i] if i in fresh else _carried(members[i], entries[i]) for i in order]
    assert _write(mixed, source) == want, case
    assert len(source.reads) == runs                    # one read per run of records


def test_a_run_is_read_in_pieces(monkeypatch):
    members = _source_members(8)
    data = archive(members)
    monkeypatch.setattr(ziparchive, "_PIECE", 1000)     # records here are 233-540 bytes
    source = _CountingSource(data)
    assert _write([_carried(m, e) for m, e in zip(members, _directory(data))], source) == data
    assert len(source.reads) > 3 and max(source.reads) <= 1000


def test_the_mode_of_a_carried_member_is_written_afresh():
    members = _source_members()
    data = archive(members)
    again = _write([_carried(m, e, mode=0o600) for m, e in zip(members, _directory(data))], io.BytesIO(data))
    assert again == archive([Member(m.name, m.crc, m.size, m.data, m.method, m.when, 0o600) for m in members])
    assert again != data                                # the central directory only


def test_deflated_records_are_carried_checked_too():
    members = _members(when=WHEN)
    data = archive(members)
    entries = _directory(data)
    assert _write([_carried(m, e) for m, e in zip(members, entries)], io.BytesIO(data)) == data
    broken = bytearray(data)
    broken[entries[0].offset + 30 + len(entries[0].name) + 5] ^= 1            # in the deflated stream
    with pytest.raises(Mismatch):
        _write([_carried(m, e) for m, e in zip(members, entries)], io.BytesIO(bytes(broken)))


@pytest.mark.parametrize("where", [0, 4, 6, 8, 10, 12, 14, 18, 22, 26, 28, 30, -1])
def test_a_carried_record_must_be_what_writing_it_afresh_gives(where):
    """Signature, versions, flags, method, time, date, CRC, sizes, name length, extra length,
    name, data: any byte of the record that differs in the source refuses the copy."""
    members = _source_members()
    data = archive(members)
    entries = _directory(data)
    e = entries[3]
    broken = bytearray(data)
    broken[e.offset + where if where >= 0 else e.offset + 30 + len(e.name) + e.stored_size - 1] ^= 1
    with pytest.raises(Mismatch):
        _write([_carried(m, e) for m, e in zip(members, entries)], io.BytesIO(bytes(broken)))


def test_a_carried_record_is_refused_unless_the_source_holds_it():
    members = _source_members()
    data = archive(members)
    entries = _directory(data)
    carried = [_carried(m, e) for m, e in zip(members, entries)]
    with pytest.raises(Mismatch):                       # another time than the source's header
        _write(carried[:2] + [_carried(members[2], entries[2], when=dos_time(1_600_000_000))], io.BytesIO(data))
    with pytest.raises(Mismatch):                       # the source ends early
        _write(carried, io.BytesIO(data[:entries[-1].offset + 40]))
    with pytest.raises(Mismatch):                       # no source
        _write(carried, None)


def test_a_run_read_short_is_read_on():
    """An unbuffered read may return less than asked (a network drive): the rest is read on."""
    class Trickle(io.BytesIO):
        def read(self, size=-1):
            return super().read(min(size, 100) if size >= 0 else size)

    members = _source_members()
    data = archive(members)
    assert _write([_carried(m, e) for m, e in zip(members, _directory(data))], Trickle(data)) == data

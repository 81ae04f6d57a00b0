"""ziparchive writes what zipfile (and unzip) read back: bytes, names, times, permissions; and
reads back what it wrote, refusing anything else."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
import zlib

import pytest

from awardforms import ziparchive
from awardforms.ziparchive import (DEFLATED, STORED, Member, archive, dos_time, fits, read_directory,
                                   read_entry, write_members)

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

"""ziparchive writes what zipfile (and unzip) read back: bytes, names, times, permissions."""

from __future__ import annotations

import io
import shutil
import subprocess
import time
import zipfile
import zlib

import pytest

from awardforms import ziparchive
from awardforms.ziparchive import DEFLATED, STORED, Member, archive, dos_time, fits, write_members

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

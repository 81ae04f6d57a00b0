"""The zip to e-mail: named after 推荐单位 and 项目, what the manifest lists, Windows-safe, UTF-8;
rewritten from the previous zip's unchanged members only when that zip is proved intact."""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from pathlib import Path

import pytest

import awardforms.assemble.bundle as bundle_module
from awardforms import ziparchive
from awardforms.assemble.bundle import UTF8_FLAG, bundle_name, manifest_files, safe_member, write_bundle
from awardforms.ziparchive import Member, archive, dos_time
from awardforms.build.pipeline import Settings, render
from conftest import UNIT, collective, person, write_workbook

ZIP = "长春市住房保障和房屋管理局-保障性安居工程建设工作先进集体先进个人-推荐材料.zip"


@pytest.fixture(autouse=True)
def photo_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def test_zip_holds_manifest_files(tmp_path):
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(1), person(2, 身份证号码="123")])
    result = render(book, Settings(out_dir=tmp_path / "out"))
    assert result.assembly.bundle == ZIP
    path = result.out_dir / ZIP
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert all(info.flag_bits & UTF8_FLAG for info in z.infolist() if not info.filename.isascii())
        manifest = json.loads(z.read("manifest.json"))
        assert z.testzip() is None
    listed = manifest["files"] + [f for n in manifest["nominees"] for f in n["files"]]
    assert sorted(names) == sorted(set(listed) | {"manifest.json"})
    assert "推荐对象汇总表.docx" in names and "推荐对象汇总表.xlsx" in names
    assert any(n.startswith("先进个人/001-") and n.endswith("推荐审批表.docx") for n in names)
    assert not any("002-" in n and n.startswith("先进个人") for n in names)   # the invalid nominee
    assert not any(n.endswith(".tmp") or n.endswith(".zip") for n in names)
    assert not [p for p in result.out_dir.iterdir() if p.name.endswith(".tmp")]


def test_zip_name_is_windows_safe(tmp_path):
    unit = dict(UNIT, 推荐单位="长春市/住房:保障*局")
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(1)], unit=unit)
    result = render(book, Settings(out_dir=tmp_path / "out"))
    assert result.assembly.bundle == "长春市_住房_保障_局-保障性安居工程建设工作先进集体先进个人-推荐材料.zip"
    assert (result.out_dir / result.assembly.bundle).is_file()


def test_safe_member_and_exclusion(tmp_path):
    assert safe_member('先进个人/001-a:b/表?.docx') == "先进个人/001-a_b/表_.docx"
    (tmp_path / "a.docx").write_bytes(b"x")
    (tmp_path / "print.pdf").write_bytes(b"%PDF")
    (tmp_path / "manifest.json").write_text("{}", encoding="utf-8")
    manifest = {"files": ["a.docx", "print.pdf", "gone.pdf"], "nominees": []}
    names = write_bundle(tmp_path, manifest, bundle_name("单位", "项目"), exclude={"print.pdf"})
    assert names == ["a.docx", "manifest.json"]
    assert zipfile.ZipFile(tmp_path / "单位-项目-推荐材料.zip").namelist() == names


@pytest.mark.parametrize("whole", [8 * 1024 ** 2, 0])        # read at once / streamed
def test_members_keep_bytes_and_compression(tmp_path, monkeypatch, whole):
    import awardforms.assemble.bundle as bundle_module
    monkeypatch.setattr(bundle_module, "_WHOLE", whole)
    blobs = {"a.docx": bytes(range(256)) * 500, "sub/b.pdf": b"%PDF-1.7 " * 3000, "c.xlsx": b"PK"}
    for rel, blob in blobs.items():
        (tmp_path / rel).parent.mkdir(exist_ok=True)
        (tmp_path / rel).write_bytes(blob)
    (tmp_path / "manifest.json").write_text('{"files": []}', encoding="utf-8")
    names = write_bundle(tmp_path, {"files": list(blobs), "nominees": []}, "x.zip")
    with zipfile.ZipFile(tmp_path / "x.zip") as z:
        assert z.testzip() is None and names == list(blobs) + ["manifest.json"]
        for rel, blob in blobs.items():
            assert z.read(rel) == blob and z.getinfo(rel).compress_type == zipfile.ZIP_STORED
        assert z.getinfo("manifest.json").compress_type == zipfile.ZIP_DEFLATED
        assert z.getinfo("a.docx").date_time[0] >= 2020
        assert z.getinfo("sub/b.pdf").external_attr >> 16 == (tmp_path / "sub/b.pdf").stat().st_mode


# ---- rewriting after a change: unchanged members carried over from the previous zip

RECORD = ".awardforms-bundle.json"


def _spy_reads(monkeypatch) -> list[str]:
    """The members write_bundle reads from their files (the others come from the old zip)."""
    reads: list[str] = []
    read = bundle_module._read

    def spy(base, rel, st, arc):
        reads.append(rel)
        return read(base, rel, st, arc)
    monkeypatch.setattr(bundle_module, "_read", spy)
    return reads


def _assert_matches_disk(zip_path: Path, out: Path) -> None:
    with zipfile.ZipFile(zip_path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            assert z.read(name) == (out / name).read_bytes(), name


def _full_write(out: Path, manifest: dict, name: str, reads: list[str]) -> bytes:
    """What the zip is when every member is read from its file (no previous zip to carry from)."""
    (out / name).unlink()
    reads.clear()
    write_bundle(out, manifest, name)
    assert len(reads) == len(manifest_files(manifest)) + 1            # the full path indeed
    return (out / name).read_bytes()


def _assert_equals_full_write(out: Path, manifest: dict, name: str, reads: list[str],
                              on_disk: bool = True) -> None:
    """The zip as written (carrying what it could) is, byte for byte, a full write; with
    `on_disk`, each member is also checked against its file first."""
    carried = (out / name).read_bytes()
    if on_disk:
        _assert_matches_disk(out / name, out)
    assert _full_write(out, manifest, name, reads) == carried


def _all_read_at_last(reads: list[str], manifest: dict) -> bool:
    """Whether the zip was (finally) written with every member read from its file."""
    every = manifest_files(manifest) + ["manifest.json"]
    return reads[-len(every):] == every


def _identity(path: Path) -> tuple:
    """Which file is there: a rewrite (even with the same bytes) gives another inode or ctime."""
    st = path.stat()
    return st.st_ino, st.st_ctime_ns, st.st_mtime_ns, st.st_size


def _stats(out: Path, rels: list[str]) -> dict[str, tuple[int, int]]:
    return {rel: ((st := os.stat(out / rel)).st_size, st.st_mtime_ns) for rel in rels}


def test_rewrite_after_an_edit_carries_unchanged_members_byte_for_byte(tmp_path, monkeypatch):
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(1), person(2)])
    out = render(book, Settings(out_dir=tmp_path / "out")).out_dir
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    members = manifest_files(manifest)
    before = _stats(out, members)
    assert (out / RECORD).is_file()

    write_workbook(book, [collective(0)], [person(1), person(2, 通讯地址="长春市南关区新址路8号")])
    reads = _spy_reads(monkeypatch)
    render(book, Settings(out_dir=out))
    changed = {rel for rel, st in _stats(out, members).items() if st != before[rel]}
    assert changed and len(changed) < len(members) / 2        # the edited nominee's forms, 汇总表
    assert sorted(reads) == sorted(changed | {"manifest.json"})          # nothing else was read
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    _assert_equals_full_write(out, manifest, ZIP, reads)


def _small_tree(out: Path) -> dict:
    blobs = {"先进个人/001-张晓梅/推荐审批表.docx": os.urandom(3000), "a.pdf": os.urandom(5000),
             "先进集体/b.xlsx": os.urandom(700), "c.docx": os.urandom(2000)}
    for rel, blob in blobs.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(blob)
    manifest = {"files": list(blobs), "nominees": []}
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def _rebuild(path: Path, blob: bytes) -> None:
    """Replace an output as a render does; its mtime moves on even on a coarse clock."""
    mtime = path.stat().st_mtime_ns
    path.write_bytes(blob)
    os.utime(path, ns=(mtime + 2_000_000_000, mtime + 2_000_000_000))


def test_only_changed_members_are_read_and_the_zip_equals_a_full_write(tmp_path, monkeypatch):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    reads = _spy_reads(monkeypatch)
    (tmp_path / "先进集体/b.xlsx").chmod(0o640)              # mode only: carried, new mode written
    c = tmp_path / "c.docx"
    _rebuild(c, bytes(b ^ 1 for b in c.read_bytes()))       # same size, other bytes
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == ["c.docx", "manifest.json"]
    assert zipfile.ZipFile(tmp_path / "x.zip").getinfo("先进集体/b.xlsx").external_attr >> 16 & 0o777 == 0o640
    _assert_equals_full_write(tmp_path, manifest, "x.zip", reads)

    # a member added and one gone: the rest still carried
    (tmp_path / "d.pdf").write_bytes(b"%PDF-1.7 new")
    manifest["files"] = ["d.pdf"] + [f for f in manifest["files"] if f != "a.pdf"]
    reads.clear()
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == ["d.pdf", "manifest.json"]
    _assert_equals_full_write(tmp_path, manifest, "x.zip", reads, on_disk=False)


def _spy_runs(monkeypatch) -> list[int]:
    """The lengths of the runs of records write_bundle copies from the old zip."""
    runs: list[int] = []
    checked = ziparchive._Run._checked

    def spy(run):
        runs.append(run.length)
        return checked(run)
    monkeypatch.setattr(ziparchive._Run, "_checked", spy)
    return runs


def _long_tree(out: Path) -> dict:
    """Eight members, one after another in the zip."""
    files = [f"先进个人/{i:03d}-张晓梅/推荐审批表.docx" if i % 2 else f"f{i}.pdf" for i in range(8)]
    manifest = {"files": files, "nominees": []}
    for i, rel in enumerate(manifest["files"]):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_bytes(os.urandom(1000 + 300 * i))
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


@pytest.mark.parametrize("case, changed, runs", [
    ("a changed member in the middle breaks the run", [3], 2),
    ("first and last changed", [0, 7], 1),
    ("all changed", list(range(8)), 0),
    ("none changed, manifest.json did", [], 1),
    ("listed in another order", "reversed", 8),
])
def test_runs_of_carried_members_make_the_zip_a_full_write_makes(tmp_path, monkeypatch, case, changed, runs):
    manifest = _long_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    if changed == "reversed":
        manifest["files"].reverse()
        changed = []
    for i in changed:
        path = tmp_path / manifest["files"][i]
        _rebuild(path, os.urandom(path.stat().st_size + 10))
    (tmp_path / "manifest.json").write_text(json.dumps({**manifest, "edit": case}), encoding="utf-8")
    reads, copied = _spy_reads(monkeypatch), _spy_runs(monkeypatch)
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == [manifest["files"][i] for i in changed] + ["manifest.json"]
    assert len(copied) == runs
    _assert_equals_full_write(tmp_path, manifest, "x.zip", reads)


def test_a_run_longer_than_a_piece_is_copied_in_pieces(tmp_path, monkeypatch):
    manifest = _long_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    monkeypatch.setattr(ziparchive, "_PIECE", 4000)                # members are 1000-3100 bytes
    _rebuild(tmp_path / "manifest.json", json.dumps({**manifest, "edit": 1}).encode())
    reads, copied = _spy_reads(monkeypatch), _spy_runs(monkeypatch)
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == ["manifest.json"] and len(copied) > 3 and max(copied) <= 4000
    _assert_equals_full_write(tmp_path, manifest, "x.zip", reads, on_disk=False)


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="time.tzset: Unix only")
def test_after_a_time_zone_change_every_member_is_read_again(tmp_path, monkeypatch):
    """The DOS times in the local headers are local times: in another time zone the old zip's
    headers are not what a full write gives now, so nothing is copied from it."""
    zone = os.environ.get("TZ")
    try:
        os.environ["TZ"] = "UTC0"
        time.tzset()
        manifest = _long_tree(tmp_path)
        write_bundle(tmp_path, manifest, "x.zip")
        os.environ["TZ"] = "CST-8"
        time.tzset()
        reads = _spy_reads(monkeypatch)
        _rebuild(tmp_path / "f0.pdf", b"%PDF-1.7 new")
        write_bundle(tmp_path, manifest, "x.zip")
        assert _all_read_at_last(reads, manifest)
        rewritten = (tmp_path / "x.zip").read_bytes()
        assert _full_write(tmp_path, manifest, "x.zip", reads) == rewritten
    finally:
        if zone is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = zone
        time.tzset()


def _same_size_and_mtime(zip_path: Path, change) -> None:
    """Tamper with the zip in place, then give it back the size and mtime it was recorded with."""
    st = zip_path.stat()
    data = bytearray(zip_path.read_bytes())
    change(data)
    assert len(data) == st.st_size
    zip_path.write_bytes(bytes(data))
    os.utime(zip_path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _flip_data_byte(data: bytearray) -> None:
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("a.pdf")
    data[info.header_offset + 30 + len(info.filename.encode()) + 100] ^= 0xFF


def _flip_local_name(data: bytearray) -> None:
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("a.pdf")
    data[info.header_offset + 30] ^= 0x01                # "a.pdf" -> "`.pdf" in the local header


def _consistent_other_zip(tmp_path: Path):
    """A valid zip, same layout, but a.pdf holds other bytes of the same length (and their CRC)."""
    def change(data: bytearray) -> None:
        members = []
        for rel in ["先进个人/001-张晓梅/推荐审批表.docx", "a.pdf", "先进集体/b.xlsx", "c.docx"]:
            st = (tmp_path / rel).stat()
            blob = (tmp_path / rel).read_bytes()
            blob = bytes(255 - b for b in blob) if rel == "a.pdf" else blob
            members.append(Member.stored(rel, blob, when=dos_time(st.st_mtime), mode=st.st_mode))
        st = (tmp_path / "manifest.json").stat()
        members.append(Member.deflated("manifest.json", (tmp_path / "manifest.json").read_bytes(),
                                       when=dos_time(st.st_mtime), mode=st.st_mode))
        other = archive(members)
        assert len(other) == len(data) and other != data
        data[:] = other
    return change


TAMPERED = ["truncated", "other file", "missing", "touched", "data byte flipped", "local header changed",
            "consistent zip, other bytes"]


def _tampered(tmp_path: Path, tamper: str) -> dict:
    """A bundle written, then its zip tampered with; returns the manifest."""
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    zip_path = tmp_path / "x.zip"
    if tamper == "truncated":
        zip_path.write_bytes(zip_path.read_bytes()[:-200])
    elif tamper == "other file":
        zip_path.write_bytes(b"not the zip we wrote" * 100)
    elif tamper == "missing":
        zip_path.unlink()
    elif tamper == "touched":                   # same bytes, but not the file as recorded
        st = zip_path.stat()
        os.utime(zip_path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    elif tamper == "data byte flipped":
        _same_size_and_mtime(zip_path, _flip_data_byte)
    elif tamper == "local header changed":
        _same_size_and_mtime(zip_path, _flip_local_name)
    else:
        _same_size_and_mtime(zip_path, _consistent_other_zip(tmp_path))
    return manifest


@pytest.mark.parametrize("tamper", TAMPERED)
def test_a_tampered_previous_zip_is_not_trusted(tmp_path, monkeypatch, tamper):
    manifest = _tampered(tmp_path, tamper)
    reads = _spy_reads(monkeypatch)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert _all_read_at_last(reads, manifest)
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)
    fallback = (tmp_path / "x.zip").read_bytes()
    assert _full_write(tmp_path, manifest, "x.zip", reads) == fallback


@pytest.mark.parametrize("tamper", TAMPERED)
def test_the_zip_written_instead_is_trusted_next_time(tmp_path, monkeypatch, tamper):
    manifest = _tampered(tmp_path, tamper)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    write_bundle(tmp_path, manifest, "x.zip")
    reads = _spy_reads(monkeypatch)
    _rebuild(tmp_path / "c.docx", b"PK newer form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == ["c.docx", "manifest.json"]
    _assert_equals_full_write(tmp_path, manifest, "x.zip", reads)


def test_members_named_otherwise_now_are_read_afresh(tmp_path, monkeypatch):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    monkeypatch.setattr(bundle_module, "safe_member", lambda rel: f"材料/{rel}")   # new naming rules
    reads = _spy_reads(monkeypatch)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert len(reads) == len(manifest_files(manifest)) + 1
    names = zipfile.ZipFile(tmp_path / "x.zip").namelist()
    assert names == [f"材料/{rel}" for rel in manifest["files"]] + ["材料/manifest.json"]


def test_no_record_after_a_failed_write_and_nothing_carried_from_a_streamed_zip(tmp_path, monkeypatch):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    assert (tmp_path / RECORD).is_file()

    def fail(*args):
        raise OSError("disk full")
    write_members = bundle_module.write_members
    monkeypatch.setattr(bundle_module, "write_members", fail)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    with pytest.raises(OSError):
        write_bundle(tmp_path, manifest, "x.zip")
    assert not (tmp_path / RECORD).exists()        # the old zip stays, but is trusted no more
    assert bundle_module._key(tmp_path, "x.zip") not in bundle_module._MADE      # nor in this process
    monkeypatch.setattr(bundle_module, "write_members", write_members)

    monkeypatch.setattr(bundle_module, "_WHOLE", 0)                # every member streamed
    _rebuild(tmp_path / "c.docx", b"PK newer form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert json.loads((tmp_path / RECORD).read_text(encoding="utf-8"))["members"] == []
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)
    stamp = _identity(tmp_path / "x.zip")
    write_bundle(tmp_path, manifest, "x.zip")                      # unchanged: not written again
    assert _identity(tmp_path / "x.zip") == stamp

    monkeypatch.setattr(bundle_module, "_WHOLE", 8 * 1024 ** 2)
    reads = _spy_reads(monkeypatch)
    _rebuild(tmp_path / "c.docx", b"PK newest form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert _all_read_at_last(reads, manifest) and len(reads) == len(manifest_files(manifest)) + 1
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


def test_a_seeded_folder_carries_zip_members_too(tmp_path, monkeypatch):
    """The watcher's re-drop: a new folder seeded from the last result rewrites its zip from the
    copied zip, reading only the members that changed."""
    from awardforms.build import state as buildstate
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(1), person(2)])
    render(book, Settings(out_dir=tmp_path / "a"))
    buildstate.seed(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "b" / RECORD).read_bytes() == (tmp_path / "a" / RECORD).read_bytes()
    write_workbook(book, [collective(0)], [person(1), person(2, 主要事迹="第二稿。" * 300)])
    reads = _spy_reads(monkeypatch)
    result = render(book, Settings(out_dir=tmp_path / "b"))
    rebuilt = {rel for rel, _ in result.rebuilt}
    assert rebuilt and sorted(reads) == sorted(rebuilt | {"manifest.json"})
    _assert_matches_disk(tmp_path / "b" / ZIP, tmp_path / "b")


def test_a_form_rebuilt_at_the_same_size_and_mtime_still_goes_into_the_zip(tmp_path, monkeypatch):
    """FAT drives keep mtimes to 2 s: a form rebuilt within that at the same size looks
    unchanged by its stat. The digest the build recorded for it tells."""
    import awardforms.build.pipeline as pipeline
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(1), person(2)])
    out = render(book, Settings(out_dir=tmp_path / "out")).out_dir
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    before = {rel: os.stat(out / rel) for rel in manifest_files(manifest)}
    real = pipeline.execute

    def same_stat(jobs, out_dir, campaign_id):          # the rebuilt form keeps size and mtime
        real(jobs, out_dir, campaign_id)
        for job in jobs:
            old, path = before.get(job.out), out_dir / job.out
            data = path.read_bytes()
            if old is not None and len(data) <= old.st_size:
                path.write_bytes(data + b"\0" * (old.st_size - len(data)))
                os.utime(path, ns=(old.st_atime_ns, old.st_mtime_ns))
    monkeypatch.setattr(pipeline, "execute", same_stat)
    write_workbook(book, [collective(0)], [person(1), person(2, 主要事迹="短。" * 200)])
    result = render(book, Settings(out_dir=out))
    lookalikes = [rel for rel, _ in result.rebuilt
                  if _stats(out, [rel])[rel] == (before[rel].st_size, before[rel].st_mtime_ns)]
    assert lookalikes                                   # the case arose ...
    _assert_matches_disk(out / ZIP, out)                # ... and the zip holds the new bytes


# ---- what this process remembers of the zip it wrote (bundle._MADE): never used when stale

def _count_directory_reads(monkeypatch) -> list[int]:
    """How often the previous zip's central directory is read (the record path; the memo skips it)."""
    calls: list[int] = []
    read = bundle_module.read_directory

    def spy(f, size):
        calls.append(size)
        return read(f, size)
    monkeypatch.setattr(bundle_module, "read_directory", spy)
    return calls


def test_the_next_write_in_the_same_process_uses_what_it_remembers(tmp_path, monkeypatch):
    manifest = _long_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    directory_reads, reads = _count_directory_reads(monkeypatch), _spy_reads(monkeypatch)
    _rebuild(tmp_path / "f2.pdf", os.urandom(900))
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == ["f2.pdf", "manifest.json"] and directory_reads == []        # the memo
    by_memo = (tmp_path / "x.zip").read_bytes()

    bundle_module._MADE.clear()                 # a new process: the record file and the zip
    (tmp_path / "x.zip").write_bytes(b"")
    _rebuild(tmp_path / "f2.pdf", os.urandom(900))
    write_bundle(tmp_path, manifest, "x.zip")   # (written in full: no zip to carry from)
    reads.clear()
    _rebuild(tmp_path / "f4.pdf", os.urandom(700))
    bundle_module._MADE.clear()
    write_bundle(tmp_path, manifest, "x.zip")
    assert reads == ["f4.pdf", "manifest.json"] and len(directory_reads) == 1      # the record
    assert _full_write(tmp_path, manifest, "x.zip", reads) == (tmp_path / "x.zip").read_bytes()
    assert by_memo != (tmp_path / "x.zip").read_bytes()


def test_many_edits_in_one_process_each_give_the_zip_a_full_write_gives(tmp_path, monkeypatch):
    import random
    rng = random.Random(7)
    manifest = _long_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    reads = _spy_reads(monkeypatch)
    for _ in range(12):
        for rel in rng.sample(manifest["files"], rng.randint(0, 3)):
            _rebuild(tmp_path / rel, os.urandom(rng.randint(500, 3000)))
        if rng.random() < 0.3:
            (tmp_path / rng.choice(manifest["files"])).chmod(rng.choice([0o600, 0o644]))
        if rng.random() < 0.3:
            rng.shuffle(manifest["files"])
        _rebuild(tmp_path / "manifest.json", json.dumps({**manifest, "edit": rng.random()}).encode())
        write_bundle(tmp_path, manifest, "x.zip")
        _assert_equals_full_write(tmp_path, manifest, "x.zip", reads)
        reads.clear()


def _same_size_and_mtime_elsewhere(path: Path, data: bytes) -> None:
    """Replace a file as another program would (a new file put in its place), with the same
    size and mtime as before."""
    st = path.stat()
    assert len(data) == st.st_size
    other = path.with_name(path.name + ".other")
    other.write_bytes(data)
    os.utime(other, ns=(st.st_atime_ns, st.st_mtime_ns))
    os.replace(other, path)


def test_an_unchanged_zip_is_not_written_again(tmp_path, monkeypatch):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    stamp = _identity(tmp_path / "x.zip")
    write_bundle(tmp_path, manifest, "x.zip")                  # remembered
    assert _identity(tmp_path / "x.zip") == stamp
    bundle_module._MADE.clear()
    (tmp_path / ".awardforms-assembly.json").unlink()
    write_bundle(tmp_path, manifest, "x.zip")                  # from the record
    assert _identity(tmp_path / "x.zip") == stamp
    assembled = json.loads((tmp_path / ".awardforms-assembly.json").read_text(encoding="utf-8"))
    assert assembled == {"x.zip": RECORD}                     # (buildstate.seed copies what it lists)
    for damage in ("in this process", "in a new one"):            # not the zip recorded: made again
        (tmp_path / "x.zip").write_bytes(b"not the zip")
        if damage == "in a new one":
            bundle_module._MADE.clear()
        write_bundle(tmp_path, manifest, "x.zip")
        _assert_matches_disk(tmp_path / "x.zip", tmp_path)
    (tmp_path / "x.zip").unlink()
    write_bundle(tmp_path, manifest, "x.zip")
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


@pytest.mark.parametrize("remembered", [True, False])
def test_a_zip_put_in_place_by_another_program_is_written_again(tmp_path, monkeypatch, remembered):
    """Nothing changed, but the zip is another file now, of the same size and mtime: in this
    process that is seen (another file), and the zip is made again."""
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    zip_path = tmp_path / "x.zip"
    data = bytearray(zip_path.read_bytes())
    _consistent_other_zip(tmp_path)(data)
    _same_size_and_mtime_elsewhere(zip_path, bytes(data))
    if not remembered:
        bundle_module._MADE.clear()
        _rebuild(tmp_path / "c.docx", b"PK new form")          # (the record cannot tell without a change)
    reads = _spy_reads(monkeypatch)
    write_bundle(tmp_path, manifest, "x.zip")
    assert _all_read_at_last(reads, manifest)
    _assert_matches_disk(zip_path, tmp_path)
    assert _full_write(tmp_path, manifest, "x.zip", reads) == zip_path.read_bytes()


@pytest.mark.parametrize("how", ["edited in place", "replaced"])
def test_a_record_changed_on_disk_is_read_again(tmp_path, monkeypatch, how):
    """The record file as another program left it counts, not what this process remembers:
    here it says (same size, same mtime) that it is of another version, so nothing is carried."""
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    record = tmp_path / RECORD
    text = record.read_text(encoding="utf-8")
    other = text.replace(f'"version":{bundle_module._RECORD_VERSION}', '"version":9', 1).encode()
    assert other != text.encode() and len(other) == len(text.encode())
    if how == "replaced":
        _same_size_and_mtime_elsewhere(record, other)
    else:
        st = record.stat()
        record.write_bytes(other)
        os.utime(record, ns=(st.st_atime_ns, st.st_mtime_ns))
    reads = _spy_reads(monkeypatch)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert _all_read_at_last(reads, manifest)
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


def test_a_member_rebuilt_at_the_same_size_and_mtime_is_read_by_its_version(tmp_path, monkeypatch):
    manifest = _small_tree(tmp_path)
    versions = {rel: f"v1 {rel}" for rel in manifest["files"]}
    write_bundle(tmp_path, manifest, "x.zip", versions=versions)
    c = tmp_path / "c.docx"
    _same_size_and_mtime_elsewhere(c, bytes(b ^ 0x55 for b in c.read_bytes()))
    reads = _spy_reads(monkeypatch)
    write_bundle(tmp_path, manifest, "x.zip", versions={**versions, "c.docx": "v2"})
    assert reads == ["c.docx", "manifest.json"]
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


def test_a_zip_touched_in_place_is_not_carried_from_blindly(tmp_path, monkeypatch):
    """Even were the memo to take the tampered zip for its own (a file system with no ctime
    or file ids), every record it carries is checked: the zip still comes out right."""
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    monkeypatch.setattr(bundle_module, "_identity", lambda what: ("the same",))
    _same_size_and_mtime(tmp_path / "x.zip", _consistent_other_zip(tmp_path))
    reads = _spy_reads(monkeypatch)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert _all_read_at_last(reads, manifest)
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


def test_the_memo_keeps_few_folders(tmp_path, monkeypatch):
    for i in range(bundle_module._MADE_MAX + 3):
        folder = tmp_path / f"out{i}"
        folder.mkdir()
        write_bundle(folder, _small_tree(folder), "x.zip")
    assert len(bundle_module._MADE) <= bundle_module._MADE_MAX
    assert bundle_module._key(tmp_path / "out0", "x.zip") not in bundle_module._MADE


def test_manifest_json_deflated_again_whenever_its_bytes_differ(tmp_path, monkeypatch):
    """The last deflated manifest.json is reused for the same bytes only: one byte changed,
    same length, same mtime, and the zip holds the new bytes."""
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    path = tmp_path / "manifest.json"
    same = (tmp_path / "x.zip").read_bytes()
    write_bundle(tmp_path, manifest, "other.zip")              # the same manifest, reused
    assert (tmp_path / "other.zip").read_bytes() == same
    text = path.read_bytes()
    flipped = text.replace(b"a.pdf", b"a.PDF")
    assert flipped != text and len(flipped) == len(text)
    _same_size_and_mtime_elsewhere(path, flipped)
    _rebuild(tmp_path / "c.docx", b"PK new form")
    write_bundle(tmp_path, manifest, "x.zip")
    assert zipfile.ZipFile(tmp_path / "x.zip").read("manifest.json") == flipped
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)
    carried = (tmp_path / "x.zip").read_bytes()
    bundle_module._DEFLATED.clear()                             # deflated afresh: the same bytes
    assert _full_write(tmp_path, manifest, "x.zip", _spy_reads(monkeypatch)) == carried

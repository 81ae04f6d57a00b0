"""The zip to e-mail: named after 推荐单位 and 项目, what the manifest lists, Windows-safe, UTF-8;
written again only when a member (or the zip itself) changed."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import pytest

import awardforms.assemble.bundle as bundle_module
from awardforms.assemble.bundle import UTF8_FLAG, bundle_name, manifest_files, safe_member, write_bundle
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


# ---- written again only when something changed

def _assert_matches_disk(zip_path: Path, out: Path) -> None:
    with zipfile.ZipFile(zip_path) as z:
        assert z.testzip() is None
        for name in z.namelist():
            assert z.read(name) == (out / name).read_bytes(), name


def _identity(path: Path) -> tuple:
    """Which file is there: a rewrite (even with the same bytes) gives another inode or ctime."""
    st = path.stat()
    return st.st_ino, st.st_ctime_ns, st.st_mtime_ns, st.st_size


def _stats(out: Path, rels: list[str]) -> dict[str, tuple[int, int]]:
    return {rel: ((st := os.stat(out / rel)).st_size, st.st_mtime_ns) for rel in rels}


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


def test_an_unchanged_zip_is_not_written_again(tmp_path):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    stamp = _identity(tmp_path / "x.zip")
    write_bundle(tmp_path, manifest, "x.zip")
    assert _identity(tmp_path / "x.zip") == stamp


def test_a_changed_member_gives_a_new_zip_with_its_new_bytes(tmp_path):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    c = tmp_path / "c.docx"
    _rebuild(c, bytes(b ^ 1 for b in c.read_bytes()))       # same size, other bytes
    write_bundle(tmp_path, manifest, "x.zip")
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)
    (tmp_path / "d.docx").write_bytes(b"new form")           # a member added, one gone
    manifest = {"files": ["d.docx", "a.pdf"], "nominees": []}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    write_bundle(tmp_path, manifest, "x.zip")
    assert sorted(zipfile.ZipFile(tmp_path / "x.zip").namelist()) == ["a.pdf", "d.docx", "manifest.json"]
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


@pytest.mark.parametrize("damage", ["replaced", "removed", "touched"])
def test_a_zip_changed_by_another_program_is_written_again(tmp_path, damage):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    z = tmp_path / "x.zip"
    if damage == "replaced":
        z.write_bytes(b"not the zip")
    elif damage == "removed":
        z.unlink()
    else:
        st = z.stat()
        os.utime(z, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    write_bundle(tmp_path, manifest, "x.zip")
    _assert_matches_disk(z, tmp_path)
    if damage == "touched":
        assert _identity(z)[0] != st.st_ino or z.stat().st_mtime_ns != st.st_mtime_ns + 5_000_000_000


def test_a_failed_write_leaves_the_old_zip_and_no_record_of_the_new(tmp_path, monkeypatch):
    manifest = _small_tree(tmp_path)
    write_bundle(tmp_path, manifest, "x.zip")
    before = (tmp_path / "x.zip").read_bytes()
    c = tmp_path / "c.docx"
    _rebuild(c, b"changed")

    def broken(*args):
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(bundle_module, "_write_in_one_pass", broken)
    with pytest.raises(OSError):
        write_bundle(tmp_path, manifest, "x.zip")
    assert (tmp_path / "x.zip").read_bytes() == before
    assert [p.name for p in tmp_path.glob(".x.*.tmp")] == []
    monkeypatch.undo()
    write_bundle(tmp_path, manifest, "x.zip")                # the change is still seen
    _assert_matches_disk(tmp_path / "x.zip", tmp_path)


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

"""The zip to e-mail: named after 推荐单位 and 项目, what the manifest lists, Windows-safe, UTF-8."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from awardforms.bundle import UTF8_FLAG, bundle_name, safe_member, write_bundle
from awardforms.pipeline import Settings, render
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
    import awardforms.bundle as bundle_module
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

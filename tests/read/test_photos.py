"""Photos: 照片 column or 照片/<身份证号码>.jpg, upright, cropped to 5:7, 35×49 mm in the form."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from awardforms.read import photos
from awardforms.build.pipeline import Settings, check, render
from conftest import collective, person, write_workbook

RED, BLUE = (220, 30, 30), (30, 30, 220)


@pytest.fixture(autouse=True)
def photo_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def two_tone(size: tuple[int, int]) -> Image.Image:
    """Upper half red, lower half blue: shows which way is up after processing."""
    im = Image.new("RGB", size, BLUE)
    im.paste(Image.new("RGB", (size[0], size[1] // 2), RED), (0, 0))
    return im


def save_jpeg(im: Image.Image, path: Path, orientation: int | None = None) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation
    im.save(path, "JPEG", exif=exif.tobytes() if orientation else b"")
    return path


def fitted(path: Path) -> Image.Image:
    return Image.open(io.BytesIO(photos.fit_photo(path.read_bytes()))).convert("RGB")


def test_crop_box_keeps_5_to_7_and_leans_up():
    left, top, right, bottom = photos.crop_box(1000, 1000)          # square: cut the sides
    assert (right - left, bottom - top) == (714, 1000) and left == 143
    left, top, right, bottom = photos.crop_box(500, 1000)           # tall: cut more below
    assert (right - left, bottom - top) == (500, 700)
    assert top == 120 and 1000 - bottom == 180


@pytest.mark.parametrize("size", [(600, 1000), (1200, 800), (413, 579), (300, 300)])
def test_fit_photo_is_5_to_7(tmp_path, size):
    im = fitted(save_jpeg(two_tone(size), tmp_path / "p.jpg"))
    assert abs(im.width / im.height - 5 / 7) < 0.01
    assert im.width <= photos.SIZE_PX[0]


def test_exif_orientation_applied(tmp_path):
    upright = two_tone((600, 900))
    stored = upright.rotate(90, expand=True)        # what a phone writes, with Orientation=6
    im = fitted(save_jpeg(stored, tmp_path / "rot.jpg", orientation=6))
    assert im.size == photos.SIZE_PX
    top, bottom = im.getpixel((im.width // 2, 5)), im.getpixel((im.width // 2, im.height - 5))
    assert top[0] > 150 and top[2] < 100            # red at the top: turned upright
    assert bottom[2] > 150 and bottom[0] < 100


def test_prepared_photo_cached_by_content(tmp_path):
    a = save_jpeg(two_tone((600, 800)), tmp_path / "a.jpg")
    first = photos.prepared_photo(a)
    assert first == photos.prepared_photo(a)
    save_jpeg(two_tone((800, 600)), a)
    assert photos.prepared_photo(a) != first        # a changed photo -> a new path (fingerprint)


def workbook_with_photos(tmp_path: Path) -> Path:
    rows = [person(1, 照片="photos/portrait.jpg"), person(2), person(3), person(4, 照片="photos/notes.jpg")]
    save_jpeg(two_tone((600, 1000)), tmp_path / "photos" / "portrait.jpg")
    save_jpeg(two_tone((1200, 800)), tmp_path / "照片" / f"{rows[1]['身份证号码']}.jpg")   # by ID number
    (tmp_path / "photos" / "notes.jpg").write_text("not an image", encoding="utf-8")
    return write_workbook(tmp_path / "nominees.xlsx", [collective(0)], rows)


def test_photo_sources_and_issues(tmp_path):
    sub = check(workbook_with_photos(tmp_path))
    by_row = {r.row: r for r in sub.records["先进个人"]}
    assert by_row[2].values["photo"].name == "portrait.jpg"
    assert by_row[3].values["photo"].parent.name == "照片"          # found by ID number
    assert by_row[4].values["photo"] is None
    found = {(i.row, i.code, i.severity) for i in sub.report.issues if i.field == "照片"}
    assert (4, "photo-missing", "warning") in found
    missing = next(i for i in sub.report.issues if i.code == "photo-missing")
    assert missing.message.startswith("“照片”栏为空")       # says which cell is empty on its own (web table)
    assert (5, "photo-not-image", "error") in found
    assert not [i for i in sub.report.issues if i.field == "照片" and i.row in (2, 3)]
    assert not [i for i in sub.report.issues if i.sheet == "先进集体" and i.field == "照片"]


def test_photo_in_form_is_35_by_49_mm(tmp_path):
    result = render(workbook_with_photos(tmp_path), Settings(out_dir=tmp_path / "out"))
    nominees = {n["row"]: n for n in result.manifest["nominees"] if n["sheet"] == "先进个人"}
    assert nominees[5]["status"] == "invalid"
    for row, has_photo in ((2, True), (3, True), (4, False)):
        form = next(f for f in nominees[row]["files"] if f.endswith("推荐审批表.docx"))
        with zipfile.ZipFile(result.out_dir / form) as z:
            media = [n for n in z.namelist() if n.startswith("word/media/")]
            xml = z.read("word/document.xml").decode("utf-8")
            assert bool(media) == has_photo
            if not has_photo:
                continue
            im = Image.open(io.BytesIO(z.read(media[0])))
            assert abs(im.width / im.height - 5 / 7) < 0.01
        cx, cy = map(int, re.search(r'<wp:extent cx="(\d+)" cy="(\d+)"', xml).groups())
        assert round(cx / 36000) == 35 and round(cy / 36000) == 49          # EMU -> mm


def test_photo_path_naming_no_file_is_an_error(tmp_path):
    save_jpeg(two_tone((50, 70)), tmp_path / "照片" / "张晓梅.jpg")
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [
        person(0, 照片="照片/张小梅.jpg"),                     # a typo: names no file
        person(1, 照片="D:\\推荐材料\\照片\\张晓梅一.jpg"),      # the clerk's own computer
        person(2, 照片="照片/张晓梅.jpg"),
    ])
    sub = check(wb)
    found = {i.row: i for i in sub.report.issues if i.field == "照片"}
    assert (found[2].severity, found[2].code) == ("error", "photo-file-missing")
    assert "“张晓梅.jpg”" in found[2].message                # the file it most likely meant
    assert (found[3].severity, found[3].code) == ("error", "photo-absolute-path")
    assert "照片/张晓梅一.jpg" in found[3].fix and "完整路径" in found[3].message
    assert 4 not in found
    assert [r.has_errors for r in sub.records["先进个人"]] == [True, True, False]

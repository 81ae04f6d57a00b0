"""Dossiers: scans from 附件/, 材料清单.xlsx, PDF books (bookmarks, odd-page starts, page labels).

The book tests run on small PDFs made here; the end-to-end test needs LibreOffice and skips
without it on a developer's machine, but fails on CI (CI=true).
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader, PdfWriter

from awardforms.assemble.dossier import Doc, Section, repeated, write_book
from awardforms.build.pipeline import Settings, check, render
from conftest import collective, person, write_workbook

ROOT = Path(__file__).resolve().parents[2]
SHZZ_SAMPLE = ROOT / "data" / "samples" / "shzz" / "地方-吉林市.xlsx"


@pytest.fixture(autouse=True)
def photo_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def make_pdf(path: Path, pages: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    with open(path, "wb") as fh:
        w.write(fh)
    return path


def make_jpg(path: Path, size=(800, 600)) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (200, 200, 200)).save(path, "JPEG")
    return path


def outline_tree(reader: PdfReader, items=None) -> list:
    """[(title, page, [children])] from pypdf's flat-with-sublists outline."""
    items = reader.outline if items is None else items
    tree: list = []
    for item in items:
        if isinstance(item, list):
            tree[-1][2].extend(outline_tree(reader, item))
        else:
            tree.append((item.title, reader.get_destination_page_number(item), []))
    return tree


def leaves(tree: list) -> list[tuple[str, int]]:
    out = []
    for title, page, kids in tree:
        out += leaves(kids) if kids else [(title, page)]
    return out


# ------------------------------------------------------------------ books, no LibreOffice

def test_book_parity_bookmarks_labels(tmp_path):
    a, b, c = make_pdf(tmp_path / "a.pdf", 3), make_pdf(tmp_path / "b.pdf", 2), make_jpg(tmp_path / "c.jpg")
    info = write_book(tmp_path / "book.pdf", [Doc("表一", a, "表一"), Doc("表二", b), Doc("扫描件", c)])
    r = PdfReader(str(tmp_path / "book.pdf"))
    assert [(t, p) for t, p, _ in outline_tree(r)] == [("表一", 0), ("表二", 4), ("扫描件", 6)]
    assert len(r.pages) == 8 and info.blanks == 2          # after 表一 (3 pages) and at the end
    assert all(p % 2 == 0 for _, p, _ in outline_tree(r))  # every document on an odd page
    assert r.page_labels[:8] == ["表一 1", "表一 2", "表一 3", "表一 4", "表二 1", "表二 2", "扫描件 1", "扫描件 2"]
    box = r.pages[6].mediabox                              # the image became an A4 page
    assert abs(float(box.width) - 595.3) < 1 and abs(float(box.height) - 841.9) < 1


def test_book_nested_and_repeated(tmp_path):
    a, b = make_pdf(tmp_path / "a.pdf", 1), make_pdf(tmp_path / "b.pdf", 1)
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    tree = [Doc("汇总表", a), Section("先进个人", [Section("001 张三", [Doc("审批表", a, copies=3), Doc("坏文件", bad)]),
                                                Section("002 李四", [Doc("审批表", b, copies=3)])])]
    info = write_book(tmp_path / "all.pdf", repeated(tree))
    assert [p for p, _ in info.unreadable] == [bad]
    t = outline_tree(PdfReader(str(tmp_path / "all.pdf")))
    assert [x[0] for x in t] == ["汇总表", "先进个人"]
    assert [x[0] for x in t[1][2]] == ["001 张三", "002 李四"]
    assert [x[0] for x in t[1][2][0][2]] == [f"审批表（第{i}份，共3份）" for i in (1, 2, 3)]
    assert all(p % 2 == 0 for _, p in leaves(t))


# ------------------------------------------------------------------ scans and 材料清单

def shzz_copy(tmp_path: Path) -> tuple[Path, list]:
    src = SHZZ_SAMPLE.parent
    dst = tmp_path / "in"
    shutil.copytree(src, dst)
    shutil.rmtree(dst / "附件", ignore_errors=True)      # start without the sample's placeholder scans
    sub = check(dst / SHZZ_SAMPLE.name)
    return dst / SHZZ_SAMPLE.name, [r for r in sub.all_records() if not r.has_errors]


def test_missing_required_materials_are_warnings(tmp_path):
    book, recs = shzz_copy(tmp_path)
    person_rec = next(r for r in recs if r.sheet.name == "先进个人")
    key = person_rec.display["id_number"] if "id_number" in person_rec.display else person_rec.name
    folder = book.parent / "附件" / key
    make_pdf(folder / "无犯罪记录证明.pdf", 1)
    make_jpg(folder / "个人征信报告-第1页.jpg")
    (folder / "说明.txt").write_text("x", encoding="utf-8")
    sub = check(book)
    mine = [i for i in sub.report.issues if i.sheet == "先进个人" and i.row == person_rec.row]
    missing = {i.message.split("“")[1].split("”")[0] for i in mine if i.code == "material-missing"}
    assert missing == {"被执行人信息查询结果报告", "公示材料"}
    assert all(i.severity == "warning" for i in mine if i.code.startswith("material-"))
    assert any(i.code == "material-unsupported" for i in mine)
    other = next(r for r in recs if r.sheet.name == "先进社会组织")
    assert len([i for i in sub.report.issues if i.row == other.row and i.sheet == other.sheet.name
                and i.code == "material-missing"]) == 4

    result = render(book, Settings(out_dir=tmp_path / "out"))
    entry = next(n for n in result.manifest["nominees"] if n["row"] == person_rec.row and n["sheet"] == "先进个人")
    checklist = next(f for f in entry["files"] if f.endswith("材料清单.xlsx"))
    ws = load_workbook(result.out_dir / checklist).active
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["无犯罪记录证明"][4] == "已提供" and rows["个人征信报告"][4] == "已提供"
    assert rows["被执行人信息查询结果报告"][4] == "缺少" and rows["公示材料"][4] == "缺少"
    assert rows["荣誉证书复印件"][4] == "未提供（非必需）"
    assert rows["无犯罪记录证明"][5].endswith("无犯罪记录证明.pdf")
    assert any(v[4] == "已生成" for v in rows.values())                 # the forms come first
    assert any("缺少必需材料：被执行人信息查询结果报告、公示材料" in line for line in result.assembly.checklists)


# ------------------------------------------------------------------ end to end, LibreOffice

def _require_soffice() -> None:
    if shutil.which("soffice") or shutil.which("libreoffice"):
        return
    if os.environ.get("CI") == "true":
        pytest.fail("LibreOffice not installed (run scripts/install-system-deps.sh)")
    pytest.skip("LibreOffice not installed")


def anju_submission(tmp_path: Path) -> tuple[Path, list[dict]]:
    rows = [person(1), person(2)]
    base = tmp_path / "in"
    base.mkdir()
    make_jpg(base / "照片" / f"{rows[0]['身份证号码']}.jpg", (600, 900))
    make_pdf(base / "附件" / rows[0]["身份证号码"] / "公示材料.pdf", 3)
    make_jpg(base / "附件" / rows[0]["身份证号码"] / "荣誉证书.jpg")
    make_jpg(base / "附件" / collective(0)["集体名称"] / "单位公示.png")
    return write_workbook(base / "nominees.xlsx", [collective(0)], rows), rows


@pytest.fixture(scope="module")
def pdf_render(tmp_path_factory):
    _require_soffice()
    tmp = tmp_path_factory.mktemp("dossier")
    os.environ.setdefault("XDG_CACHE_HOME", str(tmp / "cache"))
    book, rows = anju_submission(tmp)
    return render(book, Settings(out_dir=tmp / "out", pdf=True, copies=True)), rows


def test_nominee_dossier(pdf_render):
    result, rows = pdf_render
    assert not result.assembly.converter_missing and not result.assembly.warnings
    entry = next(n for n in result.manifest["nominees"] if n["name"] == rows[0]["姓名"])
    dossier = next(f for f in entry["files"] if f.endswith("推荐材料汇编.pdf"))
    assert any(f.endswith("推荐审批表.pdf") for f in entry["files"])
    r = PdfReader(str(result.out_dir / dossier))
    tree = outline_tree(r)
    assert [t for t, _, _ in tree] == ["吉林省保障性安居建设工作先进个人推荐审批表", "先进个人征求意见表",
                                       "先进事迹材料", "公示材料", "荣誉证书"]
    assert all(p % 2 == 0 for _, p, _ in tree) and len(r.pages) % 2 == 0
    labels = r.page_labels
    assert [labels[p] for _, p, _ in tree] == ["推荐审批表 1", "征求意见表 1", "先进事迹材料 1", "公示材料 1",
                                               "荣誉证书 1"]
    start = dict((t, p) for t, p, _ in tree)["公示材料"]
    assert labels[start + 2] == "公示材料 3"


def test_submission_pdf_nested(pdf_render):
    result, rows = pdf_render
    r = PdfReader(str(result.out_dir / result.assembly.submission_pdf))
    tree = outline_tree(r)
    assert [t for t, _, _ in tree] == ["推荐对象汇总表", "先进集体", "先进个人"]
    assert tree[0][1] == 0
    people = tree[2][2]
    assert [t for t, _, _ in people] == [f"001 {rows[0]['姓名']}", f"002 {rows[1]['姓名']}"]
    assert [t for t, _, _ in people[0][2]][-2:] == ["公示材料", "荣誉证书"]
    assert [t for t, _, _ in tree[1][2][0][2]][-1] == "公示材料"          # the collective's 单位公示.png
    assert all(p % 2 == 0 for _, p in leaves(tree))
    assert result.assembly.submission_pdf in result.manifest["files"]


def test_print_bundle_repeats_forms(pdf_render):
    result, rows = pdf_render
    r = PdfReader(str(result.out_dir / result.assembly.print_pdf))
    titles = [t for t, _ in leaves(outline_tree(r))]
    assert titles.count("推荐对象汇总表（第1份，共3份）") == 1 and "推荐对象汇总表（第3份，共3份）" in titles
    approval = [t for t in titles if t.startswith("吉林省保障性安居建设工作先进个人推荐审批表")]
    assert len(approval) == 2 * 3
    assert titles.count("公示材料") == 2                                   # copies = 1 for anju
    assert all(p % 2 == 0 for _, p in leaves(outline_tree(r)))
    with zipfile.ZipFile(result.out_dir / result.assembly.bundle) as z:
        names = z.namelist()
    # the e-mail zip: dossiers (forms + scans) yes; per-form PDFs, submission and print PDFs no
    assert result.assembly.submission_pdf not in names and result.assembly.print_pdf not in names
    assert any(n.endswith("推荐材料汇编.pdf") for n in names)
    assert not any(n.endswith("推荐审批表.pdf") for n in names)
    assert any(n.endswith("推荐审批表.docx") for n in names)


def test_pdf_without_libreoffice(tmp_path, monkeypatch):
    from awardforms.assemble import convert
    from awardforms.commands.cli import main

    def missing():
        raise convert.ConverterMissing(convert.INSTALL_HINT)
    monkeypatch.setattr(convert, "find_soffice", missing)
    book = write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(1)])
    res = CliRunner().invoke(main, ["render", str(book), "-o", str(tmp_path / "out"), "--pdf"])
    assert res.exit_code == 0, res.output
    assert "未找到 LibreOffice" in res.output and res.output.count("未找到 LibreOffice") == 1
    out = tmp_path / "out"
    assert list(out.rglob("*.docx")) and not list(out.rglob("*.pdf"))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert not [f for n in manifest["nominees"] for f in n["files"] if f.endswith(".pdf")]


def test_scans_listed_once_per_render_and_the_checklist_follows_new_files(tmp_path, monkeypatch):
    """validate collects each nominee's scans; assemble uses that list rather than listing the
    folder again, and a file added before the next render is in the next checklist."""
    import awardforms.read.scans as scans
    book, recs = shzz_copy(tmp_path)
    person_rec = next(r for r in recs if r.sheet.name == "先进个人")
    key = person_rec.display["id_number"] if "id_number" in person_rec.display else person_rec.name
    nominees = len(check(book).all_records())
    calls = []
    real = scans.collect
    monkeypatch.setattr(scans, "collect", lambda *a: calls.append(a[2]) or real(*a))
    render(book, Settings(out_dir=tmp_path / "out"))
    assert len(calls) == nominees                          # once each: validate's list is reused
    make_pdf(book.parent / "附件" / key / "公示材料.pdf", 1)
    result = render(book, Settings(out_dir=tmp_path / "out"))
    entry = next(n for n in result.manifest["nominees"] if n["row"] == person_rec.row and n["sheet"] == "先进个人")
    ws = load_workbook(result.out_dir / next(f for f in entry["files"] if f.endswith("材料清单.xlsx"))).active
    rows = {r[1]: r for r in ws.iter_rows(min_row=3, values_only=True)}
    assert rows["公示材料"][4] == "已提供"


def test_assembled_files_of_what_is_no_longer_planned_are_removed(tmp_path):
    """_remove_orphans: 材料清单/材料汇编 of a folder no longer planned, and the PDF of a form
    no longer planned, go; everything else (forms, top-level PDFs, kept folders) stays."""
    from types import SimpleNamespace
    from awardforms.assemble.stage import CHECKLIST_NAME, DOSSIER_NAME, _remove_orphans
    keep = ["先进个人/001-甲/" + CHECKLIST_NAME, "先进个人/001-甲/" + DOSSIER_NAME,
            "先进个人/001-甲/推荐审批表.pdf", "先进个人/001-甲/推荐审批表.docx", "推荐对象汇总表.pdf",
            "先进个人/001-甲/说明.txt"]
    gone = ["先进个人/002-乙/" + CHECKLIST_NAME, "先进个人/002-乙/" + DOSSIER_NAME,
            "先进个人/001-甲/征求意见表.pdf"]
    for rel in keep + gone:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"x")
    (tmp_path / "manifest.json").write_text(json.dumps(
        {"files": ["推荐对象汇总表.pdf"], "nominees": [{"files": [r for r in keep + gone if r != "推荐对象汇总表.pdf"]}]},
        ensure_ascii=False), encoding="utf-8")
    plans = [SimpleNamespace(folder="先进个人/001-甲", forms=[1])]
    jobs = [SimpleNamespace(out="先进个人/001-甲/推荐审批表.docx")]
    _remove_orphans(tmp_path, plans, jobs)
    assert all((tmp_path / rel).exists() for rel in keep)
    assert not any((tmp_path / rel).exists() for rel in gone)
    assert not (tmp_path / "先进个人/002-乙").exists()              # the emptied folder too

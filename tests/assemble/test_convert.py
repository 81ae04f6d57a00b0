"""PDF conversion through the LibreOffice pool, and the converter's fonts.

Tests that need LibreOffice (and poppler's pdffonts) skip on a developer's machine without
it, but fail on CI (CI=true), which installs it through scripts/install-system-deps.sh.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt
from pypdf import PdfReader

from awardforms.assemble import convert
from awardforms.assemble import fonts
from awardforms.errors import AwardformsError

BODY = "吉林省安居工程先进个人推荐审批表，主要事迹：该同志长期扎根基层，任劳任怨。"


def _require(*tools: str) -> None:
    missing = [t for t in tools if not shutil.which(t)]
    if not missing:
        return
    message = f"not installed: {', '.join(missing)} (run scripts/install-system-deps.sh)"
    if os.environ.get("CI") == "true":
        pytest.fail(message)  # CI installs them: a missing converter there is a real failure
    pytest.skip(message)


@pytest.fixture
def soffice():
    _require("soffice", "pdffonts", "fc-match")


def make_docx(path: Path, pages: int = 1, font: str = "仿宋_GB2312", text: str = BODY) -> Path:
    document = Document()
    for page in range(pages):
        paragraph = document.add_paragraph()
        run = paragraph.add_run(f"{text}（第{page + 1}页）")
        run.font.name = font
        run.font.size = Pt(16)
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
        if page < pages - 1:
            document.add_page_break()
    document.save(path)
    return path


def our_soffice_pids(tmp_path: Path) -> dict[int, str]:
    """Live (non-zombie) soffice processes (`pgrep -f soffice`) started by this test (their
    command lines name its files: other sessions may be converting in parallel)."""
    found = subprocess.run(["pgrep", "-f", "soffice"], capture_output=True, text=True).stdout
    alive = {}
    for pid in map(int, found.split()):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except (OSError, IndexError):
            continue
        if stat[0] != "Z" and str(tmp_path) in command and "pgrep" not in command:
            alive[pid] = f"state={stat[0]} ppid={stat[1]} pgid={stat[2]} {command}"
    return alive


def settle(tmp_path: Path) -> dict[int, str]:
    """Our soffice processes still there after a short grace time (for zombies to go)."""
    deadline = time.monotonic() + 5
    while (left := our_soffice_pids(tmp_path)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return left


def test_pool_converts_with_fangsong_embedded(soffice, tmp_path):
    sources = [make_docx(tmp_path / f"表{i}.docx", pages=i) for i in (1, 2, 3)]
    sources.append(make_docx(tmp_path / "title.docx", font="方正小标宋简体"))
    pdfs = convert.convert_to_pdf(sources, tmp_path / "pdf", workers=2, batch_size=2)

    assert [p.name for p in pdfs] == ["表1.pdf", "表2.pdf", "表3.pdf", "title.pdf"]
    for pages, pdf in zip((1, 2, 3), pdfs):
        assert pdf.read_bytes()[:5] == b"%PDF-"
        reader = PdfReader(pdf)
        assert len(reader.pages) == pages
        text = "".join(page.extract_text() for page in reader.pages).replace(" ", "").replace("\n", "")
        assert "安居工程先进个人推荐审批表" in text and "任劳任怨" in text
    listing = subprocess.run(["pdffonts", str(pdfs[0])], capture_output=True, text=True).stdout
    font_lines = listing.splitlines()[2:]
    assert any("FandolFang" in line and " yes " in line for line in font_lines), listing
    assert not any("DejaVu" in line for line in font_lines), listing
    title = subprocess.run(["pdffonts", str(pdfs[3])], capture_output=True, text=True).stdout
    assert "NotoSerifCJK" in title, title
    assert not list((tmp_path / "pdf").glob(".awardforms-pdf-*")), "staging folder left behind"
    assert not (left := settle(tmp_path)), left


def test_pdf_next_to_docx_and_callable_out_dir(soffice, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = make_docx(tmp_path / "a" / "同名.docx")
    two = make_docx(tmp_path / "b" / "同名.docx")  # same name, same destination folder
    assert convert.convert_to_pdf([one], workers=1) == [tmp_path / "a" / "同名.pdf"]
    out = convert.convert_to_pdf([one, two], lambda p: tmp_path / "pdf" / p.parent.name, workers=2)
    assert out == [tmp_path / "pdf" / "a" / "同名.pdf", tmp_path / "pdf" / "b" / "同名.pdf"]
    assert all(p.stat().st_size > 0 for p in out)


def test_corrupt_docx_is_reported_and_others_converted(soffice, tmp_path):
    good = [make_docx(tmp_path / f"ok{i}.docx") for i in range(3)]
    garbage = tmp_path / "坏文件.docx"
    garbage.write_bytes(os.urandom(4000))
    truncated = tmp_path / "truncated.docx"
    truncated.write_bytes(good[0].read_bytes()[:2000])
    started = time.monotonic()
    with pytest.raises(convert.ConversionFailed) as caught:
        convert.convert_to_pdf([good[0], garbage, good[1], truncated, good[2]], tmp_path / "pdf",
                               workers=2, timeout=60)
    assert time.monotonic() - started < 60
    error = caught.value
    assert isinstance(error, AwardformsError)
    assert set(error.failed) == {garbage.resolve(), truncated.resolve()}
    assert "坏文件.docx" in str(error) and "未能转换为 PDF" in str(error)
    assert [p.name for p in error.converted] == ["ok0.pdf", "ok1.pdf", "ok2.pdf"]
    assert not (tmp_path / "pdf" / "坏文件.pdf").exists()
    assert not (left := settle(tmp_path)), left


def test_timeout_kills_the_batch_and_reports(soffice, tmp_path):
    source = make_docx(tmp_path / "slow.docx")
    with pytest.raises(convert.ConversionFailed) as caught:
        convert.convert_to_pdf([source], tmp_path, workers=1, timeout=0.2)
    assert "超过" in caught.value.failed[source.resolve()]
    assert not (left := settle(tmp_path)), left


def test_ctrl_c_leaves_no_soffice(soffice, tmp_path):
    for i in range(6):
        make_docx(tmp_path / f"f{i}.docx", pages=3)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from awardforms.assemble.convert import convert_to_pdf
        print("start", flush=True)
        convert_to_pdf(sorted(Path({str(tmp_path)!r}).glob("*.docx")), workers=2, batch_size=1)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, cwd=Path(__file__).resolve().parents[2])
    assert child.stdout.readline().strip() == b"start"
    time.sleep(1.0)  # soffice is starting up or converting
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode != 0 and b"KeyboardInterrupt" in err
    assert not (left := settle(tmp_path)), left


def test_missing_converter_says_how_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(convert.shutil, "which", lambda name: None)
    monkeypatch.delenv("AWARDFORMS_SOFFICE", raising=False)
    monkeypatch.setattr(convert, "WINDOWS_SOFFICE", tmp_path / "no-soffice.exe")
    with pytest.raises(convert.ConverterMissing) as caught:
        convert.convert_to_pdf([make_docx(tmp_path / "a.docx")])
    message = str(caught.value)
    assert isinstance(caught.value, AwardformsError) and "\n" not in message
    assert "LibreOffice" in message and "apt-get install libreoffice-writer-nogui" in message
    assert "install-system-deps.sh" in message and "Windows" in message
    assert convert.convert_to_pdf([]) == []


def test_used_fonts_reads_runs_and_styles(tmp_path):
    document = Document()
    document.styles["Normal"].element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "宋体")
    run = document.add_paragraph().add_run("张三")
    run.font.name = "仿宋_GB2312"
    document.save(tmp_path / "f.docx")
    assert {"宋体", "仿宋_GB2312"} <= fonts.used_fonts([tmp_path / "f.docx"])


def test_private_fontconfig_maps_the_form_fonts(soffice, tmp_path):
    env = fonts.converter_env()
    conf = Path(env["FONTCONFIG_FILE"])
    assert conf.is_file() and "FandolFang" in conf.read_text(encoding="utf-8")
    assert "FONTCONFIG_FILE" not in os.environ or os.environ["FONTCONFIG_FILE"] != str(conf)
    for name, family in [("仿宋", "FandolFang"), ("仿宋_GB2312", "FandolFang"),
                         ("FangSong", "FandolFang"), ("方正小标宋简体", "Noto Serif CJK SC"),
                         ("黑体", "Noto Sans CJK SC"), ("楷体_GB2312", "FandolKai")]:
        assert fonts._families(name, str(conf))[0] == family, name
    assert fonts._families("serif", str(conf))[0] != "Noto Serif CJK SC"  # generic lists untouched


def test_missing_fonts_warns_only_for_unmapped(soffice, tmp_path):
    known = make_docx(tmp_path / "known.docx", font="仿宋_GB2312")
    odd = make_docx(tmp_path / "odd.docx", font="华文行楷")
    assert fonts.missing_fonts([known]) == []
    assert fonts.missing_fonts([known, odd]) == ["华文行楷"]
    (warning,) = fonts.font_warnings([odd])
    assert warning.startswith("模板字体“华文行楷”在本机没有对应字体，PDF 中将用 ")

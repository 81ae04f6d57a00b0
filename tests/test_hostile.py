"""Hostile input: never a crash, never a broken output; unsafe packages refused with exit 2."""

from __future__ import annotations

import re
import resource
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.oxml.ns import qn
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from awardforms.assemble.annotate import write_annotated
from awardforms.campaigns.load import load_campaign
from awardforms.commands.cli import main
from awardforms.forms.context import nominee_context
from awardforms.errors import FieldProblem, UnusableInput
from awardforms.check.fields import FieldContext, parse_value
from awardforms.forms.render import render_docx
from awardforms.textnorm import paragraphs
from awardforms.check.validate import check_workbook
from awardforms.read.workbook import read_workbook
from conftest import PERSON, UNIT, collective, person, write_workbook
from test_excel_habits import NAME, col, plant, rewrite_member, sheet_member

ANJU = load_campaign("anju")
PERSONS = ANJU.sheet("先进个人")
TEMPLATE = Path(__file__).resolve().parents[1] / "templates" / "anju" / "先进个人推荐审批表.docx"
DEEDS = f"先进个人!{col('先进个人', '主要事迹')}"
EMPLOYER = f"先进个人!{col('先进个人', '工作单位')}"


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    return "".join(t.text or "" for t in doc.element.body.iter(qn("w:t")))


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return write_workbook(tmp_path / "nominees.xlsx", [collective(0)], [person(0), person(1)])


def run(args: list[str]):
    return CliRunner().invoke(main, args)


# --- cell contents ---------------------------------------------------------------------------

def test_control_characters_in_shared_strings_are_removed_and_reported(book, tmp_path):
    plant(book, {f"{NAME}2": "ZZZ", f"{DEEDS}3": "YYY"})
    member = sheet_member(book, "先进个人")
    rewrite_member(book, member, lambda xml: xml.replace("ZZZ", "张_x0007_晓梅").replace(
        "YYY", "事迹_x001B_第一段\n第二段_x0000_"))
    sub = check_workbook(book)
    [name] = [i for i in sub.report.issues if i.cell == f"{NAME}2"]
    assert (name.code, name.severity) == ("control-chars-removed", "warning")
    assert "U+0007" in name.message
    assert sub.records["先进个人"][0].display["name"] == "张晓梅"
    assert any(i.code == "control-chars-removed" and i.cell == f"{DEEDS}3" for i in sub.report.issues)
    out = tmp_path / "out"
    result = run(["render", str(book), "-o", str(out)])
    assert result.exit_code in (0, 1), result.output
    docs = list(out.rglob("*.docx"))
    assert docs and all(Document(str(d)) for d in docs)
    write_annotated(book, sub.report, tmp_path / "a.xlsx")
    load_workbook(tmp_path / "a.xlsx")


def test_emoji_and_extension_b_characters_survive(book, tmp_path):
    name = "𠮷野家👍"
    plant(book, {f"{NAME}2": name, f"{EMPLOYER}2": "长春市𠮷林🏠住房保障中心"})
    sub = check_workbook(book)
    assert not [i for i in sub.report.issues if i.cell in (f"{NAME}2", f"{EMPLOYER}2")]
    out = tmp_path / "out"
    run(["render", str(book), "-o", str(out)])
    [form] = [p for p in out.rglob("推荐审批表.docx") if name in str(p)]
    text = docx_text(form)
    assert name in text and "长春市𠮷林🏠住房保障中心" in text


def test_32767_character_cell(book, tmp_path):
    text = ("事" * 99 + "\n") * 327 + "事" * 67
    assert len(text) == 32767
    plant(book, {f"{DEEDS}2": text})
    sub = check_workbook(book)
    issues = [i for i in sub.report.issues if i.cell == f"{DEEDS}2"]
    assert issues and all(i.code.startswith("word") or "字" in i.message for i in issues)
    rec = sub.records["先进个人"][0]
    ctx = nominee_context(ANJU, sub.unit, rec)
    render_docx(TEMPLATE, ctx, tmp_path / "long.docx")
    assert squash(text) in squash(docx_text(tmp_path / "long.docx"))
    write_annotated(book, sub.report, tmp_path / "a.xlsx")
    assert load_workbook(tmp_path / "a.xlsx")["先进个人"][DEEDS.split("!")[1] + "2"].value == text


def test_long_text_pointing_outside_the_folder_is_refused(tmp_path):
    folder = tmp_path / "submission"
    folder.mkdir()
    (tmp_path / "x.docx").write_bytes(b"secret")
    path = write_workbook(folder / "n.xlsx", [collective(0)], [person(0, 主要事迹="../../x.docx"),
                                                              person(1, 主要事迹="/etc/passwd.txt")])
    sub = check_workbook(path)
    for row in (2, 3):
        [issue] = [i for i in sub.report.issues if i.cell == f"{DEEDS}{row}"]
        assert (issue.code, issue.severity) == ("path-outside", "error")
    assert all(r.has_errors for r in sub.records["先进个人"])


# --- size ------------------------------------------------------------------------------------

def test_50000_row_sheet_streams(tmp_path):
    path = tmp_path / "big.xlsx"
    wb = Workbook(write_only=True)
    unit = wb.create_sheet("推荐单位")
    for label, value in UNIT.items():
        unit.append([label, value])
    wb.create_sheet("先进集体").append([f.label for f in ANJU.sheet("先进集体").fields])
    ws = wb.create_sheet("先进个人")
    labels = [f.label for f in PERSONS.fields]
    ws.append(labels)
    # a few cells per row: openpyxl's parser costs ~30 µs a cell, the point here is rows and memory
    id_col = labels.index("身份证号码")
    for n in range(50_000):
        ws.append([f"张{n}", "女"] + [None] * (id_col - 2) + [PERSON["身份证号码"]])
    wb.save(path)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.monotonic()
    raw = read_workbook(path)
    elapsed = time.monotonic() - start
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert len(raw.sheets[1].rows) == 50_000
    assert raw.sheets[1].rows[-1].row == 50_001
    assert elapsed < 60
    assert grown_mb < 1500, grown_mb


# --- unsafe packages -------------------------------------------------------------------------

LAUGHS = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
          '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n')


@pytest.mark.parametrize("member", ["sheet", "xl/workbook.xml", "xl/sharedStrings.xml", "[Content_Types].xml"])
def test_entity_expansion_is_refused_with_exit_2(book, member):
    plant(book, {f"{NAME}2": "&lol3;"})
    target = sheet_member(book, "先进个人") if member == "sheet" else member
    with zipfile.ZipFile(book) as z:
        if target not in z.namelist():
            pytest.skip(f"{target} not in this package")

    def attack(xml: str) -> str:
        return LAUGHS + re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)
    rewrite_member(book, target, attack)
    with pytest.raises(UnusableInput) as err:
        read_workbook(book)
    assert "拒绝" in err.value.message or "损坏" in err.value.message
    result = run(["check", str(book)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output and "内部出错" not in result.output


def test_external_entity_is_refused(book, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("机密")
    member = sheet_member(book, "先进个人")
    rewrite_member(book, member, lambda xml: (
        f'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        + re.sub(r"^<\?xml[^>]*\?>\s*", "", xml)))
    with pytest.raises(UnusableInput):
        read_workbook(book)


def test_zip_bomb_is_refused(book):
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/media/padding.xml", b" " * (40 * 1024 * 1024))
    with pytest.raises(UnusableInput, match="压缩"):
        read_workbook(book)
    result = run(["check", str(book)])
    assert result.exit_code == 2 and "内部出错" not in result.output


def test_garbage_inside_a_sheet_is_a_clean_error(book):
    rewrite_member(book, sheet_member(book, "先进个人"), lambda xml: xml[: len(xml) // 2])
    result = run(["check", str(book)])
    assert result.exit_code == 2
    assert "损坏" in result.output and "内部出错" not in result.output


# --- property: any cell text renders into a .docx that reopens and holds it -------------------

@pytest.fixture(scope="module")
def base_context(tmp_path_factory):
    path = write_workbook(tmp_path_factory.mktemp("prop") / "n.xlsx", [collective(0)], [person(0)])
    sub = check_workbook(path)
    rec = sub.records["先进个人"][0]
    return nominee_context(ANJU, sub.unit, rec), sub.unit, rec


_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")   # zero-width: dropped silently
_UNUSABLE = re.compile("[\x00-\x1f\x7f\ud800-\udfff\ufffe\uffff]")   # controls, XML-illegal


def _removed(problems) -> set[str]:
    out = set()
    for p in problems:
        if p.code == "control-chars-removed":
            out |= {chr(int(m, 16)) for m in re.findall(r"U\+([0-9A-F]{4,6})", p.message)}
    return out


@pytest.mark.parametrize("key", ["deeds", "employer"])
def test_any_cell_text_renders(key, base_context, tmp_path):
    field = PERSONS.field(key)
    ctx0, _unit, _rec = base_context
    base = tmp_path

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(st.text(min_size=1, max_size=300))
    def prop(text):
        try:
            parsed = parse_value(text, field, FieldContext(base))
        except FieldProblem:
            return                      # e.g. text that names a missing .txt file: reported, not rendered
        if parsed is None:   # nothing left once control and XML-illegal characters (DEL too) are gone
            assert not squash(_INVISIBLE.sub("", _UNUSABLE.sub("", text)))
            return
        ctx = dict(ctx0)
        ctx[key] = "\a".join(paragraphs(parsed.display)) if field.type == "longtext" else parsed.display
        out = base / "p.docx"
        render_docx(TEMPLATE, ctx, out)
        shown = squash(docx_text(out))
        assert squash(parsed.display) in shown or all(squash(p) in shown for p in paragraphs(parsed.display))
        # what reached the form is the cell text minus what was reported as removed
        removed = _removed(parsed.problems)
        expected = squash(_INVISIBLE.sub("", "".join(c for c in text if c not in removed)))
        expected = re.sub("[\u00a0\u2000-\u200a\u202f\u205f\u3000\u2028\u2029\x85]", "", expected)
        got = re.sub("[\u00a0\u2000-\u200a\u202f\u205f\u3000]", "", squash(parsed.display))
        assert got == expected
    prop()


# docxtpl turns "{_{" "}_}" "{_%" "%_}" in rendered XML into "{{" "}}" "{%" "%}"; text a clerk
# typed must reach the form as typed (render.keep_literal)
DOCXTPL_LOOKALIKES = "{_{甲}_} {_%乙%_} {_ _} %_ a_b {{丙}} & <丁>"


def test_docxtpl_escape_lookalikes_in_cell_text_reach_the_form_as_typed(base_context, tmp_path):
    from awardforms.forms.fastrender import render_docx_fast
    ctx0, _unit, _rec = base_context
    ctx = dict(ctx0, employer=DOCXTPL_LOOKALIKES)
    render_docx(TEMPLATE, ctx, tmp_path / "docxtpl.docx")
    render_docx_fast(TEMPLATE, ctx, tmp_path / "fast.docx")
    for out in ("docxtpl.docx", "fast.docx"):
        assert DOCXTPL_LOOKALIKES in docx_text(tmp_path / out), out


def test_docxtpl_escape_lookalikes_survive_a_whole_render(tmp_path):
    from awardforms.build.pipeline import Settings, render
    book = write_workbook(tmp_path / "n.xlsx", [collective(0)],
                          [person(0, 工作单位=DOCXTPL_LOOKALIKES, 主要事迹=DOCXTPL_LOOKALIKES + "\n第二段 a_b")])
    result = render(book, Settings(out_dir=tmp_path / "out", workers=1))
    forms = [tmp_path / "out" / f for f in result.written if f.startswith("先进个人/") and f.endswith(".docx")]
    assert forms
    for form in forms:
        text = docx_text(form)
        assert DOCXTPL_LOOKALIKES in text and "a_b" in text and "{{" + "甲" not in text, form

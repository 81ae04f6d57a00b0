"""Compiled templates give the same documents as the plain docxtpl path.

Contexts are real: the sample workbooks under data/samples/ go through check + jobs. Every
template under templates/ is rendered both ways and compared part by part: XML parts
(document body, relationships, content types, core properties) after C14N, other members
byte for byte; the zip's own bytes may differ (timestamps).
"""

from __future__ import annotations

import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from awardforms.campaigns.load import ROOT, TEMPLATE_DIR
from awardforms.errors import TemplateError
from awardforms.forms.fastrender import CompiledTemplate, compiled, render_docx_fast
from awardforms.forms.jobs import FormJob, nominee_jobs, summary_jobs
from awardforms.build.pipeline import check
from awardforms.forms.render import render_docx

SAMPLES = sorted((ROOT / "data" / "samples").rglob("*.xlsx"))
TEMPLATES = sorted(str(p.relative_to(TEMPLATE_DIR)) for p in TEMPLATE_DIR.rglob("*.docx"))
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TRICKY = {"name": 'A&B <张> "晓梅" \'x\'',
          "deeds": "第一段：成绩 & 荣誉\a第二段 <b>加粗?</b>\a\t缩进的第三段\n同段换行",
          "employer": "长春市&住房<保障>“中心”"}


@lru_cache(maxsize=None)
def sample_jobs() -> dict[str, FormJob]:
    """One real job per template, from the sample workbooks."""
    by_template: dict[str, FormJob] = {}
    for path in SAMPLES:
        sub = check(path)
        _, jobs = nominee_jobs(sub)
        for job in jobs + summary_jobs(sub):
            if job.kind == "docx":
                by_template.setdefault(job.template, job)
    return by_template


def parts(path: Path) -> dict[str, bytes]:
    """Member name -> content: canonical XML (C14N) for XML parts, raw bytes otherwise."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {n: etree.tostring(etree.fromstring(z.read(n)), method="c14n")
                if n.endswith((".xml", ".rels")) else z.read(n) for n in z.namelist()}


def assert_same(template: str | Path, context: dict, tmp_path: Path, photo: Path | None = None) -> dict:
    plain, fast = tmp_path / "plain.docx", tmp_path / "fast.docx"
    render_docx(template, context, plain, photo=photo)
    render_docx_fast(template, context, fast, photo=photo)
    a, b = parts(plain), parts(fast)
    assert sorted(a) == sorted(b)                         # same set of parts
    for name in a:
        assert a[name] == b[name], f"{template}: {name} differs"
    Document(str(fast))                                   # python-docx opens it
    return b


def test_samples_cover_every_template():
    assert TEMPLATES and set(TEMPLATES) <= set(sample_jobs())


@pytest.mark.parametrize("template", TEMPLATES)
def test_same_as_docxtpl_for_sample_context(template, tmp_path):
    job = sample_jobs()[template]
    assert_same(job.template, job.context, tmp_path)


@pytest.mark.parametrize("template", TEMPLATES)
def test_same_as_docxtpl_with_tricky_text_and_photo(template, tmp_path):
    job = sample_jobs()[template]
    ctx = dict(job.context)
    ctx.update({k: v for k, v in TRICKY.items() if k in ctx})
    photo = tmp_path / "photo.jpg"
    Image.new("RGB", (295, 413), (180, 40, 40)).save(photo, dpi=(300, 300))
    got = assert_same(job.template, ctx, tmp_path, photo=photo)
    if "{{ photo }}" in _template_text(template):
        assert "word/media/image1.jpg" in got
        assert b"image/jpeg" in got["[Content_Types].xml"]


def test_png_photo_and_two_forms_from_one_compiled_template(tmp_path):
    job = sample_jobs()["anju/先进个人推荐审批表.docx"]
    png = tmp_path / "photo.png"
    Image.new("RGB", (200, 260), (20, 90, 160)).save(png)
    got = assert_same(job.template, job.context, tmp_path, photo=png)
    assert "word/media/image1.png" in got
    # the same compiled template, now without photo: no image left over from the last form
    got = assert_same(job.template, dict(job.context, photo=""), tmp_path)
    assert not any(n.startswith("word/media/") for n in got)


def _template_text(template: str) -> str:
    with zipfile.ZipFile(TEMPLATE_DIR / template) as z:
        return z.read("word/document.xml").decode("utf-8")


def _body_texts(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    return ["".join(t.text or "" for t in p.iter(W + "t")) for p in root.iter(W + "p")]


def test_autoescape_keeps_text_intact(tmp_path):
    job = sample_jobs()["anju/先进个人推荐审批表.docx"]
    out = tmp_path / "a.docx"
    render_docx_fast(job.template, dict(job.context, name=TRICKY["name"]), out)
    assert any(TRICKY["name"] in text for text in _body_texts(out))
    with zipfile.ZipFile(out) as z:
        assert "A&amp;B &lt;张&gt;" in z.read("word/document.xml").decode("utf-8")


def test_bell_character_makes_paragraphs(tmp_path):
    job = sample_jobs()["anju/先进个人推荐审批表.docx"]
    out = tmp_path / "a.docx"
    render_docx_fast(job.template, dict(job.context, deeds="第一段甲\a第二段乙\a第三段丙"), out)
    texts = _body_texts(out)
    first = next(i for i, t in enumerate(texts) if t == "第一段甲")
    assert texts[first + 1:first + 3] == ["第二段乙", "第三段丙"]
    with zipfile.ZipFile(out) as z:
        root = etree.fromstring(z.read("word/document.xml"))
    paras = [p for p in root.iter(W + "p")
             if "".join(t.text or "" for t in p.iter(W + "t")).endswith(("甲", "乙", "丙"))]
    styles = {etree.tostring(p.find(W + "pPr")) if p.find(W + "pPr") is not None else b"" for p in paras}
    assert len(paras) == 3 and len(styles) == 1                # all keep the template paragraph's style


def test_undefined_field_names_template_and_field(tmp_path):
    job = sample_jobs()["anju/先进个人推荐审批表.docx"]
    ctx = {k: v for k, v in job.context.items() if k != "deeds"}
    with pytest.raises(TemplateError) as fast:
        render_docx_fast(job.template, ctx, tmp_path / "a.docx")
    with pytest.raises(TemplateError) as plain:
        render_docx(job.template, ctx, tmp_path / "b.docx")
    assert "先进个人推荐审批表.docx" in str(fast.value) and "deeds" in str(fast.value)
    assert str(fast.value) == str(plain.value) and fast.value.path == plain.value.path
    assert not (tmp_path / "a.docx").exists()


def _make_template(path: Path, body: str, header: str | None = None) -> Path:
    doc = Document()
    doc.add_paragraph(body)
    if header is not None:
        doc.sections[0].header.paragraphs[0].text = header
    doc.save(str(path))
    return path


def test_syntax_error_named_at_compile_time(tmp_path):
    tpl = _make_template(tmp_path / "broken.docx", "姓名：{{ name ")
    with pytest.raises(TemplateError, match="broken.docx"):
        compiled(tpl)


def test_headers_and_footers_are_rendered_too(tmp_path):
    tpl = _make_template(tmp_path / "with-header.docx", "正文 {{ name }}", header="页眉 {{ name }}\t第{{ seq }}号")
    got = assert_same(tpl, {"name": TRICKY["name"], "seq": 3}, tmp_path)
    header = next(v for k, v in got.items() if k.startswith("word/header"))
    assert "页眉 A&amp;B".encode() in header


def test_recompiled_when_template_changes(tmp_path):
    tpl = _make_template(tmp_path / "t.docx", "一 {{ name }}")
    first = compiled(tpl)
    assert compiled(tpl) is first
    _make_template(tpl, "二 {{ name }} 变了")
    second = compiled(tpl)
    assert second is not first
    out = tmp_path / "o.docx"
    second.render({"name": "x"}, out)
    assert "二 x 变了" in _body_texts(out)


def test_footnotes_fall_back_to_plain_path(tmp_path, monkeypatch):
    tpl = _make_template(tmp_path / "t.docx", "{{ name }}")
    c = CompiledTemplate(tpl)
    assert c.fallback == ""
    c.fallback = "footnotes"                     # as if the template had footnotes
    calls = []
    monkeypatch.setattr("awardforms.forms.fastrender.render_docx", lambda *a, **k: calls.append(a))
    c.render({"name": "x"}, tmp_path / "o.docx")
    assert calls


# any text a cell may hold (control characters are cleaned by the reader before this point)
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufffe\uffff")
                | st.sampled_from("\a\n\t&<>\"'{}%#"), max_size=40)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_TEXT, deeds=_TEXT)
def test_same_as_docxtpl_for_any_text(tmp_path, name, deeds):
    job = sample_jobs()["anju/先进个人推荐审批表.docx"]
    assert_same(job.template, dict(job.context, name=name, deeds=deeds), tmp_path)


# ---- fixed-shape tables: the body is spliced as text only where docxtpl's fix-ups are no-ops

def _table_template(path: Path, rows: list[list[str]], columns: int | None = None) -> Path:
    """A template with one table; each row's cells hold the given texts (docxtpl tags allowed)."""
    doc = Document()
    width = columns or max(len(r) for r in rows)
    table = doc.add_table(rows=0, cols=width)
    for texts in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, texts):
            cell.text = text
        for extra in cells[len(texts):]:           # fewer cells than the grid: drop the rest
            extra._tc.getparent().remove(extra._tc)
    doc.save(str(path))
    return path


TABLE_CONTEXT = {"rows": [{"a": "甲&1", "b": "乙<2"}, {"a": "丙", "b": "丁"}], "cols": ["一", "二", "三", "四", "五"],
                 "show": False, "name": "x"}


@pytest.mark.parametrize("rows, fixed", [
    # a row loop in a table whose rows all fill the grid: fixed
    ([["序号", "名称"], ["{%tr for r in rows %}"], ["{{ r.a }}", "{{ r.b }}"], ["{%tr endfor %}"]], True),
    # the only rows come and go with a condition: the grid would be narrowed to nothing
    ([["{%tr if show %}"], ["{{ name }}", "x"], ["{%tr endif %}"]], False),
    # columns from a loop ({%tc %}): rows get wider than the grid
    ([["表头", "{%tc for c in cols %}", "{{ c }}", "{%tc endfor %}"]], False),
    # a row narrower than the grid: once the full row is gone, docxtpl narrows the grid
    ([["{%tr if show %}"], ["一", "二", "三"], ["{%tr endif %}"], ["只有一格"]], False),
])
def test_fixed_shape_decided_from_the_tables(tmp_path, rows, fixed):
    tpl = _table_template(tmp_path / "t.docx", rows)
    c = CompiledTemplate(tpl)
    assert (c._splice is not None) is fixed
    got = assert_same(tpl, TABLE_CONTEXT, tmp_path)     # either way: what docxtpl gives
    assert got["word/document.xml"]


def test_every_bundled_template_takes_the_spliced_path():
    """The project's templates all have fixed-shape tables (the speed of a re-render after an
    edit depends on it: see bench/bench_incremental.py)."""
    for template in TEMPLATES:
        assert compiled(template)._splice is not None, template


def test_body_that_is_not_well_formed_takes_docxtpls_recovering_path(tmp_path, monkeypatch):
    job = sample_jobs()["anju/推荐对象汇总表.docx"]
    c = CompiledTemplate(TEMPLATE_DIR / job.template)
    assert c._spliced(b"<w:body><w:p></w:body>") is None
    assert c._spliced(b"<w:body><w:p></w:p></w:body>") is not None
    calls = []
    real = c._fixed_up
    monkeypatch.setattr(c, "_fixed_up", lambda dst: calls.append(dst) or real(dst))
    c.render_bytes(job.context)
    assert not calls                                         # well-formed: spliced
    monkeypatch.setattr(c, "_spliced", lambda body: None)
    c.render_bytes(job.context)
    assert calls                                             # otherwise docxtpl's way


def test_photo_forms_renumber_drawing_ids_as_docxtpl(tmp_path):
    job = sample_jobs()["anju/先进个人推荐审批表.docx"]
    photo = tmp_path / "p.jpg"
    Image.new("RGB", (295, 413)).save(photo)
    got = assert_same(job.template, job.context, tmp_path, photo=photo)
    assert b'wp:docPr id="1001"' in got["word/document.xml"] or b'id="1001"' in got["word/document.xml"]


def test_a_very_large_part_is_deflated_fast_and_reads_back_the_same(tmp_path):
    """A 300-row 汇总表 body is deflated at zlib's fastest level (a form's small parts keep
    the default); either way it is the same document as docxtpl's."""
    import zlib
    job = next(j for t, j in sample_jobs().items() if "汇总" in t)
    sheets = {name: rows * (300 // max(1, len(rows)) + 1) for name, rows in job.context["sheets"].items()}
    context = dict(job.context, sheets=sheets)
    assert_same(job.template, context, tmp_path)
    with zipfile.ZipFile(tmp_path / "fast.docx") as z:
        big = z.getinfo("word/document.xml")
        data = z.read(big)
        small = [i for i in z.infolist() if i.compress_type == zipfile.ZIP_DEFLATED and i.file_size > 2000
                 and i.filename != big.filename]

    def deflated_size(blob, level):
        c = zlib.compressobj(level, zlib.DEFLATED, -15)
        return len(c.compress(blob) + c.flush())
    assert big.file_size > 256 * 1024 and big.compress_size == deflated_size(data, 1)
    with zipfile.ZipFile(tmp_path / "fast.docx") as z:
        assert small and all(i.compress_size == deflated_size(z.read(i), 6) for i in small)


# ---- table-row loops (the 汇总表's rows): the same document as docxtpl's

def _summary_job() -> FormJob:
    return next(j for t, j in sample_jobs().items() if "汇总" in t)


def test_summary_rows_edited_added_removed_equal_docxtpl(tmp_path):
    import copy
    job = _summary_job()
    assert_same(job.template, job.context, tmp_path)
    changed = copy.deepcopy(job.context)
    rows = next(rs for rs in changed["sheets"].values() if len(rs) > 1)
    first = rows[0]
    key = next(k for k, v in first.items() if isinstance(v, str) and k != "seq")
    first[key] = TRICKY["deeds"]                                # & < > \a \t \n in one cell
    rows.append(dict(rows[1], seq=len(rows) + 1))              # a row repeated: same XML
    assert_same(job.template, changed, tmp_path)
    del rows[0]                                                 # a row gone
    assert_same(job.template, changed, tmp_path)


def test_a_missing_field_in_a_row_names_template_and_field(tmp_path):
    import copy
    job = _summary_job()
    ctx = copy.deepcopy(job.context)
    row = next(rs for rs in ctx["sheets"].values() if rs)[0]
    row.pop(next(k for k in row if k != "seq"))
    with pytest.raises(TemplateError) as fast:
        render_docx_fast(job.template, ctx, tmp_path / "a.docx")
    with pytest.raises(TemplateError) as plain:
        render_docx(job.template, ctx, tmp_path / "b.docx")
    assert str(fast.value) == str(plain.value)


def _grouped_template(path: Path, cell: str = "{{ r.a }}") -> Path:
    """A table per group: `{%p for g in groups %}`, a header row, then `{%tr for r in g.rows %}`."""
    doc = Document()
    doc.add_paragraph("{%p for g in groups %}")
    doc.add_paragraph("{{ g.title }}")
    table = doc.add_table(rows=0, cols=2)
    for texts in (["名称", "数量"], ["{%tr for r in g.rows %}"], [cell, "{{ r.b }}"], ["{%tr endfor %}"]):
        cells = table.add_row().cells
        for c, text in zip(cells, texts):
            c.text = text
        for extra in cells[len(texts):]:
            extra._tc.getparent().remove(extra._tc)
    doc.add_paragraph("{%p endfor %}")
    doc.save(str(path))
    return path


def test_rows_of_an_enclosing_loops_variable_render_as_docxtpl(tmp_path):
    """`g.rows` of an enclosing loop's variable, inside `for g`."""
    import copy
    tpl = _grouped_template(tmp_path / "t.docx")
    assert compiled(tpl)._splice is not None
    ctx = {"groups": [{"title": "一组", "rows": [{"a": "甲&1", "b": "2"}, {"a": "乙", "b": "<3>"}]},
                      {"title": "空组", "rows": []},
                      {"title": "三组", "rows": [{"a": "甲&1", "b": "2"}]}]}     # the same row again
    assert_same(tpl, ctx, tmp_path)
    edited = copy.deepcopy(ctx)
    edited["groups"][0]["rows"][1]["b"] = "四"
    del edited["groups"][2]
    assert_same(tpl, edited, tmp_path)


def test_rows_equal_in_python_but_not_in_text_are_kept_apart(tmp_path):
    """True == 1 == 1.0, yet each is written as its own text."""
    tpl = _table_template(tmp_path / "t.docx", [["序号", "名称"], ["{%tr for r in rows %}"],
                                               ["{{ r.a }}", "{{ r.b }}"], ["{%tr endfor %}"]])
    for value in (1, True, 1.0, "1", 1):
        assert_same(tpl, {"rows": [{"a": value, "b": "x"}]}, tmp_path)
        assert _cell_texts(tmp_path / "fast.docx")[2:] == [str(value), "x"]


def test_a_changed_template_does_not_reuse_the_old_rows(tmp_path):
    tpl = _grouped_template(tmp_path / "t.docx")
    ctx = {"groups": [{"title": "组", "rows": [{"a": "甲", "b": "乙"}]}]}
    out = tmp_path / "o.docx"
    render_docx_fast(tpl, ctx, out)
    assert "甲" in _cell_texts(out)
    _grouped_template(tpl, cell="改 {{ r.a }} 改")
    render_docx_fast(tpl, ctx, out)
    assert "改 甲 改" in _cell_texts(out)


def _cell_texts(path: Path) -> list[str]:
    return [cell.text for table in Document(str(path)).tables for row in table.rows for cell in row.cells]

"""`awardforms template`: blank forms (tests/fixtures/blanks, data/blanks/anju) tagged, rendered
with a nominee of the sample workbook, and every value looked for beside its label."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from awardforms.build.pipeline import check
from awardforms.campaigns.load import ROOT, load_campaign
from awardforms.commands.cli import main
from awardforms.forms.context import nominee_context
from awardforms.forms.fastrender import render_docx_fast
from awardforms.forms.tagcheck import check_template
from awardforms.forms.tagging import tag_file
from awardforms.read.photos import prepared_photo
from awardforms.textnorm import header_key, paragraphs

FIXTURES = ROOT / "tests" / "fixtures" / "blanks"
BLANKS = ROOT / "data" / "blanks" / "anju"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SAMPLE = ROOT / "data" / "samples" / "anju" / "长春市保障性安居推荐.xlsx"

PERSON_TABLE = {"name", "gender", "ethnicity", "native_place", "birth", "politics", "education",
                "work_start", "id_number", "staffing", "post", "other_posts", "tech_post", "tech_grade",
                "title", "title_grade", "employer", "affiliation", "employer_type", "employer_region",
                "employer_address", "employer_phone", "phone", "resume", "awards", "punishments", "deeds",
                "photo"}
COLLECTIVE_TABLE = {"name", "type", "level", "size", "region", "leader_name", "leader_post",
                    "leader_phone", "parent", "parent_phone", "address", "awards", "punishments",
                    "intro", "deeds"}
# blank -> (sheet, fields its tables show, cover lines as rendered: label -> value key)
CASES = {
    FIXTURES / "先进个人推荐审批表-竖排.docx": ("先进个人", PERSON_TABLE,
                                        {"姓名": "name", "工作单位": "employer", "填报时间": "unit.date"}),
    FIXTURES / "先进集体推荐审批表-表头.docx": ("先进集体", COLLECTIVE_TABLE - {"punishments"},
                                        {"推荐单位(盖章)": "unit.name", "填报时间": "unit.date"}),
    FIXTURES / "先进个人征求意见表-下划线.docx": ("先进个人", set(), {"姓名": "name"}),
    BLANKS / "先进个人推荐审批表.docx": ("先进个人", PERSON_TABLE,
                                  {"姓名": "name", "工作单位": "employer", "填报时间": "unit.date"}),
    BLANKS / "先进集体推荐审批表.docx": ("先进集体", COLLECTIVE_TABLE,
                                  {"集体名称": "name", "所属单位": "parent", "推荐单位": "unit.name",
                                   "填报时间": "unit.date"}),
}


@pytest.fixture(scope="module")
def sample():
    return check(SAMPLE)


def _record(sub, sheet: str):
    return next(r for r in sub.records[sheet] if not r.has_errors)


def _expected(sub, rec, key: str) -> str:
    if key.startswith("unit."):
        return sub.unit.display[key[5:]]
    return "".join(paragraphs(rec.display[key]))


def _grid_text(table):
    """(row, col) -> (cell id, text) for every grid position of a rendered table."""
    out = {}
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            out[r, c] = (id(cell._tc), cell._tc, "\n".join(p.text for p in cell.paragraphs))
    return out


def _beside(grid, r, c):
    """Texts of the cells right of and under the cell at (r, c)."""
    me = grid[r, c][1]
    right = [grid[r, k] for k in range(c + 1, c + 30) if (r, k) in grid and grid[r, k][1] is not me]
    below = [grid[k, c] for k in range(r + 1, r + 30) if (k, c) in grid and grid[k, c][1] is not me]
    return [x[2] for x in right[:1] + below[:1]]


def _render(template: Path, sub, rec, out: Path) -> Document:
    photo = prepared_photo(rec.values.get("photo"))
    render_docx_fast(template, nominee_context(sub.campaign, sub.unit, rec), out, photo=photo)
    return Document(str(out))


@pytest.mark.parametrize("blank", list(CASES), ids=lambda p: p.stem)
def test_blank_tagged_and_rendered_values_sit_beside_their_labels(blank, sample, tmp_path):
    sheet_name, table_fields, cover = CASES[blank]
    campaign = load_campaign("anju")
    sheet = campaign.sheet(sheet_name)
    template = tmp_path / "模板.docx"
    result = tag_file(blank, template, campaign, sheet)
    assert result.unmatched_labels == []
    placed_in_tables = {m.field for m in result.matched if m.cell.startswith("表")}
    assert placed_in_tables == table_fields
    assert check_template(template, campaign, sheet).ok

    rec = _record(sample, sheet_name)
    doc = _render(template, sample, rec, tmp_path / "表.docx")
    labels = {header_key(f.label): f.key for f in sheet.fields if f.key in table_fields - {"photo"}}
    seen = set()
    for table in doc.tables:
        grid = _grid_text(table)
        for (r, c), (_, _, text) in grid.items():
            key = re.sub(r"\(.*\)$", "", header_key(text).split(":")[0])
            if key not in labels or labels[key] in seen:
                continue
            want = header_key(_expected(sample, rec, labels[key]))
            inside = header_key(text).split(":", 1)[1] if ":" in header_key(text) else None
            around = [header_key(t) for t in _beside(grid, r, c)]
            assert want in around or inside == want, (text, want, around)
            seen.add(labels[key])
    assert seen == table_fields - {"photo"}
    body = [p.text for p in doc.paragraphs]
    for label, key in cover.items():
        mark = header_key(label) + ":"
        line = next(header_key(t) for t in body if mark in header_key(t))
        assert line.split(mark, 1)[1].startswith(header_key(_expected(sample, rec, key))), line


def _texts(path: Path) -> str:
    """Every paragraph's text, in document order (merged cells once)."""
    body = Document(str(path)).element.body
    return "\n".join("".join(t.text or "" for t in p.iter(f"{W}t")) for p in body.iter(f"{W}p"))


def test_fixed_text_seals_and_notes_stay(sample, tmp_path):
    blank = FIXTURES / "先进个人推荐审批表-竖排.docx"
    campaign = load_campaign("anju")
    template = tmp_path / "模板.docx"
    tag_file(blank, template, campaign, campaign.sheet("先进个人"))
    rec = _record(sample, "先进个人")
    _render(template, sample, rec, tmp_path / "表.docx")
    before, after = _texts(blank), _texts(tmp_path / "表.docx")
    for text in ("吉林省保障性安居建设工作先进个人", "拟授予称号", "表彰层级", "填 表 说 明",
                 "四、“简历”从学徒或高中毕业填起", "所在单位", "市（州）人社、住建部门审核意见"):
        assert before.count(text) == after.count(text) > 0, text
    level = next(row.cells for row in Document(str(tmp_path / "表.docx")).tables[0].rows
                 if row.cells[0].text == "表彰层级")
    assert level[1].text == "省级"
    assert before.count("（盖章）") == after.count("（盖章）") == 3
    assert after.count("年    月    日") == 3                  # the seals' dates
    assert before.count("年    月    日") == 4                 # and 填报时间's blank, now filled


def test_photo_goes_into_the_photo_cell_and_the_label_stays_without_one(sample, tmp_path):
    campaign = load_campaign("anju")
    sheet = campaign.sheet("先进个人")
    template = tmp_path / "模板.docx"
    tag_file(FIXTURES / "先进个人推荐审批表-竖排.docx", template, campaign, sheet)
    rec = next(r for r in sample.records["先进个人"] if not r.has_errors and r.values.get("photo"))
    doc = _render(template, sample, rec, tmp_path / "有照片.docx")
    photo_cell = doc.tables[0].cell(0, 4)
    assert photo_cell._tc.xpath(".//w:drawing") and "照" not in photo_cell.text
    ctx = nominee_context(sample.campaign, sample.unit, rec)
    render_docx_fast(template, ctx, tmp_path / "无照片.docx")
    cell = Document(str(tmp_path / "无照片.docx")).tables[0].cell(0, 4)
    assert not cell._tc.xpath(".//w:drawing") and header_key(cell.text) == "照片"


def test_installed_anju_templates_are_the_tagged_blanks(tmp_path):
    """templates/anju is what `awardforms template` makes of data/blanks/anju (the builder runs it)."""
    import importlib.util
    spec = importlib.util.spec_from_file_location("builder", ROOT / "tools" / "build_templates_anju.py")
    builder = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(builder)
    campaign = load_campaign("anju")
    for name, sheet in builder.TAGGED.items():
        out = tmp_path / name
        result = tag_file(BLANKS / name, out, campaign, campaign.sheet(sheet))
        assert result.unmatched_labels == [], name
        with zipfile.ZipFile(out) as a, zipfile.ZipFile(ROOT / "templates" / "anju" / name) as b:
            assert a.read("word/document.xml") == b.read("word/document.xml"), name


def _cli(*args, env=None):
    return CliRunner().invoke(main, [str(a) for a in args], env=env)


def test_cli_exit_codes_and_json(tmp_path):
    blank = tmp_path / "表.docx"
    doc = Document(str(FIXTURES / "先进集体推荐审批表-表头.docx"))
    row = doc.tables[0].add_row()
    row.cells[0].text = "爱好特长"                     # a label the campaign does not know
    doc.save(str(blank))
    res = _cli("template", blank, "--campaign", "anju", "--sheet", "先进集体", "--json")
    assert res.exit_code == 1, res.output
    data = json.loads(res.output)
    assert data["unmatched_labels"] == ["爱好特长"]
    assert {"label": "集体名称", "field": "name", "cell": "表1第1行第1列", "placeholder": "{{ name }}"} in data["matched"]
    assert "备注" in data["unplaced_fields"] and Path(data["template"]) == tmp_path / "表.模板.docx"

    ok = _cli("template", FIXTURES / "先进个人征求意见表-下划线.docx", "--campaign", "anju",
              "--sheet", "先进个人", "-o", tmp_path / "t.docx")
    assert ok.exit_code == 0 and "单位及职务 → {{ employer }}{{ post }}" in ok.output
    (tmp_path / "x.docx").write_bytes(b"not a zip")
    assert _cli("template", tmp_path / "x.docx", "--campaign", "anju", "--sheet", "先进个人").exit_code == 2
    assert _cli("template", blank, "--campaign", "anju", "--sheet", "无此表").exit_code == 2
    assert _cli("template", blank, "--campaign", "nope", "--sheet", "先进个人").exit_code == 2


def test_preview_is_the_template_filled_with_the_first_valid_row(sample, tmp_path):
    blank = tmp_path / "附件3.docx"
    shutil.copy(FIXTURES / "先进个人推荐审批表-竖排.docx", blank)
    res = _cli("template", blank, "--campaign", "anju", "--sheet", "先进个人", "--preview", SAMPLE)
    assert res.exit_code == 0, res.output
    preview = tmp_path / "附件3.预览.docx"
    rec = _record(sample, "先进个人")
    assert rec.display["id_number"] in _texts(preview) and "{{" not in _texts(preview)


def test_check_names_unknown_placeholders_and_missing_required_fields(tmp_path):
    campaign = load_campaign("anju")
    ok = _cli("template", "--check", ROOT / "templates" / "anju" / "先进个人推荐审批表.docx",
              "--campaign", "anju", "--sheet", "先进个人", "--json")
    assert ok.exit_code == 0
    data = json.loads(ok.output)
    assert data["unknown_placeholders"] == [] and "姓名" not in data["missing_required_fields"]
    assert "是否住建系统机关" in data["missing_required_fields"]     # used by the rules, not printed
    doc = Document(str(ROOT / "templates" / "anju" / "先进个人推荐审批表.docx"))
    doc.paragraphs[-1].add_run("{{ hobby }}{{ unit.boss }}")
    doc.save(str(tmp_path / "bad.docx"))
    bad = _cli("template", "--check", tmp_path / "bad.docx", "--campaign", "anju", "--sheet", "先进个人")
    assert bad.exit_code == 1 and "{{ hobby }}" in bad.output and "{{ unit.boss }}" in bad.output
    assert check_template(tmp_path / "bad.docx", campaign, campaign.sheet("先进个人")).unknown == [
        "{{ hobby }}", "{{ unit.boss }}"]

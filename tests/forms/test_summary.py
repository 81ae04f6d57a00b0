"""推荐对象汇总表.xlsx: every cell's value and style, read back with openpyxl, against the campaign definition."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from awardforms.campaigns.load import load_campaign
from awardforms.forms.context import evaluate
from awardforms.forms.jobs import summary_jobs
from awardforms.forms.summary import WIDTHS, write_summary_xlsx
from awardforms.check.validate import check_workbook
from conftest import collective, person, write_workbook

ROOT = Path(__file__).resolve().parents[2]
SHZZ_SAMPLE = ROOT / "data" / "samples" / "shzz" / "地方-吉林市.xlsx"


def anju_book(tmp_path: Path) -> Path:
    """A realistic anju submission: 12 collectives, 25 persons (one invalid: not listed), awkward values."""
    persons = [person(i, 姓名=f"张{i:03d}号") for i in range(25)]
    persons[3]["身份证号码"] = persons[3]["身份证号码"][:-1] + ("0" if persons[3]["身份证号码"][-1] != "0" else "1")
    persons[5]["通讯地址"] = "长春市朝阳区人民大街1000号 1单元 & <2> 室"
    return write_workbook(tmp_path / "nominees.xlsx", [collective(i) for i in range(12)], persons)


@pytest.fixture(params=["anju", "shzz"])
def rendered(request, tmp_path: Path):
    """(campaign, summary context, worksheet as read back) for a submission of each campaign."""
    book = anju_book(tmp_path) if request.param == "anju" else SHZZ_SAMPLE
    sub = check_workbook(book)
    job = next(j for j in summary_jobs(sub) if j.kind == "summary-xlsx")
    campaign = load_campaign(sub.campaign.id)
    out = tmp_path / "汇总表.xlsx"
    write_summary_xlsx(campaign, job.context, out)
    return campaign, job.context, load_workbook(out).active


def expected_layout(campaign, context) -> list[tuple[str, list[str]]]:
    """(kind, values) per row, from the campaign's summary definition and the context."""
    summary, unit = campaign.summary, context["unit"]
    tables = summary["tables"]
    widest = max(len(t["columns"]) for t in tables)
    rows = [("title", [summary.get("title", "推荐对象汇总表")]),
            ("plain", [f"推荐单位：{unit.get('name', '')}"] + [""] * (widest - 2) + [f"填表日期：{unit.get('date', '')}"])]
    for table in tables:
        rows.append(("plain", []))
        rows.append(("caption", [table["title"]]))
        rows.append(("header", [label for label, _ in table["columns"]]))
        for values in context["sheets"].get(table["sheet"], []):
            rows.append(("body", [evaluate(expr, values) for _, expr in table["columns"]]))
        rows += [("plain", [note]) for note in table.get("notes", [])]
    rows.append(("plain", []))
    rows.append(("plain", [f"联系人单位、姓名及职务：{unit.get('name', '')} {unit.get('contact', '')} "
                           f"{unit.get('contact_post', '')}    联系电话：{unit.get('phone', '')}    "
                           f"传真：{unit.get('fax', '')}"]))
    return rows


def column_widths(ws) -> dict[int, float]:
    """Width per column number; a <col> element may span several equal columns (min..max)."""
    return {c: dim.width for dim in ws.column_dimensions.values() if dim.customWidth
            for c in range(dim.min, dim.max + 1)}


def test_every_cell_holds_what_the_expressions_give(rendered):
    campaign, context, ws = rendered
    layout = expected_layout(campaign, context)
    assert sum(kind == "body" for kind, _ in layout) >= 5           # the submission has real rows
    assert ws.max_row == len(layout)
    width = max(len(values) for _, values in layout)
    for r, (kind, values) in enumerate(layout, start=1):
        got = [ws.cell(r, c).value or "" for c in range(1, width + 1)]
        assert got == values + [""] * (width - len(values)), (r, kind)
    # numbering restarts per table; IDs stay text (no float, no lost digits)
    headers = [r for r, (kind, _) in enumerate(layout, start=1) if kind == "header"]
    for header, table in zip(headers, campaign.summary["tables"], strict=True):
        n = len(context["sheets"][table["sheet"]])
        assert [ws.cell(header + i, 1).value for i in range(1, n + 1)] == [str(i) for i in range(1, n + 1)]
        for c, (label, expr) in enumerate(table["columns"], start=1):
            if "id_number" in expr:
                assert all(len(ws.cell(header + i, c).value) == 18 for i in range(1, n + 1))


def test_anju_lists_only_valid_nominees(tmp_path: Path):
    sub = check_workbook(anju_book(tmp_path))
    job = next(j for j in summary_jobs(sub) if j.kind == "summary-xlsx")
    out = tmp_path / "s.xlsx"
    write_summary_xlsx(load_campaign("anju"), job.context, out)
    names = {c.value for row in load_workbook(out).active.iter_rows() for c in row}
    assert "张003号" not in names and "张004号" in names and "张024号" in names
    assert "长春市朝阳区人民大街1000号 1单元 & <2> 室" in names


def test_cell_styles_follow_the_row_kind(rendered):
    """Headers bold and framed, body framed and text-formatted, everything else unframed."""
    campaign, context, ws = rendered
    layout = expected_layout(campaign, context)
    width = max(len(values) for _, values in layout)
    for r, (kind, values) in enumerate(layout, start=1):
        for c in range(1, width + 1):
            cell = ws.cell(r, c)
            sides = {cell.border.left.style, cell.border.right.style, cell.border.top.style, cell.border.bottom.style}
            where = (r, c, kind)
            if kind in ("header", "body") and c <= len(values):
                assert sides == {"thin"}, where
                assert cell.alignment.wrap_text and cell.alignment.vertical == "center", where
                assert bool(cell.font.bold) == (kind == "header"), where
                assert cell.number_format == ("@" if kind == "body" else "General"), where
                assert cell.value is None or cell.data_type == "s", where     # never a number or formula
            else:
                assert sides == {None}, where
                assert cell.number_format == "General", where
                assert bool(cell.font.bold) == (kind == "caption" and c == 1), where


def test_title_merge_widths_and_page_setup(rendered):
    campaign, _, ws = rendered
    widest = max(len(t["columns"]) for t in campaign.summary["tables"])
    # the title, and each note and the contact line across the tables' width (wrapped, not cut off)
    layout = expected_layout(campaign, _)
    lines = [r for r, (kind, values) in enumerate(layout, start=1) if kind == "plain" and len(values) == 1]
    assert sorted(str(r) for r in ws.merged_cells.ranges) == sorted(
        [f"A1:{get_column_letter(widest)}1"] + [f"A{r}:{get_column_letter(widest)}{r}" for r in lines])
    assert "传真：" in ws.cell(lines[-1], 1).value and ws.cell(lines[-1], 1).alignment.wrap_text
    title = ws["A1"]
    assert title.font.name == "方正小标宋简体" and title.font.size == 18 and title.alignment.horizontal == "center"
    assert column_widths(ws) == dict(enumerate(WIDTHS, start=1))
    assert WIDTHS[:6] == (6, 12, 8, 8, 10, 28) and len(WIDTHS) == 14
    assert ws.page_setup.orientation == "landscape"
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) == 9
    # fitToWidth/fitToHeight only count with <pageSetUpPr fitToPage="1">: one page wide,
    # as many tall as needed (fitToWidth absent = its schema default, 1)
    assert ws.sheet_properties.pageSetUpPr.fitToPage is True
    assert ws.page_setup.fitToWidth in (None, 1)
    assert int(ws.page_setup.fitToHeight) == 0
    assert ws.title == campaign.summary["title"][:31]


def test_a_table_without_rows_keeps_its_header(tmp_path: Path):
    campaign = load_campaign("anju")
    context = {"unit": {"name": "某单位", "date": "2024年1月1日"}, "sheets": {"先进集体": [], "先进个人": []}}
    out = tmp_path / "empty.xlsx"
    write_summary_xlsx(campaign, context, out)
    ws = load_workbook(out).active
    layout = expected_layout(campaign, context)
    assert [kind for kind, _ in layout].count("header") == 2 and ws.max_row == len(layout)
    for r, (kind, values) in enumerate(layout, start=1):
        assert [ws.cell(r, c).value or "" for c in range(1, len(values) + 1)] == values
        if kind == "header":
            assert all(ws.cell(r, c).font.bold for c in range(1, len(values) + 1))


def awkward_context(**values) -> dict:
    """An anju context with one collective whose fields are `values` (the rest empty)."""
    row = dict.fromkeys(["name", "type", "level", "size", "leader_name", "leader_post", "contact", "remarks"], "")
    row.update(seq=1, **values)
    return {"unit": {"name": "某单位", "date": "2024年1月1日"}, "sheets": {"先进集体": [row], "先进个人": []}}


def body_row(ws, campaign) -> list:
    """The first collective's cells (header row + 1)."""
    header = next(r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号")
    return [ws.cell(header + 1, c) for c in range(1, len(campaign.summary["tables"][0]["columns"]) + 1)]


def test_clerk_text_is_never_a_formula_or_number(tmp_path: Path):
    campaign = load_campaign("anju")
    out = tmp_path / "s.xlsx"
    write_summary_xlsx(campaign, awkward_context(name="=SUM(A1)", type="+86", level="-1", size="0012",
                                                 leader_name="1e5", remarks="_x0041_ & <b>"), out)
    cells = body_row(load_workbook(out).active, campaign)
    assert [c.value for c in cells] == ["1", "=SUM(A1)", "+86", "-1", "0012", "1e5", "", "_x0041_ & <b>"]
    assert all(c.data_type == "s" for c in cells if c.value)
    with zipfile.ZipFile(out) as zf:
        assert "<f>" not in zf.read("xl/worksheets/sheet1.xml").decode()


def test_control_characters_are_dropped_and_line_breaks_kept(tmp_path: Path):
    """Copy-paste leftovers: XML-illegal characters go (the file stays well-formed, Excel opens
    it), vertical tab / CR / the context's paragraph mark "\\a" become line breaks."""
    campaign = load_campaign("anju")
    out = tmp_path / "s.xlsx"
    context = awkward_context(name="甲\x00乙\x08丙\x1f丁\x7f戊\ufffe己\ud800庚", type="第一行\n第二行",
                              level="上\x0b下", size="左\r\n右\r中", contact="段一\a段二", remarks="制表\t符")
    context["unit"]["name"] = "某\x1b单位"
    write_summary_xlsx(campaign, context, out)
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.endswith(".xml") or name.endswith(".rels"):
                ElementTree.fromstring(zf.read(name))          # well-formed XML 1.0
        assert b"_x00" not in zf.read("xl/sharedStrings.xml")   # nothing kept as an _xHHHH_ escape
    ws = load_workbook(out).active
    values = {c.value for c in body_row(ws, campaign)}
    assert {"甲乙丙丁戊己庚", "第一行\n第二行", "上\n下", "左\n右\n中", "段一\n段二", "制表\t符"} <= values
    assert ws["A2"].value == "推荐单位：某单位"


def test_same_input_gives_the_same_bytes(tmp_path: Path):
    """No clock inside the file: core.xml carries a fixed date (not the time of writing, which
    would differ from one second to the next), the zip members fixed times."""
    campaign = load_campaign("anju")
    context = awkward_context(name="某集体")
    first, second = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_summary_xlsx(campaign, context, first)
    write_summary_xlsx(campaign, context, second)
    assert first.read_bytes() == second.read_bytes()
    with zipfile.ZipFile(first) as zf:
        assert b"2024-01-01T00:00:00Z" in zf.read("docProps/core.xml")
    write_summary_xlsx(campaign, awkward_context(name="另一集体"), second)
    assert first.read_bytes() != second.read_bytes()


def test_the_write_is_atomic(tmp_path: Path, monkeypatch):
    """Written into the temporary file, then moved: a failing write leaves the old file and no debris."""
    import awardforms.forms.summary as summary
    campaign = load_campaign("anju")
    out = tmp_path / "s.xlsx"
    write_summary_xlsx(campaign, awkward_context(name="旧"), out)
    before = out.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(summary, "evaluate", broken)
    with pytest.raises(RuntimeError):
        write_summary_xlsx(campaign, awkward_context(name="新"), out)
    assert out.read_bytes() == before and [p.name for p in tmp_path.iterdir()] == ["s.xlsx"]


# ---- rows written again after an edit, other columns, values equal in Python but not in text

def body_values(out: Path, campaign) -> list[list[str]]:
    """Every body row's values, both tables, as read back."""
    ws = load_workbook(out).active
    headers = [r for r in range(1, ws.max_row + 1) if ws.cell(r, 1).value == "序号"]
    rows = []
    for header, table in zip(headers, campaign.summary["tables"], strict=True):
        r = header + 1
        while ws.cell(r, 1).border.left.style == "thin":
            rows.append([ws.cell(r, c).value or "" for c in range(1, len(table["columns"]) + 1)])
            r += 1
    return rows


def expected_body(campaign, context) -> list[list[str]]:
    return [values for kind, values in expected_layout(campaign, context) if kind == "body"]


def test_an_edited_row_is_written_anew_and_the_others_stay(tmp_path: Path):
    """Rendered again after an edit: the edited row has its new
    text, every other row its old one; editing back gives back the first file byte for byte."""
    import copy
    campaign = load_campaign("anju")
    sub = check_workbook(anju_book(tmp_path))
    context = next(j for j in summary_jobs(sub) if j.kind == "summary-xlsx").context
    first, again = tmp_path / "1.xlsx", tmp_path / "2.xlsx"
    write_summary_xlsx(campaign, context, first)
    edited = copy.deepcopy(context)
    person = next(p for p in edited["sheets"]["先进个人"] if p["name"] == "张005号")
    person["mail_address"] = "新地址 & <3> 室"
    leader = edited["sheets"]["先进集体"][0]
    leader["leader_post"] += "（兼）"               # a column of two fields: "{{ leader_name }} {{ leader_post }}"
    write_summary_xlsx(campaign, edited, again)
    got = body_values(again, campaign)
    assert got == expected_body(campaign, edited) != expected_body(campaign, context)
    assert "新地址 & <3> 室" in got[12 + 4] and got[0][5].endswith("（兼）")    # 张005号: the 5th person
    write_summary_xlsx(campaign, context, again)
    assert again.read_bytes() == first.read_bytes()


def test_the_same_rows_under_other_columns_give_other_cells(tmp_path: Path):
    """The same rows under other column expressions give other cells."""
    import copy
    campaign = load_campaign("anju")
    context = awkward_context(name="某集体", level="省级")
    write_summary_xlsx(campaign, context, tmp_path / "1.xlsx")
    other = copy.deepcopy(campaign)
    columns = other.summary["tables"][0]["columns"]
    columns[1] = [columns[1][0], "{{ name }}（{{ level }}）"]
    write_summary_xlsx(other, context, tmp_path / "2.xlsx")
    assert body_values(tmp_path / "2.xlsx", other)[0][1] == "某集体（省级）"
    assert body_values(tmp_path / "1.xlsx", campaign)[0][1] == "某集体"


def test_values_equal_in_python_but_not_in_text_are_kept_apart(tmp_path: Path):
    """True == 1 == 1.0, yet a cell shows "True", "1" or "1.0": none is taken for another."""
    campaign = load_campaign("anju")
    for value, text in [(1, "1"), (True, "True"), (1.0, "1.0"), (1, "1")]:
        write_summary_xlsx(campaign, awkward_context(size=value), tmp_path / "s.xlsx")
        assert body_values(tmp_path / "s.xlsx", campaign)[0][4] == text


def test_rows_are_high_enough_for_their_wrapped_text(rendered):
    """LibreOffice and WPS do not grow rows: each header, body, note and contact row carries a
    height with room for its text wrapped at the column width (CJK characters two digits wide)."""
    campaign, context, ws = rendered
    layout = expected_layout(campaign, context)
    widths = column_widths(ws)
    for r, (kind, values) in enumerate(layout, start=1):
        if kind not in ("header", "body") and not (kind == "plain" and len(values) == 1):
            continue
        height = ws.row_dimensions[r].height
        assert height is not None, (r, kind)
        span = sum(widths.values()) if kind == "plain" else None
        for c, text in enumerate(values, start=1):
            room = (span or widths[c]) - 1
            wide = sum(2 if "\u2e80" <= ch <= "\uffef" else 1 for ch in str(text))
            lines = max(1, -(-wide // int(room))) if text else 1
            assert height >= lines * 15, (r, c, kind, text, height)


def test_a_long_cell_gets_a_row_of_several_lines(tmp_path: Path):
    campaign = load_campaign("anju")
    out = tmp_path / "s.xlsx"
    write_summary_xlsx(campaign, awkward_context(name="长春市朝阳区住房保障服务中心第十一分中心", remarks="备注"), out)
    ws = load_workbook(out).active
    row = body_row(ws, campaign)[0].row
    assert ws.row_dimensions[row].height >= 3 * 15        # 21 CJK characters in a 12-digit column

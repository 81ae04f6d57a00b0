"""The 社会组织党建 document set (djcn): an organisation and the rows of sheet 党员 that belong
to it — the member table over several pages, counts, rules on members and on their number."""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from awardforms.build.pipeline import Settings, render
from awardforms.campaigns.load import load_campaign
from awardforms.check.validate import check_workbook
from conftest import make_id
from samplebook import docx_text, fill_blank, rows_of, unit_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "djcn" / "长春市民政局-社会组织党建材料.xlsx"
ORGS = rows_of(SAMPLE, "社会组织")
MEMBERS = rows_of(SAMPLE, "党员")
UNIT = unit_of(SAMPLE)
BIG = "吉林省青少年科技教育基金会"


def book(tmp_path: Path, orgs=None, members=None, name="w.xlsx") -> Path:
    return fill_blank("djcn", tmp_path / name, UNIT, {"社会组织": ORGS if orgs is None else orgs,
                                                     "党员": MEMBERS if members is None else members})


def member(org: str, n: int, **changes) -> dict:
    row = {"社会组织名称": org, "姓名": f"党员{n}", "性别": "男", "民族": "汉族", "出生日期": "1980.05",
           "身份证号码": make_id("220102", "19800512", 100 + n, male=True), "学历": "大学本科",
           "人员类别": "正式党员", "入党时间": "2005.07", "转正时间": "2006.07",
           "党组织关系所在单位": "长春市朝阳区红旗街道社区党委", "在本组织职务": "干事", "专职或兼职": "专职",
           "联系电话": "13904310022"}
    row.update(changes)
    return row


def issues(path: Path, code: str) -> list[tuple]:
    return [(i.sheet, i.row, i.field, i.severity) for i in check_workbook(path).report.issues if i.code == code]


# ------------------------------------------------------------------ end to end

def test_sample_passes_check_without_quota_warning():
    sub = check_workbook(SAMPLE)
    assert sub.report.issues == []
    big = next(r for r in sub.records["社会组织"] if r.name == BIG)
    assert len(big.members["members"]) == 48


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("djcn")
    return render(book(tmp), Settings(out_dir=tmp / "out", force=True))


def folder(result, name: str) -> Path:
    entry = next(n for n in result.manifest["nominees"] if n["name"] == name)
    assert entry["status"] == "rendered" and entry["sheet"] == "社会组织"
    return result.out_dir / Path(entry["files"][0]).parent


def test_members_are_not_nominees_and_every_organisation_gets_both_documents(rendered):
    assert [n["sheet"] for n in rendered.manifest["nominees"]] == ["社会组织"] * 4
    for entry in rendered.manifest["nominees"]:
        assert {Path(f).name for f in entry["files"]} >= {"社会组织党建工作承诺书.docx", "社会组织党员情况调查表.docx"}
    text = docx_text(folder(rendered, BIG) / "社会组织党建工作承诺书.docx")
    assert "吉林省青少年科技教育基金会" in text and "孙立群" in text and "2024年3月1日" in text
    assert "其中正式党员36名、预备党员5名" in text


def member_table(path: Path):
    return Document(str(path)).tables[-1]


def test_member_table_has_a_row_per_member_and_a_repeated_header(rendered):
    path = folder(rendered, BIG) / "社会组织党员情况调查表.docx"
    table = member_table(path)
    assert len(table.rows) == 1 + 48
    header = table.rows[0]._tr
    assert header.trPr is not None and header.trPr.find(qn("w:tblHeader")) is not None
    assert all(r._tr.trPr is None or r._tr.trPr.find(qn("w:tblHeader")) is None for r in table.rows[1:])
    names = [m["姓名"] for m in MEMBERS if m["社会组织名称"] == BIG]
    assert [row.cells[1].text for row in table.rows[1:]] == names
    assert [row.cells[0].text for row in table.rows[1:]] == [str(n) for n in range(1, 49)]
    text = docx_text(path)
    assert "合计：正式党员36名，预备党员5名，发展对象3名，入党积极分子2名，入党申请人2名。" in text


def test_member_table_over_several_pages_repeats_its_header(rendered, tmp_path):
    from awardforms.assemble.convert import ConverterMissing, find_soffice
    try:
        find_soffice()
    except ConverterMissing:
        pytest.skip("LibreOffice not installed")
    from pypdf import PdfReader
    result = render(book(tmp_path), Settings(out_dir=tmp_path / "out", pdf=True))
    pdf = folder(result, BIG) / "社会组织党员情况调查表.pdf"
    pages = [p.extract_text() for p in PdfReader(str(pdf)).pages]
    assert len(pages) >= 3
    for text in pages:
        assert "党组织关系" in text and "身份证号码" in text      # the header row on every page


def test_organisation_without_members_says_none_and_is_listed_for_a_guide(rendered):
    path = folder(rendered, "长春市南关区幸福社区服务中心") / "社会组织党员情况调查表.docx"
    table = member_table(path)
    assert table.rows[-1].cells[0].text == "无" and len(table.rows) == 2
    summary = docx_text(rendered.out_dir / "社会组织党建情况汇总表.docx")
    listed = summary.split("二、需建立党组织或选派党建工作指导员的社会组织")[1]
    assert "长春市南关区幸福社区服务中心长春市南关区民政局" in summary
    assert "派驻党支部或选派党建工作指导员" in summary and "联合组建或挂靠组建党组织" in summary
    from openpyxl import load_workbook
    ws = load_workbook(rendered.out_dir / "社会组织党建情况汇总表.xlsx").active
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    big = next(r for r in rows if r[1] == BIG)
    assert big[5:10] == ["36", "5", "3", "2", "2"]
    assert listed        # the docx has the second list


# ------------------------------------------------------------------ rules

def test_member_naming_an_unknown_organisation(tmp_path):
    wb = book(tmp_path, members=[*MEMBERS, member("长春市不存在协会", 1)])
    found = issues(wb, "parent-unknown")
    assert found == [("党员", len(MEMBERS) + 3, "社会组织名称", "error")]


def test_member_with_an_error_stops_its_organisation(tmp_path):
    members = [dict(m) for m in MEMBERS]
    k = next(i for i, m in enumerate(members) if m["社会组织名称"] == "长春市朝阳区书法家协会")
    members[k]["联系电话"] = "123"
    sub = check_workbook(book(tmp_path, members=members))
    org = next(r for r in sub.records["社会组织"] if r.name == "长春市朝阳区书法家协会")
    assert org.has_errors
    found = [i for i in sub.report.issues if i.code == "member-has-errors"]
    assert [(i.sheet, i.row) for i in found] == [("社会组织", 4)] and f"第{k + 3}行" in found[0].message
    result = render(book(tmp_path, members=members, name="r.xlsx"), Settings(out_dir=tmp_path / "out"))
    status = {n["name"]: n["status"] for n in result.manifest["nominees"]}
    assert status["长春市朝阳区书法家协会"] == "invalid" and status[BIG] == "rendered"


def test_three_full_members_without_a_party_organisation_warns(tmp_path):
    org = dict(ORGS[2])          # 幸福社区服务中心: no party organisation, no member
    members = [*MEMBERS, *(member(org["社会组织名称"], n) for n in range(3))]
    found = issues(book(tmp_path, members=members), "should-found-party-org")
    assert found == [("社会组织", 5, "是否已建立党组织", "warning")]
    two = [*MEMBERS, *(member(org["社会组织名称"], n) for n in range(2)),
           member(org["社会组织名称"], 5, 人员类别="预备党员", 转正时间=None, 入党时间="2023.09")]
    assert issues(book(tmp_path, members=two, name="two.xlsx"), "should-found-party-org") == []


@pytest.mark.parametrize("changes,code,label,severity", [
    (dict(入党时间="1997.07", 转正时间="1998.07"), "joined-before-18", "出生日期", "error"),     # born 1980.05
    (dict(转正时间="2009.07"), "probation-length", "入党时间", "warning"),                        # 4 years
    (dict(转正时间="2006.03"), "probation-length", "入党时间", "warning"),                        # 8 months
    (dict(人员类别="预备党员"), "probationary-confirmed", "转正时间", "error"),
])
def test_member_rules(tmp_path, changes, code, label, severity):
    org = ORGS[2]["社会组织名称"]
    wb = book(tmp_path, members=[*MEMBERS, member(org, 1, **changes)])
    assert issues(wb, code) == [("党员", len(MEMBERS) + 3, label, severity)]


def test_extended_probation_of_a_year_is_fine(tmp_path):
    org = ORGS[2]["社会组织名称"]
    wb = book(tmp_path, members=[*MEMBERS, member(org, 1, 转正时间="2007.07")])
    assert issues(wb, "probation-length") == []


def test_every_member_rule(tmp_path, monkeypatch):
    """`every_member` (no djcn rule uses it): each member not meeting the condition is named."""
    sheet = load_campaign("djcn").sheet("社会组织")
    rule = {"type": "every_member", "members": "members", "where": {"field": "category", "equals": "正式党员"},
            "check": {"field": "fulltime", "equals": "专职"}, "when": {"field": "has_party_org", "equals": "是"},
            "severity": "warning", "code": "part-time-member", "message": "{parent}的正式党员{member}为兼职。"}
    monkeypatch.setattr(sheet, "rules", [*sheet.rules, rule])
    sub = check_workbook(book(tmp_path))
    found = [i for i in sub.report.issues if i.code == "part-time-member"]
    expected = [m for m in MEMBERS if m["人员类别"] == "正式党员" and m["专职或兼职"] == "兼职"
                and m["社会组织名称"] in (BIG, "长春市智慧养老服务协会")]
    assert len(found) == len(expected) > 0
    assert all(i.sheet == "党员" and i.field == "专职或兼职" for i in found)

"""The 社会组织 campaign (shzz): render both samples and read the .docx; rules on planted faults."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from stdnum.cn import uscc

from awardforms.campaigns.load import load_campaign
from awardforms.build.pipeline import Settings, render
from awardforms.check.validate import check_workbook

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "data" / "samples" / "shzz"
PROVINCE = SAMPLES / "全省性-吉林省民政厅.xlsx"
LOCAL = SAMPLES / "地方-吉林市.xlsx"


def docx_text(path: Path) -> str:
    """All text of a .docx (paragraphs and table cells, nested too), whitespace removed."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]

    def cells(tables):
        for t in tables:
            for row in t.rows:
                for c in row.cells:
                    parts.extend(p.text for p in c.paragraphs)
                    cells(c.tables)
    cells(doc.tables)
    return re.sub(r"\s+", "", "".join(parts))


def seal_labels(path: Path) -> list[str]:
    """Row labels (first column) of the form's main table, whitespace removed."""
    doc = Document(str(path))
    table = max(doc.tables, key=lambda t: len(t.rows))
    return [re.sub(r"\s+", "", row.cells[0].text) for row in table.rows]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = {}
    for sample in (PROVINCE, LOCAL):
        target = tmp_path_factory.mktemp("out") / sample.stem
        result = render(sample, Settings(out_dir=target, force=True))
        assert not result.submission.report.errors if hasattr(result.submission.report, "errors") else True
        out[sample.stem] = result
    return out


def nominee_dir(result, sheet: str, name: str) -> Path:
    entry = next(n for n in result.manifest["nominees"] if n["sheet"] == sheet and n["name"] == name)
    assert entry["status"] == "rendered"
    return result.out_dir / Path(entry["files"][0]).parent


def rows_of(path: Path, sheet: str) -> list[dict]:
    ws = load_workbook(path, read_only=True)[sheet]
    rows = list(ws.iter_rows(values_only=True))
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, r)) for r in rows[1:] if any(v not in (None, "") for v in r)]


# ------------------------------------------------------------------ samples

@pytest.mark.parametrize("sample", [PROVINCE, LOCAL])
def test_samples_pass_check(sample):
    sub = check_workbook(sample)
    errors = [i for i in sub.report.issues if i.severity == "error"]
    assert errors == []
    codes = {i.code for i in sub.report.issues}
    assert "quota-not-configured" in codes          # 附件2 not available: said, not silent


def test_every_nominee_rendered_with_its_forms(rendered):
    for result in rendered.values():
        for entry in result.manifest["nominees"]:
            assert entry["status"] == "rendered"
            names = {Path(f).name for f in entry["files"]}
            assert {"推荐审批表.docx", "征求意见表.docx", "事迹材料.docx"} <= names
            for f in entry["files"]:
                assert (result.out_dir / f).exists()
        assert {"推荐工作报告.docx", "推荐对象汇总表.docx", "推荐对象汇总表.xlsx"} <= set(result.manifest["files"])


# ------------------------------------------------------------------ seal chains per variant

def test_org_forms_seal_chains(rendered):
    prov_path = nominee_dir(rendered[PROVINCE.stem], "先进社会组织", "吉林省慈善总会") / "推荐审批表.docx"
    local_path = nominee_dir(rendered[LOCAL.stem], "先进社会组织", "吉林市物流协会") / "推荐审批表.docx"
    prov, local = docx_text(prov_path), docx_text(local_path)
    assert "附件3" in prov and "（全省性社会组织）" in prov
    assert "附件4" in local and "（地方社会组织）" in local
    seals = [s for s in seal_labels(prov_path) if s.endswith("意见")]
    assert seals == ["申报单位意见", "业务主管单位（行业管理部门）意见", "省民政厅审核意见",
                     "省评选表彰工作领导小组审批意见"]
    assert "县级民政" not in prov and "省人社厅（盖章）" in prov and "省民政厅（盖章）" in prov
    seals = [s for s in seal_labels(local_path) if s.endswith("意见")]
    assert seals == ["申报单位意见", "业务主管单位（行业管理部门）意见", "县级民政、人社部门审核意见",
                     "市（州）民政、人社部门审核意见", "省评选表彰工作领导小组审批意见"]
    assert "51220000508431927" in prov and "吉林省先进社会组织" in prov and "省级" in prov


@pytest.mark.parametrize("sample,name,mark,present,absent", [
    (PROVINCE, "王立新", "附件5", ["业务主管单位（行业管理部门）意见", "省民政厅审核意见", "从事社会组织工作起始时间"],
     ["县级民政、人社部门审核意见"]),
    (PROVINCE, "赵明远", "附件6", ["所在单位意见", "省民政厅审核意见"],
     ["业务主管单位（行业管理部门）意见", "县级民政、人社部门审核意见", "从事社会组织工作起始时间"]),
    (LOCAL, "刘淑珍", "附件7", ["业务主管单位（行业管理部门）意见", "县级民政、人社部门审核意见",
                               "市（州）民政、人社部门审核意见"], ["省民政厅审核意见"]),
    (LOCAL, "张宏伟", "附件8", ["县级民政、人社部门审核意见", "市（州）民政、人社部门审核意见"],
     ["省民政厅审核意见", "业务主管单位（行业管理部门）意见"]),
])
def test_person_forms_seal_chains(rendered, sample, name, mark, present, absent):
    path = nominee_dir(rendered[sample.stem], "先进个人", name) / "推荐审批表.docx"
    text = docx_text(path)
    labels = seal_labels(path)
    assert mark in text and name in text and "吉林省社会组织工作先进个人" in text
    assert labels[-1] == "省评选表彰工作领导小组审批意见" and "所在单位意见" in labels
    for s in present:
        assert s in labels, s
    for s in absent:
        assert s not in labels, s


# ------------------------------------------------------------------ 征求意见表

def test_org_consult_has_nine_departments(rendered):
    text = docx_text(nominee_dir(rendered[PROVINCE.stem], "先进社会组织", "吉林省慈善总会") / "征求意见表.docx")
    for dept in ("组织人事部门", "纪检监察机关", "统战部门", "公安部门", "财政部门", "人力资源和社会保障部门",
                 "市场监管部门", "税务部门", "工商联"):
        assert dept + "意见" in text
    assert "附件9" in text and "秘书长：王立新" in text


@pytest.mark.parametrize("sample,name,politics,expected", [
    (PROVINCE, "孙雅琴", "民盟盟员", True),
    (PROVINCE, "赵明远", "中共党员", False),
    (LOCAL, "周婉清", "无党派人士", True),
    (LOCAL, "张宏伟", "中共党员", False),
])
def test_united_front_block_only_for_democratic_parties(rendered, sample, name, politics, expected):
    path = nominee_dir(rendered[sample.stem], "先进个人", name) / "征求意见表.docx"
    text, labels = docx_text(path), seal_labels(path)
    assert "附件11" in text and politics in text
    assert labels[:3] == ["组织人事部门意见", "纪检监察机关意见", "公安部门意见"]
    assert ("统战部门意见" in labels) is expected
    assert "公安部门意见" in text and "{%" not in text


def test_person_in_org_gets_attachment_10(rendered):
    text = docx_text(nominee_dir(rendered[LOCAL.stem], "先进个人", "刘淑珍") / "征求意见表.docx")
    assert "附件10" in text and "统战部门意见" in text and "工商联意见" in text


# ------------------------------------------------------------------ 事迹材料, 汇总表

def test_deeds_document_titled_with_name(rendered):
    text = docx_text(nominee_dir(rendered[LOCAL.stem], "先进个人", "韩冬梅") / "事迹材料.docx")
    assert text.startswith("韩冬梅同志事迹材料")
    assert "简要事迹" in text and "主要事迹" in text
    org = docx_text(nominee_dir(rendered[LOCAL.stem], "先进社会组织", "吉林市物流协会") / "事迹材料.docx")
    assert org.startswith("吉林市物流协会事迹材料")


@pytest.mark.parametrize("sample", [PROVINCE, LOCAL])
def test_summary_lists_every_nominee(rendered, sample):
    text = docx_text(rendered[sample.stem].out_dir / "推荐对象汇总表.docx")
    for sheet, key in (("先进社会组织", "社会组织名称"), ("先进个人", "姓名")):
        for row in rows_of(sample, sheet):
            assert row[key] in text


# ------------------------------------------------------------------ 推荐工作报告

@pytest.mark.parametrize("sample", [PROVINCE, LOCAL])
def test_report_counts_match_rows(rendered, sample):
    text = docx_text(rendered[sample.stem].out_dir / "推荐工作报告.docx")
    orgs, persons = rows_of(sample, "先进社会组织"), rows_of(sample, "先进个人")
    assert f"共推荐吉林省先进社会组织{len(orgs)}个、吉林省社会组织工作先进个人{len(persons)}名" in text
    for rows, header, measure in ((orgs, "推荐类别", "个"), (orgs, "评估等级", "个"), (orgs, "社会组织类型", "个"),
                                  (persons, "推荐类别", "名"), (persons, "人员类别", "名"),
                                  (persons, "性别", "名"), (persons, "民族", "名"),
                                  (persons, "政治面貌", "名"), (persons, "干部级别", "名")):
        for value, n in Counter(r[header] for r in rows).items():
            share = f"{n / len(rows) * 100:.1f}%"
            joiner = "：" if value[-1].isascii() and value[-1].isalnum() else ""    # 5A：1个, not 5A1个
            assert f"{value}{joiner}{n}{measure}（占{share}）" in text, (header, value)
    assert re.search(r"[A-Za-z][0-9]+个（占", text) is None
    county = sum(1 for r in persons if r["干部级别"] == "县处级")
    assert f"县处级{county}名" in text
    wb = load_workbook(sample, read_only=True)
    first_line = str(wb["推荐工作报告"]["B1"].value).splitlines()[0].strip()
    assert re.sub(r"\s+", "", first_line) in text           # the clerk's 推荐工作组织情况
    unit = dict(wb["推荐单位"].iter_rows(values_only=True, max_col=2))
    assert f"手机号：{unit['联系电话']}" in text and unit["联系人"] in text


# ------------------------------------------------------------------ planted faults

def plant(tmp_path: Path, sample: Path, sheet: str, row: int, changes: dict) -> Path:
    """Copy `sample`, set cells of data row `row` (Excel row number) by header; return the copy."""
    target = tmp_path / sample.name
    if not target.exists():
        shutil.copy(sample, target)
    wb = load_workbook(target)
    ws = wb[sheet]
    head = {c.value: c.column for c in ws[1]}
    for header, value in changes.items():
        ws.cell(row, head[header]).value = value    # (cell(r, c, None) would not clear it)
    wb.save(target)
    return target


def issues(path: Path, code: str):
    return [i for i in check_workbook(path).report.issues if i.code == code]


def column_of(sample: Path, sheet: str, header: str) -> str:
    from openpyxl.utils import get_column_letter
    ws = load_workbook(sample, read_only=True)[sheet]
    head = [c for c in next(ws.iter_rows(values_only=True))]
    return get_column_letter(head.index(header) + 1)


@pytest.mark.parametrize("sheet,row,changes,code,severity,header", [
    ("先进社会组织", 3, {"评估等级": "3A"}, "rating-below-4a", "warning", "评估等级"),
    ("先进社会组织", 2, {"评估等级": None}, "required", "error", "评估等级"),
    ("先进社会组织", 2, {"评估等级有效期至": "2023.06"}, "rating-expired", "warning", "评估等级有效期至"),
    ("先进社会组织", 2, {"何时何地受过何种奖励": "2016年12月 被民政部评为全国先进社会组织"},
     "national-award-holder", "error", "何时何地受过何种奖励"),
    ("先进社会组织", 2, {"统一社会信用代码": "51220000508431928"}, "uscc-invalid", "error", "统一社会信用代码"),
    ("先进社会组织", 2, {"统一社会信用代码": "91220101" + "MA0Y3K4L2" + uscc.calc_check_digit("91220101MA0Y3K4L2")},
     "uscc-not-social-org", "error", "统一社会信用代码"),
    ("先进社会组织", 2, {"主要事迹": "该会坚持服务群众。" * 180}, "too-many-words", "error", "主要事迹"),
    ("先进社会组织", 2, {"简要事迹": "该会坚持服务群众，成效明显。" * 40}, "words-off-target", "warning", "简要事迹"),
    ("先进社会组织", 3, {"会员数": None}, "required", "error", "会员数"),
    ("先进个人", 2, {"从事社会组织工作起始时间": "2021.03"}, "service-years", "error", "从事社会组织工作起始时间"),
    ("先进个人", 3, {"职务": "副厅长"}, "level-too-high", "error", "职务"),
    ("先进个人", 2, {"性别": "女"}, "id-gender-mismatch", "error", "性别"),
    ("先进个人", 4, {"人员类别": "社会组织负责人"}, "staff-type-mismatch", "error", "人员类别"),
    ("先进个人", 2, {"从事社会组织工作起始时间": None}, "required", "error", "从事社会组织工作起始时间"),
])
def test_planted_fault(tmp_path, sheet, row, changes, code, severity, header):
    path = plant(tmp_path, PROVINCE, sheet, row, changes)
    found = issues(path, code)
    assert found, f"no {code}"
    cell = f"{sheet}!{column_of(PROVINCE, sheet, header)}{row}"
    assert any(i.severity == severity and i.cell == cell for i in found), [(i.cell, i.message) for i in found]


def test_min_years_only_for_org_staff(tmp_path):
    # 省直部门 staff (row 4, 赵明远) have no 5-year rule and need no 起始时间
    path = plant(tmp_path, PROVINCE, "先进个人", 4, {"从事社会组织工作起始时间": "2022.01"})
    assert not [i for i in issues(path, "service-years") if i.row == 4]


def test_duplicate_id_number(tmp_path):
    ws = load_workbook(PROVINCE, read_only=True)["先进个人"]
    first_id = list(ws.iter_rows(values_only=True))[1][10]
    path = plant(tmp_path, PROVINCE, "先进个人", 3, {"身份证号码": first_id})
    assert any(i.row == 3 and i.severity == "error" for i in issues(path, "duplicate-id"))


def test_cadre_level_shares(tmp_path):
    path = plant(tmp_path, LOCAL, "先进个人", 2, {"干部级别": "县处级"})
    found = issues(path, "county-level-share")            # 1 of 4 = 25 % > 15 %
    assert found and found[0].row is None and found[0].severity == "warning"
    path = plant(tmp_path, LOCAL, "先进个人", 3, {"干部级别": "县级党委管理的科级"})
    found = issues(path, "section-level-share")           # 2 of 4 = 50 % > 25 %
    assert found and found[0].severity == "warning"
    assert not issues(LOCAL, "section-level-share")       # the sample: 1 of 4 = 25 %, allowed


def test_work_report_required(tmp_path):
    target = tmp_path / PROVINCE.name
    shutil.copy(PROVINCE, target)
    wb = load_workbook(target)
    del wb["推荐工作报告"]
    wb.save(target)
    found = [i for i in issues(target, "required") if i.field == "推荐工作组织情况"]
    assert found and found[0].severity == "error"


@pytest.mark.parametrize("b1", [None, "报告/组织情况.txt"])
def test_work_report_issue_names_its_own_cell(tmp_path, b1):
    """An empty or unusable 推荐工作报告!B1 was reported at 推荐单位!B1 (the 评选表彰项目 cell) or
    as a missing 推荐单位 row, though the blank has the sheet: the issue and its comment are at B1."""
    from samplebook import run
    target = tmp_path / PROVINCE.name
    shutil.copy(PROVINCE, target)
    wb = load_workbook(target)
    wb["推荐工作报告"]["B1"] = b1
    wb.save(target)
    found = [i for i in check_workbook(target).report.issues if i.field == "推荐工作组织情况"]
    assert [(i.sheet, i.row, i.column, i.severity) for i in found] == [("推荐工作报告", 1, "B", "error")]
    assert (found[0].code == "required") == (b1 is None)
    run("check", str(target), "-o", str(tmp_path / "out"))
    annotated = load_workbook(tmp_path / "out" / f"{target.stem}.校验结果.xlsx")
    assert "推荐工作组织情况" in annotated["推荐工作报告"]["B1"].comment.text
    assert annotated["推荐单位"]["B1"].comment is None


def test_work_report_from_unit_sheet_row(tmp_path):
    """Without sheet 推荐工作报告, a row 推荐工作组织情况 on 推荐单位 (blanks made before issue 15) is read."""
    target = tmp_path / PROVINCE.name
    shutil.copy(PROVINCE, target)
    wb = load_workbook(target)
    del wb["推荐工作报告"]
    wb["推荐单位"].append(["推荐工作组织情况", "我厅成立评选推荐工作组，严格按程序推荐。"])
    wb.save(target)
    sub = check_workbook(target)
    assert sub.unit.display["work_report"] == "我厅成立评选推荐工作组，严格按程序推荐。"


def test_quota_table_is_empty_data():
    campaign = load_campaign("shzz")
    assert campaign.quotas == {}
    header = (ROOT / "data" / "campaigns" / "shzz" / "quotas.csv").read_text(encoding="utf-8").strip()
    assert header == "所属地区,先进社会组织,先进个人"

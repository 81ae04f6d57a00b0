"""The 促进就业创业和农民工工作 campaign (jiuye): init -> fill -> check -> render, the opinion
blocks per nominee type, and one failing row per rule of the notice."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from docx import Document

from awardforms.build.pipeline import Settings, render
from awardforms.campaigns.load import load_campaign
from awardforms.check.validate import check_workbook
from conftest import make_id
from samplebook import docx_text, fill_blank, first_column, rows_of, unit_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "jiuye" / "长春市促进就业创业和农民工工作推荐.xlsx"
COLLECTIVES = rows_of(SAMPLE, "先进集体")
PERSONS = rows_of(SAMPLE, "先进个人")
UNIT = unit_of(SAMPLE)


def book(tmp_path: Path, collectives=None, persons=None, name="w.xlsx") -> Path:
    if not (tmp_path / "照片").exists():
        shutil.copytree(SAMPLE.parent / "照片", tmp_path / "照片")
    return fill_blank("jiuye", tmp_path / name, UNIT, {
        "先进集体": COLLECTIVES if collectives is None else collectives,
        "先进个人": PERSONS if persons is None else persons})


def with_person(i: int, **changes) -> list[dict]:
    rows = [dict(r) for r in PERSONS]
    rows[i].update(changes)
    return rows


def with_collective(i: int, **changes) -> list[dict]:
    rows = [dict(r) for r in COLLECTIVES]
    rows[i].update(changes)
    return rows


# ------------------------------------------------------------------ the sample, end to end

def test_sample_passes_check_and_says_the_quota_table_is_missing():
    sub = check_workbook(SAMPLE)
    assert [i for i in sub.report.issues if i.severity == "error"] == []
    assert {i.code for i in sub.report.issues} == {"quota-not-configured"}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("jiuye")
    wb = book(tmp)
    return render(wb, Settings(out_dir=tmp / "out", force=True))


def folder(result, sheet: str, name: str) -> Path:
    entry = next(n for n in result.manifest["nominees"] if n["sheet"] == sheet and n["name"] == name)
    assert entry["status"] == "rendered"
    return result.out_dir / Path(entry["files"][0]).parent


def test_init_fill_render_writes_every_form_with_the_values(rendered):
    assert rendered.submission.report.valid
    assert len(rendered.manifest["nominees"]) == 8
    person = docx_text(folder(rendered, "先进个人", "赵铁柱") / "推荐审批表.docx")
    for text in ("吉林省促进就业创业和农民工工作先进个人", "赵铁柱", "220182198503210198", "一线农民工或农民企业家",
                 "农村", "2004.03", "吉林省建工集团有限公司", "长春市人力资源和社会保障局"):
        assert text in person, text
    collective = docx_text(folder(rendered, "先进集体", "吉林省鑫达建筑劳务有限公司") / "推荐审批表.docx")
    assert "2012.04" in collective and "民营企业" in collective and "农民工工作" in collective
    summary = docx_text(rendered.out_dir / "推荐对象汇总表.docx")
    assert "先进集体共4个：促进就业创业2个（占50.0%）、农民工工作2个（占50.0%）" in summary
    assert (rendered.out_dir / "推荐对象汇总表.xlsx").exists()
    assert any(f.endswith("推荐材料.zip") for f in [rendered.assembly.bundle])


def test_person_form_carries_the_photo(rendered):
    doc = Document(str(folder(rendered, "先进个人", "张晓梅") / "推荐审批表.docx"))
    assert len(doc.inline_shapes) == 1


# ------------------------------------------------------------------ 征求意见表: blocks by type

def blocks(result, sheet: str, name: str) -> list[str]:
    rows = first_column(folder(result, sheet, name) / "征求意见表.docx")
    assert rows[0] == "征求意见部门"
    return [t.removesuffix("意见") for t in rows[1:]]


@pytest.mark.parametrize("sheet,name,expected", [
    ("先进集体", "长春市就业服务局", ["公安部门", "组织人事部门", "纪检监察机关"]),                  # 事业单位
    ("先进集体", "吉林省鑫达建筑劳务有限公司", ["公安部门", "生态环境部门", "人力资源社会保障部门", "税务部门",
                                        "市场监管部门", "应急管理部门", "企业注册地统战部门", "企业注册地工商联"]),
    ("先进集体", "长春城投物业服务有限公司", ["公安部门", "生态环境部门", "人力资源社会保障部门", "税务部门",
                                      "市场监管部门", "应急管理部门"]),                            # 国有企业
    ("先进集体", "长春市青年创业促进会", ["公安部门", "注册地民政部门"]),                              # 社会组织
    ("先进个人", "张晓梅", ["公安部门", "组织人事部门", "纪检监察机关"]),                              # 事业单位
    ("先进个人", "王海", ["公安部门", "组织人事部门", "纪检监察机关"]),                                # 机关
    ("先进个人", "李春生", ["公安部门", "生态环境部门", "人力资源社会保障部门", "税务部门", "市场监管部门",
                        "应急管理部门", "企业注册地统战部门", "企业注册地工商联"]),                   # 民营企业负责人
    ("先进个人", "赵铁柱", ["公安部门"]),                                                          # 企业职工
])
def test_opinion_blocks_follow_the_nominee_type(rendered, sheet, name, expected):
    assert blocks(rendered, sheet, name) == expected


def test_state_owned_enterprise_head_gets_no_united_front_block(tmp_path):
    persons = with_person(1, 企业类型="国有企业")
    result = render(book(tmp_path, persons=persons), Settings(out_dir=tmp_path / "out"))
    got = blocks(result, "先进个人", "李春生")
    assert "企业注册地统战部门" not in got and "税务部门" in got


# ------------------------------------------------------------------ one failing row per rule

@pytest.mark.parametrize("changes,code,column_label", [
    # 二(三): 18-60 周岁 on the reference date (2023-06-30): born 1962-06 is 61
    (dict(身份证号码=make_id("220122", "19620612", 31, male=False), 出生日期="1962.06"), "age-out-of-range", "身份证号码"),
    (dict(身份证号码=make_id("220122", "20060105", 31, male=False), 出生日期="2006.01",
          参加工作时间="2023.01", 个人简历="2021.09--2023.01 长春市第二中学学习\n2023.01--至今 长春市朝阳区就业服务中心工作",
          从事本项工作起始时间=None, 从事本项工作累计年限=6), "age-out-of-range", "身份证号码"),
    # 二(三)1(2): 连续满3年 or 累计满5年
    (dict(从事本项工作起始时间="2021.03"), "service-years", "从事本项工作起始时间"),
    (dict(从事本项工作起始时间=None, 从事本项工作累计年限=4), "service-years", "从事本项工作起始时间"),
    (dict(推荐类别="农民工工作"), "staff-type-mismatch", "人员类别"),
    (dict(何时何地受过何种处分="2019年3月 受到党内警告处分"), "punished-since", "何时何地受过何种处分"),
    (dict(行政级别="厅局级"), "level-too-high", "行政级别"),
    (dict(职务职级="副厅长"), "level-too-high", "职务职级"),
    (dict(何时何地受过何种奖励="2019年 被人力资源社会保障部评为全国促进就业创业先进个人"), "national-honour",
     "何时何地受过何种奖励"),
    (dict(何时何地受过何种奖励="2018年 获省政府记大功奖励并享受省级劳动模范待遇"), "honour-with-benefits",
     "何时何地受过何种奖励"),
])
def test_person_rules(tmp_path, changes, code, column_label):
    sub = check_workbook(book(tmp_path, persons=with_person(0, **changes)))
    found = [i for i in sub.report.issues if i.code == code]
    assert [(i.sheet, i.row, i.field, i.severity) for i in found] == [("先进个人", 3, column_label, "error")], \
        [(i.code, i.message) for i in sub.report.issues]
    assert sub.records["先进个人"][0].has_errors


def test_age_limits_are_inclusive(tmp_path):
    # 60 周岁 on 2023-06-30 (born 1963-06-30) may be nominated; 61 the day after may not
    ok = with_person(0, 身份证号码=make_id("220122", "19630630", 31, male=False), 出生日期="1963.06")
    assert "age-out-of-range" not in {i.code for i in check_workbook(book(tmp_path, persons=ok)).report.issues}
    old = with_person(0, 身份证号码=make_id("220122", "19620629", 31, male=False), 出生日期="1962.06")
    assert "age-out-of-range" in {i.code for i in check_workbook(book(tmp_path, persons=old, name="o.xlsx")).report.issues}


@pytest.mark.parametrize("changes,code,label", [
    (dict(户籍类型="城镇"), "migrant-hukou", "户籍类型"),
    (dict(是否全日制高校毕业生="是"), "migrant-graduate", "是否全日制高校毕业生"),
    (dict(进城务工起始时间="2021.01"), "migrant-years", "进城务工起始时间"),
])
def test_frontline_migrant_worker_rules(tmp_path, changes, code, label):
    sub = check_workbook(book(tmp_path, persons=with_person(3, **changes)))
    found = [(i.row, i.field, i.severity) for i in sub.report.issues if i.code == code]
    assert found == [(6, label, "error")]


@pytest.mark.parametrize("changes,code,label", [
    (dict(成立日期="2021-05-18"), "enterprise-too-young", "成立日期"),
    (dict(集体级别="副厅级"), "level-too-high", "集体级别"),
    (dict(何时何地受过何种处分="2021年 受到行政处罚"), "punished-since", "何时何地受过何种处分"),
    (dict(何时何地受过何种奖励="2020年 被国务院评为全国农民工工作先进集体"), "national-honour", "何时何地受过何种奖励"),
])
def test_collective_rules(tmp_path, changes, code, label):
    sub = check_workbook(book(tmp_path, collectives=with_collective(1, **changes)))
    found = [(i.sheet, i.row, i.field, i.severity) for i in sub.report.issues if i.code == code]
    assert found == [("先进集体", 4, label, "error")]


def test_the_same_person_twice_in_either_category(tmp_path):
    twin = dict(PERSONS[2], 姓名="王海（重复）", 推荐类别="农民工工作")
    sub = check_workbook(book(tmp_path, persons=[*PERSONS, twin]))
    assert [(i.row, i.code) for i in sub.report.issues if i.code == "duplicate-id"] == [(7, "duplicate-id")]


def test_same_unit_as_collective_and_person_warns_on_both_rows(tmp_path):
    persons = with_person(0, 工作单位="长春市就业服务局职业介绍中心")
    sub = check_workbook(book(tmp_path, persons=persons))
    found = sorted((i.sheet, i.row, i.severity) for i in sub.report.issues if i.code == "same-unit")
    assert found == [("先进个人", 3, "warning"), ("先进集体", 3, "warning")]
    assert sub.report.valid


def test_county_level_share_above_20_percent_warns(tmp_path):
    persons = with_person(0, 行政级别="县处级")
    persons[2]["行政级别"] = "县处级"          # 2 of 4: 50 %
    found = [i for i in check_workbook(book(tmp_path, persons=persons)).report.issues if i.code == "county-level-share"]
    assert len(found) == 1 and found[0].severity == "warning" and "50%" in found[0].message


def test_quota_ratio_150_to_200_percent(tmp_path, monkeypatch):
    campaign = load_campaign("jiuye")
    # 长春市: 先进集体 quota 4 -> 6..8 wanted, 4 sent: error; 先进个人 quota 2 -> 3..4, 4 sent: fine
    monkeypatch.setattr(campaign, "quotas", {"长春市": {"先进集体": 4, "先进个人": 2}})
    sub = check_workbook(book(tmp_path))
    found = [(i.sheet, i.row, i.severity) for i in sub.report.issues if i.code == "quota-ratio"]
    assert found == [("先进集体", None, "error")]
    message = next(i.message for i in sub.report.issues if i.code == "quota-ratio")
    assert "推荐了4个" in message and "6–8个" in message
    codes = {i.code for i in sub.report.issues}
    assert "quota-exceeded" not in codes and "quota-not-configured" not in codes   # 4 > 2 is no excess here

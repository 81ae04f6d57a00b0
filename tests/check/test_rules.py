"""The anju rules from the 工作方案, each planted in an otherwise valid workbook."""

from __future__ import annotations

from pathlib import Path

from awardforms.build.pipeline import check
from conftest import UNIT, collective, make_id, person, write_workbook


def issues(path: Path):
    return {(i.sheet, i.row, i.column, i.code, i.severity) for i in check(path).report.issues}


def codes(path: Path):
    return {i.code for i in check(path).report.issues}


def test_valid_workbook_has_no_issues(small_workbook: Path):
    # the fixture has no photos: only the "no photo" warnings (photos.py) are expected
    assert [i for i in check(small_workbook).report.issues if i.code != "photo-missing"] == []


def test_quota_per_region(tmp_path: Path):
    # 四平市: 5 先进集体, 6 先进个人 (附件1-2)
    unit = dict(UNIT, 所属地区="四平市")
    wb = write_workbook(tmp_path / "w.xlsx", [collective(n) for n in range(6)], [person(n) for n in range(6)], unit=unit)
    found = [i for i in check(wb).report.issues if i.code == "quota-exceeded"]
    assert len(found) == 1
    assert found[0].sheet == "先进集体" and found[0].row is None and "名额5个" in found[0].message


def test_quota_for_provincial_unit_and_unknown_region(tmp_path: Path):
    # 省审计厅: 2 / 2 (附件1-3); a third person exceeds it
    unit = dict(UNIT, 所属地区="省审计厅")
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(n) for n in range(3)], unit=unit)
    assert ("先进个人", None, None, "quota-exceeded", "error") in issues(wb)
    wb = write_workbook(tmp_path / "w2.xlsx", [collective(0)], [person(0)], unit=dict(UNIT, 所属地区="火星市"))
    assert ("推荐单位", 3, "B", "unknown-region", "error") in issues(wb)


def test_four_years_of_service(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)],
                        [person(0, 从事保障性安居工程工作起始时间="2018.07"), person(1, 从事保障性安居工程工作起始时间="2018.06")])
    found = [i for i in check(wb).report.issues if i.code == "service-years"]
    assert [(i.row, i.severity) for i in found] == [(2, "error")]     # 2018.06 is exactly 4 years


def test_county_level_share_is_a_warning(tmp_path: Path):
    persons = [person(n, 行政级别="县处级" if n < 2 else "乡科级") for n in range(5)]   # 40 %
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], persons)
    sub = check(wb)
    found = [i for i in sub.report.issues if i.code == "county-level-share"]
    assert len(found) == 1 and found[0].severity == "warning" and "40%" in found[0].message
    assert sub.report.valid
    ok = write_workbook(tmp_path / "ok.xlsx", [collective(0)], [person(n, 行政级别="县处级" if n < 1 else "乡科级") for n in range(5)])
    assert "county-level-share" not in codes(ok)


def test_housing_org_share_of_quota(tmp_path: Path):
    # 四平市 先进集体 quota 5: 3 住建系统机关 collectives exceed 50 %
    unit = dict(UNIT, 所属地区="四平市")
    wb = write_workbook(tmp_path / "w.xlsx", [collective(n, 是否住建系统机关="是") for n in range(3)], [person(0)], unit=unit)
    assert ("先进集体", None, None, "housing-org-share", "warning") in issues(wb)


def test_level_too_high_and_punishment_since_2018(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx",
                        [collective(0, 集体级别="副厅级"), collective(1, 何时何地受过何种处分="2019年5月 受到通报批评")],
                        [person(0, 职务职级="副厅长")])
    found = issues(wb)
    assert ("先进集体", 2, "C", "level-too-high", "error") in found
    assert ("先进集体", 3, "M", "punished-since", "error") in found
    assert ("先进个人", 2, "K", "level-too-high", "error") in found


def test_duplicate_id_number(tmp_path: Path):
    twin = person(1, 身份证号码=person(0)["身份证号码"])
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0), twin])
    found = [i for i in check(wb).report.issues if i.code == "duplicate-id"]
    assert [(i.row, i.column) for i in found] == [(3, "I")] and "第2行" in found[0].message


def test_id_number_agrees_with_gender_and_birth(tmp_path: Path):
    male_id = make_id("220102", "19780512", 40, male=True)
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)],
                        [person(0, 身份证号码=male_id), person(1, 出生日期="1979.05")])
    found = issues(wb)
    assert ("先进个人", 2, "B", "id-gender-mismatch", "error") in found
    assert ("先进个人", 3, "E", "id-birth-mismatch", "error") in found


def test_pre_1983_changchun_number_is_accepted(tmp_path: Path):
    # 220102 (南关区) for a person born in 1965: stdnum's validate() rejects it, we must not
    idn = make_id("220102", "19650304", 7, male=False)
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)],
                        [person(0, 身份证号码=idn, 出生日期="1965.03", 参加工作时间="1985.07",
                                个人简历="1981.09--1985.07 吉林建筑工程学院学习\n1985.07--至今 长春市住房保障和房屋管理局工作")])
    assert [i for i in check(wb).report.issues if i.code != "photo-missing"] == []


def test_required_when_enterprise(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 集体类型="企业")], [person(0, 是否企业负责人="是")])
    found = [i for i in check(wb).report.issues if i.code == "required"]
    assert {(i.sheet, i.field) for i in found} == {("先进集体", "企业类型"), ("先进个人", "企业类型")}
    assert all("企业" in i.message for i in found)


def test_word_limits(tmp_path: Path):
    long_intro = "该中心负责住房保障工作。" * 30          # 12 × 30 = 360 字 > 300
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 基本情况介绍=long_intro)], [person(0, 主要事迹="事迹" * 401)])
    found = {(i.sheet, i.field, i.code, i.severity) for i in check(wb).report.issues}
    assert ("先进集体", "基本情况介绍", "too-many-words", "error") in found
    assert ("先进个人", "主要事迹", "too-many-words", "error") in found       # 802 > 800, 左右 but capped


def test_months_in_many_spellings_are_normalised(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)],
                        [person(0, 参加工作时间="2000年7月", 从事保障性安居工程工作起始时间="2012-03")])
    rec = check(wb).records["先进个人"][0]
    assert rec.display["work_start"] == "2000.07" and rec.display["housing_start"] == "2012.03"


def test_region_must_reach_county_level(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 所在行政区划="吉林省长春市")], [person(0, 籍贯="山东省莱州市")])
    found = issues(wb)
    assert ("先进集体", 2, "E", "region-not-county", "error") in found
    assert not any(i[0] == "先进个人" and i[3] != "photo-missing" for i in found)


def test_empty_choice_cell_is_told_the_choices(tmp_path: Path):
    """An empty required dropdown cell: the fix lists the values to pick (it was the field's
    note alone, which for some fields only explains the field)."""
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 集体类型="")], [person(0)])
    found = [i for i in check(wb).report.issues if i.code == "required" and i.field == "集体类型"]
    assert len(found) == 1 and (found[0].sheet, found[0].column) == ("先进集体", "B")
    assert found[0].fix.startswith("请从下拉列表中选择：机关、参公单位、事业单位、社会组织、企业、其他。")

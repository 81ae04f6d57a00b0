"""The 党建创新示范基地 document set (djjd): init -> fill -> check -> render, the 自评报告's
sections in order, and one failing row per eligibility rule."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from awardforms.build.pipeline import Settings, render
from awardforms.check.validate import check_workbook
from samplebook import docx_text, fill_blank, rows_of, unit_of

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "data" / "samples" / "djjd" / "省级社会组织党建创新示范基地申报.xlsx"
APPLICANTS = rows_of(SAMPLE, "申报单位")
UNIT = unit_of(SAMPLE)


def book(tmp_path: Path, rows=None, name="w.xlsx") -> Path:
    if not (tmp_path / "自评报告").exists():
        shutil.copytree(SAMPLE.parent / "自评报告", tmp_path / "自评报告")
    return fill_blank("djjd", tmp_path / name, UNIT, {"申报单位": APPLICANTS if rows is None else rows})


def changed(i: int, **changes) -> list[dict]:
    rows = [dict(r) for r in APPLICANTS]
    rows[i].update(changes)
    return rows


def test_sample_passes_check():
    assert check_workbook(SAMPLE).report.issues == []


def test_render_writes_application_report_and_summary(tmp_path):
    result = render(book(tmp_path), Settings(out_dir=tmp_path / "out"))
    assert [n["status"] for n in result.manifest["nominees"]] == ["rendered"] * 3
    folder = result.out_dir / "申报单位" / "002-吉林省青少年发展基金会"
    report = docx_text(folder / "自评报告.docx")
    headings = ["一、党组织建设规范", "二、党员队伍建设好", "三、组织活动内容丰富", "四、社会组织业绩突出", "附件：佐证材料清单"]
    positions = [report.index(h) for h in headings]
    assert positions == sorted(positions)
    assert "杨靖宇烈士陵园" in report                      # the section read from its .txt file
    assert report.endswith("4.近三年审计报告5.社会组织评估等级证书（5A）")
    letter = docx_text(folder / "创建申请.docx")
    assert "中共吉林省社会组织联合委员会" in letter and "评估等级为5A（有效期至2025.06）" in letter
    assert "近三年未受到行政处罚" in letter and "2021年7月8日" in letter
    summary = docx_text(result.out_dir / "申报汇总表.docx")
    assert "吉林省养老服务业协会" in summary and "吉林省社会工作服务中心" in summary
    # an application, not a nomination: the package says so (campaign.toml package_name)
    assert result.assembly.bundle.endswith("-党建创新示范基地创建申报-申报材料.zip")
    assert (result.out_dir / result.assembly.bundle).is_file()
    assert not list(result.out_dir.glob("*推荐材料*.zip"))


@pytest.mark.parametrize("changes,code,label,severity", [
    (dict(评估等级="2A"), "rating-below-3a", "评估等级", "error"),
    (dict(评估等级有效期至="2021.06"), "rating-expired", "申报日期", "error"),        # 申报 2021-07-05
    (dict(近三年年检结论="合格、基本合格、合格"), "annual-check-failed", "近三年年检结论", "error"),
    (dict(近三年年检结论="合格、合格"), "annual-check-format", "近三年年检结论", "error"),
    (dict(近三年是否受到行政处罚="是"), "penalised", "近三年是否受到行政处罚", "error"),
    (dict(党组织上次换届时间="2016.05"), "election-overdue", "党组织上次换届时间", "warning"),
    (dict(申报日期=dt.date(2021, 7, 12)), "late-application", "申报日期", "warning"),
    (dict(组织活动内容丰富=None), "required", "组织活动内容丰富", "error"),
])
def test_eligibility_rules(tmp_path, changes, code, label, severity):
    sub = check_workbook(book(tmp_path, changed(0, **changes)))
    found = [(i.row, i.field, i.severity) for i in sub.report.issues if i.code == code]
    assert found == [(3, label, severity)], [(i.code, i.message) for i in sub.report.issues]


def test_rating_valid_through_the_month_of_application_and_deadline_day_are_fine(tmp_path):
    rows = changed(0, 评估等级有效期至="2021.07", 申报日期=dt.date(2021, 7, 10), 党组织上次换届时间="2016.07")
    codes = {i.code for i in check_workbook(book(tmp_path, rows)).report.issues}
    assert not codes & {"rating-expired", "late-application", "election-overdue"}

"""jiuye at the level above: each region's nominees, summed over its submissions, must be 150–200 %
of its quota (通知四(五)); the rule is campaign data ([[collect.ratios]]), the quota table a file
the office fills in (here in a campaigns folder of its own, as an office would)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from awardforms.campaigns.load import load_campaign
from awardforms.collect.run import collect

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "jiuye" / "长春市促进就业创业和农民工工作推荐.xlsx"


@pytest.fixture
def office(tmp_path, monkeypatch):
    """jiuye from a folder of the office's, with 长春市's quota filled in; the sample inbox."""
    def with_quota(collectives: int, persons: int) -> Path:
        folder = tmp_path / f"campaigns-{collectives}-{persons}"
        shutil.copytree(ROOT / "data" / "campaigns" / "jiuye", folder / "jiuye")
        (folder / "jiuye" / "quotas.csv").write_text(
            f"所属地区,先进集体,先进个人,说明\n长春市,{collectives},{persons},\n", encoding="utf-8")
        monkeypatch.setenv("AWARDFORMS_CAMPAIGNS", str(folder))
        load_campaign.cache_clear()
        return folder
    inbox = tmp_path / "inbox"
    shutil.copytree(SAMPLE.parent, inbox)
    yield with_quota, inbox
    load_campaign.cache_clear()


def _ratio_issues(result) -> list[dict]:
    return [i for i in result.data["issues"] if i["code"] == "region-quota-ratio"]


def test_a_region_below_150_percent_of_its_quota_is_an_error(office, tmp_path):
    with_quota, inbox = office
    with_quota(4, 4)                  # 4 nominees each: 100 % of the quota, 6–8 wanted
    result = collect([inbox], tmp_path / "out")
    issues = _ratio_issues(result)
    assert {i["sheet"] for i in issues} == {"先进集体", "先进个人"}
    assert all(i["severity"] == "error" and "6–8" in i["message"] and "长春市" in i["message"]
               for i in issues)
    rows = {(q["region"], q["sheet"]): q for q in result.data["quota"]}
    assert (rows[("长春市", "先进集体")]["min"], rows[("长春市", "先进集体")]["max"]) == (6, 8)
    assert result.exit_code == 1


def test_a_region_within_150_to_200_percent_passes(office, tmp_path):
    with_quota, inbox = office
    with_quota(2, 2)                  # 4 of a quota of 2: 200 %, the upper bound
    result = collect([inbox], tmp_path / "out")
    assert _ratio_issues(result) == []

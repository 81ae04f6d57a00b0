"""Campaign definitions are data, checked when loaded."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from awardforms.campaigns import load as campaign_mod
from awardforms.campaigns.load import campaign_ids, load_campaign
from awardforms.errors import CampaignDefinitionError, UnusableInput


def test_anju_definition():
    c = load_campaign("anju")
    assert [s.name for s in c.sheets] == ["先进集体", "先进个人"]
    assert c.quotas["长春市"] == {"先进集体": 20, "先进个人": 22}
    assert c.quotas["省财政厅"] == {"先进集体": 3, "先进个人": 4}
    assert sum(v["先进集体"] for v in c.quotas.values()) == 96 + 30
    assert sum(v["先进个人"] for v in c.quotas.values()) == 107 + 28
    person = c.sheet("先进个人")
    assert person.field("deeds").word_limit == 800 and person.field("deeds").word_mode == "左右"
    assert "汉族" in person.field("ethnicity").choices and len(person.field("ethnicity").choices) >= 56


def test_every_campaign_loads():
    for cid in campaign_ids():
        assert load_campaign(cid).id == cid


@pytest.fixture
def data_copy(tmp_path: Path, monkeypatch):
    """A copy of data/ that a test may break, with the loader pointed at it."""
    data = tmp_path / "data"
    shutil.copytree(campaign_mod.DATA_DIR, data)
    monkeypatch.setattr(campaign_mod, "DATA_DIR", data)
    load_campaign.cache_clear()
    yield data
    load_campaign.cache_clear()


def test_quota_totals_must_add_up(data_copy: Path):
    csv = data_copy / "campaigns/anju/quotas-regions.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("吉林市,10,11", "吉林市,11,11"), encoding="utf-8")
    with pytest.raises(CampaignDefinitionError) as err:
        load_campaign("anju")
    assert "quotas-regions.csv" in str(err.value) and "97" in str(err.value) and "96" in str(err.value)


def test_unknown_field_type_names_file_and_key(data_copy: Path):
    toml = data_copy / "campaigns/anju/campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('type = "integer"', 'type = "number"', 1), encoding="utf-8")
    with pytest.raises(CampaignDefinitionError) as err:
        load_campaign("anju")
    assert "campaign.toml" in str(err.value) and "sheets[0].fields[3]" in str(err.value) and "number" in str(err.value)


def test_rule_naming_missing_field_fails(data_copy: Path):
    toml = data_copy / "campaigns/anju/campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('field = "housing_start"', 'field = "housing_begin"', 1),
                    encoding="utf-8")
    with pytest.raises(CampaignDefinitionError) as err:
        load_campaign("anju")
    assert "housing_begin" in str(err.value)


def test_unknown_campaign_is_unusable_input():
    with pytest.raises(UnusableInput) as err:
        load_campaign("nosuch")
    assert "anju" in str(err.value)


@pytest.mark.parametrize("cid", campaign_ids())
def test_example_values_of_the_blank_pass_their_own_checks(cid):
    """The 【示例】 row of `init`'s blank is what clerks copy: each example value parses
    without an error (the credit-code examples of jiuye, shzz and djjd had wrong check digits)."""
    from awardforms.check.fields import FieldContext, parse_value
    from awardforms.errors import FieldProblem
    ctx = FieldContext(base_dir=Path("."))
    bad = []
    for sheet in load_campaign(cid).sheets:
        for f in sheet.fields:
            if not f.example or f.type in ("photo", "longtext"):
                continue
            try:
                parsed = parse_value(f.example, f, ctx)
            except FieldProblem as p:
                bad.append((sheet.name, f.label, f.example, p.message))
                continue
            bad += [(sheet.name, f.label, f.example, p.message) for p in parsed.problems if p.severity == "error"]
    assert bad == []

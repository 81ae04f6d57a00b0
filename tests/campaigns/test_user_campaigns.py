"""Campaigns from a user folder: AWARDFORMS_CAMPAIGNS=DIR or --campaigns DIR (contract.md)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document

from awardforms.campaigns.load import CAMPAIGNS_ENV, DATA_DIR, ROOT, campaign_ids, load_campaign
from awardforms.commands.cli import main
from awardforms.errors import CampaignDefinitionError
from awardforms.forms.tagging import tag_file

SAMPLE = ROOT / "data" / "samples" / "anju" / "长春市保障性安居推荐.xlsx"
BLANK = ROOT / "tests" / "fixtures" / "blanks" / "先进个人推荐审批表-竖排.docx"


@pytest.fixture
def user_dir(tmp_path, monkeypatch):
    """DIR/anju: the installed anju with another title and its own 推荐审批表 for 先进个人
    (tagged from a blank beside campaign.toml); DIR/anju2025: a new id."""
    monkeypatch.setenv(CAMPAIGNS_ENV, "")          # restored after the test (the CLI sets it)
    root = tmp_path / "项目"
    mine = root / "anju"
    shutil.copytree(DATA_DIR / "campaigns" / "anju", mine)
    toml = (mine / "campaign.toml").read_text(encoding="utf-8")
    toml = toml.replace('title = "吉林省保障性安居工程建设工作先进集体、先进个人评选表彰"',
                        'title = "保障性安居（本地版）"', 1)
    toml = toml.replace('template = "anju/先进个人推荐审批表.docx"', 'template = "附件3.docx"')
    (mine / "campaign.toml").write_text(toml, encoding="utf-8")
    campaign = load_campaign("anju")
    tag_file(BLANK, mine / "附件3.docx", campaign, campaign.sheet("先进个人"))
    new = root / "anju2025"
    shutil.copytree(mine, new)
    text = (new / "campaign.toml").read_text(encoding="utf-8").replace('id = "anju"', 'id = "anju2025"', 1)
    (new / "campaign.toml").write_text(text, encoding="utf-8")
    return root


def test_user_folder_adds_and_replaces_campaigns(user_dir, monkeypatch):
    assert load_campaign("anju").title.startswith("吉林省")
    monkeypatch.setenv(CAMPAIGNS_ENV, str(user_dir))
    assert {"anju", "anju2025", "shzz"} <= set(campaign_ids())
    mine = load_campaign("anju")
    assert mine.title == "保障性安居（本地版）"
    person = mine.sheet("先进个人")
    assert Path(person.forms[0].template) == (user_dir / "anju" / "附件3.docx").resolve()
    assert person.forms[1].template == "anju/先进个人征求意见表.docx"    # installed, found as before
    monkeypatch.setenv(CAMPAIGNS_ENV, "")
    assert load_campaign("anju").title.startswith("吉林省")


def test_campaigns_option_on_the_group_and_on_a_command(user_dir):
    runner = CliRunner()
    listed = runner.invoke(main, ["--campaigns", str(user_dir), "campaigns"])
    assert "anju2025\t保障性安居（本地版）" in listed.output
    listed = runner.invoke(main, ["campaigns", "--campaigns", str(user_dir)])
    assert "anju\t保障性安居（本地版）" in listed.output
    missing = runner.invoke(main, ["campaigns", "--campaigns", str(user_dir / "nope")])
    assert missing.exit_code == 2


def test_render_uses_the_user_folders_template(user_dir, tmp_path):
    out = tmp_path / "out"
    res = CliRunner().invoke(main, ["render", str(SAMPLE), "-o", str(out), "--campaigns", str(user_dir)])
    assert res.exit_code == 0, res.output
    forms = sorted(out.glob("先进个人/*/推荐审批表.docx"))
    assert forms
    body = Document(str(forms[0])).element.body
    text = "".join(t.text or "" for t in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    assert "主 要 事 迹（800字左右）" in text and "{{" not in text        # the user's layout, filled


def test_user_campaign_id_must_be_its_folder(user_dir, monkeypatch):
    toml = user_dir / "anju2025" / "campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('id = "anju2025"', 'id = "other"'), encoding="utf-8")
    monkeypatch.setenv(CAMPAIGNS_ENV, str(user_dir))
    with pytest.raises(CampaignDefinitionError, match="anju2025"):
        load_campaign("anju2025")


def test_missing_template_names_the_folders(user_dir, monkeypatch):
    (user_dir / "anju" / "附件3.docx").unlink()
    monkeypatch.setenv(CAMPAIGNS_ENV, str(user_dir))
    with pytest.raises(CampaignDefinitionError, match="附件3.docx"):
        load_campaign("anju")

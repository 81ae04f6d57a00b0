"""The watched folder renders the data-only campaigns (jiuye, djcn, djjd) as it does anju: a
zip of the workbook and its files dropped in comes out under processed/ with its forms."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from awardforms.commands.inbox import PROCESSED, Watcher, WatchSettings

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = {
    "jiuye": ("长春市促进就业创业和农民工工作推荐.xlsx", "先进个人/001-张晓梅/征求意见表.docx"),
    "djcn": ("长春市民政局-社会组织党建材料.xlsx", "社会组织/001-吉林省青少年科技教育基金会/社会组织党员情况调查表.docx"),
    "djjd": ("省级社会组织党建创新示范基地申报.xlsx", "申报单位/002-吉林省青少年发展基金会/自评报告.docx"),
}


@pytest.mark.parametrize("campaign", sorted(SAMPLES))
def test_watch_renders_a_dropped_submission(tmp_path, campaign):
    workbook, form = SAMPLES[campaign]
    assert (ROOT / "data" / "samples" / campaign / workbook).exists()
    folder = ROOT / "data" / "samples" / campaign
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.0)
    w = Watcher(settings)
    with zipfile.ZipFile(settings.inbox / f"{campaign}.zip", "w") as z:     # workbook + photos, texts
        for path in folder.rglob("*"):
            if path.is_file():
                z.write(path, path.relative_to(folder).as_posix())
    w.scan()
    outcomes = [w.process(w.claim(p)) for p in w.scan()]
    assert len(outcomes) == 1 and outcomes[0].ok, outcomes[0].summary
    assert any(p.name.endswith(f"{campaign}.zip") for p in (settings.inbox / PROCESSED).iterdir())
    found = list((tmp_path / "out").rglob(form.rsplit("/", 1)[1]))
    assert any(p.as_posix().endswith(form) for p in found), found

"""Incremental render: only outputs whose inputs changed are rebuilt (content hashes)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from docx import Document

from awardforms.build import state as buildstate
from awardforms.build import pipeline
from awardforms.build.state import STATE_FILE
from awardforms.build.pipeline import Settings, render

from conftest import collective, person, write_workbook

SUMMARY = {"推荐对象汇总表.docx", "推荐对象汇总表.xlsx"}


def _rows(address: str = "长春市朝阳区人民大街1000号", n: int = 3):
    persons = [person(i, 姓名=f"张{i}号") for i in range(n)]
    persons[1]["通讯地址"] = address
    persons[1]["工作单位地址"] = address
    return [collective(0), collective(1)], persons


def _text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture
def built(tmp_path: Path):
    wb = write_workbook(tmp_path / "nominees.xlsx", *_rows())
    out = tmp_path / "out"
    first = render(wb, Settings(out_dir=out))
    return wb, out, first


def test_first_render_builds_all_and_second_nothing(built):
    wb, out, first = built
    assert first.rebuilt and not first.skipped
    assert {r for _, r in first.rebuilt} == {buildstate.NEW}
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert state["schema"] == buildstate.SCHEMA_VERSION and state["tool_version"]
    assert set(state["outputs"]) == set(first.written)
    mtimes = {p: (out / p).stat().st_mtime_ns for p in first.written}
    second = render(wb, Settings(out_dir=out))
    assert second.rebuilt == [] and second.removed == []
    assert sorted(second.skipped) == sorted(first.written)
    assert {p: (out / p).stat().st_mtime_ns for p in first.written} == mtimes
    assert (out / "manifest.json").exists()


def test_edit_one_row_rebuilds_that_nominee_and_summary(built, tmp_path):
    wb, out, first = built
    write_workbook(wb, *_rows("长春市南关区新址路8号"))
    result = render(wb, Settings(out_dir=out))
    changed = {p for p, _ in result.rebuilt}
    folder = next(p.rsplit("/", 1)[0] for p in first.written if "张1号" in p)
    # the 征求意见表 does not print the address: not rebuilt (issue 15)
    assert changed == {p for p in first.written if p.startswith(folder + "/") and p.endswith("推荐审批表.docx")} | SUMMARY
    assert {r for _, r in result.rebuilt} == {buildstate.CONTENT}
    form = next(p for p in changed if p.startswith(folder) and p.endswith("推荐审批表.docx"))
    assert "长春市南关区新址路8号" in _text(out / form)
    assert len(result.skipped) == len(first.written) - len(changed)


def test_edit_of_a_field_the_summary_does_not_show_leaves_the_summary(built):
    """主要事迹 is not a 汇总表 column: its edit rebuilds that nominee's forms that print it only."""
    wb, out, first = built
    collectives, persons = _rows()
    persons[2]["主要事迹"] = "改写后的事迹：多年来扎根一线，推进公租房分配。"
    summary_before = {p: (out / p).read_bytes() for p in SUMMARY}
    write_workbook(wb, collectives, persons)
    result = render(wb, Settings(out_dir=out))
    folder = next(p.rsplit("/", 1)[0] for p in first.written if "张2号" in p)
    assert {p for p, _ in result.rebuilt} == {p for p in first.written
                                              if p.startswith(folder + "/") and p.endswith("推荐审批表.docx")}
    assert {p: (out / p).read_bytes() for p in SUMMARY} == summary_before
    form = next(p for p, _ in result.rebuilt if p.endswith("推荐审批表.docx"))
    assert "改写后的事迹" in _text(out / form)


def test_removed_row_removes_its_folder_only(built):
    wb, out, first = built
    (out / "我的笔记.txt").write_text("clerk's own file", encoding="utf-8")
    cols, persons = _rows()
    write_workbook(wb, cols, persons[:2])          # the last nominee is gone
    result = render(wb, Settings(out_dir=out))
    gone = [p for p in first.written if "张2号" in p]
    assert gone and sorted(result.removed) == sorted(gone)
    assert not (out / gone[0]).parent.exists()
    assert (out / "先进个人").is_dir()
    assert (out / "我的笔记.txt").exists()
    assert set(json.loads((out / STATE_FILE).read_text(encoding="utf-8"))["outputs"]) == set(result.written)


def test_template_change_rebuilds_its_forms(built, monkeypatch, tmp_path):
    wb, out, first = built
    # a copy of the templates folder in which one template is modified
    from awardforms.campaigns import load as campaign
    from awardforms.forms import jobs
    templates = tmp_path / "templates"
    shutil.copytree(campaign.TEMPLATE_DIR, templates)
    job = next(j for j in pipeline.nominee_jobs(pipeline.check(wb))[1] if j.out.endswith("征求意见表.docx"))
    with open(templates / job.template, "ab") as fh:
        fh.write(b"\0")                            # same document, other bytes
    for module in (campaign, jobs, buildstate):
        monkeypatch.setattr(module, "TEMPLATE_DIR", templates, raising=False)
    import awardforms.forms.render as render_module
    if hasattr(render_module, "TEMPLATE_DIR"):
        monkeypatch.setattr(render_module, "TEMPLATE_DIR", templates)
    result = render(wb, Settings(out_dir=out))
    users = {j.out for j in pipeline.nominee_jobs(pipeline.check(wb))[1] if j.template == job.template}
    assert {p for p, _ in result.rebuilt} == users
    assert {r for _, r in result.rebuilt} == {buildstate.TEMPLATE}


def test_hand_deleted_or_edited_output_is_rebuilt(built):
    wb, out, first = built
    deleted, edited = first.written[0], first.written[1]
    (out / deleted).unlink()
    (out / edited).write_bytes(b"not a docx any more")
    result = render(wb, Settings(out_dir=out))
    assert dict(result.rebuilt) == {deleted: buildstate.MISSING, edited: buildstate.EDITED}
    assert Document(str(out / edited)) and (out / deleted).exists()


def test_same_size_edit_is_found_and_a_mere_touch_is_not(built):
    wb, out, first = built
    edited, touched = out / first.written[0], out / first.written[1]
    data = bytearray(edited.read_bytes())
    data[-30] ^= 0x01                          # same size, other content (mtime moves on)
    edited.write_bytes(bytes(data))
    st = touched.stat()
    os.utime(touched, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))   # opened and saved as is
    result = render(wb, Settings(out_dir=out))
    assert dict(result.rebuilt) == {first.written[0]: buildstate.EDITED}
    assert first.written[1] in result.skipped


def test_force_rebuilds_everything(built):
    wb, out, first = built
    result = render(wb, Settings(out_dir=out, force=True))
    assert sorted(p for p, _ in result.rebuilt) == sorted(first.written)
    assert {r for _, r in result.rebuilt} == {buildstate.FORCED}


def test_render_killed_halfway_is_completed(tmp_path, monkeypatch):
    wb = write_workbook(tmp_path / "nominees.xlsx", *_rows())
    out = tmp_path / "out"
    calls = {"n": 0}
    real = pipeline.execute

    def dies_after_first_chunk(jobs, out_dir, campaign_id):
        calls["n"] += 1
        if calls["n"] == 2:
            real(jobs[:1], out_dir, campaign_id)   # one more file written, then "killed"
            raise KeyboardInterrupt
        real(jobs, out_dir, campaign_id)

    monkeypatch.setattr(pipeline, "execute", dies_after_first_chunk)
    monkeypatch.setattr(buildstate.os, "cpu_count", lambda: 1)      # chunks of 8
    with pytest.raises(KeyboardInterrupt):
        render(wb, Settings(out_dir=out))
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))
    assert len(state["outputs"]) == 8                                 # first chunk recorded
    assert not list(out.rglob("*.tmp"))                               # nothing half-written
    monkeypatch.setattr(pipeline, "execute", real)
    result = render(wb, Settings(out_dir=out))
    assert len(result.skipped) == 8
    reasons = dict(result.rebuilt)
    assert buildstate.UNRECORDED in reasons.values()                 # the file written before the kill
    assert sorted(list(reasons) + result.skipped) == sorted(result.written)
    assert render(wb, Settings(out_dir=out)).rebuilt == []


def test_invalid_nominee_loses_its_old_forms(built):
    wb, out, first = built
    cols, persons = _rows()
    persons[2]["身份证号码"] = "220102197805120000"                   # wrong check digit
    write_workbook(wb, cols, persons)
    result = render(wb, Settings(out_dir=out))
    assert result.removed and all("张2号" in p for p in result.removed)


def test_unreadable_or_old_state_means_full_rebuild(built):
    wb, out, first = built
    (out / STATE_FILE).write_text('{"schema": 0, "outputs": {}}', encoding="utf-8")
    result = render(wb, Settings(out_dir=out))
    assert {r for _, r in result.rebuilt} == {buildstate.UNRECORDED}
    (out / STATE_FILE).write_text("{truncated", encoding="utf-8")
    assert len(render(wb, Settings(out_dir=out)).rebuilt) == len(first.written)


def test_describe_says_why():
    lines = buildstate.describe([("a.docx", "内容变化"), ("b.docx", "文件缺失")], ["c.docx"], ["d.docx"])
    assert "重新生成 2 个文件" in lines[0] and "内容变化 1 个" in lines[0]
    assert any("已删除：d.docx" in line for line in lines)
    assert "没有变化" in buildstate.describe([], ["c.docx"], [])[0]

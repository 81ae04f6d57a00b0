"""The command line as a clerk uses it: exit codes, Chinese one-line errors, JSON."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from awardforms.commands.cli import main
from conftest import collective, person, write_workbook


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_campaigns_lists_anju():
    result = run("campaigns")
    assert result.exit_code == 0
    assert "anju\t吉林省保障性安居工程建设工作先进集体、先进个人评选表彰" in result.output


def test_check_valid_workbook_exits_0(small_workbook: Path):
    result = run("check", str(small_workbook))
    assert result.exit_code == 0, result.output
    assert "共 0 个错误" in result.output or "检查通过" in result.output


def test_check_json_names_cell(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 集体类型="国企")], [person(0, 性别="M")])
    result = run("check", str(wb), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["campaign"] == "anju" and data["valid"] is False
    found = {(i["sheet"], i["row"], i["column"], i["field"], i["code"]) for i in data["issues"]}
    assert ("先进集体", 2, "B", "集体类型", "not-in-list") in found
    assert ("先进个人", 2, "B", "性别", "not-in-list") in found
    for issue in data["issues"]:
        assert set(issue) == {"sheet", "row", "column", "field", "severity", "code", "message"}


def test_not_xlsx_exits_2_with_one_line(tmp_path: Path):
    bad = tmp_path / "nominees.xls"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    result = run("check", str(bad))
    assert result.exit_code == 2
    assert "另存为" in result.output and "Traceback" not in result.output
    text = tmp_path / "nominees.xlsx"
    text.write_text("姓名,性别\n张三,男\n", encoding="utf-8")
    result = run("render", str(text))
    assert result.exit_code == 2 and "不是 .xlsx" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_unknown_campaign_and_missing_sheet_exit_2(tmp_path: Path):
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0)],
                        unit={"评选表彰项目": "nosuch", "推荐单位": "x"})
    result = run("check", str(wb))
    assert result.exit_code == 2 and "不是已知项目" in result.output
    wb2 = load_workbook(write_workbook(tmp_path / "w2.xlsx", [collective(0)], [person(0)]))
    del wb2["先进个人"]
    wb2.save(tmp_path / "w2.xlsx")
    result = run("check", str(tmp_path / "w2.xlsx"))
    assert result.exit_code == 2 and "缺少“先进个人”工作表" in result.output


def test_init_then_check_ignores_example_row(tmp_path: Path):
    target = tmp_path / "x.xlsx"
    result = run("init", "anju", str(target))
    assert result.exit_code == 0, result.output
    wb = load_workbook(target)
    ws = wb["先进个人"]
    headers = [c.value for c in ws[1]]
    assert headers[:3] == ["姓名", "性别", "民族"]
    assert ws["A2"].value.startswith("【示例】")
    assert ws["A1"].comment is not None
    lists = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert any(r.startswith("B2") for r in lists)          # 性别 dropdown, the example row too (typed over)
    assert ws.cell(3, headers.index("身份证号码") + 1).number_format == "@"
    # an untouched blank workbook has no nominees: the example row is not one of them
    result = run("check", str(target))
    assert "【示例】" not in result.output
    assert "先进个人!A2" not in result.output
    # refuses to overwrite a filled workbook
    assert run("init", "anju", str(target)).exit_code == 2


def test_render_prints_output_folder(small_workbook: Path, tmp_path: Path):
    out = tmp_path / "o"
    result = run("render", str(small_workbook), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "manifest.json").exists()
    assert str(out) in result.output


def test_watch_options_reach_the_watcher(tmp_path, monkeypatch):
    import awardforms.commands.watch as watch_module
    seen = []
    monkeypatch.setattr(watch_module, "run", lambda settings: seen.append(settings) or 0)
    result = CliRunner().invoke(main, ["watch", str(tmp_path), "--stall", "7", "--lock-wait", "9",
                                       "--settle", "0.5"])
    assert result.exit_code == 0, result.output
    assert (seen[0].stall, seen[0].lock_wait, seen[0].settle) == (7.0, 9.0, 0.5)
    CliRunner().invoke(main, ["watch", str(tmp_path)])
    assert (seen[1].stall, seen[1].lock_wait) == (watch_module.WatchSettings(tmp_path).stall,
                                                  watch_module.WatchSettings(tmp_path).lock_wait)


def test_render_says_and_writes_the_same_with_the_copy_in_a_child_process(tmp_path, monkeypatch):
    """The annotated copy written by a second process (annotate_worker.py) while rendering:
    the same console output and the same copy as when it is written in this process."""
    import zipfile
    from awardforms.assemble import annotate_worker
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0, 集体类型="国企")],
                        [person(0, 性别="M"), person(1), person(2, 手机号码="123")])
    real_start = annotate_worker.BackgroundCopy.start.__func__
    children = []

    def start(cls, *args, **kwargs):
        copy = real_start(cls, *args, **kwargs)
        children.append(copy.running)
        return copy
    monkeypatch.setattr(annotate_worker.BackgroundCopy, "start", classmethod(start))
    from awardforms.build import pipeline
    checks = []
    real_check = pipeline.check_workbook
    monkeypatch.setattr(pipeline, "check_workbook", lambda path: checks.append(path) or real_check(path))
    said, parts = {}, {}
    for cores in (1, 2):
        monkeypatch.setattr(annotate_worker, "available_cores", lambda: cores)
        out = tmp_path / f"out{cores}"
        checks.clear()
        result = run("render", str(wb), "-o", str(out))
        assert len(checks) == 1                  # checked first for the child, not again by render
        assert result.exit_code == 1, result.output
        said[cores] = (result.stdout.replace(str(out), "OUT"), result.stderr.replace(str(out), "OUT"))
        with zipfile.ZipFile(out / "w.校验结果.xlsx") as z:
            parts[cores] = {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}
    assert children == [False, True]
    assert said[1] == said[2] and parts[1] == parts[2]
    assert "带批注的工作簿副本" in said[2][0] and "[错误]" in said[2][0]


def test_output_folder_is_the_pipelines(tmp_path):
    """cli._output_dir (the copy's child starts before the pipeline is imported) is the rule
    of pipeline.output_dir_for."""
    from awardforms.commands.cli import _output_dir
    from awardforms.build.pipeline import Settings, output_dir_for
    for workbook in (Path("推荐对象表.xlsx"), tmp_path / "a.b.xlsx"):
        for out in (None, tmp_path / "o", Path("rel")):
            assert _output_dir(workbook, out) == output_dir_for(workbook, Settings(out_dir=out))

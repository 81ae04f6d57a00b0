"""Issue 15 (13): `init shzz` gives the blank its own notes describe, with no anju examples."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from awardforms.build.pipeline import check
from awardforms.commands.cli import main

ANJU_WORDS = ("anju", "住房", "安居", "住建")


def _texts(path: Path) -> list[str]:
    """Every value and comment of every sheet of the blank."""
    out = []
    for ws in load_workbook(path):
        for row in ws.iter_rows():
            for cell in row:
                out += [str(cell.value)] if cell.value is not None else []
                out += [cell.comment.text] if cell.comment else []
        for dv in ws.data_validations.dataValidation:
            out += [dv.prompt or "", dv.error or ""]
    return out


def test_shzz_blank_has_the_report_sheet_its_notes_name_and_no_anju_examples(tmp_path):
    target = tmp_path / "社会组织.xlsx"
    res = CliRunner().invoke(main, ["init", "shzz", str(target)])
    assert res.exit_code == 0, res.output
    wb = load_workbook(target)
    assert "推荐工作报告" in wb.sheetnames
    ws = wb["推荐工作报告"]
    assert ws["A1"].value == "推荐工作组织情况" and "推荐工作报告" in ws["B1"].comment.text
    assert "推荐工作组织情况" not in [c.value for c in wb["推荐单位"]["A"]]    # one place to write it
    texts = _texts(target)
    assert not [t for t in texts if any(w in t for w in ANJU_WORDS)]
    # the notes point at B1 of that sheet: text written there is read
    ws["B1"] = "我厅成立评选推荐工作组，严格按程序推荐。"
    wb.save(target)
    sub = check(target)
    assert sub.unit.display["work_report"] == "我厅成立评选推荐工作组，严格按程序推荐。"
    assert not [i for i in sub.report.issues if i.field == "推荐工作组织情况"]


def test_unit_notes_fit_every_campaign(tmp_path):
    for cid in ("anju", "shzz"):
        target = tmp_path / f"{cid}.xlsx"
        assert CliRunner().invoke(main, ["init", cid, str(target)]).exit_code == 0
        notes = [c.comment.text for c in load_workbook(target)["推荐单位"]["A"] if c.comment]
        assert not [n for n in notes if "anju" in n or "住房保障" in n]

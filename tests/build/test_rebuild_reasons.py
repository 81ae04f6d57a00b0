"""Issue 15 (12): rebuild reasons that are true: a form is rebuilt only when what it shows
changed; a nominee renumbered because a row above was deleted is moved, not deleted and new."""

from __future__ import annotations

from click.testing import CliRunner
from docx import Document

from awardforms.build.pipeline import Settings, render
from awardforms.commands.cli import main
from conftest import collective, person, write_workbook


def _text(path) -> str:
    doc = Document(str(path))
    return "".join([p.text for p in doc.paragraphs]
                   + [p.text for t in doc.tables for r in t.rows for c in r.cells for p in c.paragraphs])


def test_editing_deeds_rebuilds_only_the_forms_that_print_them(tmp_path):
    persons = [person(1), person(2)]
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], persons)
    out = tmp_path / "out"
    render(wb, Settings(out_dir=out))
    persons[1]["主要事迹"] = "第二稿：扎根一线，推进公租房分配。"
    write_workbook(wb, [collective(0)], persons)
    result = render(wb, Settings(out_dir=out))
    assert result.rebuilt == [("先进个人/002-张晓梅二/推荐审批表.docx", "内容变化")]
    assert "先进个人/002-张晓梅二/征求意见表.docx" in result.skipped
    assert "第二稿" in _text(out / "先进个人/002-张晓梅二/推荐审批表.docx")
    persons[1]["职务职级"] = "住房保障科副科长"                     # printed on both forms
    write_workbook(wb, [collective(0)], persons)
    result = render(wb, Settings(out_dir=out))
    assert sorted(r for r in result.rebuilt if "/" in r[0]) == [("先进个人/002-张晓梅二/征求意见表.docx", "内容变化"),
                                      ("先进个人/002-张晓梅二/推荐审批表.docx", "内容变化")]
    assert "住房保障科副科长" in _text(out / "先进个人/002-张晓梅二/征求意见表.docx")


def test_a_nominee_renumbered_by_a_deleted_row_is_moved(tmp_path):
    persons = [person(1), person(2), person(3)]
    wb = write_workbook(tmp_path / "n.xlsx", [collective(0)], persons)
    out = tmp_path / "out"
    render(wb, Settings(out_dir=out))
    before = (out / "先进个人/003-张晓梅三/推荐审批表.docx").read_bytes()
    write_workbook(wb, [collective(0)], [persons[0], persons[2]])       # row of 张晓梅二 deleted
    res = CliRunner().invoke(main, ["render", str(wb), "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "已移动：先进个人/003-张晓梅三/推荐审批表.docx → 先进个人/002-张晓梅三/推荐审批表.docx" in res.output
    assert "已删除：先进个人/002-张晓梅二/推荐审批表.docx" in res.output
    assert "已删除：先进个人/003-张晓梅三" not in res.output
    assert "重新生成：先进个人/002-张晓梅三" not in res.output
    assert (out / "先进个人/002-张晓梅三/推荐审批表.docx").read_bytes() == before
    assert not (out / "先进个人/003-张晓梅三").exists()
    again = render(wb, Settings(out_dir=out))                         # the state follows the move
    assert not [p for p, _ in again.rebuilt if p.startswith("先进个人/")]

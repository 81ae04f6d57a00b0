"""A re-run after one region re-sends redoes that region; the office's 评审结果 in the 总表
survive the re-run and give the 考核对象名单 and 公示名单; the bookmarked 总册."""

from __future__ import annotations

import docx
from openpyxl import load_workbook
from pypdf import PdfReader, PdfWriter

from awardforms.collect.run import collect
from collect_helpers import workbook
from conftest import collective, person


def _docx_text(path) -> str:
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def _inbox(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    workbook(d / "长春.xlsx", [collective(1)], [person(1)], "长春市住建局", "长春市")
    workbook(d / "吉林.xlsx", [collective(2)], [person(2), person(3)], "吉林市住建局", "吉林市")
    return d


def _mtimes(folder):
    return {p.relative_to(folder): p.stat().st_mtime_ns for p in folder.rglob("*.docx")}


def test_rerun_after_one_region_resends_redoes_that_region(tmp_path):
    d = _inbox(tmp_path)
    out = tmp_path / "out"
    collect([d], out)
    cc, jl = out / "submissions" / "长春市住建局", out / "submissions" / "吉林市住建局"
    before_cc, before_jl = _mtimes(cc), _mtimes(jl)
    workbook(d / "吉林-更正.xlsx", [collective(2, 集体人数=30)], [person(2), person(3)], "吉林市住建局", "吉林市", 60)
    result = collect([d], out)
    assert _mtimes(cc) == before_cc                                   # 长春 untouched
    after_jl = _mtimes(jl)
    changed = {p for p in after_jl if after_jl[p] != before_jl.get(p)}
    assert changed and all("先进集体" in str(p) or "汇总表" in str(p) for p in changed)
    st = {s["file"].rsplit("/", 1)[-1]: s["status"] for s in result.data["submissions"]}
    assert st == {"长春.xlsx": "合格", "吉林.xlsx": "已被替换", "吉林-更正.xlsx": "合格"}
    # a unit no longer sent: its folder goes
    (d / "长春.xlsx").unlink()
    collect([d], out)
    assert not cc.exists() and jl.exists()


def test_review_results_survive_and_give_the_lists(tmp_path):
    d = _inbox(tmp_path)
    out = tmp_path / "out"
    collect([d], out)
    assert not (out / "公示名单.docx").exists()                 # nothing reviewed yet
    path = out / "推荐对象总表.xlsx"
    wb = load_workbook(path)
    for ws in wb.worksheets:
        head = [c.value for c in ws[1]]
        col = head.index("评审结果") + 1
        for r in range(2, ws.max_row + 1):
            name = ws.cell(r, 4).value
            ws.cell(r, col).value = {"张晓梅三": "不通过", "张晓梅二": "考核对象"}.get(name, "拟表彰")
    wb.save(path)
    result = collect([d], out)
    assert result.exit_code == 0
    kept = load_workbook(path)["先进个人"]
    head = [c.value for c in kept[1]]
    assert {kept.cell(r, 4).value: kept.cell(r, head.index("评审结果") + 1).value
            for r in range(2, kept.max_row + 1)} == {"张晓梅一": "拟表彰", "张晓梅二": "考核对象", "张晓梅三": "不通过"}
    exam = _docx_text(out / "考核对象名单.docx")
    public = _docx_text(out / "公示名单.docx")
    assert "考核对象名单" in exam and "张晓梅二" in exam and "张晓梅一" in exam and "张晓梅三" not in exam
    assert "公示名单" in public and "张晓梅一" in public and "张晓梅二" not in public
    assert public.index("长春市（") < public.index("吉林市（")      # the quota table's order
    assert "长春市住房保障和房屋管理局" in public                  # the person's line: name, employer, post
    assert "{{" not in public and "{%" not in public


def test_list_sections_are_the_categories_numbered_as_listed(tmp_path):
    """A 公示名单 heads its sections 一、先进个人 — not the 推荐对象汇总表's title, and numbered over
    the categories it lists (no collective chosen: persons come first)."""
    d = _inbox(tmp_path)
    out = tmp_path / "out"
    collect([d], out)
    path = out / "推荐对象总表.xlsx"
    wb = load_workbook(path)
    for ws in wb.worksheets:
        col = [c.value for c in ws[1]].index("评审结果") + 1
        for r in range(2, ws.max_row + 1):
            ws.cell(r, col).value = "拟表彰" if ws.title == "先进个人" else "考核对象"
    wb.save(path)
    collect([d], out)
    public = _docx_text(out / "公示名单.docx").splitlines()
    exam = _docx_text(out / "考核对象名单.docx").splitlines()
    assert "一、先进个人（3个）" in public and not any("汇总表" in line or "先进集体（" in line for line in public)
    assert exam.index("一、先进集体（2个）") < exam.index("二、先进个人（3个）")


def test_unknown_review_result_is_not_used_and_said(tmp_path):
    d = _inbox(tmp_path)
    out = tmp_path / "out"
    collect([d], out)
    wb = load_workbook(out / "推荐对象总表.xlsx")
    ws = wb["先进个人"]
    ws.cell(2, [c.value for c in ws[1]].index("评审结果") + 1).value = "待定"
    wb.save(out / "推荐对象总表.xlsx")
    result = collect([d], out)
    assert any("待定" in m for m in result.messages)
    assert not (out / "公示名单.docx").exists()


def _pdf(path, pages: int) -> None:
    w = PdfWriter()
    for _ in range(pages):
        w.add_blank_page(595, 842)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        w.write(fh)


def test_book_is_bookmarked_region_unit_nominee(tmp_path, monkeypatch):
    """--pdf without LibreOffice's time: each nominee's 推荐材料汇编.pdf is planted where render
    --pdf would write it, then the book is made from them."""
    from awardforms.collect import render as collect_render
    d = _inbox(tmp_path)
    real = collect_render._render_one

    def with_dossiers(r, folder, pdf):
        real(r, folder, False)
        for n in r.nominees:
            if n.files:
                rel = n.files[0].rsplit("/", 1)[0] + "/推荐材料汇编.pdf"
                _pdf(folder / rel, 3)
                n.files.append(rel)
    monkeypatch.setattr(collect_render, "_render_one", with_dossiers)
    out = tmp_path / "out"
    result = collect([d], out, pdf=True)
    reader = PdfReader(out / "推荐材料总册.pdf")
    top = [o for o in reader.outline if not isinstance(o, list)]
    assert [o.title for o in top] == ["长春市", "吉林市"]
    kids = reader.outline[reader.outline.index(top[1]) + 1]
    assert kids[0].title == "吉林市住建局"
    assert [k.title for k in kids[1]] == ["长春市朝阳区住房保障服务中心第2分中心", "张晓梅二", "张晓梅三"]
    assert len(reader.pages) == 5 * 4                   # 5 nominees x (3 pages + a blank)
    assert "推荐材料总册.pdf" in result.written

"""`collect` over submissions made as clerks make them: re-sends, a person nominated by two
regions, a region over its quota (one workbook, and two units together), a zip with its files,
the zip `render` writes for e-mail, a broken file. Every output is opened."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from awardforms.collect.run import collect
from collect_helpers import emailed, workbook, zipped
from conftest import collective, person


def _rows(path: Path, sheet: str | None = None) -> list[list]:
    wb = load_workbook(path, read_only=True)
    ws = wb[sheet] if sheet else wb.worksheets[0]
    rows = [["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)]
    wb.close()
    return rows


def _docx_text(path: Path) -> str:
    d = docx.Document(str(path))
    parts = [p.text for p in d.paragraphs]
    for t in d.tables:
        for row in t.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("inbox")
    work = tmp_path_factory.mktemp("work")
    # 长春: sent, then sent again with one more collective (the second counts)
    workbook(d / "长春-第一次.xlsx", [collective(1)], [person(1), person(2)], "长春市住房保障和房屋管理局", "长春市", 0)
    workbook(d / "长春-第二次.xlsx", [collective(1), collective(2)], [person(1), person(2)],
             "长春市住房保障和房屋管理局", "长春市", 30)
    # 吉林市: e-mailed zip as render writes it; nominates person 1 as 长春 does
    book = workbook(work / "吉林市推荐.xlsx", [collective(3)], [person(1), person(3)], "吉林市住房和城乡建设局", "吉林市")
    emailed(d / "吉林市住房和城乡建设局-推荐材料.zip", book, work / "jl")
    # 四平: 7 collectives in one workbook (quota 5)
    workbook(d / "四平.xlsx", [collective(i) for i in range(10, 17)], [person(4)], "四平市住房和城乡建设局", "四平市")
    # 辽源: two units together over the region's 5 collectives (3 + 3)
    workbook(d / "辽源-一.xlsx", [collective(i) for i in range(20, 23)], [], "辽源市住建局", "辽源市")
    workbook(d / "辽源-二.xlsx", [collective(i) for i in range(23, 26)], [person(5)], "辽源市房产局", "辽源市")
    # 通化: a zip with the workbook and a text file its cell names
    tb = workbook(work / "通化.xlsx", [collective(30, 主要事迹="事迹/集体.txt")], [person(6)], "通化市住建局", "通化市")
    zipped(d / "通化.zip", tb, {"事迹/集体.txt": "该集体扎实推进住房保障工作。".encode("utf-8")})
    # 白山: two files with the same saved time: the later by name counts
    workbook(d / "白山-a.xlsx", [collective(40)], [], "白山市住建局", "白山市", 5)
    workbook(d / "白山-b.xlsx", [collective(40), collective(41)], [], "白山市住建局", "白山市", 5)
    # broken
    (d / "损坏的表.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    return d


@pytest.fixture(scope="module")
def collected(inbox, tmp_path_factory):
    out = tmp_path_factory.mktemp("collected") / "汇总"
    return collect([inbox], out), out


def _status(result) -> dict[str, str]:
    return {Path(s["file"]).name: s["status"] for s in result.data["submissions"]}


def test_statuses_newest_counts_and_broken_is_listed(collected):
    result, out = collected
    st = _status(result)
    assert st["长春-第一次.xlsx"] == "已被替换"
    assert st["长春-第二次.xlsx"] == "有错误"            # the person 吉林市 also nominated
    assert st["损坏的表.xlsx"] == "无法使用"
    assert st["白山-a.xlsx"] == "已被替换" and st["白山-b.xlsx"] == "合格"
    assert st["通化.zip"] == "合格"
    assert result.exit_code == 1
    bs = next(s for s in result.data["submissions"] if s["file"].endswith("白山-b.xlsx"))
    assert "时间相同" in bs["note"] and "按文件名" in bs["note"]
    broken = next(s for s in result.data["submissions"] if s["file"].endswith("损坏的表.xlsx"))
    assert broken["note"]                                  # why it could not be used
    assert json.loads((out / "collect.json").read_text(encoding="utf-8")) == result.data


def test_duplicate_across_names_the_other_file_and_cell(collected):
    result, _ = collected
    dups = [i for i in result.data["issues"] if i["code"] == "duplicate-across"]
    assert {i["file"] for i in dups} == {"长春-第二次.xlsx", "吉林市住房和城乡建设局-推荐材料.zip"}
    cc = next(i for i in dups if i["file"] == "长春-第二次.xlsx")
    assert "吉林市住房和城乡建设局-推荐材料.zip" in cc["message"] and "先进个人!I2" in cc["message"]
    assert cc["severity"] == "error" and cc["sheet"] == "先进个人" and cc["row"] == 2
    jl = next(i for i in dups if i["file"] != "长春-第二次.xlsx")
    assert "长春-第二次.xlsx" in jl["message"]


def test_quotas_per_region_summed_over_its_submissions(collected):
    result, out = collected
    q = {(r["region"], r["sheet"]): r for r in result.data["quota"]}
    assert q[("辽源市", "先进集体")]["submitted"] == 6 and q[("辽源市", "先进集体")]["quota"] == 5
    assert q[("长春市", "先进集体")]["submitted"] == 2      # the replaced file is not counted
    assert q[("长春市", "先进个人")]["valid"] == 1           # one is the duplicate
    over = [i for i in result.data["issues"] if i["code"] == "region-over-quota"]
    assert {i["file"] for i in over} == {"辽源-一.xlsx", "辽源-二.xlsx"}
    assert "6" in over[0]["message"] and "5" in over[0]["message"]
    # 四平's own check said so already: not told twice
    assert [i["code"] for i in result.data["issues"] if i["file"] == "四平.xlsx" and i["row"] is None] == ["quota-exceeded"]
    rows = _rows(out / "名额使用情况.xlsx")
    assert rows[0][:6] == ["所属地区", "类别", "分配名额", "允许推荐数", "推荐数", "合格数"]
    liaoyuan = next(r for r in rows if r[0] == "辽源市" and r[1] == "先进集体")
    assert liaoyuan[2:8] == [5, "≤5", 6, 6, 1, "超出"]
    assert [r[0] for r in rows[1:3]] == ["长春市", "长春市"]          # the quota table's order


def test_register_lists_every_file(collected):
    _, out = collected
    rows = _rows(out / "收件登记表.xlsx")
    head = rows[0]
    assert head[:4] == ["序号", "推荐单位", "所属地区", "文件"] and "状态" in head and "先进集体（个）" in head
    by_file = {Path(r[3]).name: dict(zip(head, r)) for r in rows[1:]}
    assert len(by_file) == 10
    assert by_file["长春-第二次.xlsx"]["先进集体（个）"] == 2 and by_file["长春-第二次.xlsx"]["错误"] == 1
    assert by_file["损坏的表.xlsx"]["状态"] == "无法使用" and by_file["损坏的表.xlsx"]["说明"]
    assert by_file["损坏的表.xlsx"]["错误"] == 1           # as many as 问题清单 and the page list for it
    assert by_file["吉林市住房和城乡建设局-推荐材料.zip"]["推荐单位"] == "吉林市住房和城乡建设局"


def test_overview_groups_valid_nominees_by_region(collected):
    _, out = collected
    rows = _rows(out / "推荐对象总表.xlsx", "先进集体")
    assert rows[0][:3] == ["序号", "所属地区", "推荐单位"] and rows[0][-1] == "评审结果"
    regions = [r[1] for r in rows[1:]]
    assert regions == sorted(regions, key=["长春市", "吉林市", "四平市", "辽源市", "通化市", "白山市"].index)
    names = [r[3] for r in rows[1:]]
    assert "长春市朝阳区住房保障服务中心第2分中心" in names and len(names) == 2 + 1 + 7 + 6 + 1 + 2
    persons = _rows(out / "推荐对象总表.xlsx", "先进个人")
    assert person(1)["身份证号码"] not in {c for r in persons for c in r}     # the duplicate is not valid
    text = _docx_text(out / "推荐对象总表.docx")
    assert "长春市（2个）" in text and "辽源市（6个）" in text and text.index("长春市（") < text.index("吉林市（")
    assert "吉林市住房和城乡建设局" in text


def test_issue_list_has_every_issue(collected):
    result, out = collected
    rows = _rows(out / "问题清单.xlsx")
    assert rows[0] == ["文件", "推荐单位", "工作表", "单元格", "字段", "严重程度", "代码", "说明"]
    assert len(rows) - 1 == len(result.data["issues"])
    dup = next(r for r in rows if r[6] == "duplicate-across" and r[0] == "长春-第二次.xlsx")
    assert dup[3] == "先进个人!I2" and dup[4] == "身份证号码" and dup[5] == "错误"


def test_submissions_rendered_and_page_links_to_them(collected):
    result, out = collected
    html = (out / "index.html").read_text(encoding="utf-8")
    assert "<svg" in html and "<script" not in html and "<link" not in html
    assert re.findall(r"https?://[^\"' ]+", html) == ["http://www.w3.org/2000/svg"] * html.count("<svg")
    for s in result.data["submissions"]:
        if s["status"] in ("合格", "有错误"):
            assert (out / s["folder"] / "manifest.json").is_file()
    forms = list((out / "submissions" / "长春市住房保障和房屋管理局").rglob("推荐审批表.docx"))
    assert len(forms) == 4                          # rendered as `render` would: 2 + 2
    assert any("第2分中心" in str(f) for f in forms)
    zipped_forms = list((out / "submissions" / "吉林市住房和城乡建设局").rglob("推荐审批表.docx"))
    assert zipped_forms                               # the e-mailed zip, unpacked
    from urllib.parse import unquote
    hrefs = [unquote(h) for h in re.findall(r'href="([^"]+)"', html)]
    assert hrefs and all((out / h).exists() for h in hrefs)
    assert "submissions/长春市住房保障和房屋管理局/" in hrefs
    assert "超出" in html and "已被替换" in html and "无法使用" in html and "时间相同" in html


def test_page_shows_the_fix_for_every_issue(collected):
    """The office forwards the page's advice to the unit: 处理办法 for a workbook's issues as for the
    e-mailed zip's (whose manifest carries it inside the message), in the duplicates table too."""
    _, out = collected
    html = (out / "index.html").read_text(encoding="utf-8")
    own = re.search(r"<summary>四平.xlsx：.*?</table>", html, re.S).group(0)
    assert "推荐名额" in own and "处理办法：请按名额分配表减少" in own
    dups = re.search(r"同一推荐对象被重复推荐.*?</table>", html, re.S).group(0)
    assert dups.count("处理办法：请与对方推荐单位核实") == 2


def test_clerk_text_is_escaped_on_the_page(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    workbook(d / "x.xlsx", [collective(1, 集体名称="<script>alert(1)</script>集体")], [],
             "<b>单位</b>", "长春市")
    result = collect([d], tmp_path / "out")
    html = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;b&gt;单位&lt;/b&gt;" in html
    rows = _rows(tmp_path / "out" / "推荐对象总表.xlsx", "先进集体")
    assert rows[1][3] == "<script>alert(1)</script>集体"
    assert result.exit_code in (0, 1)


def test_formula_text_stays_text(tmp_path):
    d = tmp_path / "in"
    d.mkdir()
    book = workbook(d / "x.xlsx", [collective(1)], [], "单位", "长春市")
    wb = load_workbook(book)
    for ws, ref in ((wb["推荐单位"], "B2"), (wb["先进集体"], "A2")):   # text typed as '=…' in Excel
        ws[ref].value = "=1+1" if ws.title == "推荐单位" else "=HYPERLINK(\"http://x\")集体"
        ws[ref].data_type = "s"
    wb.save(book)
    collect([d], tmp_path / "out")
    for name, ref, text in (("收件登记表.xlsx", "B2", "=1+1"), ("推荐对象总表.xlsx", "D2", "=HYPERLINK(\"http://x\")集体")):
        cell = load_workbook(tmp_path / "out" / name).worksheets[0][ref]
        assert cell.value == text and cell.data_type == "s"


def test_another_campaign_stops_with_exit_2_naming_it(tmp_path, inbox):
    shzz = Path(__file__).resolve().parents[2] / "data" / "samples" / "shzz" / "地方-吉林市.xlsx"
    result = collect([inbox / "四平.xlsx", inbox / "通化.zip", shzz], tmp_path / "out")
    assert result.exit_code == 2
    assert "地方-吉林市.xlsx" in result.data["error"] and "shzz" in result.data["error"]
    assert not (tmp_path / "out").exists()


def test_old_emailed_zip_without_unit_is_unusable(tmp_path, inbox):
    old = tmp_path / "旧版.zip"
    with zipfile.ZipFile(inbox / "吉林市住房和城乡建设局-推荐材料.zip") as src, zipfile.ZipFile(old, "w") as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "manifest.json":
                m = json.loads(data)
                del m["unit"]
                data = json.dumps(m).encode()
            dst.writestr(info, data)
    result = collect([old, inbox / "四平.xlsx"], tmp_path / "out")
    st = {Path(s["file"]).name: s for s in result.data["submissions"]}
    assert st["旧版.zip"]["status"] == "无法使用" and "旧版本" in st["旧版.zip"]["note"]
    assert st["四平.xlsx"]["status"] == "有错误"


def test_cli_exit_codes(tmp_path, inbox):
    from click.testing import CliRunner
    from awardforms.commands.cli import main
    runner = CliRunner()
    good = tmp_path / "good"
    good.mkdir()
    workbook(good / "x.xlsx", [collective(1)], [person(1)], "长春市住建局", "长春市")
    ok = runner.invoke(main, ["collect", str(good), "-o", str(tmp_path / "o1")])
    assert ok.exit_code == 0, ok.output
    assert "index.html" in ok.output and (tmp_path / "o1" / "index.html").is_file()
    bad = runner.invoke(main, ["collect", str(inbox / "四平.xlsx"), "-o", str(tmp_path / "o2")])
    assert bad.exit_code == 1 and "四平.xlsx" in bad.output
    shzz = Path(__file__).resolve().parents[2] / "data" / "samples" / "shzz" / "地方-吉林市.xlsx"
    mixed = runner.invoke(main, ["collect", str(good), str(shzz), "-o", str(tmp_path / "o3")])
    assert mixed.exit_code == 2 and "地方-吉林市.xlsx" in mixed.output
    missing = runner.invoke(main, ["collect", str(tmp_path / "nowhere")])
    assert missing.exit_code == 2 and "找不到" in missing.output

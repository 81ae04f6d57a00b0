"""The office's collect view over the units' submissions (needs awardforms.collect, issue 19)."""

from __future__ import annotations

import re

import pytest

from awardforms.commands.blank import write_blank
from awardforms.web.app import WebConfig, create_app
from conftest import collective, person, write_workbook
from test_web_app import drain, login, upload
from webhelp import UNIT_A, UNIT_B, make_users, unit

pytest.importorskip("awardforms.collect.run", exc_type=ImportError)


def test_the_office_sees_both_units_and_the_duplicate_across_them(tmp_path):
    data = tmp_path / "data"
    make_users(data)
    app = create_app(WebConfig(data, blank_writer=write_blank))
    a, b, office = app.test_client(), app.test_client(), app.test_client()
    for client, name in ((a, "clerk_a"), (b, "clerk_b"), (office, "office")):
        assert login(client, name).status_code == 302
    same = person(1)                                       # the same person nominated twice
    upload(a, write_workbook(tmp_path / "a.xlsx", [collective(1)], [same], unit=unit(UNIT_A)))
    upload(b, write_workbook(tmp_path / "b.xlsx", [collective(2)], [same], unit=unit(UNIT_B)))
    drain(data)
    page = office.get("/office/collect/anju").get_data(as_text=True)
    table = page.split('id="collect-submissions"')[1].split("</table>")[0]
    assert UNIT_A in table and UNIT_B in table
    issues = page.split('id="collect-issues"')[1].split("</table>")[0]
    assert len(re.findall(r"先进个人!I2", issues)) >= 2 and "身份证" in issues
    index = office.get("/office/collect/anju/files/index.html")
    assert index.status_code == 200 and UNIT_B in index.get_data(as_text=True)
    assert "sandbox" in index.headers["Content-Security-Policy"]
    assert a.get("/office/collect/anju").status_code == 403


def test_the_office_view_names_the_upload_not_the_server_path_and_reads_the_quota_as_collect(tmp_path):
    """收件登记 shows the file's name with a link to its submission (not <data>/uploads/...), and
    名额使用情况 says 允许推荐数, 差额（推荐数−分配名额） and 超出 as 名额使用情况.xlsx does."""
    data = tmp_path / "data"
    make_users(data)
    app = create_app(WebConfig(data, blank_writer=write_blank))
    a, b, office = app.test_client(), app.test_client(), app.test_client()
    for client, name in ((a, "clerk_a"), (b, "clerk_b"), (office, "office")):
        assert login(client, name).status_code == 302
    upload(a, write_workbook(tmp_path / "长春推荐表.xlsx", [collective(1), collective(2)], [], unit=unit(UNIT_A)))
    upload(b, write_workbook(tmp_path / "辽源推荐表.xlsx", [], [person(i) for i in range(1, 7)],
                             unit={**unit(UNIT_B), "所属地区": "辽源市"}))
    drain(data)
    page = office.get("/office/collect/anju").get_data(as_text=True)
    table = page.split('id="collect-submissions"')[1].split("</table>")[0]
    assert str(data) not in page and "uploads" not in table
    links = dict(re.findall(r'<a href="/s/(\d+)">([^<]+)</a>', table))
    assert sorted(links.values()) == ["辽源推荐表.xlsx", "长春推荐表.xlsx"]
    assert all(office.get(f"/s/{sid}").status_code == 200 for sid in links)
    quota = page.split('id="collect-quota"')[1].split("</table>")[0]
    assert "允许推荐数" in quota and "差额（推荐数−分配名额）" in quota
    rows = {tuple(re.findall(r"<td>([^<]*)</td>", tr)[:2]): (cls, re.findall(r"<td>([^<]*)</td>", tr))
            for cls, tr in re.findall(r'<tr class="([^"]*)">(.*?)</tr>', quota, re.S)}
    assert rows[("长春市", "先进集体")] == ("", ["长春市", "先进集体", "20", "≤20", "2", "2", "-18", ""])
    assert rows[("辽源市", "先进个人")] == ("over", ["辽源市", "先进个人", "5", "≤5", "6", "6", "1", "超出"])


def test_a_clerk_is_told_of_a_duplicate_across_units_without_seeing_the_other_unit(tmp_path):
    """The office's collect finds the same person in two units' submissions: each clerk's page
    says which of their own cells is concerned and what to do, and names no other unit."""
    data = tmp_path / "data"
    make_users(data)
    app = create_app(WebConfig(data, blank_writer=write_blank))
    a, b = app.test_client(), app.test_client()
    for client, name in ((a, "clerk_a"), (b, "clerk_b")):
        assert login(client, name).status_code == 302
    same = person(1)
    r = upload(a, write_workbook(tmp_path / "a.xlsx", [collective(1)], [same], unit=unit(UNIT_A)))
    sid_a = int(r.headers["Location"].rsplit("/", 1)[1])
    upload(b, write_workbook(tmp_path / "b.xlsx", [collective(2)], [same, person(3)], unit=unit(UNIT_B)))
    drain(data)
    page = a.get(f"/s/{sid_a}").get_data(as_text=True)
    notice = page.split('id="across"')[1].split("</div>")[0]
    assert "先进个人!I2" in notice and "身份证" in notice and "其他推荐单位" in notice
    assert UNIT_B not in page and "b.xlsx" not in page
    r = upload(a, write_workbook(tmp_path / "a2.xlsx", [collective(1)], [person(5)], unit=unit(UNIT_A)))
    alone = int(r.headers["Location"].rsplit("/", 1)[1])
    drain(data)
    assert 'id="across"' not in a.get(f"/s/{alone}").get_data(as_text=True)      # re-sent without it

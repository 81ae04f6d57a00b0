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

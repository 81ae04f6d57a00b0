"""templatekeys: the row fields a template reads, or None when that cannot be told."""

from __future__ import annotations

import pytest

from awardforms.campaign import load_campaign
from awardforms.context import expressions
from awardforms.jobs import summary_jobs
from awardforms.pipeline import check
from awardforms.templatekeys import row_keys, summary_keys

from conftest import collective, person, write_workbook


@pytest.mark.parametrize("source, keys", [
    ("{% for r in rows %}{{ r.name }} {{ r['id_number'] }}{% endfor %}", {"name", "id_number"}),
    ("{% for r in sheets['先进个人'] %}{{ r.name|upper }}{% if r.remarks %}x{% endif %}{% endfor %}",
     {"先进个人", "name", "remarks"}),
    ("{% for r in rows %}{{ r[field] }}{% endfor %}", None),          # computed key
    ("{% for r in rows %}{{ r }}{% endfor %}", None),                 # the whole row printed
    ("{% for r in rows %}{{ r|tojson }}{% endfor %}", None),          # ... or given to a filter
    ("{% for k, v in rows %}{{ v.name }}{{ k }}{% endfor %}", None),
])
def test_row_keys(source, keys):
    assert row_keys(source, expressions) == keys


@pytest.mark.parametrize("campaign", ["anju", "shzz"])
def test_summary_keys_cover_every_column_and_leave_out_long_text(campaign):
    c = load_campaign(campaign)
    keys = summary_keys(c)
    assert keys is not None
    for table in c.summary["tables"]:
        for _, expr in table["columns"]:
            assert all(name in keys for name in expr.replace("{{", " ").replace("}}", " ").split()
                       if name.isidentifier())
    long_text = {f.key for s in c.sheets for f in s.fields if f.type in ("longtext", "resume")}
    assert long_text and not long_text & keys


def test_summary_context_rows_hold_only_those_keys(tmp_path):
    sub = check(write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0)]))
    ctx = summary_jobs(sub)[0].context
    row = ctx["sheets"]["先进个人"][0]
    assert set(row) <= summary_keys(sub.campaign) and "deeds" not in row and row["seq"] == 1

"""templatekeys: the row fields a template reads, or None when that cannot be told."""

from __future__ import annotations

from pathlib import Path

import pytest

from awardforms.campaigns.load import load_campaign
from awardforms.forms.context import expressions
from awardforms.forms.jobs import summary_jobs
from awardforms.build.pipeline import check
from awardforms.forms.templatekeys import row_keys, summary_keys

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


def _cache_files(root):
    return sorted((root / "awardforms" / "templatekeys").glob("*.json"))


def test_keys_kept_in_the_user_cache_same_answer_damage_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    import awardforms.forms.templatekeys as tk
    c = load_campaign("anju")
    fresh = summary_keys(c)
    [cached] = _cache_files(tmp_path)
    calls = []
    monkeypatch.setattr(tk, "_keys", lambda *a: calls.append(a) or frozenset({"wrong"}))
    assert summary_keys(c) == fresh and not calls             # answered from the cache
    for damage in ("", "{", '{"format": "templatekeys 1"}', '{"format": "other", "keys": []}', "[1]"):
        cached.write_text(damage, encoding="utf-8")
        assert summary_keys(c) == frozenset({"wrong"})         # worked out again, not read
    assert len(calls) == 5


def test_a_changed_template_is_read_again(tmp_path, monkeypatch):
    import shutil
    import awardforms.forms.templatekeys as tk
    from awardforms.forms.render import template_path
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    c = load_campaign("anju")
    name = c.summary["template"]
    copy = tmp_path / "copy.docx"
    shutil.copy(template_path(name), copy)
    monkeypatch.setattr(tk, "template_path", lambda n: copy if n == name else template_path(n))
    summary_keys(c)
    copy.write_bytes(copy.read_bytes() + b"\0")               # other bytes: another cache entry
    summary_keys(c)
    assert len(_cache_files(tmp_path / "cache")) == 2


def test_a_cached_answer_starts_without_python_docx(tmp_path):
    import os
    import subprocess
    import sys
    probe = ("import sys; from awardforms.campaigns.load import load_campaign; "
             "from awardforms.forms.templatekeys import summary_keys; "
             "print(sorted(summary_keys(load_campaign('anju'))), 'docx' in sys.modules)")
    env = dict(os.environ, XDG_CACHE_HOME=str(tmp_path))
    root = Path(__file__).resolve().parents[2]

    def run():
        return subprocess.run([sys.executable, "-c", probe], env=env, cwd=root, capture_output=True,
                              text=True, check=True)
    first, again = run(), run()
    assert first.stdout.split("] ")[0] == again.stdout.split("] ")[0]
    assert first.stdout.strip().endswith("True") and again.stdout.strip().endswith("False")

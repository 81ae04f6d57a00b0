"""rowmemo: a row's work is reused only for a row of equal plain data, in the same scope."""

from __future__ import annotations

import pytest
from markupsafe import Markup

from awardforms.forms.rowmemo import RowMemo, row_key


@pytest.mark.parametrize("a, b", [
    ({"x": 1}, {"x": "1"}),                 # int and str
    ({"x": "a", "y": "b"}, {"x": "a", "y": "c"}),
    ({"x": "a"}, {"x": "a", "y": ""}),      # one more field
    ({"x": "a", "y": "b"}, {"y": "b", "x": "a"}),   # another order: only a miss, never wrong
])
def test_different_plain_rows_have_different_keys(a, b):
    assert row_key(a) is not None and row_key(b) is not None
    assert row_key(a) != row_key(b)


@pytest.mark.parametrize("row", [
    {"x": True},                            # == 1, renders "True"
    {"x": 1.0},                             # == 1, renders "1.0"
    {"x": Markup("<b>")},                   # == "<b>", not escaped when rendered
    {1: "a"},                               # a key that is not text
    {True: "a"},
    {"x": ["a"]},                           # anything nested
    {"x": None},
    ["a", "b"],                             # not a dict
    "a",
])
def test_rows_that_are_not_plain_data_are_never_remembered(row):
    assert row_key(row) is None
    memo = RowMemo()
    calls = []
    for _ in range(2):
        memo.get(row, lambda r: calls.append(r) or "work")
    assert len(calls) == 2 and not memo.entries


def test_true_and_one_are_kept_apart():
    """True == 1 and hash(True) == hash(1): a key of (name, value) pairs alone would mix them."""
    memo = RowMemo()
    assert memo.get({"x": 1}, lambda r: str(r["x"])) == "1"
    assert memo.get({"x": True}, lambda r: str(r["x"])) == "True"
    assert memo.get({"x": 1.0}, lambda r: str(r["x"])) == "1.0"
    assert memo.get({"x": Markup("<b>")}, lambda r: str(r["x"])) == "<b>"
    assert memo.get({"x": "<b>"}, lambda r: "escaped") == "escaped"


def test_work_done_once_per_data_and_scope():
    memo = RowMemo()
    calls = []

    def work(row):
        calls.append(dict(row))
        return row["x"].upper()
    assert memo.get({"x": "a"}, work) == "A"
    assert memo.get({"x": "a"}, work) == "A" and len(calls) == 1        # a new dict, same data
    assert memo.get({"x": "b"}, work) == "B" and len(calls) == 2        # other data: worked out
    assert memo.get({"x": "a"}, lambda row: "other", scope="columns 2") == "other"
    assert memo.get({"x": "a"}, work) == "A" and len(calls) == 2


def test_a_full_memo_starts_over():
    memo = RowMemo(limit=3)
    for i in range(3):
        memo.get({"x": str(i)}, lambda row: row["x"])
    assert len(memo.entries) == 3
    memo.get({"x": "new"}, lambda row: row["x"])
    assert len(memo.entries) == 1
    calls = []
    assert memo.get({"x": "0"}, lambda row: calls.append(row) or "again") == "again" and calls

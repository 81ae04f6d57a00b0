"""Work done for one table row, remembered by the row's data across renders.

A re-render after one nominee's edit gives the 汇总表 (.docx and .xlsx) the same rows as
before but one; what a row became (its XML in the .docx, its cell texts in the .xlsx) is
looked up instead of worked out again.

The key is the row itself, and only rows that are plain data qualify: a dict of str keys
whose values are exactly str or int, as the contexts' rows are (`context.record_values`).
Equal keys then mean equal data: 1 and "1", 1 and True, a str and a Markup differ in type or
value, so none can stand for another. Any other row is worked out every time.
"""

from __future__ import annotations

from typing import Any, Callable, Hashable

MAX_ROWS = 20_000           # rows remembered per memo (a 200-row 汇总表 .docx: ~0.8 MB)


PLAIN = frozenset({str, int})     # a table row's values (str keys always)
TEXT = frozenset({str})           # display strings (context.py)


def row_key(row: Any, kinds: frozenset = PLAIN) -> tuple | None:
    """The row's data as a key, (its keys, its values), or None unless it is a dict of str
    keys whose values are exactly of the `kinds` (see the module doc)."""
    if type(row) is not dict:
        return None
    keys, values = tuple(row), tuple(row.values())
    if set(map(type, keys)) - {str} or set(map(type, values)) - kinds:
        return None
    return keys, values


class RowMemo:
    """What `work(row)` gave, by `scope` (whatever else the work depends on) and the row's
    data; forgets everything once it holds `limit` rows."""

    def __init__(self, limit: int = MAX_ROWS):
        self.limit = limit
        self.entries: dict[tuple, Any] = {}

    def get(self, row: Any, work: Callable[[Any], Any], scope: Hashable = ()) -> Any:
        key = row_key(row)
        if key is None:
            return work(row)
        key = (scope, key)
        hit = self.entries.get(key)
        if hit is None:
            hit = work(row)
            if len(self.entries) >= self.limit:
                self.entries.clear()
            self.entries[key] = hit
        return hit

    def clear(self) -> None:
        self.entries.clear()

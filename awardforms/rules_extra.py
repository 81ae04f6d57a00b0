"""More rule types for campaign definitions (registered in rules.RULES on import).

- `pattern`: the value must match a regular expression (e.g. 统一社会信用代码 of a
  social organisation starts with 5);
- `month_not_before`: a 到月 value must not lie before a reference date (e.g. 评估等级
  有效期至 must not have run out by the notice date).

Any row rule may carry `when = {field = ..., equals/in/not_in = ...}`: validate.py only
runs it for rows where the condition holds (e.g. 5 years of service only for 负责人).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable

from . import dates
from .records import Record
from .report import Issue
from .rules import rule


@rule("pattern", "row")
def pattern(r: dict, rec: Record) -> Iterable[Issue]:
    text = rec.display.get(r["field"]) or ""
    if text and not re.search(r["pattern"], text):
        yield rec.issue(r["field"], r.get("severity", "error"), r["code"],
                        r["message"].format(value=text), r.get("fix", ""))


@rule("month_not_before", "row")
def month_not_before(r: dict, rec: Record) -> Iterable[Issue]:
    value = rec.values.get(r["field"])
    if value is None:
        return
    as_of = dt.date.fromisoformat(r["as_of"])
    if tuple(value) < (as_of.year, as_of.month):
        yield rec.issue(r["field"], r.get("severity", "warning"), r["code"],
                        r["message"].format(value=dates.format_month(value),
                                            as_of=dates.format_date_long(as_of)),
                        r.get("fix", ""))

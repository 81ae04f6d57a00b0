"""What a campaign.toml may say: the field types and rule types by name.

The loader checks a definition against these tables, so a misspelt type fails at load time
with the file and key named. Field types are implemented in `check/fields.py`, rule types in
`check/rules/`; `tests/check/test_rules.py` holds both sides to these names.
"""

from __future__ import annotations

from dataclasses import dataclass

FIELD_TYPES = frozenset({"text", "longtext", "choice", "integer", "month", "date", "idcard", "phone",
                         "region", "resume", "photo", "uscc"})
WORD_MODES = frozenset({"以内", "左右"})


@dataclass(frozen=True)
class RuleType:
    scope: str                      # "row": one record; "sheet": all records of a sheet;
    # "members": one record and the rows that belong to it; "workbook": all sheets ([[rules]])
    fields: tuple[str, ...]         # the rule's keys whose values name fields of the sheet


RULE_TYPES: dict[str, RuleType] = {
    "forbidden_pattern": RuleType("row", ("field",)),
    "pattern": RuleType("row", ("field",)),
    "no_year_since": RuleType("row", ("field",)),
    "id_agrees": RuleType("row", ("id", "gender", "birth")),
    "min_years": RuleType("row", ("field",)),
    "not_before": RuleType("row", ("field", "after")),
    "month_not_before": RuleType("row", ("field",)),
    "unique": RuleType("sheet", ("field",)),
    "max_share": RuleType("sheet", ("field",)),
    "max_share_of_quota": RuleType("sheet", ("field",)),
    "age_between": RuleType("row", ("field",)),
    "years_between": RuleType("row", ("field", "until")),
    "date_window": RuleType("row", ("field",)),
    "number_range": RuleType("row", ("field",)),
    "any_of": RuleType("row", ("field",)),
    "quota_ratio": RuleType("sheet", ()),
    "member_count": RuleType("members", ("field",)),
    "every_member": RuleType("members", ()),
    "same_value_across": RuleType("workbook", ("field", "other_field")),
    # dates that cannot be
    "min_age_at": RuleType("row", ("field", "birth")),
    "resume_starts_after_age": RuleType("row", ("field", "birth")),
    "not_after_resume_work": RuleType("row", ("field", "resume")),
}

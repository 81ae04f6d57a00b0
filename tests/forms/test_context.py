"""context.evaluate: the shortcut for `{{ name }}` gives exactly what Jinja gives."""

import pytest
from jinja2 import UndefinedError

from awardforms.forms.context import _compiled, evaluate


@pytest.mark.parametrize("value", ["张三", " 前后空格 ", "a & <b>", "", 7, "多\n行"])
@pytest.mark.parametrize("expression", ["{{ name }}", "{{name}}", " {{  name }} "])
def test_plain_name_matches_jinja(expression, value):
    values = {"name": value}
    assert evaluate(expression, values) == _compiled(expression).render(values).strip()


def test_other_expressions_still_rendered_by_jinja():
    values = {"a": "甲", "b": None}
    assert evaluate("{{ a }} {{ a }}", values) == "甲 甲"
    assert evaluate("{{ b or '无' }}", values) == "无"
    assert evaluate("{{ b }}", values) == "None"          # not the shortcut: not str/int


def test_missing_name_raises_like_jinja():
    with pytest.raises(UndefinedError):
        evaluate("{{ missing }}", {})


def test_record_values_worked_out_once_per_seq_fresh_dict_each_call(small_workbook):
    from awardforms.forms.context import record_values
    from awardforms.check.validate import check_workbook
    rec = check_workbook(small_workbook).records["先进个人"][0]
    first = record_values(rec)
    first["name"] = "改过"                         # a caller's change stays with the caller
    again = record_values(rec)
    assert again["name"] == rec.display["name"] and again is not first
    rec.seq += 5
    assert record_values(rec)["seq"] == rec.seq     # seq feeds the computed values: worked out again

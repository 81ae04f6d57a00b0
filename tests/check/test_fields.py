"""fields.parse_value: the same answers for the same cell, fresh objects each time, a file read each time."""

import re
from pathlib import Path

import pytest

from awardforms.campaigns.model import FieldDef
from awardforms.errors import FieldProblem
from awardforms.check.fields import FieldContext, parse_value

CTX = FieldContext(base_dir=Path("."))


def test_remembered_result_is_the_same_but_not_shared():
    f = FieldDef("phone", "联系电话", "phone")
    first = parse_value("0431 89152155", f, CTX)
    first.problems.append("caller's own")
    second = parse_value("0431 89152155", f, CTX)
    assert (second.value, second.display) == (first.value, first.display) == ("0431-89152155",) * 2
    assert second.problems == []


def test_remembered_problem_raised_again_each_time():
    f = FieldDef("id", "身份证号码", "idcard")
    raised = []
    for _ in range(2):
        with pytest.raises(FieldProblem) as err:
            parse_value("220102197805120400", f, CTX)
        raised.append(err.value)
    assert raised[0] is not raised[1]
    assert raised[0].code == raised[1].code == "id-checksum"


def test_fields_with_other_constraints_are_not_confused():
    loose = FieldDef("size", "集体人数", "integer", max=1000)
    tight = FieldDef("size", "集体人数", "integer", max=10)
    assert parse_value("50", loose, CTX).value == 50
    with pytest.raises(FieldProblem):
        parse_value("50", tight, CTX)
    assert parse_value(50, loose, CTX).value == 50          # an int cell is its own entry


def test_files_are_not_remembered(tmp_path):
    f = FieldDef("deeds", "主要事迹", "longtext")
    ctx = FieldContext(base_dir=tmp_path)
    (tmp_path / "事迹.txt").write_text("第一稿", encoding="utf-8")
    assert parse_value("事迹.txt", f, ctx).value == "第一稿"
    (tmp_path / "事迹.txt").write_text("第二稿", encoding="utf-8")
    assert parse_value("事迹.txt", f, ctx).value == "第二稿"


@pytest.mark.parametrize("text, reason", [
    ("91220101MA0Y12345X", "校验位不正确：应为8，实为X"),
    ("9122010", "应为18位，实为7位"),
    ("91220101MA0Y12345O", "只能是数字和大写字母"),
])
def test_invalid_credit_code_says_why_in_chinese(text, reason):
    """The reason was python-stdnum's exception name (“InvalidChecksum”), English to a clerk."""
    f = FieldDef("uscc", "统一社会信用代码", "uscc")
    with pytest.raises(FieldProblem) as err:
        parse_value(text, f, CTX)
    assert err.value.code == "uscc-invalid"
    assert reason in err.value.message
    assert not re.search(r"[A-Za-z]{2,}", err.value.message.replace(text, ""))   # no English word

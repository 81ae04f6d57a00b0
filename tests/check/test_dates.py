import datetime

import pytest

from awardforms.check.dates import (
    format_date_long,
    format_month,
    months_between,
    parse_date,
    parse_month,
)
from awardforms.errors import FieldProblem

TODAY = datetime.date(2024, 3, 15)


def month_problem(value) -> FieldProblem:
    with pytest.raises(FieldProblem) as exc:
        parse_month(value, today=TODAY)
    return exc.value


def date_problem(value) -> FieldProblem:
    with pytest.raises(FieldProblem) as exc:
        parse_date(value)
    return exc.value


@pytest.mark.parametrize(
    "value",
    [
        "1990.09",
        "1990.9",
        "1990年9月",
        "1990年09月",
        "1990 年 9 月",
        "1990-09",
        "1990/9",
        "199009",
        "1990-09-15",
        "1990年9月15日",
        "1990.9.15",
        "1990/09/15",
        "1990-09-15 00:00:00",
        "１９９０．０９",
        datetime.date(1990, 9, 15),
        datetime.datetime(1990, 9, 15, 8, 30),
        33117,  # Excel serial of 1990-09-01
        33117.5,
        199009,
        19900915,
        1990.09,  # "1990.09" typed into a General cell
        1990.9,
    ],
)
def test_parse_month_spellings(value):
    assert parse_month(value, today=TODAY) == (1990, 9)


@pytest.mark.parametrize("value, month", [(1990.11, 11), (1990.12, 12), (1990.01, 1), (1990.2, 2)])
def test_unambiguous_month_numbers(value, month):
    assert parse_month(value, today=TODAY) == (1990, month)


@pytest.mark.parametrize("value", [1990.1, 1990.10])
def test_october_typed_as_number_is_ambiguous(value):
    assert 1990.10 == 1990.1  # what Excel stores: the same number
    p = month_problem(value)
    assert p.code == "month-ambiguous-number"
    assert p.severity == "error"
    assert "1990.10" in p.message and "文本" in p.fix


def test_text_1990_1_is_january_and_1990_10_is_october():
    assert parse_month("1990.1", today=TODAY) == (1990, 1)
    assert parse_month("1990.10", today=TODAY) == (1990, 10)


def test_excel_1900_leap_year_bug():
    # serial 59 = 1900-02-28, 60 = the non-existent 1900-02-29, 61 = 1900-03-01
    assert parse_month(59, today=TODAY) == (1900, 2)
    assert parse_month(61, today=TODAY) == (1900, 3)
    assert parse_date(61) == datetime.date(1900, 3, 1)
    assert parse_date(45352) == datetime.date(2024, 3, 1)


@pytest.mark.parametrize("value", ["1990.13", "1990.0", "1990年13月", 1990.13, "199013"])
def test_month_out_of_range(value):
    assert month_problem(value).code == "month-invalid"


@pytest.mark.parametrize("value", ["1990", 1990, "1990年", 1990.0])
def test_year_only(value):
    p = month_problem(value)
    assert p.code == "month-invalid"
    assert "缺少月份" in p.message


@pytest.mark.parametrize("value", ["1899.12", "1890年1月"])
def test_before_1900(value):
    assert month_problem(value).code == "month-invalid"


def test_future_month():
    p = month_problem("2024.04")
    assert p.code == "month-invalid"
    assert "晚于" in p.message
    assert parse_month("2024.03", today=TODAY) == (2024, 3)


@pytest.mark.parametrize("value", ["abc", "", "九〇年九月", "1990-02-30", 0, -5, 3e7, "90.09"])
def test_unreadable_month(value):
    p = month_problem(value)
    assert p.code == "month-invalid"
    assert p.fix


@pytest.mark.parametrize("month, text", [((1990, 9), "1990.09"), ((2019, 12), "2019.12")])
def test_format_month(month, text):
    assert format_month(month) == text


@pytest.mark.parametrize(
    "value",
    [
        "2023-03-01",
        "2023年3月1日",
        "2023年03月01日",
        "2023.3.1",
        "2023/3/1",
        "20230301",
        20230301,
        20230301.0,
        datetime.date(2023, 3, 1),
        datetime.datetime(2023, 3, 1, 17, 0),
        44986,  # Excel serial
    ],
)
def test_parse_date_spellings(value):
    assert parse_date(value) == datetime.date(2023, 3, 1)


@pytest.mark.parametrize(
    "value", ["2023.3", "2023-02-29", "2023", 2023, 2023.3, "明天", "1899-01-01"]
)
def test_parse_date_problems(value):
    assert date_problem(value).code == "date-invalid"


def test_parse_date_missing_day_message():
    assert "缺少日" in date_problem("2023年3月").message


@pytest.mark.parametrize(
    "d, text",
    [
        (datetime.date(2023, 3, 1), "2023年3月1日"),
        (datetime.date(2024, 12, 31), "2024年12月31日"),
        (datetime.date(2024, 10, 9), "2024年10月9日"),
    ],
)
def test_format_date_long_no_zero_padding(d, text):
    assert format_date_long(d) == text


@pytest.mark.parametrize(
    "start, end, months",
    [
        ((2001, 9), (2005, 7), 46),
        ((2005, 7), (2005, 7), 0),
        ((2005, 12), (2006, 1), 1),
        ((2006, 1), (2005, 12), -1),
    ],
)
def test_months_between(start, end, months):
    assert months_between(start, end) == months

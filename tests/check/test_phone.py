import pytest

from awardforms.errors import FieldProblem
from awardforms.check.phone import parse_phone


def problem(text) -> FieldProblem:
    with pytest.raises(FieldProblem) as exc:
        parse_phone(text)
    return exc.value


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13904310000", "13904310000"),
        ("139 0431 0000", "13904310000"),
        ("139-0431-0000", "13904310000"),
        ("+86 139 0431 0000", "13904310000"),
        ("0086 13904310000", "13904310000"),
        ("１３９０４３１００００", "13904310000"),
        ("19912345678", "19912345678"),
    ],
)
def test_mobiles_as_11_digits(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "0431-89152155",
        "(0431)89152155",
        "（0431）89152155",
        "(0431) 8915 2155",
        "0431 89152155",
        "043189152155",
        "0431－89152155",  # full-width hyphen
        "0431-8915-2155",
    ],
)
def test_landline_forms(text):
    assert parse_phone(text) == "0431-89152155"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("0432-62012345", "0432-62012345"),  # 吉林市: 8-digit local numbers
        ("0433-2512345", "0433-2512345"),  # 延边
        ("0434-3212345", "0434-3212345"),  # 四平: 7 digits
        ("0436-3212345", "0436-3212345"),  # 白城
        ("0439-3212345", "0439-3212345"),  # 白山
        ("010-12345678", "010-12345678"),  # 3-digit area code
    ],
)
def test_landlines_by_numbering_plan(text, expected):
    assert parse_phone(text) == expected


@pytest.mark.parametrize("text", ["0434-32123456", "0436-32123456", "0431-8915215"])
def test_landline_with_wrong_local_length(text):
    p = problem(text)
    assert p.code == "phone-invalid"
    assert text in p.message
    assert "0431-89152155" in p.fix


@pytest.mark.parametrize(
    "text",
    ["0431-89152155转8001", "0431-89152155 转 8001", "0431-89152155-8001", "0431-89152155分机8001"],
)
def test_extension(text):
    assert parse_phone(text) == "0431-89152155转8001"


@pytest.mark.parametrize("text", ["89152155", "2512345", "8915-2155", "89152155转8001"])
def test_landline_without_area_code(text):
    p = problem(text)
    assert p.code == "phone-no-area-code"
    assert "区号" in p.message
    assert "0431-" in p.fix


def test_seven_digits_are_not_read_as_nanjing():
    # phonenumbers alone accepts "2512345" as 025-12345
    import phonenumbers

    assert phonenumbers.is_valid_number(phonenumbers.parse("2512345", "CN"))
    assert problem("2512345").code == "phone-no-area-code"


@pytest.mark.parametrize("text", ["12345678901", "1390431000", "139043100001"])
def test_invalid_mobile(text):
    p = problem(text)
    assert p.code == "phone-invalid"
    assert "手机号码" in p.message


@pytest.mark.parametrize("text", ["abc", "无", "95588", "0431-8915215a"])
def test_invalid(text):
    assert problem(text).code == "phone-invalid"


def test_empty_is_invalid():
    assert problem("  ").code == "phone-invalid"


@pytest.mark.parametrize(
    "text",
    [
        "13904310000、0431-89152155",
        "13904310000/0431-89152155",
        "13904310000；0431-89152155",
        "13904310000; (0431)89152155",
        "13904310000，0431 89152155",
    ],
)
def test_several_numbers(text):
    assert parse_phone(text) == "13904310000、0431-89152155"


def test_several_numbers_one_bad_names_it():
    p = problem("13904310000、89152155")
    assert p.code == "phone-no-area-code"
    assert "89152155" in p.message


def test_three_numbers_with_extension():
    text = "13904310000/0431-89152155转8001；0433-2512345"
    assert parse_phone(text) == "13904310000、0431-89152155转8001、0433-2512345"


def test_missing_leading_zero_of_area_code_is_repaired():
    assert parse_phone("431-89152155") == "0431-89152155"


def test_service_number():
    assert parse_phone("400-800-1234") == "400-800-1234"

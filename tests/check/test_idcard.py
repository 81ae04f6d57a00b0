import datetime

import pytest
from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from awardforms.errors import FieldProblem
from awardforms.check.idcard import (
    IdNumber,
    check_agreement,
    gender_from_id,
    id_from_excel_number,
    parse_id_number,
)

WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_digit(first17: str) -> str:
    """GB 11643-1999 check digit, written out independently of stdnum."""
    total = sum(int(d) * w for d, w in zip(first17, WEIGHTS))
    return "10X98765432"[total % 11]


def make_id(region="220102", birth="19700307", seq="451") -> str:
    first17 = region + birth + seq
    return first17 + check_digit(first17)


def wrong_check(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def problem(text, **kw) -> FieldProblem:
    with pytest.raises(FieldProblem) as exc:
        parse_id_number(text, **kw)
    return exc.value


def test_independent_check_digit_agrees_with_stdnum():
    for first17 in ["22010219700307451", "11010519491231002", "22240119850615123"]:
        assert check_digit(first17) == ric.calc_check_digit(first17 + "0")


def test_rules_example_checks_out():
    assert make_id() == "220102197003074517"


def test_parse_valid_number():
    idn = parse_id_number(make_id())
    assert idn == IdNumber("220102197003074517", datetime.date(1970, 3, 7), "男", "220102")


def test_stdnum_validate_rejects_pre_1983_changchun_but_we_accept():
    number = make_id("220102", "19700307", "451")
    with pytest.raises(ValidationError):
        ric.validate(number)  # 南关区 220102 exists only since 1983 in stdnum's data
    assert parse_id_number(number).region_code == "220102"


def test_county_code_from_later_years_is_accepted():
    # 公主岭市 220184 exists since 2020; someone born 1965 carries their old code anyway
    assert parse_id_number(make_id("220184", "19650101", "002")).gender == "女"


def test_abolished_county_code_is_accepted():
    # 怀德县 222121 existed only before 1983
    assert parse_id_number(make_id("222121", "19880808", "013")).birth.year == 1988


def test_unknown_county_under_known_province_is_accepted():
    assert parse_id_number(make_id("220171", "19800101", "011")).region_code == "220171"


def test_unknown_province_is_rejected():
    p = problem(make_id("990102", "19700307", "451"))
    assert p.code == "id-region"
    assert "99" in p.message


@pytest.mark.parametrize("seq, gender", [("451", "男"), ("452", "女"), ("000", "女"), ("009", "男")])
def test_gender_from_17th_digit(seq, gender):
    number = make_id(seq=seq)
    assert parse_id_number(number).gender == gender
    assert gender_from_id(number) == gender


def test_gender_from_id_accepts_parsed_number():
    idn = parse_id_number(make_id(seq="452"))
    assert gender_from_id(idn) == "女"


def test_lower_case_x_and_spaces():
    number = None
    for seq in range(1000):
        candidate = make_id(seq=f"{seq:03d}")
        if candidate.endswith("X"):
            number = candidate
            break
    assert number is not None
    text = " " + number[:6] + " " + number[6:14] + " " + number[14:].lower() + " "
    assert parse_id_number(text).number == number


def test_full_width_digits():
    number = make_id()
    full = "".join(chr(ord(c) + 0xFEE0) for c in number)
    assert parse_id_number(full).number == number


def test_checksum_error_message():
    number = make_id()
    p = problem(number[:17] + "5")
    assert p.code == "id-checksum"
    assert p.message == "身份证号码校验位不正确（应为7，实为5）。"
    assert p.fix == "请核对号码，常见原因是抄错一位数字。"
    assert p.severity == "error"


def test_swapped_digits_fail_checksum():
    number = make_id()
    swapped = number[:14] + number[15] + number[14] + number[16:]
    assert problem(swapped).code == "id-checksum"


def test_15_digit_number():
    p = problem("220102700307451")
    assert p.code == "id-15-digit"
    assert "18位" in p.fix


@pytest.mark.parametrize("text", ["22010219700307451", "2201021970030745171", ""])
def test_wrong_length(text):
    assert problem(text).code == "id-length"


@pytest.mark.parametrize("text", ["22010219700307451A", "2201021970O3074517", "22010219700307X517"])
def test_bad_characters(text):
    assert problem(text).code == "id-format"


@pytest.mark.parametrize("birth", ["19701307", "19700230", "19700000", "18991231"])
def test_impossible_birth_date(birth):
    assert problem(make_id(birth=birth)).code == "id-birth-date"


def test_future_birth_date():
    p = problem(make_id(birth="20300101"), today=datetime.date(2024, 3, 1))
    assert p.code == "id-birth-date"


def test_birth_today_is_allowed():
    idn = parse_id_number(make_id(birth="20240301"), today=datetime.date(2024, 3, 1))
    assert idn.birth == datetime.date(2024, 3, 1)


def test_scientific_notation_text_lost_digits():
    p = problem("2.20102E+17")
    assert p.code == "id-lost-digits"
    assert "文本" in p.fix


def test_excel_int_18_digits_is_fine():
    number = make_id()
    assert id_from_excel_number(int(number)) == number
    assert parse_id_number(id_from_excel_number(int(number))).number == number


def test_excel_float_lost_digits():
    with pytest.raises(FieldProblem) as exc:
        id_from_excel_number(float(make_id()))
    p = exc.value
    assert p.code == "id-lost-digits"
    assert p.fix == "请把该列设置为“文本”格式后重新输入完整号码（不要直接粘贴数字）。"
    assert "E+17" in p.message


def test_excel_float_small_integral_is_exact():
    assert id_from_excel_number(220102700307451.0) == "220102700307451"


def test_excel_float_fraction_is_not_an_id():
    with pytest.raises(FieldProblem) as exc:
        id_from_excel_number(1990.5)
    assert exc.value.code == "id-format"


def test_excel_number_rejects_non_numbers():
    with pytest.raises(TypeError):
        id_from_excel_number("220102197003074517")
    with pytest.raises(TypeError):
        id_from_excel_number(True)


def test_agreement_ok():
    idn = parse_id_number(make_id())
    assert check_agreement(idn, "男", (1970, 3)) == []
    assert check_agreement(idn, None, None) == []


def test_gender_mismatch():
    idn = parse_id_number(make_id())
    (p,) = check_agreement(idn, "女", None)
    assert p.code == "id-gender-mismatch"
    assert "“女”" in p.message and "“男”" in p.message


def test_birth_mismatch():
    idn = parse_id_number(make_id())
    (p,) = check_agreement(idn, "男", (1970, 4))
    assert p.code == "id-birth-mismatch"
    assert p.message == "出生日期填写为1970.04，但身份证号码中的出生日期为1970年3月7日。"


def test_both_mismatch():
    idn = parse_id_number(make_id())
    codes = [p.code for p in check_agreement(idn, "女", (1971, 3))]
    assert codes == ["id-gender-mismatch", "id-birth-mismatch"]


def test_idnumber_is_frozen():
    idn = parse_id_number(make_id())
    with pytest.raises(AttributeError):
        idn.number = "x"

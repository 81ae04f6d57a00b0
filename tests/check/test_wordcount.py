import pytest

from awardforms.check.wordcount import check_word_limit, count_chars, count_words


@pytest.mark.parametrize(
    "text, words",
    [
        ("东京2024オリンピック", 9),
        ("Hello、World。", 4),
        ("共获奖12项，其中国家级3项。", 14),
        ("", 0),
        ("   ", 0),
        ("\n\r\n\t　", 0),  # ideographic space included
        ("第一段。\n第二段。", 8),
        ("，。、；：（）《》", 9),
        ("ＡＢＣ", 3),
        ("Hello World", 2),
        ("2019年获评“全国先进”", 10),  # curly quotes are not CJK: 1 each
        ("　　本人自参加工作以来", 9),
    ],
)
def test_count_words_like_word(text, words):
    assert count_words(text) == words


def test_ideographic_space_differs_from_package():
    import word_count

    assert word_count.count_words("　　") == 2  # the package counts U+3000
    assert count_words("　　") == 0  # we count it as whitespace


def test_count_words_none_is_zero():
    assert count_words(None) == 0


@pytest.mark.parametrize(
    "text, chars",
    [
        ("Hello World", 10),
        ("东京2024オリンピック", 12),
        ("甲 乙\n丙", 3),
        ("", 0),
    ],
)
def test_count_chars_without_spaces(text, chars):
    assert count_chars(text) == chars


def test_within_limit_allows_exactly_n():
    assert check_word_limit("字" * 800, 800, "以内") == []


def test_within_limit_one_over_is_error():
    (p,) = check_word_limit("字" * 801, 800, "以内")
    assert p.code == "too-many-words"
    assert p.severity == "error"
    assert p.message == "共801字，超过800字以内的要求（多1字）。"
    assert "800字以内" in p.fix


def test_within_limit_message_example():
    (p,) = check_word_limit("字" * 856, 800, "以内")
    assert p.message == "共856字，超过800字以内的要求（多56字）。"


def test_within_limit_counts_like_word_not_len():
    text = "获奖2024项" * 100  # 4 words each, 7 characters each
    assert check_word_limit(text, 400, "以内") == []
    assert check_word_limit(text, 399, "以内")[0].code == "too-many-words"


def test_around_inside_tolerance_is_fine():
    assert check_word_limit("字" * 720, 800, "左右") == []
    assert check_word_limit("字" * 880, 800, "左右") == []


def test_around_too_few_is_warning():
    (p,) = check_word_limit("字" * 719, 800, "左右")
    assert p.code == "words-off-target"
    assert p.severity == "warning"
    assert p.message.startswith("共719字，比800字左右的要求少81字")
    assert "720—880" in p.message


def test_around_too_many_is_warning_without_hard_max():
    (p,) = check_word_limit("字" * 2000, 800, "左右")
    assert p.code == "words-off-target"
    assert p.severity == "warning"
    assert "多1200字" in p.message


def test_around_above_hard_max_is_error_only():
    problems = check_word_limit("字" * 1001, 800, "左右", hard_max=1000)
    assert [p.code for p in problems] == ["too-many-words"]
    assert problems[0].severity == "error"
    assert problems[0].message == "共1001字，超过最多1000字的上限（多1字）。"


def test_around_between_tolerance_and_hard_max_is_warning():
    (p,) = check_word_limit("字" * 950, 800, "左右", hard_max=1000)
    assert p.severity == "warning"


def test_around_custom_tolerance():
    assert check_word_limit("字" * 850, 800, "左右", tolerance=0.05)[0].code == "words-off-target"
    assert check_word_limit("字" * 840, 800, "左右", tolerance=0.05) == []


def test_not_exceeding_is_same_as_within():
    assert check_word_limit("字" * 300, 300, "不超过") == []
    (p,) = check_word_limit("字" * 301, 300, "不超过")
    assert p.code == "too-many-words"
    assert p.message == "共301字，超过不超过300字的要求（多1字）。"


def test_unknown_mode_is_programming_error():
    with pytest.raises(ValueError):
        check_word_limit("x", 10, "大约")


def test_around_capped_never_promises_more_than_the_cap():
    # 800字左右, 先进事迹材料不超过800字 (工作方案七(五)): the range said is 720—800, not 720—880
    (p,) = check_word_limit("字" * 700, 800, "左右", hard_max=800)
    assert p.severity == "warning" and "720—800字" in p.message and "880" not in p.message
    assert check_word_limit("字" * 800, 800, "左右", hard_max=800) == []
    assert check_word_limit("字" * 801, 800, "左右", hard_max=800)[0].code == "too-many-words"


def test_anju_deeds_message_from_the_workbook(tmp_path):
    from awardforms.build.pipeline import check
    from conftest import collective, person, write_workbook
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0, 主要事迹="字" * 500)])
    (issue,) = [i for i in check(wb).report.issues if i.code == "words-off-target"]
    assert "720—800字" in issue.message and "880" not in issue.message

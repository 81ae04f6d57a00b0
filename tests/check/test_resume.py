import datetime

import pytest

from awardforms.check.resume import Period, format_resume, parse_resume

TODAY = datetime.date(2024, 3, 15)

GOOD = """\
2001.09--2005.07 吉林大学法学院法学专业学习
2005.07--2008.09 长春市朝阳区人民法院书记员
2008.09--2019.03 长春市朝阳区人民法院助理审判员、审判员
2019.03--至今 长春市中级人民法院审判员"""


def parse(text):
    return parse_resume(text, today=TODAY)


def codes(problems):
    return [p.code for p in problems]


def test_good_resume():
    periods, problems = parse(GOOD)
    assert problems == []
    assert periods[0] == Period((2001, 9), (2005, 7), "吉林大学法学院法学专业学习", 1)
    assert periods[-1] == Period((2019, 3), None, "长春市中级人民法院审判员", 4)
    assert format_resume(periods) == GOOD


@pytest.mark.parametrize(
    "line",
    [
        "2019.03--至今 审判员",
        "2019.03-- 至今 审判员",
        "2019.03--今 审判员",
        "2019.03—至今 审判员",
        "2019.03至今 审判员",
        "2019年3月--至今 审判员",
        "2019.3——至今，审判员",
    ],
)
def test_present_spellings(line):
    (period,), problems = parse(line)
    assert problems == []
    assert period.start == (2019, 3) and period.end is None
    assert period.text == "审判员"
    assert format_resume([period]) == "2019.03--至今 审判员"


@pytest.mark.parametrize(
    "line",
    [
        "2001.09--2005.07 学习",
        "2001.09—2005.07 学习",
        "2001.09——2005.07 学习",
        "2001.09-2005.07 学习",
        "2001.09～2005.07 学习",
        "2001.09~2005.07 学习",
        "2001.09至2005.07 学习",
        "2001.9--2005.7 学习",
        "2001年9月--2005年7月 学习",
        "2001年9月至2005年7月 学习",
        "2001-09--2005-07 学习",
        "2001/09-2005/07 学习",
        "200109--200507 学习",
        "2001.09－－2005.07 学习",  # full-width hyphens
        "２００１．０９--２００５．０７ 学习",
        "  2001.09 -- 2005.07   学习  ",
        "2001.09--2005.07学习",
        "2001.09--2005.07：学习",
    ],
)
def test_separators_and_month_spellings(line):
    (period,), problems = parse(line)
    assert problems == []
    assert (period.start, period.end, period.text) == ((2001, 9), (2005, 7), "学习")


def test_unparsable_line_is_named():
    text = "2001.09--2005.07 学习\n在吉林大学学习\n2005.07--至今 工作"
    periods, problems = parse(text)
    assert len(periods) == 2
    (p,) = problems
    assert p.code == "resume-line"
    assert "第2行" in p.message and "在吉林大学学习" in p.message
    assert "2001.09--2005.07" in p.fix


def test_line_without_text():
    _, problems = parse("2001.09--2005.07")
    assert codes(problems) == ["resume-line"]
    assert "缺少经历内容" in problems[0].message


def test_invalid_month_in_line():
    _, problems = parse("2001.13--2005.07 学习")
    assert codes(problems) == ["resume-line"]
    assert "第1行" in problems[0].message and "13" in problems[0].message


def test_future_month_in_line():
    _, problems = parse("2019.03--2025.01 学习")
    assert codes(problems) == ["resume-line"]


def test_blank_lines_are_skipped_but_numbered():
    periods, problems = parse("2001.09--2005.07 学习\n\n2005.07--至今 工作\n")
    assert problems == []
    assert [p.line for p in periods] == [1, 3]


def test_next_month_start_is_continuous():
    _, problems = parse("2001.09--2005.07 学习\n2005.08--至今 工作")
    assert problems == []


def test_one_month_gap_is_error():
    _, problems = parse("2001.09--2005.07 学习\n2005.09--至今 工作")
    (p,) = problems
    assert p.code == "resume-gap"
    assert p.severity == "error"
    assert "第1行与第2行" in p.message
    assert "2005.07至2005.09之间断档" in p.message


def test_overlap_is_allowed():
    text = "2001.09--2010.07 工作\n2005.01--2006.12 兼职\n2010.07--至今 工作"
    _, problems = parse(text)
    assert problems == []  # the part-time line ends early but 2001-2010 covers it


def test_gap_after_overlap_names_latest_period():
    text = "2001.09--2010.07 工作\n2005.01--2006.12 兼职\n2011.07--至今 工作"
    (p,) = parse(text)[1]
    assert p.code == "resume-gap"
    assert "第1行与第3行" in p.message and "2010.07至2011.07" in p.message


def test_end_before_start():
    _, problems = parse("2005.07--2001.09 学习")
    assert codes(problems) == ["resume-order"]
    assert "2001.09" in problems[0].message and "2005.07" in problems[0].message


def test_present_not_last_is_warning():
    text = "2001.09--至今 兼职教师\n2005.07--至今 工作"
    _, problems = parse(text)
    assert codes(problems) == ["resume-present-not-last"]
    assert problems[0].severity == "warning"
    assert "第1行" in problems[0].message


def test_empty_resume():
    assert parse("") == ([], [])
    assert parse("  \n ") == ([], [])


def test_format_resume_normalises():
    periods, _ = parse("2001年9月至2005年7月，学习\n2005.7—今 工作")
    assert format_resume(periods) == "2001.09--2005.07 学习\n2005.07--至今 工作"


def test_format_resume_empty():
    assert format_resume([]) == ""

"""Word counts the way Word's and WPS's 字数统计 count them, and word-limit checks.

Counting is delegated to PyPI `office-wordcount` (module `word_count`), which is validated
against Word: every CJK character or CJK punctuation mark counts 1, every run of other
non-whitespace characters counts 1, whitespace and paragraph marks count 0.

One deviation: the package counts the ideographic space U+3000 (in the CJK Symbols block)
as a word; we count it as whitespace, like every other space, so that the two full-width
spaces a clerk types to indent a paragraph add nothing (rules.md: whitespace counts 0).
"""

from __future__ import annotations

import math

import word_count

from awardforms.errors import FieldProblem

MODES = ("以内", "不超过", "左右")  # "不超过" is the same rule as "以内"


def count_words(text: str) -> int:
    """Word's 字数 of `text` (`东京2024オリンピック` = 9)."""
    return word_count.count_words((text or "").replace("\u3000", " "))


def count_chars(text: str) -> int:
    """Word's 字符数（不计空格） of `text`."""
    return word_count.count_characters(text or "")


def check_word_limit(
    text: str,
    limit: int,
    mode: str,
    hard_max: int | None = None,
    tolerance: float = 0.10,
) -> list[FieldProblem]:
    """Problems of `text` against a limit of `limit` 字 in `mode` ("以内"/"不超过" or "左右").

    "以内": `limit` itself is allowed, more is an error. "左右": outside ±`tolerance` is a
    warning, above `hard_max` (if given) an error. Messages start with "共N字" so that the
    caller can prefix the field label.
    """
    if mode not in MODES:
        raise ValueError(f"unknown word-limit mode {mode!r}; expected one of {MODES}")
    n = count_words(text)
    if mode != "左右":
        if n > limit:
            return [_too_many(n, limit, f"{limit}字以内的要求" if mode == "以内" else f"不超过{limit}字的要求")]
        return []
    if hard_max is not None and n > hard_max:
        return [_too_many(n, hard_max, f"最多{hard_max}字的上限")]
    low = math.ceil(limit * (1 - tolerance))
    high = math.floor(limit * (1 + tolerance))
    if hard_max is not None:
        high = min(high, hard_max)      # 800字左右, at most 800: never promise 880
    if low <= n <= high:
        return []
    pct = f"{tolerance * 100:g}%"
    if n < low:
        message = (
            f"共{n}字，比{limit}字左右的要求少{limit - n}字"
            f"（{_range(low, high, limit, pct, hard_max)}）。"
        )
        fix = "请核对是否漏填了内容，或适当补充事迹。"
    else:
        message = (
            f"共{n}字，比{limit}字左右的要求多{n - limit}字"
            f"（{_range(low, high, limit, pct, hard_max)}）。"
        )
        fix = f"请适当删减，使字数接近{limit}字。"
    return [FieldProblem("words-off-target", message, fix, severity="warning")]


def _range(low: int, high: int, limit: int, pct: str, hard_max: int | None) -> str:
    if hard_max is not None and high == hard_max:
        return f"按少于{pct}、最多{hard_max}字计应在{low}—{high}字之间"
    return f"按±{pct}计应在{low}—{high}字之间"


def _too_many(n: int, limit: int, what: str) -> FieldProblem:
    return FieldProblem(
        "too-many-words",
        f"共{n}字，超过{what}（多{n - limit}字）。",
        f"请删减到{limit}字以内（按Word“字数统计”中的“字数”计算）。",
    )

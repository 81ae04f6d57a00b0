"""Shared helpers of the sample writers (tools/make_sample_*.py).

Computed identifiers (统一社会信用代码 with the GB 32100 check character, 身份证号码 with the
GB 11643 check digit), texts fitted to a word range the way Word counts them, the sample
workbook (推荐单位 sheet first, codes and dates kept as text) and the scripts' command line.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from openpyxl import Workbook
from stdnum.cn import uscc

from awardforms.check.wordcount import count_words

ROOT = Path(__file__).resolve().parents[1]


def credit_code(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def id_number(region: str, birth: str, seq: int) -> str:
    """GB 11643: 6-digit region, YYYYMMDD, 3-digit sequence (odd = 男), mod-11 check digit."""
    body = f"{region}{birth}{seq:03d}"
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    check = (12 - sum(int(d) * w for d, w in zip(body, weights)) % 11) % 11
    return body + ("X" if check == 10 else str(check))


def fit(sentences: list[str], low: int, high: int) -> str:
    """Join sentences (in order) until the text lands in [low, high] 字."""
    text = ""
    for s in sentences:
        if count_words(text + s) > high:
            continue
        text += s
        if count_words(text) >= low:
            return text
    raise ValueError(f"only {count_words(text)} 字 from the sentences given ({low}-{high} wanted)")


def new_workbook(campaign_id: str, unit: dict) -> Workbook:
    """A workbook whose first sheet is 推荐单位: 评选表彰项目, then the unit's label/value rows."""
    wb = Workbook()
    ws = wb.active
    ws.title = "推荐单位"
    ws.append(["评选表彰项目", campaign_id])
    for k, v in unit.items():
        ws.append([k, v])
    return wb


def add_sheet(wb: Workbook, title: str, headers: list[str], rows=()):
    """A nominee sheet: the header row, then `rows`."""
    ws = wb.create_sheet(title)
    ws.append(headers)
    for row in rows:
        ws.append(row)
    return ws


def save_workbook(wb: Workbook, sheets, path: Path) -> Path:
    """Save `wb` to `path`, the text cells of `sheets` (below the header) formatted as text so
    codes and dates stay text when a clerk edits them."""
    for ws in sheets:
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str):
                    cell.number_format = "@"
    wb.save(path)
    return path


def run(argv, description: str, default_out: Path, write) -> None:
    """Command line of a sample writer: --out (default `default_out`); `write(out_dir)` returns
    the path written, or a list of them."""
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--out", type=Path, default=default_out)
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    written = write(args.out)
    for path in written if isinstance(written, list) else [written]:
        print(path)

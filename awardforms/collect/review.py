"""After review: the 评审结果 the office chose in 推荐对象总表.xlsx (考核对象 / 拟表彰 / 不通过),
read back before the 总表 is written again (so a re-run keeps them), and the lists made from
them (documents.write_lists)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from awardforms.collect.tables import KEY_HEADER, RESULT_HEADER, SheetRows
from awardforms.textnorm import header_key


def read_results(path: Path) -> tuple[dict[tuple[str, str, str], str], str]:
    """{(sheet, 推荐单位, 识别码): 评审结果} from the 总表 as the office left it, and a problem
    ('' when none). A 总表 that cannot be read is moved aside (never lost) and named."""
    if not path.exists():
        return {}, ""
    try:
        from openpyxl import load_workbook
        wb = load_workbook(path, read_only=True, data_only=True)
        found: dict[tuple[str, str, str], str] = {}
        try:
            for ws in wb.worksheets:
                rows = ws.iter_rows(values_only=True)
                header = [header_key(str(h or "")) for h in next(rows, ())]
                try:
                    unit = header.index(header_key("推荐单位"))
                    key = header.index(header_key(KEY_HEADER))
                    result = header.index(header_key(RESULT_HEADER))
                except ValueError:
                    continue
                for row in rows:
                    row = list(row) + [None] * (len(header) - len(row))
                    value = str(row[result] or "").strip()
                    if value:
                        found[(ws.title, str(row[unit] or ""), str(row[key] or ""))] = value
        finally:
            wb.close()
        return found, ""
    except Exception as err:  # noqa: BLE001 - the office's file, edited by hand
        aside = path.with_name(f"{path.stem}.无法读取-{dt.datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
        path.replace(aside)
        return {}, (f"{path.name} 无法读取（{type(err).__name__}），其中填写的评审结果未能读入；"
                    f"原文件已改名为 {aside.name} 保留，请把评审结果抄回新的总表。")


def apply_results(sheets: list[SheetRows], found: dict[tuple[str, str, str], str],
                  choices: tuple[str, ...]) -> list[str]:
    """Put each 评审结果 on its row; what does not fit is returned as warnings (Chinese)."""
    problems = []
    used = set()
    for s in sheets:
        for row in s.rows:
            k = (s.sheet.name[:31], row.received.unit, row.key)
            value = found.get(k)
            if value is None:
                continue
            used.add(k)
            if value not in choices:
                problems.append(f"推荐对象总表“{s.sheet.name}”中 {row.nominee.name} 的评审结果“{value}”"
                                f"不是{'、'.join(choices)}之一，未采用。")
                continue
            row.nominee.result = value
    for (sheet, unit, key), value in found.items():
        if (sheet, unit, key) not in used:
            problems.append(f"推荐对象总表“{sheet}”中 {unit} 的 {key} 已不在本次汇总中（评审结果“{value}”未采用）。")
    return problems

"""The collection's spreadsheets (XlsxWriter; every value through write_string or
write_number, so a clerk's "=..." stays text): 收件登记表, 名额使用情况, 推荐对象总表, 问题清单."""

from __future__ import annotations

import re
from pathlib import Path

from awardforms.collect.quota import QuotaRow
from awardforms.collect.sources import Received
from awardforms.collect.tables import KEY_HEADER, RESULT_HEADER, SheetRows
from awardforms.output import atomic_write
from awardforms.textnorm import xml_text

REGISTER, QUOTAS, OVERVIEW, ISSUES = "收件登记表.xlsx", "名额使用情况.xlsx", "推荐对象总表.xlsx", "问题清单.xlsx"
SEVERITY = {"error": "错误", "warning": "提醒"}
_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")


def _book(path: Path, fill) -> None:
    def write(tmp: Path) -> None:
        from xlsxwriter import Workbook
        with Workbook(str(tmp), {"in_memory": True}) as wb:
            fill(wb, {"head": wb.add_format({"bold": True, "border": 1, "text_wrap": True, "valign": "vcenter",
                                             "bg_color": "#DDEBF7"}),
                      "body": wb.add_format({"border": 1, "text_wrap": True, "valign": "vcenter", "num_format": "@"}),
                      "num": wb.add_format({"border": 1, "valign": "vcenter"}),
                      "bad": wb.add_format({"border": 1, "valign": "vcenter", "font_color": "#C00000", "bold": True}),
                      "title": wb.add_format({"bold": True, "font_size": 14})})
    atomic_write(path, write)


def _table(ws, fmt, headers: list[str], rows: list[list], widths: list[int], start: int = 0) -> None:
    for c, h in enumerate(headers):
        ws.write_string(start, c, h, fmt["head"])
    for r, row in enumerate(rows, start=start + 1):
        for c, value in enumerate(row):
            if isinstance(value, int) and not isinstance(value, bool):
                ws.write_number(r, c, value, fmt["num"])
            elif isinstance(value, tuple):                  # (text, format name)
                ws.write_string(r, c, xml_text(str(value[0])), fmt[value[1]])
            else:
                ws.write_string(r, c, xml_text("" if value is None else str(value)), fmt["body"])
    for c, w in enumerate(widths):
        ws.set_column(c, c, w)
    ws.freeze_panes(start + 1, 0)
    if rows:
        ws.autofilter(start, 0, start + len(rows), len(headers) - 1)


def _time(r: Received) -> str:
    return r.time.strftime("%Y-%m-%d %H:%M:%S") if r.time else ""


def write_register(path: Path, received: list[Received], sheets: list[str]) -> None:
    headers = ["序号", "推荐单位", "所属地区", "文件", "时间", "时间来源", *[f"{s}（个）" for s in sheets],
               "错误", "提醒", "状态", "说明"]
    rows = []
    for i, r in enumerate(received, start=1):
        counts = [sum(1 for n in r.nominees if n.sheet == s) for s in sheets]
        status = (r.status, "bad") if r.status in ("有错误", "无法使用") else r.status
        rows.append([i, r.unit, r.region, str(r.path), _time(r), r.time_source, *counts, r.errors, r.warnings,
                     status, r.why or r.note])
    _book(path, lambda wb, fmt: _table(wb.add_worksheet("收件登记表"), fmt, headers, rows,
                                       [6, 30, 14, 50, 20, 14, *[12] * len(sheets), 8, 8, 10, 60]))


def write_quotas(path: Path, rows: list[QuotaRow]) -> None:
    headers = ["所属地区", "类别", "分配名额", "允许推荐数", "推荐数", "合格数", "差额（推荐数−分配名额）", "情况"]

    body = [[q.region, q.sheet, q.quota if q.quota is not None else "不在名额表中", q.allowed, q.submitted,
             q.valid, q.difference if q.difference is not None else "", (q.mark, "bad") if q.mark else ""]
            for q in rows]
    _book(path, lambda wb, fmt: _table(wb.add_worksheet("名额使用情况"), fmt, headers, body,
                                       [18, 14, 10, 12, 10, 10, 14, 8]))


def overview_headers(sheet: SheetRows) -> list[str]:
    return ["序号", "所属地区", "推荐单位", *sheet.headers, KEY_HEADER, RESULT_HEADER]


def write_overview(path: Path, sheets: list[SheetRows], results: tuple[str, ...]) -> None:
    def fill(wb, fmt) -> None:
        for s in sheets:
            ws = wb.add_worksheet(_SHEET_NAME.sub("_", s.sheet.name)[:31])
            headers = overview_headers(s)
            rows = [[r.seq, r.region, r.received.unit, *r.cells, r.key, r.nominee.result] for r in s.rows]
            _table(ws, fmt, headers, rows, [6, 14, 28, *[16] * len(s.headers), 22, 12])
            col = len(headers) - 1
            ws.data_validation(1, col, max(len(rows), 1) + 200, col,
                               {"validate": "list", "source": list(results), "ignore_blank": True,
                                "input_title": RESULT_HEADER, "input_message": "评审后选填：" + "、".join(results)})
    _book(path, fill)


def write_issues(path: Path, entries: list[tuple[str, str, object]]) -> None:
    """entries: (file, 推荐单位, Issue)."""
    headers = ["文件", "推荐单位", "工作表", "单元格", "字段", "严重程度", "代码", "说明"]
    rows = []
    for file, unit, i in entries:
        sev = SEVERITY.get(i.severity, i.severity)
        rows.append([file, unit, i.sheet or "", i.cell or (f"第{i.row}行" if i.row else ""), i.field or "",
                     (sev, "bad") if i.severity == "error" else sev, i.code,
                     i.message + (f" 处理办法：{i.fix}" if i.fix else "")])
    _book(path, lambda wb, fmt: _table(wb.add_worksheet("问题清单"), fmt, headers, rows,
                                       [36, 28, 12, 14, 16, 10, 20, 80]))

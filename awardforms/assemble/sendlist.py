"""报送清单.xlsx and the console's "what blocks sending": the page a clerk checks before
sealing the envelope.

One row per nominee of the workbook, in sheet and row order, with its status:
- 已生成: forms written, every required material found;
- 缺材料: forms written, a required scan (附件/) missing;
- 有错误: not generated; the workbook must be fixed first;
then the forms written, the materials missing, and the copies to print (FormDef.copies,
MaterialDef.copies), and on top the submission's own documents (汇总表, 推荐工作报告).

Written with XlsxWriter's `write_string` only: clerk text (names, file names) that starts with
"=" stays text, never a formula. Rewritten only when its content changed (UnchangedCache).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from awardforms.output import UnchangedCache, atomic_write, digest_of
from awardforms.textnorm import xml_text

SEND_LIST = "报送清单.xlsx"
READY, ERRORS, MISSING = "已生成", "有错误", "缺材料"
HEADERS = ("序号", "工作表", "行号", "推荐对象", "状态", "已生成的表格", "缺少的材料", "打印份数", "文件夹")
WIDTHS = (6, 14, 6, 30, 8, 40, 30, 44, 36)


@dataclass
class Line:
    seq: str
    sheet: str
    row: str
    name: str
    status: str
    forms: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    copies: list[str] = field(default_factory=list)
    folder: str = ""

    def cells(self) -> list[str]:
        return [self.seq, self.sheet, self.row, self.name, self.status, "\n".join(self.forms),
                "、".join(self.missing), "\n".join(self.copies), self.folder]


def _copies(title: str, n: int) -> str:
    return f"{title}：{n}份"


def nominee_lines(sub, plans) -> list[Line]:
    """One line per nominee (plans: forms.plan.plan_submission, every record)."""
    lines = []
    for plan in plans:
        rec = plan.record
        cl = rec.checklist
        missing = [m.name for m in cl.missing_required] if cl is not None else []
        status = ERRORS if rec.has_errors else (MISSING if missing else READY)
        line = Line(f"{rec.seq:03d}", rec.sheet.name, str(rec.row), rec.name or "（未填写名称）", status,
                    missing=missing, folder=plan.folder if plan.forms else "")
        if rec.has_errors:
            line.forms = ["未生成（有错误，请修改后重新生成）"]
        else:
            line.forms = [pf.form.title for pf in plan.forms]
            line.copies = [_copies(pf.form.title, pf.form.copies) for pf in plan.forms]
            if cl is not None:
                line.copies += [_copies(item.material.name, item.material.copies)
                                for item in cl.items if item.present]
        lines.append(line)
    return lines


def submission_lines(sub, submission_outputs: list[str]) -> list[Line]:
    """The submission's own documents (汇总表, 推荐工作报告) with their copies."""
    forms = {f.output: f for f in sub.campaign.submission_forms}
    summary_copies = int(sub.campaign.summary.get("copies", 1))
    lines = []
    for out in submission_outputs:
        if out.lower().endswith(".xlsx"):
            continue                        # the 汇总表's .xlsx: for e-mail, printed as its .docx
        form = forms.get(out)
        title = form.title if form else (sub.campaign.summary.get("title") or Path(out).stem)
        copies = form.copies if form else summary_copies
        lines.append(Line("", "", "", title, READY, [out], copies=[_copies(title, copies)]))
    return lines


def blockers(sub, plans) -> list[str]:
    """Console lines saying what keeps the package from being sent; [] when nothing does."""
    if sub.report.valid:
        return []
    errors: dict[tuple[str, int], int] = {}
    overall = []
    for issue in sub.report.errors:
        if issue.sheet and issue.row:
            errors[(issue.sheet, issue.row)] = errors.get((issue.sheet, issue.row), 0) + 1
        else:
            overall.append(issue)
    lines = [f"不能报送：推荐对象表有 {len(sub.report.errors)} 个错误，压缩包和 PDF 的文件名以“-未完成”结尾，"
             "仅供核对。请按上面列出的单元格修改后重新生成。"]
    bad = [p.record for p in plans if p.record.has_errors]
    if bad:
        lines.append(f"  未生成材料的推荐对象 {len(bad)} 个：")
        for rec in bad[:20]:
            n = errors.get((rec.sheet.name, rec.row), 0)
            count = f"，{n} 个错误" if n else "，与其他行重复等"
            lines.append(f"    {rec.sheet.name}第{rec.row}行 {rec.name or '（未填写名称）'}（{count[1:]}）")
        if len(bad) > 20:
            lines.append(f"    ……另有 {len(bad) - 20} 个，见报送清单.xlsx")
    rows = {(rec.sheet.name, rec.row) for rec in bad}
    other = sum(n for key, n in errors.items() if key not in rows)
    for issue in overall[:10]:
        lines.append(f"  {issue.where}：{issue.message}")
    if other:
        lines.append(f"  其他单元格的错误 {other} 个（见上面的列表）。")
    return lines


def write_send_list(out_dir: Path, sub, plans, submission_outputs: list[str], bundle: str,
                    complete: bool, unit: str = "", force: bool = False) -> str:
    """Write `报送清单.xlsx` (only when its content changed); return its name."""
    n_err = len(sub.report.errors)
    state = (f"可以报送：发送用压缩包“{bundle}”。" if complete else
             f"未完成，不能报送：推荐对象表有 {n_err} 个错误，有错误的推荐对象没有生成材料；"
             f"压缩包“{bundle}”仅供核对。请修改后重新生成。")
    nominees = nominee_lines(sub, plans)
    lines = submission_lines(sub, submission_outputs) + nominees
    counts = {s: sum(1 for line in nominees if line.status == s) for s in (READY, MISSING, ERRORS)}
    totals = "；".join(f"{s} {n} 个" for s, n in counts.items())
    title = f"报送清单：{unit} {sub.campaign.title}".strip()
    rows = [line.cells() for line in lines]
    digest = digest_of(title, state, totals, rows)
    cache = UnchangedCache(out_dir)
    if force or not cache.fresh(out_dir, SEND_LIST, digest):
        atomic_write(out_dir / SEND_LIST, lambda p: _write(p, title, state, totals, lines, complete))
        cache.record(SEND_LIST, digest)
        cache.save()
    return SEND_LIST


def _write(path: Path, title: str, state: str, totals: str, lines: list[Line], complete: bool) -> None:
    from xlsxwriter import Workbook
    with Workbook(str(path), {"in_memory": True}) as wb:
        bold = wb.add_format({"bold": True, "font_size": 14})
        flag = wb.add_format({"bold": True, "font_color": "#006100" if complete else "#C00000"})
        head = wb.add_format({"bold": True, "border": 1, "bg_color": "#DDEBF7", "text_wrap": True,
                              "valign": "vcenter"})
        body = wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "num_format": "@"})
        marks = {ERRORS: wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "bg_color": "#FFC7CE"}),
                 MISSING: wb.add_format({"border": 1, "text_wrap": True, "valign": "top", "bg_color": "#FFEB9C"})}
        ws = wb.add_worksheet("报送清单")
        write = ws.write_string                       # never ws.write: "=..." would become a formula
        write(0, 0, xml_text(title), bold)
        write(1, 0, xml_text(state), flag)
        write(2, 0, xml_text(f"推荐对象：{totals}。打印时按“打印份数”准备，盖章后与压缩包一并报送。"))
        for col, text in enumerate(HEADERS):
            write(4, col, text, head)
        for r, line in enumerate(lines, start=5):
            for col, text in enumerate(line.cells()):
                fmt = marks.get(line.status, body) if col == 4 else body
                write(r, col, xml_text(text), fmt)
            height = max(1, len(line.forms), len(line.copies))
            ws.set_row(r, 15 * height + 3)
        for col, width in enumerate(WIDTHS):
            ws.set_column(col, col, width)
        ws.freeze_panes(5, 0)
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 0)

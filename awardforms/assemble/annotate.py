"""The annotated copy of the clerk's workbook: where they fix things, in Excel.

`write_annotated(source, report, out)` opens a copy of the workbook (the source file is only
read, never written), fills every cell with an issue red (error) or yellow (warning), puts
the message and the fix into a cell comment (several issues in one cell: one comment with
all of them), and adds a first sheet `校验结果` listing every issue with a link to its cell,
the workbook-level ones (quota, ratios) on top.

openpyxl keeps values, formulas, styles, data validations, comments, merged cells and
hidden rows; it drops images, charts and some newer Excel features (slicers, sparklines).
That is acceptable for a copy whose purpose is to show where the problems are.

openpyxl is imported when a copy is written: a re-run that keeps its copy (`reuse`) does not
load it (about 0.1-0.2 s of start-up). The CLI has the copy written by a second process while
it renders (annotate_worker.py, with `open_copy` and `finish_copy`); the watcher calls
`write_annotated`.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

from awardforms import __version__
from awardforms.output import UnchangedCache, atomic_write, digest_of, text_cells
from awardforms.report import Issue, Report
from awardforms.textnorm import header_key

RESULT_SHEET = "校验结果"
SUFFIX = ".校验结果.xlsx"
AUTHOR = "awardforms校验"
ERROR_RGB = "FFFF0000"      # red
WARNING_RGB = "FFFFFF00"    # yellow
LABELS = {"error": "错误", "warning": "提醒"}
HEADERS = ("位置", "字段", "类型", "说明", "处理办法")
ORIGINAL_MARK = "\n\n—— 原批注 ——\n"
MAX_TEXT = 32000             # Excel's limit per cell / comment is 32,767 characters


def annotated_path(source: Path, out_dir: Path) -> Path:
    """`<out_dir>/<stem>.校验结果.xlsx`."""
    return out_dir / f"{Path(source).stem}{SUFFIX}"


def _fills() -> dict:
    from openpyxl.styles import PatternFill
    return {"error": PatternFill("solid", fgColor=ERROR_RGB, bgColor=ERROR_RGB),
            "warning": PatternFill("solid", fgColor=WARNING_RGB, bgColor=WARNING_RGB)}


def _safe(text: str, limit: int = MAX_TEXT) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    text = ILLEGAL_CHARACTERS_RE.sub("", str(text))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _issue_text(issue: Issue) -> str:
    label = LABELS.get(issue.severity, issue.severity)
    field = f"“{issue.field}”" if issue.field else ""
    fix = f"\n处理办法：{issue.fix}" if issue.fix else ""
    return f"【{label}】{field}{issue.message}{fix}"


def _find_sheet(wb, name: str | None):
    if not name:
        return None
    if name in wb.sheetnames:
        return wb[name]
    wanted = header_key(name)
    return next((wb[n] for n in wb.sheetnames if header_key(n) == wanted), None)


def _row_cell(ws, issue: Issue) -> str:
    """A row-level issue: the header cell named by its field, or column A."""
    if issue.field:
        wanted = header_key(issue.field)
        for cell in ws[issue.row]:
            if cell.value is not None and header_key(str(cell.value)) == wanted:
                return cell.column_letter
    return "A"


def _clear_previous(wb) -> None:
    """A clerk may send back an annotated copy: remove our old sheet, comments and fills."""
    from openpyxl.comments import Comment
    from openpyxl.styles import PatternFill
    if RESULT_SHEET in wb.sheetnames:
        del wb[RESULT_SHEET]
    ours = {rgb for rgb in (ERROR_RGB, WARNING_RGB)}
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                comment = cell.comment
                if comment is None or comment.author != AUTHOR:
                    continue
                _, _, original = comment.text.partition(ORIGINAL_MARK)
                cell.comment = Comment(original, "") if original else None
                fill = cell.fill
                if fill is not None and fill.fill_type == "solid" and fill.fgColor.rgb in ours:
                    cell.fill = PatternFill()


def _mark_cells(wb, issues: list[Issue]) -> dict[Issue, tuple[str, str] | None]:
    """Fill and comment every cell with issues; the (sheet, coordinate) each issue went to."""
    from openpyxl.comments import Comment
    fills = _fills()
    where: dict[Issue, tuple[str, str] | None] = {}
    by_cell: dict[tuple[str, str], list[Issue]] = defaultdict(list)
    for issue in issues:
        ws = _find_sheet(wb, issue.sheet)
        if ws is None or issue.row is None:
            where[issue] = (ws.title, "A1") if ws is not None else None
            continue
        column = issue.column or _row_cell(ws, issue)
        key = (ws.title, f"{column}{issue.row}")
        by_cell[key].append(issue)
        where[issue] = key
    for (title, coord), cell_issues in by_cell.items():
        cell = wb[title][coord]
        worst = "error" if any(i.severity == "error" for i in cell_issues) else "warning"
        cell.fill = fills[worst]
        text = "\n\n".join(_issue_text(i) for i in cell_issues)
        if cell.comment is not None and cell.comment.text:
            text += ORIGINAL_MARK + cell.comment.text
        text = _safe(text)
        lines = sum(1 + len(line) // 18 for line in text.split("\n"))
        cell.comment = Comment(text, AUTHOR, height=min(max(80, 16 * lines), 600), width=300)
    return where


def _result_sheet(wb, issues: list[Issue], where: dict) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import quote_sheetname
    from openpyxl.worksheet.hyperlink import Hyperlink
    fills = _fills()
    ws = wb.create_sheet(RESULT_SHEET, 0)
    ws.append(list(HEADERS))
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    link_font = Font(color="FF0563C1", underline="single")
    if not issues:
        ws.append(["整个工作簿", "", "", "检查通过：没有发现错误或提醒。", ""])
    for issue in issues:
        ws.append([_safe(issue.where, 255), _safe(issue.field or ""), LABELS.get(issue.severity, issue.severity),
                   _safe(issue.message), _safe(issue.fix)])
        row = ws.max_row
        for cell in ws[row]:
            cell.alignment = wrap
        ws.cell(row, 3).fill = fills.get(issue.severity, PatternFill())
        target = where.get(issue)
        if target is not None:
            title, coord = target
            location = f"{quote_sheetname(title)}!{coord}"
            cell = ws.cell(row, 1)
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=location,
                                       tooltip=_safe(f"转到 {title}!{coord}", 255))
            cell.font = link_font
    n_err = sum(i.severity == "error" for i in issues)
    n_warn = len(issues) - n_err
    ws["G1"] = f"共 {n_err} 个错误、{n_warn} 个提醒" if issues else "检查通过"
    ws["G1"].font = bold
    text_cells(ws.iter_rows())       # a header the clerk typed as "=HYPERLINK(...)" stays text
    for letter, width in zip("ABCDE", (18, 20, 8, 60, 50)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    if issues:
        ws.auto_filter.ref = f"A1:E{ws.max_row}"
    for other in wb.worksheets:
        other.sheet_view.tabSelected = False
    ws.sheet_view.tabSelected = True
    wb.active = 0


def source_sha(data: bytes) -> str:
    """What a copy is made from: the hash of the workbook's bytes."""
    return hashlib.sha256(data).hexdigest()


def copy_digest(sha: str, report: Report) -> str:
    """The copy's inputs: tool version, workbook bytes (`sha`), issues."""
    return digest_of(__version__, sha, [i.as_json() for i in report.sorted()])


def _stamp(digest: str, sha: str, out: Path) -> str:
    """The record of a copy written from `digest`'s inputs; the workbook's hash on its own
    too, for `likely_kept`, which must decide before the issues are known."""
    st = out.stat()
    return f"{digest}:{sha}:{st.st_size}:{st.st_mtime_ns}"


def _is_kept(cache: UnchangedCache, out: Path, digest: str, sha: str) -> bool:
    try:
        return cache.digests.get(out.name) == _stamp(digest, sha, out)
    except OSError:
        return False


def record_copy(out: Path, digest: str, sha: str) -> None:
    """Remember that the copy now at `out` was made from `digest`'s inputs (see `reuse`)."""
    cache = UnchangedCache(out.parent)
    cache.record(out.name, _stamp(digest, sha, out))
    cache.save()


def likely_kept(sha: str, out: Path) -> bool:
    """Whether `write_annotated(..., reuse=True)` will probably keep the copy at `out`: one is
    recorded from a workbook with hash `sha` and is unchanged since. Only a guess (the issues
    may differ, e.g. a photo was added), for deciding early whether to prepare a new copy."""
    recorded = UnchangedCache(out.parent).digests.get(out.name, "")
    try:
        st = out.stat()
    except OSError:
        return False
    return recorded.endswith(f":{sha}:{st.st_size}:{st.st_mtime_ns}")


def write_annotated(source: Path, report: Report, out: Path, reuse: bool = False,
                    data: bytes | None = None) -> Path:
    """Write the annotated copy of `source` to `out`; `source` itself is never written.

    `reuse`: keep the copy already at `out` when it was made by this tool version from the
    same workbook bytes and the same issues, and nobody has changed it since (recorded in the
    output folder's `.awardforms-assembly.json`). A re-render without an edit (or a batch
    where most workbooks did not change) then skips openpyxl's load and save of the whole
    workbook, about 0.2 s for 200 nominees.

    `data`: the workbook's bytes that were checked (`Submission.source_data`): the copy is made
    from them, so it shows the version the issues belong to even if the clerk saved since.
    """
    source, out = Path(source), Path(out)
    check_target(source, out)
    data = source.read_bytes() if data is None else data
    cache = digest = sha = None
    if reuse:
        cache = UnchangedCache(out.parent)
        sha = source_sha(data)
        digest = copy_digest(sha, report)
        if _is_kept(cache, out, digest, sha):
            return out
    _write(data, report, out)
    if cache is not None:
        cache.record(out.name, _stamp(digest, sha, out))
        cache.save()
    return out


def check_target(source: Path, out: Path) -> None:
    if out.resolve() == source.resolve():
        raise ValueError(f"annotated copy would overwrite the source workbook {source}")


def _write(data: bytes, report: Report, out: Path) -> None:
    import io
    wb = open_copy(io.BytesIO(data))
    try:
        finish_copy(wb, report, out)
    finally:
        wb.close()


def open_copy(source):
    """The clerk's workbook in openpyxl (from a path or a binary file), our old marks removed."""
    from openpyxl import load_workbook
    wb = load_workbook(source, keep_vba=False, keep_links=False)
    _clear_previous(wb)
    return wb


def finish_copy(wb, report: Report, out: Path, before_replace=None) -> None:
    """Mark `report`'s issues in `wb` (from `open_copy`) and save it, atomically, to `out`;
    `before_replace()` may still raise to keep the saved file from replacing `out`."""
    issues = report.sorted()
    where = _mark_cells(wb, issues)
    _result_sheet(wb, issues, where)

    def write(path: Path) -> None:
        _save(wb, path)
        if before_replace is not None:
            before_replace()
    atomic_write(out, write)


def _save(wb, path: Path) -> None:
    # through a file this function closes, also when interrupted (Ctrl-C, or the parent of a
    # background copy gone): the temporary file can then be removed on Windows too
    with open(path, "wb") as handle:
        wb.save(handle)


def failure(out: Path, kind: str, text: str) -> str:
    """The clerk's message for a copy that could not be written (`kind`: the error's type)."""
    return f"未能生成带批注的校验结果副本 {out}（{kind}: {text}）"


def try_write_annotated(source: Path, report: Report, out_dir: Path, reuse: bool = True,
                        data: bytes | None = None) -> tuple[Path | None, str | None]:
    """(path, None) on success; (None, reason) when the copy could not be written.

    Never raises: the check result matters more than its annotated copy.
    """
    out = annotated_path(source, out_dir)
    try:
        return write_annotated(source, report, out, reuse=reuse, data=data), None
    except Exception as err:  # noqa: BLE001 - a failed copy must not lose the check result
        return None, failure(out, type(err).__name__, str(err))

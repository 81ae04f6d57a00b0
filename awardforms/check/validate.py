"""Normalise and validate: raw workbook -> typed records + a Report of every issue.

Order per cell: type check first (a value that does not parse gets one message and no
constraint checks), then required/defaults; per row: the campaign's row rules on the
values that parsed; per sheet: rules across rows and the quota.
"""

from __future__ import annotations

from dataclasses import dataclass, replace, field
from pathlib import Path

from awardforms.campaigns.model import Campaign, FieldDef, SheetDef, condition_holds
from awardforms.errors import FieldProblem
from awardforms.check.fields import FieldContext, choose_from, parse_value
from awardforms.read.photos import PHOTO_FOLDER, fill_photos, folder_index, key_fields, nominee_keys
from awardforms.check.links import check_links
from awardforms.check.records import Record, Unit
from awardforms.report import Issue, Report
from awardforms.campaigns.schema import RULE_TYPES
from awardforms.check.rules import RULES
from awardforms.read import scans
from awardforms.textnorm import header_key
from awardforms.read.workbook import UNIT_SHEET, RawRow, RawWorkbook, read_workbook


@dataclass
class Submission:
    """Everything `check` learns and `render` needs."""
    campaign: Campaign
    source: Path
    unit: Unit
    records: dict[str, list[Record]]        # sheet name -> records in Excel order
    quota: dict[str, int] | None            # sheet name -> 推荐名额 for this 所属地区
    report: Report
    source_data: bytes = field(default=b"", repr=False)   # the workbook's bytes that were checked

    def all_records(self) -> list[Record]:
        return [r for rs in self.records.values() for r in rs]


def _problem_issue(sheet: str, row: int, column: str | None, f: FieldDef, p: FieldProblem) -> Issue:
    return Issue(sheet, row, column, f.label, p.severity, p.code, p.message, p.fix)


def _parse_fields(fields: list[FieldDef], cells: dict, sheet: str, row_of, ctx: FieldContext,
                  report: Report, absent: frozenset[str] = frozenset()) -> tuple[dict, dict, dict, bool]:
    """`absent`: keys of fields whose column the sheet lacks. A required one was reported once
    at the header (the row is still not usable); one this row needs by `required_when` is
    reported here, at the row."""
    values, display, raw, bad = {}, {}, {}, False
    failed: set[str] = set()          # fields whose value did not parse: no 'required' on top
    for f in fields:
        cell = cells.get(f.key)
        row, column = row_of(cell)
        try:
            if cell is not None and getattr(cell, "problem", None) is not None:
                raise cell.problem         # e.g. a formula without a cached value
            parsed = parse_value(cell.value if cell else None, f, ctx)
        except FieldProblem as p:
            report.add(_problem_issue(sheet, row, column, f, p))
            bad |= p.severity == "error"
            failed.add(f.key)
            values[f.key], display[f.key] = None, ""
            raw[f.key] = str(cell.value) if cell else ""
            continue
        if parsed is None:
            values[f.key], display[f.key], raw[f.key] = None, f.default, ""
            continue
        for p in parsed.problems:
            report.add(_problem_issue(sheet, row, column, f, p))
            bad |= p.severity == "error"
        values[f.key], display[f.key], raw[f.key] = parsed.value, parsed.display, parsed.display
    # required / required_when, once every value is known
    for f in fields:
        needed = f.required or (f.required_when and condition_holds(f.required_when, values))
        cell = cells.get(f.key)
        if needed and values[f.key] is None and not display[f.key] and f.key not in failed:
            bad = True
            if f.key in absent and f.required:
                continue                   # missing-column, once at the header
            row, column = row_of(cell)
            when = ""
            if f.required_when and not f.required:
                other = next((g.label for g in fields if g.key == f.required_when["field"]), "")
                shown = f.required_when.get("equals") or "”或“".join(f.required_when.get("in", []))
                when = f"“{other}”为“{shown}”"
            if f.key in absent:
                report.add(Issue(sheet, row, None, f.label, "error", "missing-column",
                                 f"{when}，须填写“{f.label}”，但工作表中没有“{f.label}”列。",
                                 f"请在表头添加“{f.label}”列（可用 awardforms init 生成新模板对照），并在此行填写。"))
                continue
            report.add(Issue(sheet, row, column, f.label, "error", "required",
                             f"未填写（{when}时必填）。" if when else "未填写。", _fill_hint(f)))
    return values, display, raw, bad


def _fill_hint(f: FieldDef) -> str:
    """The fix for an empty required cell: a choice field's values first (its note may only
    explain the field, e.g. 社会服务机构即民办非企业单位), then the note."""
    if f.choices:
        return choose_from(f) + (f"说明：{f.note}" if f.note else "")
    return f.note or "请填写此项。"


def _unit(raw: RawWorkbook, ctx: FieldContext, report: Report) -> Unit:
    def where(cell):
        return (cell.row, "B") if cell else (None, None)
    start = len(report.issues)
    values, display, _, _ = _parse_fields(raw.campaign.unit_fields, raw.unit, UNIT_SHEET, where, ctx, report)
    _locate_own_cells(raw, report, start)
    _locate_missing_labels(raw, report, start)
    return Unit(values, display)


def _locate_own_cells(raw: RawWorkbook, report: Report, start: int) -> None:
    """An issue of a unit field read from its own cell (推荐工作报告!B1) names that cell."""
    own = {f.label: raw.unit[f.key] for f in raw.campaign.unit_fields
           if f.key in raw.unit and getattr(raw.unit[f.key], "sheet", "")}
    for n in range(start, len(report.issues)):
        cell = own.get(report.issues[n].field or "")
        if cell is not None:
            report.issues[n] = replace(report.issues[n], sheet=cell.sheet, row=cell.row, column=cell.column)


def _locate_missing_labels(raw: RawWorkbook, report: Report, start: int) -> None:
    """A unit field whose label row is missing from 推荐单位: the issue names the cells to
    fill, the rows below the last label (推荐单位!A9 and B9), not the sheet alone."""
    free = raw.unit_free_row
    fields = {f.label: f for f in raw.campaign.unit_fields}
    for n in range(start, len(report.issues)):
        issue = report.issues[n]
        f = fields.get(issue.field or "")
        if issue.row is not None or f is None or issue.code != "required":
            continue
        fill = f"请在 {UNIT_SHEET}!A{free} 写“{f.label}”，在 {UNIT_SHEET}!B{free} 填写内容"
        if f.cell:
            fill = f"请在 {f.cell} 填写（没有“{f.cell.partition('!')[0]}”工作表时新建一个），或{fill[1:]}"
        report.issues[n] = replace(issue, row=free, column="A", message=f"没有“{f.label}”一行。",
                                   fix=fill + (f"。{f.note}" if f.note else "。"))
        free += 1


def _records(sheet: SheetDef, rows: list[RawRow], columns: dict[str, str], ctx: FieldContext,
             report: Report) -> list[Record]:
    records = []
    row_rules = [(r, RULES[r["type"]]) for r in sheet.rules if RULE_TYPES[r["type"]].scope == "row"]
    files = _SheetFiles.of(sheet, ctx.base_dir)
    absent = frozenset(f.key for f in sheet.fields if f.key not in columns)
    for seq, row in enumerate(rows, start=1):
        def where(cell, _row=row):
            return (_row.row, cell.column if cell else None)
        values, display, raw, bad = _parse_fields(sheet.fields, row.cells, sheet.name, where, ctx, report,
                                                  absent)
        photo_bad, checklist = _photos_and_scans(sheet, row.row, columns, values, display, raw, ctx, report,
                                                 files)
        bad |= photo_bad
        rec = Record(sheet, row.row, values, display, columns, seq=seq, raw=raw, checklist=checklist)
        for r, check in row_rules:
            if condition_holds(r.get("when"), values):
                for issue in check(r, rec):
                    report.add(issue)
                    bad |= issue.severity == "error"
        rec.has_errors = bad
        records.append(rec)
    return records


@dataclass(frozen=True)
class _SheetFiles:
    """What `_photos_and_scans` needs once per sheet, not once per row: the keys of the photo
    fields, of the fields naming a nominee's files (photos.key_fields) and the listings of
    `照片/` and `附件/` (photos.folder_index)."""
    photo_keys: tuple[str, ...]
    key_fields: tuple[str, ...]
    photos: dict
    scan_folders: dict

    @classmethod
    def of(cls, sheet: SheetDef, base_dir: Path) -> "_SheetFiles":
        keys = tuple(f.key for f in sheet.fields if f.type == "photo")
        return cls(keys, key_fields(sheet), folder_index(base_dir / PHOTO_FOLDER, files=True) if keys else {},
                   folder_index(base_dir / scans.SCANS_FOLDER, files=False))


def _photos_and_scans(sheet: SheetDef, row: int, columns: dict[str, str], values: dict,
                      display: dict, raw: dict, ctx: FieldContext, report: Report,
                      files: _SheetFiles | None = None) -> tuple[bool, object]:
    """Photos from the `照片/` folder and the scans checklist (photos.py, scans.py).

    (an error was reported, the nominee's scans checklist or None)."""
    files = files or _SheetFiles.of(sheet, ctx.base_dir)

    def add(key, severity, code, message, fix=""):
        label = sheet.field(key).label if key else None
        report.add(Issue(sheet.name, row, columns.get(key) if key else None, label, severity, code,
                         message, fix))
    failed = {k for k in files.photo_keys if raw.get(k)}      # a photo cell that did not parse
    keys = nominee_keys(sheet, display, files.key_fields)     # (photo fields are not among them)
    bad = fill_photos(sheet, values, display, ctx.base_dir, failed, add, photos=files.photos, keys=keys)
    # scans.collect looked up at each call, positional arguments only (tests count the calls)
    checklist = scans.collect(sheet, display, ctx.base_dir, files.scan_folders, keys)
    name_column = columns.get(sheet.name_field)     # the nominee's name cell
    report.extend(replace(i, column=i.column or name_column)
                  for i in scans.material_issues(sheet, row, checklist, ctx.base_dir))
    return bad, checklist


def find_quota(campaign: Campaign, region: str) -> dict[str, int] | None:
    wanted = header_key(region)
    for name, entry in campaign.quotas.items():
        key = header_key(name)
        if wanted == key or wanted.startswith(key) or key.startswith(wanted):
            return entry
    return None


def _check_quota(campaign: Campaign, unit: Unit, raw: RawWorkbook, counts: dict[str, int],
                 report: Report) -> dict[str, int] | None:
    cell = raw.unit.get("region")
    row = cell.row if cell else None
    region = unit.display.get("region") or ""
    if not campaign.uses_quotas:
        return None
    if not campaign.quotas:
        report.add(Issue(UNIT_SHEET, row, "B" if row else None, "所属地区", "warning", "quota-not-configured",
                         f"本工具没有“{campaign.title}”的推荐名额分配表，未核对推荐名额。",
                         "请对照通知所附的推荐名额分配表，自行核对各工作表的推荐人数没有超过"
                         "本地区（本单位）的名额。"))
        return None
    if not region:
        return None
    quota = find_quota(campaign, region)
    if quota is None:
        known = "、".join(campaign.quotas)
        report.add(Issue(UNIT_SHEET, row, "B", "所属地区", "error", "unknown-region",
                         f"所属地区“{region}”不在推荐名额分配表中，无法核对名额。",
                         f"请填写名额表中的名称之一：{known}。"))
        return None
    for sheet, count in counts.items():
        allowed = quota.get(sheet, 0)
        if count > allowed and campaign.quota_cap:
            report.add(Issue(sheet, None, None, None, "error", "quota-exceeded",
                             f"{sheet}推荐了{count}个，超过“{region}”的推荐名额{allowed}个。",
                             f"请按名额分配表减少{count - allowed}个推荐对象。"))
    return quota


def validate(raw: RawWorkbook) -> Submission:
    report = Report(list(raw.issues), order=raw.sheet_order)
    ctx = FieldContext(base_dir=raw.path.parent)
    unit = _unit(raw, ctx, report)
    records: dict[str, list[Record]] = {}
    for rs in raw.sheets:
        records[rs.definition.name] = _records(rs.definition, rs.rows, rs.columns, ctx, report)
    counts = {name: len(rs) for name, rs in records.items()}
    quota = _check_quota(raw.campaign, unit, raw, counts, report)
    for rs in raw.sheets:
        sheet = rs.definition
        for r in sheet.rules:
            if RULE_TYPES[r["type"]].scope == "sheet":
                report.extend(RULES[r["type"]](r, records[sheet.name],
                                                     quota.get(sheet.name) if quota else None))
    check_links(raw.campaign, records, report)       # members, workbook rules (links.py)
    # cross-row errors (duplicates) make their row invalid too
    bad_rows = report.rows_with_errors()
    for rec in (r for rs in records.values() for r in rs):
        rec.has_errors |= (rec.sheet.name, rec.row) in bad_rows
    return Submission(raw.campaign, raw.path, unit, records, quota, report, raw.data)


def check_workbook(path: str | Path) -> Submission:
    return validate(read_workbook(path))

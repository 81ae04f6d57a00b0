"""What the collection writes from what run.py found: the spreadsheets and documents, collect.json
(the contract's shape) and the page's context."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from awardforms.campaigns.model import Campaign
from awardforms.collect import documents, page, workbooks
from awardforms.collect.config import CollectConfig
from awardforms.collect.crosscheck import CODE as DUPLICATE
from awardforms.collect.quota import QuotaRow
from awardforms.collect.sources import Received
from awardforms.collect.tables import SheetRows
from awardforms.report import Issue, Report

ACROSS_FILE = "（全部提交合计）"


def _time(r: Received) -> str:
    return r.time.strftime("%Y-%m-%d %H:%M:%S") if r.time else ""


def issue_entries(received: list[Received], across: list[Issue]) -> list[tuple[str, str, Issue]]:
    entries = [(r.name, r.unit, i) for r in received for i in Report(list(r.issues)).sorted()]
    if any(r.why for r in received):
        entries += [(r.name, r.unit, Issue(None, None, None, None, "error", "unusable", r.why))
                    for r in received if r.why]
    return entries + [(ACROSS_FILE, "", i) for i in across]


def write_outputs(out_dir: Path, campaign: Campaign, config: CollectConfig, received: list[Received],
                  rows: list[QuotaRow], sheets: list[SheetRows], across: list[Issue]) -> list[str]:
    names = [s.name for s in campaign.sheets]
    workbooks.write_register(out_dir / workbooks.REGISTER, received, names)
    workbooks.write_quotas(out_dir / workbooks.QUOTAS, rows)
    workbooks.write_overview(out_dir / workbooks.OVERVIEW, sheets, config.results)
    documents.write_overview_docx(out_dir / documents.OVERVIEW_DOCX, campaign, sheets)
    workbooks.write_issues(out_dir / workbooks.ISSUES, issue_entries(received, across))
    lists = documents.write_lists(out_dir, campaign, config, sheets)
    return [workbooks.REGISTER, workbooks.QUOTAS, workbooks.OVERVIEW, documents.OVERVIEW_DOCX,
            workbooks.ISSUES, *lists]


def collect_json(campaign: Campaign, received: list[Received], rows: list[QuotaRow], across: list[Issue]) -> dict:
    names = [s.name for s in campaign.sheets]
    issues = []
    for file, unit, i in issue_entries(received, across):
        d = i.as_json()
        issues.append({"file": file, "unit": unit, **d})      # unit: beyond the contract's keys
    return {
        "campaign": campaign.id,
        "submissions": [{"file": str(r.path), "unit": r.unit, "region": r.region, "status": r.status,
                         "nominees": {s: sum(1 for n in r.nominees if n.sheet == s) for s in names},
                         "errors": r.errors, "warnings": r.warnings, "time": _time(r),
                         "folder": r.folder or None, "note": r.why or r.note} for r in received],
        "quota": [q.as_json() for q in rows],
        "issues": issues,
    }


def page_context(campaign: Campaign, received: list[Received], counted: list[Received], rows: list[QuotaRow],
                 across: list[Issue], written: list[str], notes: list[str]) -> dict:
    names = [s.name for s in campaign.sheets]
    all_issues = issue_entries(received, across)
    groups = {}
    for file, _unit, i in all_issues:
        g = groups.setdefault(file, {"file": file, "issues": [], "errors": 0, "warnings": 0})
        g["issues"].append(i)
        g["errors" if i.severity == "error" else "warnings"] += 1
    dups = [{"file": r.name, "unit": r.unit, "where": i.where,
             "message": i.message + (f" 处理办法：{i.fix}" if i.fix else "")}
            for r in counted for i in r.issues if i.code == DUPLICATE]
    return {
        "title": f"{campaign.short_title}推荐材料汇总", "campaign": campaign.title, "campaign_id": campaign.id,
        "made": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "counts": {"files": len(received), "counted": len(counted),
                   "replaced": sum(r.status == "已被替换" for r in received),
                   "unusable": sum(r.status == "无法使用" for r in received),
                   "errors": sum(i.severity == "error" for _, _, i in all_issues),
                   "warnings": sum(i.severity == "warning" for _, _, i in all_issues)},
        "sheet_totals": [{"sheet": s, "submitted": sum(q.submitted for q in rows if q.sheet == s),
                          "valid": sum(q.valid for q in rows if q.sheet == s)} for s in names],
        "outputs": [w for w in written if w != page.PAGE],
        "charts": [page.chart(s, rows) for s in names],
        "quota": [{"region": q.region, "sheet": q.sheet, "quota": q.quota, "allowed": q.allowed,
                   "submitted": q.submitted, "valid": q.valid, "difference": q.difference, "mark": q.mark}
                  for q in rows],
        "duplicates": dups,
        "across": [{"severity": i.severity, "message": i.message + (f" {i.fix}" if i.fix else "")} for i in across],
        "notes": notes,
        "sheets": names,
        "submissions": [{"status": r.status, "unit": r.unit, "region": r.region, "file": str(r.path),
                         "time": _time(r), "why": r.why, "note": r.note, "errors": r.errors,
                         "warnings": r.warnings, "folder": r.folder,
                         "counts": [sum(1 for n in r.nominees if n.sheet == s) for s in names],
                         "links": _links(r)} for r in received],
        "issues": all_issues,
        "issue_groups": list(groups.values()),
    }


def _links(r: Received) -> list[str]:
    return list(dict.fromkeys(r.files + [f for n in r.nominees for f in n.files])) if r.folder else []

"""A worker process: claims jobs from the queue (jobs.py) and runs them, one at a time.

`render`: the upload (a workbook, or a zip unpacked by read/safezip.py) is checked and
rendered by the library (build.pipeline) into the unit's output folder, so an edited
workbook uploaded again has only what changed redone; the annotated copy and every file the
clerk downloads are then copied into the submission's own results folder, where they stay
as they were for that submission. `collect`: the office's view over the units' latest
submissions of a campaign (collectview.py).

Run as `python -m awardforms.web.worker DATA SLOT` by the pool; it stops when its standard
input closes (the server stopped or died).
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import sys
import threading
import time
import traceback
from pathlib import Path

from awardforms.errors import AwardformsError
from awardforms.report import Issue
from awardforms.textnorm import header_key
from awardforms.web import collectview, db, jobs
from awardforms.web.files import DataDir, campaign_folder, inside, snapshot

IDLE_POLL = 0.3            # seconds between looks at an empty queue
PROGRESS_EVERY = 0.5       # seconds between progress writes
INTERNAL = "处理时程序内部出错，未能完成。详细信息已记入服务器日志，请联系管理员。"
log = logging.getLogger("awardforms.web")


class _Progress:
    """Settings.progress for the build: writes (done, total) to the job row, now and then."""

    def __init__(self, data_dir: Path, job_id: int, total: int):
        self.data_dir, self.job_id, self.total, self.done, self.last = data_dir, job_id, total, 0, 0.0

    def __enter__(self):
        jobs.set_progress(self.data_dir, self.job_id, "rendering", 0, self.total)
        return self

    def __exit__(self, *exc):
        jobs.set_progress(self.data_dir, self.job_id, "assembling", self.done, self.total)

    def update(self, n: int) -> None:
        self.done += n
        if time.monotonic() - self.last >= PROGRESS_EVERY:
            self.last = time.monotonic()
            jobs.set_progress(self.data_dir, self.job_id, "rendering", self.done, self.total)


def issue_row(issue: Issue) -> dict:
    return {"where": issue.where, "field": issue.field or "", "severity": issue.severity,
            "code": issue.code, "message": issue.message, "fix": issue.fix or ""}


def ordered(issues: list[Issue], sheets: tuple[str, ...] = ()) -> list[Issue]:
    """Errors first; within each, the report's order (workbook-level, then sheet in the
    workbook's order `sheets`, row, column)."""
    from awardforms.report import Report
    rows = Report(list(issues), order=tuple(sheets)).sorted()
    return [i for i in rows if i.severity == "error"] + [i for i in rows if i.severity != "error"]


def workbook_unit(sub) -> str:
    """The 推荐单位 the workbook names."""
    for key in ("name", "unit", "unit_name"):
        if sub.unit.display.get(key):
            return str(sub.unit.display[key])
    label = next((f.key for f in sub.campaign.unit_fields if f.label == "推荐单位"), None)
    return str(sub.unit.display.get(label, "") or "") if label else ""


def _unpack(upload: Path, work: Path) -> Path:
    from awardforms.read.safezip import extract, find_workbook
    if upload.suffix.lower() == ".zip":
        return find_workbook(extract(upload, work), work)
    work.mkdir(parents=True, exist_ok=True)
    workbook = work / upload.name              # messages and the copy name the clerk's file
    shutil.copyfile(upload, workbook)
    return workbook


def _downloads(out_dir: Path, result, annotated: Path | None) -> list[dict]:
    """What the clerk downloads: [{kind, label, rel}] (rel: inside the results folder), each once."""
    assembly, files, seen = result.assembly, [], set()

    def add(kind: str, label: str, rel: str) -> None:
        if rel and rel not in seen:
            seen.add(rel)
            files.append({"kind": kind, "label": label, "rel": rel})
    if annotated is not None:
        add("annotated", "带批注的工作簿（红色为错误、黄色为提醒）", annotated.name)
    if assembly is not None:
        add("zip", "推荐材料压缩包（报送用）" if getattr(assembly, "complete", True)
            else "推荐材料压缩包（未完成，仅供核对，不能报送）", assembly.bundle)
    for rel in sorted(p.name for p in out_dir.glob("*报送清单*") if p.is_file()):
        add("list", "报送清单", rel)
    if assembly is not None:
        add("pdf", "全部材料 PDF", assembly.submission_pdf)
        add("pdf", "打印版 PDF", assembly.print_pdf)
    for rel in result.manifest.get("files", []):
        if "/" not in rel:
            add("summary", rel, rel)
    for rel in (assembly.pdfs if assembly is not None else []):
        add("nominee-pdf", rel, rel)
    return files


def render_job(data: DataDir, job, sub) -> dict:
    """Check and render one submission; the row values to store (result as a dict)."""
    from awardforms.assemble.annotate import try_write_annotated
    from awardforms.build import pipeline
    work = data.work(job["id"])
    shutil.rmtree(work, ignore_errors=True)
    try:
        jobs.set_progress(data.root, job["id"], "checking")
        try:
            workbook = _unpack(data.upload_dir(sub["id"]) / sub["stored"], work)
            checked = pipeline.check(workbook)
        except AwardformsError as err:
            issue = {"where": "整个文件", "field": "", "severity": "error", "code": "unusable",
                     "message": err.message, "fix": err.fix}
            return {"status": "无法使用", "campaign": None, "errors": 1, "warnings": 0, "nominees": 0,
                    "rendered": 0, "message": str(err), "result": {"issues": [issue], "downloads": []}}
        extra = []
        named = workbook_unit(checked)
        if named and header_key(named) != header_key(sub["unit"]):
            extra.append(Issue("推荐单位", None, None, "推荐单位", "error", "unit-mismatch",
                               f"工作簿中的推荐单位“{named}”与您的账号所属单位“{sub['unit']}”不一致。",
                               "请在“推荐单位”工作表中填写本单位名称；如需为其他单位上报，请使用该单位的账号。"))
        out_dir = data.unit_output(sub["unit_id"], checked.campaign.id)
        settings = pipeline.Settings(out_dir=out_dir, pdf=bool(sub["pdf"]), workers=1,
                                     progress=lambda total: _Progress(data.root, job["id"], total))
        result = pipeline.render(workbook, settings, checked)
        jobs.set_progress(data.root, job["id"], "annotating")
        results = data.results(sub["id"])
        shutil.rmtree(results, ignore_errors=True)
        results.mkdir(parents=True)
        report = result.submission.report
        annotated, problem = try_write_annotated(workbook, report, results, reuse=False,
                                                 data=result.submission.source_data)
        downloads = _downloads(out_dir, result, annotated)
        snapshot(out_dir, [d["rel"] for d in downloads if d["kind"] != "annotated"], results)
        downloads = [d for d in downloads if inside(results, d["rel"]) is not None]
        issues = ordered(report.issues + extra, report.order)
        notes = [problem] if problem else []
        if result.assembly is not None:
            notes += list(result.assembly.warnings)
            if result.assembly.converter_missing:
                notes.append(f"PDF 未生成：{result.assembly.converter_missing}")
        nominees = result.manifest["nominees"]
        errors = sum(1 for i in issues if i.severity == "error")
        return {"status": "有错误" if errors else "合格", "campaign": checked.campaign.id,
                "errors": errors, "warnings": len(issues) - errors, "nominees": len(nominees),
                "rendered": sum(1 for n in nominees if n["status"] == "rendered"), "message": "",
                "result": {"issues": [issue_row(i) for i in issues], "downloads": downloads,
                           "notes": notes, "title": checked.campaign.title,
                           "workbook_unit": named, "unit_mismatch": bool(extra),
                           "nominee_rows": [{k: n[k] for k in ("sheet", "row", "name", "status")}
                                            for n in nominees],
                           "rebuilt": len(result.rebuilt), "unchanged": len(result.skipped)}}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _log_internal(data: DataDir, what: str) -> None:
    data.logs.mkdir(parents=True, exist_ok=True)
    with open(data.logs / "errors.log", "a", encoding="utf-8") as f:
        f.write(f"---- {time.strftime('%Y-%m-%d %H:%M:%S')} {what}\n{traceback.format_exc()}\n")


def run_render(data: DataDir, job) -> None:
    with db.connect(data.root, write=False) as con:
        sub = db.submission(con, job["submission_id"])
    try:
        values = render_job(data, job, sub)
    except Exception:  # noqa: BLE001 - one bad upload never stops the worker
        _log_internal(data, f"submission {sub['id']}")
        values = {"status": "无法使用", "campaign": None, "errors": 0, "warnings": 0, "nominees": 0,
                  "rendered": 0, "message": INTERNAL, "result": {"issues": [], "downloads": []}}
        state = "failed"
    else:
        state = "done"
    with db.connect(data.root) as con:
        con.execute("UPDATE submissions SET state = ?, status = ?, campaign = ?, errors = ?, warnings = ?,"
                    " nominees = ?, rendered = ?, message = ?, result = ?, updated = ? WHERE id = ?",
                    (state, values["status"], values["campaign"], values["errors"], values["warnings"],
                     values["nominees"], values["rendered"], values["message"],
                     json.dumps(values["result"], ensure_ascii=False), db.now(), sub["id"]))
        jobs.finish(con, job["id"], state)
        if values["campaign"] and collectview.available():
            jobs.enqueue_collect(con, values["campaign"])


def run_collect(data: DataDir, job) -> None:
    try:
        collectview.run(data, job["campaign"])
        state = "done"
    except Exception:  # noqa: BLE001
        _log_internal(data, f"collect {campaign_folder(job['campaign'])}")
        state = "failed"
    with db.connect(data.root) as con:
        jobs.finish(con, job["id"], state)


def serve_forever(data_dir: Path, slot: int, stop: threading.Event) -> None:
    data = DataDir(data_dir)
    while not stop.is_set():
        job = jobs.claim(data.root, slot)
        if job is None:
            stop.wait(IDLE_POLL)
            continue
        (run_collect if job["kind"] == "collect" else run_render)(data, job)


def _exit_when_parent_goes() -> None:
    """Thread: end of standard input = the server stopped or died; stop now (an unfinished job
    stays `running` and is queued again when the server starts)."""
    try:
        while os.read(0, 1024):
            pass
    except OSError:
        pass
    os._exit(0)


def main(argv: list[str]) -> int:
    data_dir, slot = Path(argv[0]), int(argv[1])
    threading.Thread(target=_exit_when_parent_goes, daemon=True).start()
    serve_forever(data_dir, slot, threading.Event())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The clerk's pages: home (blank workbooks, upload, earlier submissions), a submission's page
(progress, then the issue table and the downloads), its status for the page's polling, and
the downloads themselves.

Every submission URL goes through `owned`: the submission is looked up by id and shown only
to a user of its unit or an office user; anyone else gets the same 404 as for an id that does
not exist. Files are sent by their index in the list the worker stored, never by a path from
the request.
"""

from __future__ import annotations

import json
import secrets

from flask import Blueprint, abort, current_app, g, jsonify, redirect, render_template, request, \
    send_file, url_for

from awardforms.errors import AwardformsError
from awardforms.web import collectview, db, jobs
from awardforms.web.auth import login_required
from awardforms.web.files import DataDir, TooLarge, inside, store_upload, upload_name

bp = Blueprint("clerk", __name__)
STAGES = {"": "排队等待处理", "checking": "正在检查推荐对象表", "rendering": "正在生成表格",
          "assembling": "正在生成汇总表、PDF 和压缩包", "annotating": "正在生成带批注的工作簿"}


def data() -> DataDir:
    return current_app.config["AWARDFORMS_DATA"]


def campaigns() -> list[tuple[str, str]]:
    from awardforms.campaigns.load import campaign_ids, load_campaign
    found = []
    for cid in campaign_ids():
        try:
            found.append((cid, load_campaign(cid).title))
        except AwardformsError:
            continue
    return found


def owned(sid: int):
    """The submission if this user may see it; 404 otherwise (same as a missing one)."""
    with db.connect(data().root, write=False) as con:
        row = db.submission(con, sid)
    if row is None or not (g.user["office"] or row["unit_id"] == g.user["unit_id"]):
        abort(404)
    return row


def result_of(row) -> dict:
    try:
        return json.loads(row["result"]) if row["result"] else {}
    except ValueError:
        return {}


def status_of(row) -> dict:
    """What the page shows while a submission waits or runs."""
    out = {"state": row["state"], "status": row["status"], "text": "", "done": 0, "total": 0}
    if row["state"] in ("queued", "running"):
        with db.connect(data().root, write=False) as con:
            job = db.job_of(con, row["id"])
            ahead = db.queue_position(con, job["id"]) if job and job["state"] == "queued" else 0
        stage = job["stage"] if job and job["state"] == "running" else ""
        out["text"] = STAGES.get(stage, stage)
        if job and job["state"] == "running" and not stage:
            out["text"] = "开始处理"
        if ahead:
            out["text"] += f"（前面还有 {ahead} 份）"
        if job:
            out["done"], out["total"] = job["done"], job["total"]
    return out


@bp.route("/")
@login_required
def home():
    with db.connect(data().root, write=False) as con:
        rows = db.submissions(con, g.user["unit_id"])
    limit_mb = current_app.config["AWARDFORMS_CONFIG"].max_upload // (1024 * 1024)
    return render_template("home.html", campaigns=campaigns(), rows=rows, limit_mb=limit_mb,
                           message=request.args.get("message", "")[:200])


@bp.route("/blank/<cid>")
@login_required
def blank(cid: str):
    from awardforms.campaigns.load import load_campaign
    known = dict(campaigns())
    writer = current_app.config["AWARDFORMS_CONFIG"].blank_writer
    if cid not in known or writer is None:
        abort(404)
    tmp = data().tmp
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / f"blank-{secrets.token_hex(8)}.xlsx"
    try:
        writer(load_campaign(cid), path)
        body = path.read_bytes()
    finally:
        path.unlink(missing_ok=True)
    from io import BytesIO
    return send_file(BytesIO(body), as_attachment=True, download_name=f"{known[cid]}-推荐对象表.xlsx",
                     mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@bp.route("/upload", methods=["POST"])
@login_required
def upload():
    file = request.files.get("workbook")
    if file is None or not file.filename:
        return redirect(url_for("clerk.home", message="请先选择要上传的推荐对象表（.xlsx）或压缩包（.zip）。"))
    name = upload_name(file.filename)
    if name is None:
        return redirect(url_for("clerk.home", message="只接受 .xlsx 工作簿或 .zip 压缩包；"
                                "WPS 的 .et、旧版 .xls 请先另存为 .xlsx。"))
    limit = current_app.config["AWARDFORMS_CONFIG"].max_upload
    root = data().root
    with db.connect(root) as con:         # the row first: its id names the upload's folder
        sid = con.execute("INSERT INTO submissions(unit_id, user_id, filename, stored, size, sha256, pdf,"
                          " created, updated, state) VALUES (?, ?, ?, ?, 0, '', ?, ?, ?, 'receiving')",
                          (g.user["unit_id"], g.user["id"], file.filename[-200:], name,
                           int(bool(request.form.get("pdf"))), db.now(), db.now())).lastrowid
    try:
        _, size, sha = store_upload(file.stream, data().upload_dir(sid), name, limit)
    except (TooLarge, ValueError, OSError) as err:
        with db.connect(root) as con:
            con.execute("DELETE FROM submissions WHERE id = ?", (sid,))
        if isinstance(err, TooLarge):
            abort(413)
        if isinstance(err, ValueError):
            return redirect(url_for("clerk.home", message="文件内容不是 .xlsx 工作簿或 .zip 压缩包"
                                    "（可能已损坏，或只是改了扩展名），请重新保存后上传。"))
        raise
    with db.connect(root) as con:         # accepted: from here on it is not lost
        con.execute("UPDATE submissions SET size = ?, sha256 = ?, state = 'queued' WHERE id = ?", (size, sha, sid))
        jobs.enqueue_render(con, sid, g.user["unit_id"])
    return redirect(url_for("clerk.submission", sid=sid))


@bp.route("/s/<int:sid>")
@login_required
def submission(sid: int):
    row = owned(sid)
    across = collectview.across_for(data(), row) if row["state"] == "done" else []
    return render_template("submission.html", row=row, result=result_of(row), status=status_of(row),
                           across=across)


@bp.route("/s/<int:sid>/status")
@login_required
def status(sid: int):
    return jsonify(status_of(owned(sid)))


@bp.route("/s/<int:sid>/file/<int:index>")
@login_required
def download(sid: int, index: int):
    row = owned(sid)
    files = result_of(row).get("downloads", [])
    if row["state"] != "done" or not 0 <= index < len(files):
        abort(404)
    path = inside(data().results(sid), files[index]["rel"])
    if path is None:
        abort(404)
    return send_file(path, as_attachment=True, download_name=path.name)


@bp.route("/s/<int:sid>/input")
@login_required
def original(sid: int):
    row = owned(sid)
    path = inside(data().upload_dir(sid), row["stored"])
    if path is None or row["state"] == "receiving":
        abort(404)
    return send_file(path, as_attachment=True, download_name=row["stored"])

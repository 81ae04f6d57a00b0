"""The office's pages (office users only): every unit's submissions, and per campaign the
`collect` view over each unit's latest one (collectview.py), refreshed as submissions
arrive (the pages poll `version`).
"""

from __future__ import annotations

import re

from flask import Blueprint, abort, jsonify, render_template, send_file

from awardforms.web import collectview, db
from awardforms.web.auth import office_required
from awardforms.web.files import inside
from awardforms.web.routes import campaigns, data

bp = Blueprint("office", __name__, url_prefix="/office")
ISSUES_SHOWN = 1000
DOWNLOADS = ("index.html", "收件登记表.xlsx", "名额使用情况.xlsx", "推荐对象总表.xlsx", "推荐对象总表.docx",
             "问题清单.xlsx")


def version() -> str:
    """Changes whenever a submission or a collect job changes."""
    with db.connect(data().root, write=False) as con:
        sub = con.execute("SELECT COUNT(*), MAX(updated) FROM submissions").fetchone()
        col = con.execute("SELECT COUNT(*), MAX(finished) FROM jobs WHERE kind = 'collect'").fetchone()
    return f"{sub[0]}-{sub[1]}-{col[0]}-{col[1]}"


def _campaign(cid: str) -> str:
    known = dict(campaigns())
    if cid not in known:
        abort(404)
    return known[cid]


@bp.route("/")
@office_required
def overview():
    with db.connect(data().root, write=False) as con:
        rows = db.submissions(con, None, limit=2000)
    latest = {}
    for row in rows:                         # newest first: the first seen of a unit is its latest
        latest.setdefault((row["unit_id"], row["campaign"]), row["id"])
    return render_template("office.html", rows=rows, latest=set(latest.values()),
                           campaigns=campaigns(), version=version())


@bp.route("/version")
@office_required
def poll():
    return jsonify({"version": version()})


@bp.route("/collect/<cid>")
@office_required
def collect(cid: str):
    title = _campaign(cid)
    installed = collectview.available()
    view = collectview.view(data(), cid) if installed else None
    with db.connect(data().root, write=False) as con:
        running = con.execute("SELECT COUNT(*) FROM jobs WHERE kind = 'collect' AND campaign = ?"
                              " AND state IN ('queued', 'running')", (cid,)).fetchone()[0]
    files = [name for name in DOWNLOADS if inside(data().collect(cid), name) is not None]
    for s in (view or {}).get("submissions") or []:
        s["name"], s["sid"] = _upload_of(s.get("file") or "")
    issues = (view or {}).get("issues", [])
    return render_template("collect.html", cid=cid, title=title, installed=installed,
                           not_installed=collectview.NOT_INSTALLED, view=view, running=running,
                           files=files, issues=issues[:ISSUES_SHOWN], more=max(0, len(issues) - ISSUES_SHOWN),
                           version=version())


def _upload_of(file: str) -> tuple[str, int | None]:
    """collect names each source by its path, <data>/uploads/<id>/<name>: the clerk's file name
    and the submission it came with, for the page (never the server's folders)."""
    parts = re.split(r"[\\/]", file)
    sid = parts[-2] if len(parts) >= 3 and parts[-3] == "uploads" and parts[-2].isdigit() else None
    return parts[-1], int(sid) if sid else None


@bp.route("/collect/<cid>/files/<path:rel>")
@office_required
def collect_file(cid: str, rel: str):
    _campaign(cid)
    path = inside(data().collect(cid), rel)
    if path is None:
        abort(404)
    response = send_file(path, as_attachment=path.suffix.lower() != ".html", download_name=path.name)
    if path.suffix.lower() == ".html":
        # collect's own self-contained page: its styles inline, no script, links within the folder
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox")
    return response

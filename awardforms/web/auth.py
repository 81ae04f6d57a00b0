"""Who is asking, on every request: the signed session cookie (Flask's, HttpOnly, SameSite),
the user it names still active and of the same `epoch`, a CSRF token on every POST, and the
login and logout pages.

Pages for users only use `@login_required`, the office's `@office_required`; a request for a
submission is checked against its unit in routes.py (`owned`), whatever link led there.
"""

from __future__ import annotations

import hmac
import secrets
from functools import wraps
from urllib.parse import urlsplit

from flask import Blueprint, abort, current_app, g, redirect, render_template, request, session, url_for

from awardforms.web import db
from awardforms.web.users import authenticate

bp = Blueprint("auth", __name__)


def data_dir():
    return current_app.config["AWARDFORMS_DATA"].root


def csrf_token() -> str:
    token = session.get("csrf")
    if not token:
        token = session["csrf"] = secrets.token_urlsafe(32)
    return token


def load_user() -> None:
    """before_request: g.user (a dict) or None; a stale session is cleared."""
    g.user = None
    uid = session.get("uid")
    if uid is None:
        return
    with db.connect(data_dir(), write=False) as con:
        user = db.user_by_id(con, uid)
    if user is None or not user["active"] or user["epoch"] != session.get("epoch"):
        session.clear()
        return
    g.user = {"id": user["id"], "username": user["username"], "unit_id": user["unit_id"],
              "unit": user["unit"], "office": bool(user["is_office"])}


def check_csrf() -> None:
    """before_request: every state-changing request carries the session's token."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    sent = request.form.get("csrf_token", "") or request.headers.get("X-CSRF-Token", "")
    expected = session.get("csrf", "")
    if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
        abort(400, description="页面已过期或请求无效（安全校验未通过），请刷新页面后重试。")


def login_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)
    return wrapped


def office_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        if g.user is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if not g.user["office"]:
            abort(403)
        return view(*args, **kwargs)
    return wrapped


def _safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no host, no //evil)."""
    if not target:
        return url_for("clerk.home")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") \
            or "\\" in target:
        return url_for("clerk.home")
    return target


@bp.route("/login", methods=["GET", "POST"])
def login():
    message = ""
    if request.method == "POST":
        result = authenticate(data_dir(), request.form.get("username", ""),
                              request.form.get("password", ""), request.remote_addr or "")
        if result.user_id is not None:
            target = _safe_next(request.args.get("next"))
            session.clear()                          # a new session: no fixation
            session.permanent = True
            session["uid"], session["epoch"] = result.user_id, result.epoch
            session["csrf"] = secrets.token_urlsafe(32)
            return redirect(target)
        message = result.message
    elif g.user is not None:
        return redirect(url_for("clerk.home"))
    return render_template("login.html", message=message), (401 if message else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    session.clear()
    return redirect(url_for("auth.login"))

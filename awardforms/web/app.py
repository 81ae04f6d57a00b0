"""The Flask application: configuration, security headers, error pages in Chinese.

`create_app(WebConfig(...))` gives the WSGI app (served by waitress in commands/serve.py,
driven by Flask's test client in the tests). The worker pool is started separately
(jobs.WorkerPool), so the app itself never renders anything inside a request.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Callable

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from awardforms.web import auth, db
from awardforms.web.files import DataDir

DEFAULT_MAX_UPLOAD = 100 * 1024 * 1024
FORM_OVERHEAD = 1024 * 1024           # the multipart envelope and the other fields
ERROR_TEXT = {
    400: "请求无效。", 403: "您没有权限访问此页面。", 404: "页面不存在，或您没有权限查看。",
    405: "不支持此操作。", 413: "上传的文件太大。", 500: "服务器内部出错，请稍后再试或联系管理员。",
}


STATE_TEXT = {"receiving": "正在上传", "queued": "排队中", "running": "处理中", "failed": "处理失败"}


def localtime(ts: int) -> str:
    import time
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(ts))


def state_text(row) -> str:
    """A submission's state for lists: the result once done."""
    return row["status"] if row["state"] == "done" else STATE_TEXT.get(row["state"], row["state"])


@dataclass
class WebConfig:
    data_dir: Path
    max_upload: int = DEFAULT_MAX_UPLOAD
    # (campaign, path) -> None: writes a campaign's blank workbook (commands.blank.write_blank,
    # handed in by the command: commands come after web in the layout)
    blank_writer: Callable | None = None
    secure_cookies: bool = False           # set when served over HTTPS (behind a proxy)


def create_app(config: WebConfig) -> Flask:
    data = DataDir(config.data_dir)
    db.init(data.root)
    app = Flask(__name__)
    app.config.update(
        AWARDFORMS_DATA=data, AWARDFORMS_CONFIG=config,
        SECRET_KEY=data.secret_key(),
        SESSION_COOKIE_NAME="awardforms_session", SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=config.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
        MAX_CONTENT_LENGTH=config.max_upload + FORM_OVERHEAD,
        MAX_FORM_MEMORY_SIZE=FORM_OVERHEAD,
        SEND_FILE_MAX_AGE_DEFAULT=0,
    )
    app.jinja_env.autoescape = True
    app.jinja_env.globals["csrf_token"] = auth.csrf_token
    app.jinja_env.filters["localtime"] = localtime
    app.jinja_env.filters["state_text"] = state_text
    app.before_request(auth.load_user)
    app.before_request(auth.check_csrf)

    from awardforms.web.office import bp as office_bp
    from awardforms.web.routes import bp as clerk_bp
    app.register_blueprint(auth.bp)
    app.register_blueprint(clerk_bp)
    app.register_blueprint(office_bp)

    @app.after_request
    def headers(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none';"
            " base-uri 'none'; form-action 'self'")
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "same-origin"
        if "Cache-Control" not in response.headers or request.endpoint != "static":
            response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(HTTPException)
    def http_error(err: HTTPException):
        code = err.code or 500
        text = ERROR_TEXT.get(code, "请求无法完成。")
        if code == 413:
            text += f"上传文件最大 {config.max_upload // (1024 * 1024)} MB；照片较多时请压缩照片后重新打包。"
        elif code == 400 and err.description and not err.description.startswith("The browser"):
            text = err.description
        return render_template("error.html", code=code, text=text), code

    @app.errorhandler(Exception)
    def internal_error(err: Exception):
        import time
        import traceback
        data.logs.mkdir(parents=True, exist_ok=True)
        with open(data.logs / "errors.log", "a", encoding="utf-8") as f:
            f.write(f"---- {time.strftime('%Y-%m-%d %H:%M:%S')} {request.path}\n{traceback.format_exc()}\n")
        return render_template("error.html", code=500, text=ERROR_TEXT[500]), 500

    return app

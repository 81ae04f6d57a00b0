"""`serve` and `users`: the web pages for clerks and the office (awardforms/web/), and their
accounts. See docs/serve.md."""

from __future__ import annotations

import sys
from pathlib import Path

import click

DEFAULT_DATA = Path("awardforms-data")
_data_option = click.option("--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
                            default=DEFAULT_DATA, show_default=True, help="数据文件夹（数据库和所有文件）。")


def _read_password() -> str:
    line = sys.stdin.readline()
    return line.rstrip("\r\n")


@click.command()
@_data_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="监听地址；让局域网内其他电脑访问时用 0.0.0.0 或本机 IP。")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口（0：任选空闲端口）。")
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="同时处理报送的进程数（默认：CPU 核数，最多 4）。")
@click.option("--max-upload", "max_upload", default=100, show_default=True, type=click.IntRange(1, 4096),
              metavar="MB", help="单个上传文件的大小上限。")
@click.option("--https-cookies", is_flag=True, help="只通过 HTTPS 发送登录 Cookie（在 HTTPS 反向代理后面运行时使用）。")
def serve(data_dir: Path, host: str, port: int, workers: int | None, max_upload: int, https_cookies: bool) -> None:
    """启动网页服务：填报人员上传推荐对象表、查看问题、下载材料；上级单位查看各单位报送和汇总。"""
    from waitress import create_server

    from awardforms.commands.blank import write_blank
    from awardforms.machine import available_cores
    from awardforms.web.app import WebConfig, create_app
    from awardforms.web.jobs import WorkerPool
    from awardforms.web.users import list_users
    config = WebConfig(data_dir, max_upload=max_upload * 1024 * 1024, blank_writer=write_blank,
                       secure_cookies=https_cookies)
    app = create_app(config)
    if not list_users(data_dir):
        click.echo("提示：还没有任何账号，请先用 awardforms users add 添加（见 docs/serve.md）。", err=True)
    pool = WorkerPool(data_dir, workers or max(1, min(4, available_cores())))
    server = create_server(app, host=host, port=port, threads=8,
                           max_request_body_size=config.max_upload + 2 * 1024 * 1024,
                           ident="awardforms")
    pool.start()
    _stop_on_sigterm()
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"awardforms 网页服务已启动：http://{shown}:{server.effective_port}/ （数据文件夹：{data_dir}；按 Ctrl+C 停止）",
               err=False)
    sys.stdout.flush()
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        pool.stop()
        server.close()
        click.echo("网页服务已停止。")


def _stop_on_sigterm() -> None:
    """A service manager's stop (SIGTERM) ends the server as Ctrl+C does: workers stopped."""
    import signal

    def stop(signum, frame):
        raise KeyboardInterrupt
    if hasattr(signal, "SIGTERM"):
        signal.signal(signal.SIGTERM, stop)


@click.group()
def users() -> None:
    """管理网页服务的账号（添加、列出、停用、启用、重置密码）。"""


@users.command("add")
@click.argument("username")
@click.option("--unit", required=True, help="推荐单位（与推荐对象表“推荐单位”工作表中的名称一致）。")
@click.option("--office", is_flag=True, help="上级单位账号：可查看所有单位的报送和汇总。")
@click.option("--password-stdin", "password_stdin", is_flag=True, required=True,
              help="从标准输入读取密码（一行）。")
@_data_option
def add(username: str, unit: str, office: bool, password_stdin: bool, data_dir: Path) -> None:
    """添加账号 USERNAME。"""
    from awardforms.web.users import add_user
    add_user(data_dir, username, unit, _read_password(), office=office)
    click.echo(f"已添加账号：{username}（{unit}{'，上级单位' if office else ''}）")


@users.command("list")
@_data_option
def list_(data_dir: Path) -> None:
    """列出所有账号。"""
    from awardforms.web.users import list_users
    rows = list_users(data_dir)
    for u in rows:
        flags = ("上级单位" if u["office"] else "填报") + ("" if u["active"] else "，已停用")
        click.echo(f"{u['username']}\t{u['unit']}\t{flags}")
    if not rows:
        click.echo("还没有账号。")


@users.command("disable")
@click.argument("username")
@_data_option
def disable(username: str, data_dir: Path) -> None:
    """停用账号 USERNAME（立即退出登录，不能再登录）。"""
    from awardforms.web.users import set_active
    set_active(data_dir, username, False)
    click.echo(f"已停用账号：{username}")


@users.command("enable")
@click.argument("username")
@_data_option
def enable(username: str, data_dir: Path) -> None:
    """重新启用账号 USERNAME。"""
    from awardforms.web.users import set_active
    set_active(data_dir, username, True)
    click.echo(f"已启用账号：{username}")


@users.command("reset")
@click.argument("username")
@click.option("--password-stdin", "password_stdin", is_flag=True, required=True,
              help="从标准输入读取新密码（一行）。")
@_data_option
def reset(username: str, password_stdin: bool, data_dir: Path) -> None:
    """重置账号 USERNAME 的密码（并启用、清除登录失败记录，已登录的会话失效）。"""
    from awardforms.web.users import reset_password
    reset_password(data_dir, username, _read_password())
    click.echo(f"已重置密码：{username}")

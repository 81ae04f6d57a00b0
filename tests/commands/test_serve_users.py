"""`awardforms users ...` (accounts of the web pages) from the command line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from awardforms.web import db
from awardforms.web.users import authenticate

ROOT = Path(__file__).resolve().parents[2]


def run(*args, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "awardforms", *args], input=stdin, capture_output=True,
                          text=True, encoding="utf-8", cwd=ROOT)


def test_users_add_list_disable_enable_reset(tmp_path):
    data = str(tmp_path / "d")
    r = run("users", "add", "zhang", "--unit", "长春市住房保障和房屋管理局", "--password-stdin", "--data", data,
            stdin="first-password\n")
    assert r.returncode == 0, r.stderr
    assert run("users", "add", "sheng", "--unit", "省厅", "--office", "--password-stdin", "--data", data,
               stdin="office-password\n").returncode == 0
    again = run("users", "add", "zhang", "--unit", "x", "--password-stdin", "--data", data, stdin="first-password\n")
    assert again.returncode == 2 and "已存在" in again.stderr
    short = run("users", "add", "li", "--unit", "x", "--password-stdin", "--data", data, stdin="short\n")
    assert short.returncode == 2 and "密码太短" in short.stderr
    listed = run("users", "list", "--data", data).stdout.splitlines()
    assert listed == ["sheng\t省厅\t上级单位", "zhang\t长春市住房保障和房屋管理局\t填报"]
    with db.connect(Path(data), write=False) as con:
        stored = db.user_by_name(con, "zhang")["password_hash"]
    assert stored.startswith("$argon2") and "first-password" not in stored
    assert authenticate(Path(data), "zhang", "first-password", "1.2.3.4").user_id is not None
    assert run("users", "disable", "zhang", "--data", data).returncode == 0
    assert "已停用" in run("users", "list", "--data", data).stdout
    assert authenticate(Path(data), "zhang", "first-password", "1.2.3.4").user_id is None
    assert run("users", "enable", "zhang", "--data", data).returncode == 0
    assert run("users", "reset", "zhang", "--password-stdin", "--data", data, stdin="second-password\r\n").returncode == 0
    assert authenticate(Path(data), "zhang", "first-password", "1.2.3.4").user_id is None
    assert authenticate(Path(data), "zhang", "second-password", "1.2.3.4").user_id is not None
    missing = run("users", "disable", "nobody", "--data", data)
    assert missing.returncode == 2 and "没有用户" in missing.stderr

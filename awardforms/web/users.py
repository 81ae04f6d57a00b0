"""Accounts: argon2 password hashes (argon2-cffi), adding, disabling and resetting users (the
`users` commands), and logging in with failed attempts rate-limited.

A user belongs to one 推荐单位 (unit); an office user sees every unit. Disabling a user or
resetting the password raises its `epoch`, which every session cookie carries: sessions
opened before stop working at their next request.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from awardforms.errors import UnusableInput
from awardforms.web import db

MIN_PASSWORD = 8
WINDOW = 15 * 60                 # seconds over which failed logins are counted
MAX_PER_USER_IP = 5              # failures of one username from one address
MAX_PER_USER = 20                # failures of one username from anywhere
MAX_PER_IP = 30                  # failures from one address, any username

_hasher = PasswordHasher()
# verified when the username is unknown, so both cases take the same time
_DUMMY = _hasher.hash("awardforms-no-such-user")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise UnusableInput(f"密码太短：至少需要 {MIN_PASSWORD} 个字符。")


def add_user(data_dir: Path, username: str, unit: str, password: str, office: bool = False) -> None:
    username, unit = username.strip(), unit.strip()
    if not username or not unit:
        raise UnusableInput("用户名和推荐单位都不能为空。")
    check_password_rules(password)
    db.init(data_dir)
    with db.connect(data_dir) as con:
        if db.user_by_name(con, username):
            raise UnusableInput(f"用户“{username}”已存在。", fix="如需改密码请用 awardforms users reset。")
        con.execute("INSERT INTO users(username, unit_id, is_office, password_hash, created)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (username, db.unit_id(con, unit), int(office), hash_password(password), db.now()))


def _existing(con, username: str):
    user = db.user_by_name(con, username)
    if user is None:
        raise UnusableInput(f"没有用户“{username}”。", fix="用 awardforms users list 查看已有用户。")
    return user


def set_active(data_dir: Path, username: str, active: bool) -> None:
    db.init(data_dir)
    with db.connect(data_dir) as con:
        user = _existing(con, username)
        con.execute("UPDATE users SET active = ?, epoch = epoch + 1 WHERE id = ?", (int(active), user["id"]))


def reset_password(data_dir: Path, username: str, password: str) -> None:
    """New password; sessions opened before end; failed logins forgotten; enabled again."""
    check_password_rules(password)
    db.init(data_dir)
    with db.connect(data_dir) as con:
        user = _existing(con, username)
        con.execute("UPDATE users SET password_hash = ?, active = 1, epoch = epoch + 1 WHERE id = ?",
                    (hash_password(password), user["id"]))
        con.execute("DELETE FROM login_failures WHERE username = ?", (username,))


def list_users(data_dir: Path) -> list[dict]:
    db.init(data_dir)
    with db.connect(data_dir, write=False) as con:
        return [{"username": u["username"], "unit": u["unit"], "office": bool(u["is_office"]),
                 "active": bool(u["active"])} for u in db.all_users(con)]


@dataclass
class Login:
    user_id: int | None
    epoch: int = 0
    message: str = ""


def _too_many(con, username: str, ip: str, since: float) -> bool:
    def count(where: str, *args) -> int:
        return con.execute(f"SELECT COUNT(*) FROM login_failures WHERE ts > ? AND {where}",
                           (since, *args)).fetchone()[0]
    return (count("username = ? AND ip = ?", username, ip) >= MAX_PER_USER_IP
            or count("username = ?", username) >= MAX_PER_USER
            or count("ip = ?", ip) >= MAX_PER_IP)


def authenticate(data_dir: Path, username: str, password: str, ip: str) -> Login:
    """A user id when the password is right, the user active and not locked out for now."""
    username = username.strip()[:200]
    since = db.now() - WINDOW
    with db.connect(data_dir) as con:
        con.execute("DELETE FROM login_failures WHERE ts < ?", (since,))
        if _too_many(con, username, ip, since):
            return Login(None, message=f"登录失败次数过多，请 {WINDOW // 60} 分钟后再试，或请管理员重置密码。")
        user = db.user_by_name(con, username)
    try:
        ok = _hasher.verify(user["password_hash"] if user else _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if ok and user is not None and user["active"]:
        with db.connect(data_dir) as con:
            con.execute("DELETE FROM login_failures WHERE username = ? AND ip = ?", (username, ip))
        return Login(user["id"], user["epoch"])
    with db.connect(data_dir) as con:
        con.execute("INSERT INTO login_failures(username, ip, ts) VALUES (?, ?, ?)", (username, ip, db.now()))
    if ok and user is not None:
        return Login(None, message="该账号已停用，请与管理员联系。")
    return Login(None, message="用户名或密码不正确。")

"""The server's state in one SQLite file (standard library): units, users, submissions, jobs
and failed logins. Files live beside it under the data folder (web/files.py).

Every caller opens its own short-lived connection (`connect`): the web server's threads and
the worker processes share the file, WAL mode lets readers go on while one writes, and
`busy_timeout` makes a writer wait for another instead of failing.
"""

from __future__ import annotations

import sqlite3
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Iterator

DB_NAME = "awardforms.sqlite3"

SCHEMA = """
CREATE TABLE IF NOT EXISTS units (
    id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS users (
    id INTEGER PRIMARY KEY, username TEXT NOT NULL UNIQUE, unit_id INTEGER NOT NULL REFERENCES units(id),
    is_office INTEGER NOT NULL DEFAULT 0, password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1, epoch INTEGER NOT NULL DEFAULT 0, created REAL NOT NULL);
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY, unit_id INTEGER NOT NULL REFERENCES units(id),
    user_id INTEGER NOT NULL REFERENCES users(id), filename TEXT NOT NULL, stored TEXT NOT NULL,
    size INTEGER NOT NULL, sha256 TEXT NOT NULL, pdf INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL, updated REAL NOT NULL,
    state TEXT NOT NULL DEFAULT 'queued',          -- queued, running, done, failed
    status TEXT NOT NULL DEFAULT '',                -- 合格, 有错误, 无法使用 once done
    campaign TEXT, errors INTEGER, warnings INTEGER, nominees INTEGER, rendered INTEGER,
    message TEXT NOT NULL DEFAULT '', result TEXT);
CREATE INDEX IF NOT EXISTS submissions_unit ON submissions(unit_id, id);
CREATE TABLE IF NOT EXISTS jobs (
    id INTEGER PRIMARY KEY, kind TEXT NOT NULL,     -- render, collect
    submission_id INTEGER REFERENCES submissions(id), campaign TEXT,
    lane TEXT NOT NULL,                             -- jobs of one lane never run at once
    state TEXT NOT NULL DEFAULT 'queued',           -- queued, running, done, failed
    worker INTEGER, attempts INTEGER NOT NULL DEFAULT 0,
    stage TEXT NOT NULL DEFAULT '', done INTEGER NOT NULL DEFAULT 0, total INTEGER NOT NULL DEFAULT 0,
    created REAL NOT NULL, started REAL, finished REAL);
CREATE INDEX IF NOT EXISTS jobs_state ON jobs(state, id);
CREATE TABLE IF NOT EXISTS login_failures (
    id INTEGER PRIMARY KEY, username TEXT NOT NULL, ip TEXT NOT NULL, ts REAL NOT NULL);
CREATE INDEX IF NOT EXISTS login_failures_ts ON login_failures(ts);
"""


def db_path(data_dir: Path) -> Path:
    return Path(data_dir) / DB_NAME


def init(data_dir: Path) -> None:
    Path(data_dir).mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(db_path(data_dir), timeout=30, isolation_level=None)
    with closing(con):
        con.execute("PRAGMA busy_timeout=30000")
        con.execute("PRAGMA journal_mode=WAL")       # kept in the file: readers go on while one writes
        con.executescript(SCHEMA)


@contextmanager
def connect(data_dir: Path, write: bool = True) -> Iterator[sqlite3.Connection]:
    """One connection and transaction, committed at the end of the block (rolled back on an
    exception). `write`: take the write lock at once (BEGIN IMMEDIATE), so a transaction that
    reads then writes never fails half-way on another writer."""
    con = sqlite3.connect(db_path(data_dir), timeout=30, isolation_level=None)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA busy_timeout=30000")
    con.execute("PRAGMA foreign_keys=ON")
    with closing(con):
        con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def now() -> float:
    return time.time()


# ---- units and users

def unit_id(con: sqlite3.Connection, name: str) -> int:
    row = con.execute("SELECT id FROM units WHERE name = ?", (name,)).fetchone()
    if row:
        return row["id"]
    return con.execute("INSERT INTO units(name) VALUES (?)", (name,)).lastrowid


def user_by_name(con: sqlite3.Connection, username: str) -> sqlite3.Row | None:
    return con.execute("SELECT users.*, units.name AS unit FROM users JOIN units ON units.id = unit_id"
                       " WHERE username = ?", (username,)).fetchone()


def user_by_id(con: sqlite3.Connection, uid: int) -> sqlite3.Row | None:
    return con.execute("SELECT users.*, units.name AS unit FROM users JOIN units ON units.id = unit_id"
                       " WHERE users.id = ?", (uid,)).fetchone()


def all_users(con: sqlite3.Connection) -> list[sqlite3.Row]:
    return con.execute("SELECT users.*, units.name AS unit FROM users JOIN units ON units.id = unit_id"
                       " ORDER BY username").fetchall()


# ---- submissions

def submission(con: sqlite3.Connection, sid: int) -> sqlite3.Row | None:
    return con.execute("SELECT submissions.*, units.name AS unit, users.username AS username"
                       " FROM submissions JOIN units ON units.id = submissions.unit_id"
                       " JOIN users ON users.id = submissions.user_id WHERE submissions.id = ?",
                       (sid,)).fetchone()


def submissions(con: sqlite3.Connection, unit: int | None = None, limit: int = 500) -> list[sqlite3.Row]:
    """Newest first; one unit's, or every unit's (unit None)."""
    where, args = ("WHERE submissions.unit_id = ?", (unit,)) if unit is not None else ("", ())
    return con.execute("SELECT submissions.*, units.name AS unit, users.username AS username"
                       " FROM submissions JOIN units ON units.id = submissions.unit_id"
                       " JOIN users ON users.id = submissions.user_id "
                       f"{where} ORDER BY submissions.id DESC LIMIT ?", (*args, limit)).fetchall()


def job_of(con: sqlite3.Connection, sid: int) -> sqlite3.Row | None:
    return con.execute("SELECT * FROM jobs WHERE submission_id = ? ORDER BY id DESC LIMIT 1",
                       (sid,)).fetchone()


def queue_position(con: sqlite3.Connection, job_id: int) -> int:
    """How many queued jobs are before this one."""
    return con.execute("SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND id < ?",
                       (job_id,)).fetchone()[0]

"""Helpers for the web tests: workbooks per unit, users, a real server in a child process
(`python -m awardforms serve`, loopback only) and a plain HTTP client with its own cookies."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path

from conftest import UNIT, collective, person, write_workbook

from awardforms.web.users import add_user

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "correct-horse-1"
UNIT_A = UNIT["推荐单位"]
UNIT_B = "吉林市住房和城乡建设局"
BAD_ID = "220102197805120000"          # wrong check digit


def unit(name: str) -> dict:
    return {**UNIT, "推荐单位": name}


def good_book(path: Path, unit_name: str, n: int = 1) -> Path:
    """One collective and one person (person n: its own name and ID number)."""
    return write_workbook(path, [collective(n)], [person(n)], unit=unit(unit_name))


def bad_book(path: Path, unit_name: str) -> Path:
    """Two persons, the second (Excel row 3) with a wrong ID number."""
    return write_workbook(path, [collective(0)], [person(1), person(2, 身份证号码=BAD_ID)], unit=unit(unit_name))


def make_users(data: Path) -> None:
    add_user(data, "clerk_a", UNIT_A, PASSWORD)
    add_user(data, "clerk_b", UNIT_B, PASSWORD)
    add_user(data, "office", "吉林省住房和城乡建设厅", PASSWORD, office=True)


class Live:
    def __init__(self, url: str, proc: subprocess.Popen, data: Path):
        self.url, self.proc, self.data = url, proc, data


@contextmanager
def live_server(data: Path, workers: int = 2, extra: tuple = ()):
    """`awardforms serve` on 127.0.0.1 and a free port; stopped with Ctrl-C (SIGINT) after."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen([sys.executable, "-m", "awardforms", "serve", "--data", str(data), "--port", "0",
                             "--workers", str(workers), *extra], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    found: list[str] = []
    reader = threading.Thread(target=lambda: found.append(proc.stdout.readline()), daemon=True)
    reader.start()
    reader.join(60)
    try:
        match = re.search(r"http://127\.0\.0\.1:\d+", found[0] if found else "")
        assert match, f"server did not start: {found} {proc.poll()}"
        yield Live(match.group(0), proc, data)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        proc.stdout.close()
        proc.stderr.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """One browser-like session: cookies, the CSRF token of the last page, no JavaScript."""

    def __init__(self, base: str):
        self.base, self.token = base, ""
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None):
        """(status, body bytes, headers), redirects not followed."""
        req = urllib.request.Request(self.base + path, data, headers or {})
        try:
            with self.opener.open(req, timeout=60) as r:
                status, body, hdrs = r.status, r.read(), r.headers
        except urllib.error.HTTPError as err:
            status, body, hdrs = err.code, err.read(), err.headers
        found = re.search(rb'name="csrf_token" value="([^"]+)"', body)
        if found:
            self.token = found.group(1).decode()
        return status, body, hdrs

    def get(self, path: str):
        return self.request(path)

    def post(self, path: str, fields: dict):
        return self.request(path, urllib.parse.urlencode(fields).encode(),
                            {"Content-Type": "application/x-www-form-urlencoded"})

    def login(self, username: str, password: str = PASSWORD) -> int:
        self.get("/login")
        status, _, _ = self.post("/login", {"username": username, "password": password, "csrf_token": self.token})
        if status == 302:
            self.get("/")
        return status

    def upload(self, path: Path, pdf: bool = False) -> int:
        """The new submission's id."""
        b = uuid.uuid4().hex
        parts = [f'--{b}\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{self.token}\r\n'.encode()]
        if pdf:
            parts.append(f'--{b}\r\nContent-Disposition: form-data; name="pdf"\r\n\r\n1\r\n'.encode())
        parts.append((f'--{b}\r\nContent-Disposition: form-data; name="workbook"; filename="{path.name}"\r\n'
                      "Content-Type: application/octet-stream\r\n\r\n").encode() + path.read_bytes()
                     + f"\r\n--{b}--\r\n".encode())
        status, _, headers = self.request("/upload", b"".join(parts),
                                          {"Content-Type": f"multipart/form-data; boundary={b}"})
        assert status == 302, status
        found = re.search(r"/s/(\d+)$", headers["Location"])
        assert found, headers["Location"]
        return int(found.group(1))

    def wait(self, sid: int, timeout: float = 300) -> dict:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status, body, _ = self.get(f"/s/{sid}/status")
            assert status == 200, status
            state = json.loads(body)
            if state["state"] not in ("queued", "running"):
                return state
            time.sleep(0.3)
        raise AssertionError(f"submission {sid} not done after {timeout} s")

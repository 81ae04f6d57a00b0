"""`watch INBOX --collect`: the collection is refreshed after each drop; a unit that sends again
replaces its earlier submission, which stays in processed/ as history."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from collect_helpers import workbook
from conftest import collective, person

ROOT = Path(__file__).resolve().parents[2]


def _wait(check, what: str, timeout: float = 90) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if check():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _statuses(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {Path(s["file"]).name.split("_", 1)[1]: s["status"] for s in data["submissions"]}


def test_watch_collect_refreshes_after_every_drop(tmp_path):
    inbox, out, staging = tmp_path / "inbox", tmp_path / "out", tmp_path / "staging"
    inbox.mkdir()
    staging.mkdir()
    env = dict(os.environ, PYTHONPATH=str(ROOT), AWARDFORMS_WATCH_STALL="3")
    proc = subprocess.Popen([sys.executable, "-m", "awardforms", "watch", str(inbox), "-o", str(out),
                             "--settle", "0.3", "--rescan", "1", "--collect"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        summary = out / "汇总" / "collect.json"
        workbook(staging / "长春.xlsx", [collective(1)], [person(1)], "长春市住建局", "长春市", 0)
        os.replace(staging / "长春.xlsx", inbox / "长春.xlsx")
        _wait(lambda: _statuses(summary) == {"长春.xlsx": "合格"}, "the first collection")
        workbook(staging / "吉林.xlsx", [collective(2)], [person(2)], "吉林市住建局", "吉林市", 1)
        os.replace(staging / "吉林.xlsx", inbox / "吉林.xlsx")
        _wait(lambda: len(_statuses(summary)) == 2, "the second drop collected")
        workbook(staging / "长春-更正.xlsx", [collective(1), collective(3)], [person(1)], "长春市住建局", "长春市", 60)
        os.replace(staging / "长春-更正.xlsx", inbox / "长春-更正.xlsx")
        _wait(lambda: _statuses(summary).get("长春-更正.xlsx") == "合格", "the re-send collected")
        assert _statuses(summary) == {"长春.xlsx": "已被替换", "吉林.xlsx": "合格", "长春-更正.xlsx": "合格"}
        assert (out / "汇总" / "index.html").is_file()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

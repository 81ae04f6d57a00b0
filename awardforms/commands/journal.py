"""The watcher's journal: what happened to each dropped file, as JSON lines in INBOX.

Events: `waiting` (said to be incomplete), `claimed` (moved into processing/), `attempt` (a
render begins), `done` (filed under processed/ or failed/). The folders are the truth; the
journal adds what they cannot say: the clerk's name as dropped, and how many times a file
was started without being filed (a file that crashes or exhausts the watcher each time is
filed as failed after MAX_ATTEMPTS, so one drop never blocks the queue).

A journal that cannot be written (the disk is full) never stops the watcher: the error is
logged and the files are handled as the folders say. Names that are not valid UTF-8 (GBK bytes
from a Windows share arrive as lone surrogates) are written as JSON escapes and read back as
the same name.
"""

from __future__ import annotations

import json
import logging
import os
from datetime import datetime
from pathlib import Path

log = logging.getLogger("awardforms.commands.watch")      # one log for the watcher

# renders begun and never finished before a file is given up: a watcher killed on purpose
# (kill -9, a reboot) also leaves a render unfinished, so a good file hit by a few of those
# must still be processed; a file that brings the watcher down each time costs 5 restarts
MAX_ATTEMPTS = 5


class Journal:
    """Append-only JSON lines, each fsync'd; a torn last line (crash) is skipped on reading."""

    def __init__(self, path: Path):
        self.path = path
        self.failing = False              # the last append failed (logged once until it works)

    def append(self, event: str, **data) -> bool:
        """Write one record; False (and a log line) when it could not be written."""
        record = {"time": datetime.now().isoformat(timespec="milliseconds"), "event": event, **data}
        try:
            blob = (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")
        except UnicodeEncodeError:        # a name with undecodable bytes: escaped, read back the same
            blob = (json.dumps(record) + "\n").encode("ascii")
        try:
            with open(self.path, "ab") as fh:
                fh.write(blob)
                fh.flush()
                os.fsync(fh.fileno())
        except OSError as err:
            if not self.failing:
                log.error("无法写入处理记录 %s（%s）：文件照常处理和归档，以文件夹为准；"
                          "“处理了几次”的计数暂停。", self.path.name, err.strerror or err)
            self.failing = True
            return False
        if self.failing:
            log.info("处理记录 %s 恢复写入。", self.path.name)
            self.failing = False
        return True

    def records(self) -> list[dict]:
        out = []
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return out
        except OSError as err:
            log.error("无法读取处理记录 %s：%s", self.path.name, err)
            return out
        for line in text.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out


def attempts(records: list[dict]) -> dict[str, int]:
    """Claimed name -> renders begun since it was last filed (`attempt` events not followed
    by `done`)."""
    count: dict[str, int] = {}
    for r in records:
        cid = r.get("id")
        if r.get("event") == "attempt":
            count[cid] = count.get(cid, 0) + 1
        elif r.get("event") == "done":
            count.pop(cid, None)
    return count

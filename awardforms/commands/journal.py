"""The watcher's journal (JSON lines, fsync'd) and the folder fsync its moves rely on (inbox.py)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path


def fsync_dir(path: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


class Journal:
    """Append-only JSON lines, each fsync'd; a torn last line (crash) is skipped on reading."""

    def __init__(self, path: Path):
        self.path = path

    def append(self, event: str, **data) -> None:
        record = {"time": datetime.now().isoformat(timespec="milliseconds"), "event": event, **data}
        line = json.dumps(record, ensure_ascii=False) + "\n"
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(line)
            fh.flush()
            os.fsync(fh.fileno())

    def records(self) -> list[dict]:
        out = []
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace")
        except FileNotFoundError:
            return out
        for line in text.splitlines():
            try:
                out.append(json.loads(line))
            except ValueError:
                continue
        return out

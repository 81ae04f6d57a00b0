"""The per-user cache folder: compiled-down data that is slow to rebuild (the regions index,
prepared photos, the converter's fonts). Everything in it can be deleted at any time."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def cache_root() -> Path:
    """%LOCALAPPDATA%\\awardforms on Windows, else $XDG_CACHE_HOME/awardforms or ~/.cache/awardforms."""
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "awardforms"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "awardforms"


def package_dir(name: str) -> Path:
    """The folder of an installed package, found without importing it (OSError if absent)."""
    import importlib.util
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise OSError(f"package {name} not found")
    return Path(list(spec.submodule_search_locations)[0])


def content_digest(paths, seed: bytes = b"") -> str:
    """A key for what is cached: `seed` and the name and bytes of every file in `paths` (the
    content, not versions or mtimes, so any change to an input gives another key)."""
    import hashlib
    h = hashlib.sha256(seed)
    for path in paths:
        data = Path(path).read_bytes()
        h.update(b"\0%s\0%d:" % (Path(path).name.encode(), len(data)) + data)
    return h.hexdigest()


def store(path: Path, data: bytes) -> None:
    """Write a cache file atomically; a cache that cannot be written is just not used."""
    from awardforms.output import atomic_write_bytes
    try:
        atomic_write_bytes(path, data)
    except OSError:
        pass


CRASH_LOGS_KEPT = 20


def write_crash_log(text: str) -> Path | None:
    """Write `text` (a traceback) to a new file `logs/error-<time>-<pid>.log` in the cache folder
    and return its path; None when it cannot be written. Never raises, never writes through a
    link (O_EXCL and O_NOFOLLOW on a name nobody else uses: not a shared /tmp name that anyone
    may plant a link at), and keeps only the newest CRASH_LOGS_KEPT logs."""
    import time
    try:
        folder = cache_root() / "logs"
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        path = folder / f"error-{stamp}-{os.getpid()}.log"
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
        fd = os.open(path, flags, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8", "backslashreplace"))
    except Exception:  # noqa: BLE001 - the log is a courtesy: its failure must not hide the error
        return None
    try:
        logs = sorted(folder.glob("error-*.log"))
        for old in logs[:-CRASH_LOGS_KEPT]:
            old.unlink()
    except OSError:
        pass
    return path

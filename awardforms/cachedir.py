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

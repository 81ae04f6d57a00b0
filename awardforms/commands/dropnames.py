"""Names of dropped files: which the watcher takes, and the name it handles each under.

A claimed file is `processing/<stamp>_<name>`; every name derived from it (work folder,
notes, output folder `<stem>-<stamp>/`) is bounded in bytes and valid UTF-8, without
bidirectional controls, whatever name the clerk's computer gave the file.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

from awardforms.textnorm import BIDI

ACCEPTED = (".xlsx", ".xlsm", ".zip", ".xls")      # .xls is taken only to tell the clerk why not
_STAMP = re.compile(r"\d{8}-\d{6}-\d{3}(-\d+)?")          # claim(): <stamp>[-n]_<name>
_OWN_PREFIX = re.compile(r"^(?:\d{8}-\d{6}-\d{3}(?:-\d+)?_)+")  # our stamp(s) on a re-dropped file
MAX_STEM_BYTES = 150       # the clerk's stem as kept in every name we derive (ext4: 255 bytes a name)


def readable(name: str) -> str:
    """A file name as text: names the OS gave as undecodable bytes (lone surrogates; GBK
    bytes from a Windows share mounted as UTF-8) are decoded as GB18030, else with U+FFFD."""
    try:
        name.encode("utf-8")
        return name
    except UnicodeEncodeError:
        raw = os.fsencode(name)
    try:
        return raw.decode("gb18030")
    except UnicodeDecodeError:
        return raw.decode("utf-8", "replace")


def is_candidate(name: str) -> bool:
    """A file the watcher should take (name only; ignores Excel lock files, temp and hidden)."""
    return not is_silent(name) and name.lower().endswith(ACCEPTED)


def _nbytes(text: str) -> int:
    return len(text.encode("utf-8", "surrogateescape"))


def _cut(text: str, limit: int) -> str:
    """`text` cut at a character boundary to at most `limit` UTF-8 bytes."""
    while text and _nbytes(text) > limit:
        text = text[:-1]
    return text


def clerk_name(name: str) -> str:
    """The name a dropped file is handled under: valid UTF-8 (`journal.readable`) without
    bidirectional controls, an earlier stamp prefix of ours removed (a file re-dropped from
    failed/ does not grow) and the stem cut to MAX_STEM_BYTES, so that every name derived
    from it (claimed name, work folder, notes, output folder) fits."""
    name = BIDI.sub("", readable(name)) or "file"     # valid UTF-8, reads as it is
    base = _OWN_PREFIX.sub("", name) or name
    suffix = Path(base).suffix
    if not suffix or _nbytes(suffix) > 16:
        suffix = ""
    stem = base[: len(base) - len(suffix)]
    return (_cut(stem, MAX_STEM_BYTES).rstrip(" .") or "file") + suffix


def is_silent(name: str) -> bool:
    """Names ignored without a word: Excel lock files, temporary, partial and hidden files."""
    lower = name.lower()
    return name.startswith(("~$", ".", "~")) or lower.endswith((".tmp", ".crdownload", ".part"))


def _new_stamp() -> str:
    """The time stamp a claimed name starts with (_STAMP)."""
    return datetime.now().strftime("%Y%m%d-%H%M%S-%f")[:-3]


def _original(cid: str) -> str:
    """The name after the stamp of a claimed name `<stamp>_<name>`."""
    return cid.split("_", 1)[1] if "_" in cid else cid

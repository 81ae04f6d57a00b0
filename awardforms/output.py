"""Writing outputs safely: atomic replace, Windows-safe names, the manifest."""

from __future__ import annotations

import json
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Callable

from awardforms.textnorm import BIDI

_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')
# mkstemp creates 0600: outputs get what open() would give (0666 less the umask), so others
# sharing the output folder can read them. The umask is read once, at import (reading it means
# setting it, which is not safe while other threads create files).
_UMASK = os.umask(0)
os.umask(_UMASK)
FILE_MODE = 0o666 & ~_UMASK
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_name(text: str, limit: int = 60) -> str:
    """A file or folder name that Windows accepts: no \\/:*?"<>|, no trailing dot or space;
    no bidirectional controls (a name must read as it is: not `张三<U+202E>fdp.exe`)."""
    name = _UNSAFE.sub("_", BIDI.sub("", text)).strip().rstrip(". ")
    name = name[:limit].rstrip(". ") or "未命名"
    return f"_{name}" if name.upper().split(".")[0] in _RESERVED else name


def text_cells(rows) -> None:
    """openpyxl cells we filled from data (rows of cells, e.g. `ws.iter_rows()`): a text that
    starts with "=" stays text. openpyxl stores any such string as a live formula, and a
    clerk's 集体名称 or header `=HYPERLINK(...)` must never become one in a file we write."""
    for row in rows:
        for cell in row:
            if cell.data_type == "f" and isinstance(cell.value, str):
                cell.data_type = "s"


# atomic_write's temporary files: `.<stem>.<pid>~<random>.tmp` (older versions: `.<stem>.<random>.tmp`)
TMP_MARK = "~"
_TMP_NAME = re.compile(r"^\..*\.(?:(\d+)~)?[a-z0-9_]{8}\.tmp$")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False            # Windows: a file still being written cannot be deleted anyway
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:             # exists, someone else's
        return True
    return True


def remove_leftovers(folder: Path, deep: bool = True) -> int:
    """Delete the temporary files a killed run left in `folder` (and its subfolders if
    `deep`): `atomic_write`'s, e.g. `.推荐对象汇总表.1234~k3j_x9a2.tmp`, except those of
    processes still running (the annotated copy's, a render's workers). Returns how many went."""
    removed = 0
    for dirpath, _, names in (os.walk(folder) if deep else [(str(folder), None, _names(folder))]):
        for name in names:
            m = _TMP_NAME.match(name)
            if not m or (m.group(1) and _alive(int(m.group(1)))):
                continue
            try:
                os.unlink(os.path.join(dirpath, name))
                removed += 1
            except OSError:
                pass
    return removed


def _names(folder: Path) -> list[str]:
    try:
        return os.listdir(folder)
    except OSError:
        return []


def atomic_write(path: Path, write: Callable[[Path], None], retries: int = 5) -> None:
    """Write via a temporary file in the same folder, then replace the target.

    `write(tmp_path)` produces the file; it gets the usual permissions (FILE_MODE). Replacing
    retries with back-off, for a target that Word holds open on Windows.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:40]}.{os.getpid()}{TMP_MARK}", suffix=".tmp",
                               dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.chmod(tmp_path, FILE_MODE)
        for attempt in range(retries):
            try:
                os.replace(tmp_path, path)
                return
            except PermissionError:
                if attempt == retries - 1:
                    raise
                time.sleep(0.2 * 2 ** attempt)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


def atomic_write_bytes(path: Path, data: bytes) -> None:
    atomic_write(path, lambda p: p.write_bytes(data))


def write_json(path: Path, data: dict, *, compact: bool = False) -> None:
    """Indented for people to read; `compact` for the tool's own records (json's C encoder
    only runs without indent: the 400-output build state takes 2 ms instead of 10)."""
    text = (json.dumps(data, ensure_ascii=False, separators=(",", ":")) if compact
            else json.dumps(data, ensure_ascii=False, indent=2))
    blob = text.encode("utf-8")
    try:
        if path.stat().st_size == len(blob) and path.read_bytes() == blob:
            return                      # the same record again (a re-render): no rewrite
    except OSError:
        pass
    atomic_write_bytes(path, blob)


class UnchangedCache:
    """Skip rewriting an assembled output whose inputs have not changed.

    Kept as `.awardforms-assembly.json` in the output folder: output path -> digest of what
    it was made from. Used for outputs that are not template jobs (材料清单, the zip).
    """

    NAME = ".awardforms-assembly.json"

    def __init__(self, out_dir: Path):
        self.path = out_dir / self.NAME
        try:
            self.digests: dict[str, str] = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            self.digests = {}

    def fresh(self, out_dir: Path, rel: str, digest: str) -> bool:
        return self.digests.get(rel) == digest and os.path.isfile(os.path.join(out_dir, rel))

    def record(self, rel: str, digest: str) -> None:
        self.digests[rel] = digest

    def save(self) -> None:
        write_json(self.path, self.digests, compact=True)       # not rewritten when the same


def digest_of(*parts) -> str:
    import hashlib
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode()).hexdigest()

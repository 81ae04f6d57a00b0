"""Where the server keeps files under the data folder, and the only ways a request reaches them.

    <data>/awardforms.sqlite3          db.py
    <data>/secret.key                  signs the session cookies
    <data>/uploads/<submission id>/    the clerk's upload, as accepted (kept)
    <data>/results/<submission id>/    that submission's downloads (copied when it was done)
    <data>/units/<unit id>/<campaign>/ the unit's output folder, rendered into again and again
                                       (incremental: a re-upload redoes only what changed)
    <data>/work/<job id>/              scratch: an unpacked zip, removed after the job
    <data>/collect/<campaign>/         the office's `collect` output
    <data>/logs/                       internal errors, in full

Requests name submissions, units and campaigns by id and files by their index in a list the
server wrote; a path from a request is only ever used through `inside` (the office's collect
pages), which resolves it and refuses anything outside its folder or not a plain file.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import shutil
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from awardforms.output import safe_name

ACCEPTED = (".xlsx", ".xlsm", ".zip")
ZIP_MAGIC = b"PK\x03\x04"
_CAMPAIGN_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


class TooLarge(Exception):
    pass


class DataDir:
    def __init__(self, root: Path):
        self.root = Path(root).resolve()

    def upload_dir(self, sid: int) -> Path:
        return self.root / "uploads" / str(int(sid))

    def results(self, sid: int) -> Path:
        return self.root / "results" / str(int(sid))

    def unit_output(self, unit_id: int, campaign: str) -> Path:
        return self.root / "units" / str(int(unit_id)) / campaign_folder(campaign)

    def work(self, job_id: int) -> Path:
        return self.root / "work" / str(int(job_id))

    def collect(self, campaign: str) -> Path:
        return self.root / "collect" / campaign_folder(campaign)

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def tmp(self) -> Path:
        return self.root / "tmp"

    def secret_key(self) -> bytes:
        """The cookie-signing key, made once (readable by the server's account only)."""
        path = self.root / "secret.key"
        if not path.exists():
            self.root.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
            try:
                os.link(tmp, path)          # the first of two starting servers wins
            except FileExistsError:
                pass
            finally:
                tmp.unlink()
        return path.read_bytes()


def campaign_folder(campaign: str) -> str:
    """A campaign id as a folder name (ids are folder names already; anything else is hashed)."""
    if _CAMPAIGN_ID.match(campaign or ""):
        return campaign
    return "c" + hashlib.sha256(str(campaign).encode("utf-8")).hexdigest()[:16]


def upload_name(filename: str) -> str | None:
    """The clerk's file name without any folder part, safe on Windows; None for a type not taken."""
    base = re.split(r"[\\/]", filename or "")[-1].strip()
    suffix = Path(base).suffix.lower()
    if suffix not in ACCEPTED:
        return None
    stem = safe_name(base[: -len(suffix)].lstrip(".~$"), limit=80)
    return f"{stem}{suffix}"


def store_upload(stream: BinaryIO, target_dir: Path, name: str, limit: int) -> tuple[Path, int, str]:
    """Copy the upload into `target_dir/name` (written whole, synced, then renamed into place).
    Returns (path, size, sha256). Raises TooLarge past `limit` bytes, ValueError when the
    content is not a zip container (.xlsx files are zips too)."""
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = target_dir / f".upload-{secrets.token_hex(8)}.tmp"
    sha, size = hashlib.sha256(), 0
    try:
        with open(tmp, "wb") as out:
            while chunk := stream.read(1 << 20):
                size += len(chunk)
                if size > limit:
                    raise TooLarge()
                sha.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        with open(tmp, "rb") as f:
            if f.read(4) != ZIP_MAGIC:
                raise ValueError("not a zip container")
        final = target_dir / name
        os.replace(tmp, final)
        return final, size, sha.hexdigest()
    finally:
        tmp.unlink(missing_ok=True)


def inside(root: Path, rel: str) -> Path | None:
    """`root/rel` if that is a plain file inside root (no .., no absolute path, no link out)."""
    parts = PurePosixPath(rel.replace("\\", "/")).parts
    if not parts or any(p in ("..", "") or ":" in p for p in parts) or rel.startswith(("/", "\\")):
        return None
    root = root.resolve()
    path = (root / Path(*parts)).resolve()
    try:
        path.relative_to(root)
    except ValueError:
        return None
    return path if path.is_file() else None


def snapshot(out_dir: Path, rels: list[str], dest: Path) -> list[str]:
    """Copy the files `rels` of out_dir into dest (same relative paths); the ones copied."""
    copied = []
    for rel in rels:
        src = inside(out_dir, rel)
        if src is None:
            continue
        target = dest / PurePosixPath(rel)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, target)
        copied.append(rel)
    return copied

"""One zip to e-mail: `<推荐单位>-<项目简称>-推荐材料.zip` in the output folder.

It holds what manifest.json lists (the .docx, .pdf and .xlsx files) and the manifest itself,
under their paths in the output folder, with Windows-safe names; the print bundle (a paper-only
duplicate) stays out. Written atomically; non-ASCII names carry the zip UTF-8 flag.
"""

from __future__ import annotations

import zipfile
from pathlib import Path, PurePosixPath

from .output import UnchangedCache, atomic_write, digest_of, safe_name

BUNDLE_SUFFIXES = {".docx", ".pdf", ".xlsx"}
PRECOMPRESSED = {".docx", ".xlsx", ".pdf"}
UTF8_FLAG = 0x800


def bundle_stem(unit_name: str, short_title: str) -> str:
    return safe_name(f"{unit_name or '推荐单位'}-{short_title}-推荐材料", 120)


def bundle_name(unit_name: str, short_title: str) -> str:
    return bundle_stem(unit_name, short_title) + ".zip"


def manifest_files(manifest: dict) -> list[str]:
    files = list(manifest.get("files", []))
    for n in manifest.get("nominees", []):
        files += n.get("files", [])
    return list(dict.fromkeys(files))


def safe_member(path: str) -> str:
    return "/".join(safe_name(part, 120) for part in PurePosixPath(path).parts)


def write_bundle(out_dir: Path, manifest: dict, name: str, exclude: set[str] = frozenset()) -> list[str]:
    """Write the zip (only when a member changed); return its member names."""
    members = [f for f in manifest_files(manifest)
               if Path(f).suffix.lower() in BUNDLE_SUFFIXES and f not in exclude
               and (out_dir / f).is_file()]
    members.append("manifest.json")
    # outputs are replaced only when rebuilt, so (size, mtime) tells a changed member
    stats = [(m, (out_dir / m).stat().st_size, (out_dir / m).stat().st_mtime_ns) for m in members[:-1]]
    digest = digest_of(stats, (out_dir / "manifest.json").read_text(encoding="utf-8"))
    cache = UnchangedCache(out_dir)
    if cache.fresh(out_dir, name, digest):
        return [safe_member(m) for m in members]
    names: list[str] = []

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as zf:
            for rel in members:
                arc = safe_member(rel)
                info = zipfile.ZipInfo.from_file(out_dir / rel, arc)
                # .docx/.xlsx are zips already and PDFs are compressed: deflating again costs
                # time and saves next to nothing
                info.compress_type = (zipfile.ZIP_STORED if Path(rel).suffix.lower() in PRECOMPRESSED
                                      else zipfile.ZIP_DEFLATED)
                info.flag_bits |= UTF8_FLAG
                with open(out_dir / rel, "rb") as src, zf.open(info, "w") as dst:
                    while chunk := src.read(1 << 20):
                        dst.write(chunk)
                names.append(arc)

    atomic_write(out_dir / name, write)
    cache.record(name, digest)
    cache.save()
    return names

"""Submissions made the way clerks make them: workbooks (tests/conftest.py), with Excel's saved
time set, zipped with their files, or rendered and e-mailed as `render` writes the zip."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import zipfile
from pathlib import Path

from awardforms.build import pipeline
from conftest import UNIT, write_workbook

BASE = dt.datetime(2024, 3, 1, 9, 0, 0, tzinfo=dt.timezone.utc)


def unit(name: str, region: str) -> dict:
    return {**UNIT, "推荐单位": name, "所属地区": region}


def set_saved(path: Path, when: dt.datetime) -> Path:
    """Excel's 'last saved' time in docProps/core.xml (openpyxl always writes now)."""
    tmp = path.with_suffix(".tmp")
    stamp = when.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*(<)", rb"\g<1>" + stamp.encode() + rb"\2", data)
            dst.writestr(info, data)
    tmp.replace(path)
    return path


def workbook(path: Path, collectives: list[dict], persons: list[dict], name: str, region: str,
             minutes: int = 0) -> Path:
    write_workbook(path, collectives, persons, unit(name, region))
    return set_saved(path, BASE + dt.timedelta(minutes=minutes))


def zipped(path: Path, book: Path, extra: dict[str, bytes] | None = None) -> Path:
    """A zip holding the workbook and its files, as a clerk compresses a folder."""
    with zipfile.ZipFile(path, "w") as zf:
        zf.write(book, book.name)
        for name, data in (extra or {}).items():
            zf.writestr(name, data)
    return path


def emailed(path: Path, book: Path, work: Path) -> Path:
    """The zip `render` writes for e-mail, renamed as the office saved it."""
    result = pipeline.render(book, pipeline.Settings(out_dir=work))
    shutil.copyfile(work / result.assembly.bundle, path)
    return path

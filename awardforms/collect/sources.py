"""What arrived: the files named on the command line (or found in folders), each read into a
`Received` — a workbook (checked), a zip holding a workbook with its files (unpacked, checked)
or a zip as `render` writes it for e-mail (read from its manifest.json) — or, when it cannot be
used, the reason why. Nothing here raises for a clerk's file."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from awardforms.check.validate import Submission, check_workbook
from awardforms.errors import AwardformsError
from awardforms.output import safe_name, write_json
from awardforms.read.safezip import extract, find_workbook
from awardforms.report import Issue

ACCEPTED = (".xlsx", ".xlsm", ".zip", ".xls")
OWN_SUFFIXES = (".校验结果.xlsx", ".批注.xlsx")        # annotated copies render and watch write
SKIPPED_DIRS = {"processing", "output"}                # watch's work folder and render's default
MAX_DEPTH = 4
MANIFEST = "manifest.json"
_MODIFIED = re.compile(rb"<dcterms:modified[^>]*>\s*([^<\s]+)\s*<")

KIND_WORKBOOK, KIND_ZIPPED, KIND_BUNDLE, KIND_UNUSABLE = "workbook", "zipped-workbook", "bundle", "unusable"


@dataclass
class Nominee:
    sheet: str
    row: int
    name: str
    valid: bool
    values: dict[str, str]               # field key -> display text
    columns: dict[str, str]              # field key -> Excel column
    files: list[str] = field(default_factory=list)   # relative to the submission's folder
    result: str = ""                     # 评审结果 the office chose in the 总表 (review.py)

    def cell(self, key: str) -> str:
        column = self.columns.get(key)
        return f"{self.sheet}!{column}{self.row}" if column else f"{self.sheet}第{self.row}行"


@dataclass
class Received:
    path: Path
    kind: str
    campaign: str | None = None
    unit: str = ""
    region: str = ""
    unit_values: dict[str, str] = field(default_factory=dict)
    time: dt.datetime | None = None
    time_source: str = ""
    nominees: list[Nominee] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    why: str = ""                         # for 无法使用
    workbook: Path | None = None          # the workbook to render (KIND_WORKBOOK, KIND_ZIPPED)
    submission: Submission | None = None
    manifest: dict | None = None          # KIND_BUNDLE
    status: str = ""                      # 合格 / 有错误 / 无法使用 / 已被替换 (run.py)
    note: str = ""                        # e.g. why this one counts although as new as another
    folder: str = ""                      # submissions/<推荐单位>, relative to the output folder
    files: list[str] = field(default_factory=list)   # submission-level files in that folder

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def errors(self) -> int:
        """Counting the reason an unusable file is unusable, as 问题清单 lists it."""
        return sum(1 for i in self.issues if i.severity == "error") + (1 if self.why else 0)

    @property
    def warnings(self) -> int:
        return sum(1 for i in self.issues if i.severity == "warning")


# ---------------------------------------------------------------- finding the files

def _skipped(path: Path) -> bool:
    name = path.name
    return name.startswith(("~$", ".")) or name.endswith(".tmp") or name.endswith(OWN_SUFFIXES)


def find_sources(sources: list[Path], exclude: Path | None = None) -> tuple[list[Path], list[str]]:
    """The files to collect (in a stable order, each once) and the sources not found."""
    found: list[Path] = []
    missing: list[str] = []
    skip = exclude.resolve() if exclude else None

    def walk(folder: Path, depth: int) -> None:
        if (folder / MANIFEST).is_file() or (skip and folder.resolve() == skip) or depth > MAX_DEPTH:
            return                                   # a render's (or this collection's) output
        try:
            entries = sorted(folder.iterdir(), key=lambda p: p.name)
        except OSError:
            return
        for entry in entries:
            if _skipped(entry):
                continue
            if entry.is_dir():
                if entry.name not in SKIPPED_DIRS:
                    walk(entry, depth + 1)
            elif entry.suffix.lower() in ACCEPTED:
                found.append(entry)

    for source in sources:
        if source.is_dir():
            walk(source, 0)
        elif source.is_file():
            found.append(source)
        else:
            missing.append(str(source))
    unique = list({p.resolve(): p for p in found}.values())
    return unique, missing


# ---------------------------------------------------------------- times

def _local(when: tuple) -> dt.datetime:
    return dt.datetime(*when).astimezone()


def _mtime(path: Path) -> dt.datetime:
    return dt.datetime.fromtimestamp(int(path.stat().st_mtime)).astimezone()


def _core_time(data: bytes) -> dt.datetime | None:
    m = _MODIFIED.search(data)
    if not m:
        return None
    try:
        return dt.datetime.fromisoformat(m.group(1).decode("ascii").replace("Z", "+00:00")).astimezone()
    except ValueError:
        return None


def _workbook_time(path: Path) -> tuple[dt.datetime, str]:
    """Excel's own 'last saved' time (docProps/core.xml), else the file's modification time."""
    try:
        with zipfile.ZipFile(path) as zf:
            when = _core_time(zf.read("docProps/core.xml"))
        if when is not None:
            return when, "工作簿保存时间"
    except (KeyError, OSError, zipfile.BadZipFile):
        pass
    return _mtime(path), "文件修改时间"


# ---------------------------------------------------------------- reading one file

def _unusable(path: Path, why: str) -> Received:
    return Received(path, KIND_UNUSABLE, why=why, time=_mtime(path) if path.exists() else None,
                    time_source="文件修改时间")


def _from_submission(r: Received, sub: Submission) -> Received:
    r.submission = sub
    r.campaign = sub.campaign.id
    r.unit_values = {k: str(v) for k, v in sub.unit.display.items()}
    r.unit, r.region = r.unit_values.get("name", ""), r.unit_values.get("region", "")
    r.nominees = [Nominee(rec.sheet.name, rec.row, rec.name, not rec.has_errors, dict(rec.display),
                          dict(rec.columns)) for rec in sub.all_records()]
    r.issues = list(sub.report.issues)
    return r


def _scratch(path: Path, scratch: Path) -> Path:
    digest = hashlib.sha1(str(path.resolve()).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return scratch / f"{safe_name(path.stem, 60)}-{digest}"


def unpack(path: Path, dest: Path) -> None:
    """Unpack `path` into `dest` unless it holds this very zip's files already (same size and
    modification time): files unpacked again would look changed to the incremental build."""
    st = path.stat()
    stamp = {"source": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    marker = dest / ".awardforms-unpacked.json"
    try:
        if json.loads(marker.read_text(encoding="utf-8")) == stamp:
            return
    except (OSError, ValueError):
        pass
    extract(path, dest)
    write_json(marker, stamp)


def _bundle(path: Path, zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> Received:
    from awardforms.campaigns.load import load_campaign
    try:
        manifest = json.loads(zf.read(info).decode("utf-8"))
    except (ValueError, zipfile.BadZipFile, EOFError) as err:
        return _unusable(path, f"压缩包中的 manifest.json 已损坏（{type(err).__name__}），请推荐单位重新生成后发送。")
    if not isinstance(manifest, dict) or not isinstance(manifest.get("unit"), dict):
        return _unusable(path, "压缩包由旧版本的 awardforms 生成，其中没有推荐单位和推荐对象的信息，无法汇总。"
                               "请推荐单位用新版本重新生成后发送，或直接发送推荐对象表（.xlsx）。")
    try:
        load_campaign(str(manifest.get("campaign")))
    except AwardformsError as err:
        return _unusable(path, str(err))
    r = Received(path, KIND_BUNDLE, campaign=manifest["campaign"], manifest=manifest,
                 time=_local(info.date_time), time_source="压缩包生成时间")
    r.unit_values = {str(k): str(v) for k, v in manifest["unit"].items()}
    r.unit, r.region = r.unit_values.get("name", ""), r.unit_values.get("region", "")
    columns = manifest.get("columns", {})
    for n in manifest.get("nominees", []):
        r.nominees.append(Nominee(n["sheet"], n["row"], n["name"], n["status"] == "rendered",
                                  dict(n.get("values", {})), dict(columns.get(n["sheet"], {})),
                                  list(n.get("files", []))))
    for i in manifest.get("issues", []):
        r.issues.append(Issue(i.get("sheet"), i.get("row"), i.get("column"), i.get("field"),
                              i.get("severity", "error"), i.get("code", ""), i.get("message", "")))
    r.files = list(manifest.get("files", []))
    return r


def read_source(path: Path, scratch: Path) -> Received:
    """Read one file; an unusable one comes back as KIND_UNUSABLE with the reason."""
    suffix = path.suffix.lower()
    try:
        if path.stat().st_size == 0:
            return _unusable(path, "文件是空的（0 字节）。")
        if suffix == ".xls":
            return _unusable(path, "这是旧版 .xls 格式，请在 Excel 或 WPS 中另存为 .xlsx 后发送。")
        if suffix == ".zip":
            return _read_zip(path, scratch)
        when, source = _workbook_time(path)
        r = Received(path, KIND_WORKBOOK, workbook=path, time=when, time_source=source)
        return _from_submission(r, check_workbook(path))
    except AwardformsError as err:
        return _unusable(path, str(err))
    except Exception as err:  # noqa: BLE001 - one bad file never stops the collection
        return _unusable(path, f"无法读取此文件（{type(err).__name__}: {err}）。")


def _read_zip(path: Path, scratch: Path) -> Received:
    try:
        with zipfile.ZipFile(path) as zf:
            info = next((i for i in zf.infolist() if i.filename == MANIFEST), None)
            if info is not None:
                return _bundle(path, zf, info)
    except (zipfile.BadZipFile, OSError):
        return _unusable(path, "不是有效的 zip 压缩包，无法解压；请重新压缩后发送。")
    dest = _scratch(path, scratch)
    unpack(path, dest)
    files = [p for p in dest.rglob("*") if p.is_file() and not p.name.startswith(".awardforms")]
    book = find_workbook(files, dest)
    when, source = _workbook_time(book)
    r = Received(path, KIND_ZIPPED, workbook=book, time=when, time_source=source)
    return _from_submission(r, check_workbook(book))


def drop_scratch(scratch: Path, keep: list[Received]) -> None:
    """Remove unpacked zips no longer among the sources."""
    wanted = {_scratch(r.path, scratch).name for r in keep if r.kind == KIND_ZIPPED}
    if scratch.is_dir():
        for entry in scratch.iterdir():
            if entry.is_dir() and entry.name not in wanted:
                shutil.rmtree(entry, ignore_errors=True)
    os.makedirs(scratch, exist_ok=True)

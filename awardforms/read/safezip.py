"""Unpacking a clerk's .zip (a workbook with its deeds, photos, scans) without trusting it.

Refused: absolute paths, drive letters, `..`, symlinks and other special files, encrypted
members, more than MAX_FILES members, more than MAX_TOTAL bytes unpacked (counted while
writing, not taken from the header), a member that inflates more than MAX_RATIO times.
Names from Windows' built-in zipper come in the local code page (GBK) without the UTF-8
flag; they are decoded as GBK so `照片/张三.jpg` in the workbook still finds its file.
"""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path, PurePosixPath

from awardforms.errors import UnusableInput

MAX_FILES = 2000
MAX_TOTAL = 500 * 1024 * 1024
MAX_RATIO = 200
_RATIO_FLOOR = 1024 * 1024          # small members may compress very well (blank text)
_SKIP_PREFIXES = ("__MACOSX/",)


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name as the clerk typed it (UTF-8 flag, else GBK, else as read)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            raw = name.encode("cp437")
        except UnicodeEncodeError:
            return name
        for codec in ("utf-8", "gbk"):
            try:
                return raw.decode(codec)
            except UnicodeDecodeError:
                continue
    return name


def _safe_parts(name: str) -> tuple[str, ...]:
    text = name.replace("\\", "/")
    if text.startswith("/") or (len(text) > 1 and text[1] == ":"):
        raise UnusableInput(f"压缩包中的文件“{name}”使用了绝对路径，为安全起见未解压。",
                            fix="请只压缩推荐材料文件夹本身后重新提交。")
    parts = tuple(p for p in PurePosixPath(text).parts if p not in ("", "."))
    if ".." in parts:
        raise UnusableInput(f"压缩包中的文件“{name}”指向压缩包以外的位置（含“..”），为安全起见未解压。",
                            fix="请只压缩推荐材料文件夹本身后重新提交。")
    return parts


MAX_PART_BYTES = 255             # one file or folder name (ext4, NTFS: 255)
MAX_PATH_BYTES = 1000            # a member's whole path inside the zip
_NAME_FIX = "请把过长的文件名或文件夹名改短后重新压缩提交。"
_CONFLICT_FIX = "请改名使文件与文件夹不同名后重新压缩提交。"


def _check_names(plan) -> None:
    """Names the folder cannot hold, said as what is wrong with the zip: one too long, or one
    name both a file and a folder (`事迹` and `事迹/张三.docx`)."""
    files, folders = set(), set()
    for _, parts, is_dir in plan:
        shown = "/".join(parts)
        if len(shown.encode("utf-8", "surrogateescape")) > MAX_PATH_BYTES or any(
                len(p.encode("utf-8", "surrogateescape")) > MAX_PART_BYTES for p in parts):
            raise UnusableInput(f"压缩包中的文件名“{shown[:80]}…”过长（每级名称最多 {MAX_PART_BYTES} 字节），无法解压。",
                                fix=_NAME_FIX)
        folders.update("/".join(parts[:n]) for n in range(1, len(parts)))
        (folders if is_dir else files).add(shown)
    both = sorted(files & folders)
    if both:
        raise UnusableInput(f"压缩包中的“{both[0]}”既是文件又是文件夹，无法解压。", fix=_CONFLICT_FIX)


def _member_error(err: OSError, parts: tuple[str, ...]) -> None:
    """An OSError while unpacking a member: what is wrong with the zip, when it is the zip."""
    import errno
    shown = "/".join(parts)
    if err.errno == errno.ENAMETOOLONG:
        raise UnusableInput(f"压缩包中的文件名“{shown[:80]}…”过长，无法解压。", fix=_NAME_FIX) from err
    if err.errno in (errno.EEXIST, errno.ENOTDIR, errno.EISDIR):
        raise UnusableInput(f"压缩包中的“{shown}”与另一个文件或文件夹同名（同一名称既是文件又是文件夹），无法解压。",
                            fix=_CONFLICT_FIX) from err
    raise err


def extract(archive: Path, dest: Path) -> list[Path]:
    """Unpack `archive` into `dest` (created; emptied first). Returns the files written."""
    try:
        zf = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as err:
        raise UnusableInput(f"“{archive.name}”不是有效的 zip 压缩包，无法解压。",
                            fix="请重新压缩后提交，或直接提交 .xlsx 工作簿。") from err
    with zf:
        infos = zf.infolist()
        if len(infos) > MAX_FILES:
            raise UnusableInput(f"压缩包中有 {len(infos)} 个文件，超过上限 {MAX_FILES} 个，未解压。")
        plan = []
        for info in infos:
            name = member_name(info)
            if name.startswith(_SKIP_PREFIXES):
                continue
            parts = _safe_parts(name)
            kind = stat.S_IFMT(info.external_attr >> 16)     # 0 when the zipper stored no Unix mode
            if kind and kind not in (stat.S_IFREG, stat.S_IFDIR):
                raise UnusableInput(f"压缩包中的“{name}”是链接或特殊文件，为安全起见未解压。")
            if info.flag_bits & 0x1:
                raise UnusableInput(f"压缩包中的“{name}”设置了密码，无法解压。", fix="请去掉密码后重新压缩。")
            if info.file_size > _RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                raise UnusableInput(f"压缩包中的“{name}”解压后异常膨胀（压缩比超过 {MAX_RATIO} 倍），未解压。")
            if parts:
                plan.append((info, parts, info.is_dir() or name.endswith(("/", "\\"))))
        _check_names(plan)
        if sum(i.file_size for i, _, _ in plan) > MAX_TOTAL:
            raise UnusableInput(f"压缩包解压后超过 {MAX_TOTAL // (1024 * 1024)} MB，未解压。")
        if dest.exists():
            shutil.rmtree(dest)
        dest.mkdir(parents=True)
        root = dest.resolve()
        written, total = [], 0
        for info, parts, is_dir in plan:
            target = dest.joinpath(*parts)
            if root not in target.resolve().parents and target.resolve() != root:
                raise UnusableInput(f"压缩包中的文件“{'/'.join(parts)}”指向压缩包以外的位置，未解压。")
            try:
                if is_dir:
                    target.mkdir(parents=True, exist_ok=True)
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                with zf.open(info) as src, open(target, "wb") as out:
                    size = 0
                    while block := src.read(1 << 20):
                        size += len(block)
                        total += len(block)
                        if size > info.file_size:
                            raise UnusableInput(f"压缩包中的“{'/'.join(parts)}”大小与记录不符，未解压。")
                        if total > MAX_TOTAL:
                            raise UnusableInput(f"压缩包解压后超过 {MAX_TOTAL // (1024 * 1024)} MB，未解压。")
                        out.write(block)
            except (zipfile.BadZipFile, EOFError, zipfile.LargeZipFile) as err:
                raise UnusableInput(f"压缩包中的“{'/'.join(parts)}”已损坏，无法解压。",
                                    fix="请重新压缩后提交。") from err
            except OSError as err:
                _member_error(err, parts)
            written.append(target)
        return written


def find_workbook(files: list[Path], root: Path) -> Path:
    """The one .xlsx among the unpacked files (Excel lock files and hidden files aside)."""
    books = [f for f in files if f.suffix.lower() in (".xlsx", ".xlsm")
             and not f.name.startswith(("~$", "."))]
    if not books:
        raise UnusableInput("压缩包中没有找到 .xlsx 推荐对象表。",
                            fix="请把推荐对象表（.xlsx）和事迹、照片等文件一起压缩后提交。")
    if len(books) > 1:
        names = "、".join(str(b.relative_to(root)) for b in books)
        raise UnusableInput(f"压缩包中有 {len(books)} 个工作簿（{names}），无法确定用哪一个。",
                            fix="每个压缩包只放一个推荐对象表；多个推荐单位请分别压缩提交。")
    return books[0]

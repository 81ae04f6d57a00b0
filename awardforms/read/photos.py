"""Photos for the 照片 cell: find the file, make sure it is an image, fit it to 5:7.

Where a photo comes from, for any sheet with a field of type `photo`:

1. the 照片 column: a path relative to the workbook (`照片/张晓梅.jpg`);
2. when that cell is empty: a file in the folder `照片/` next to the workbook named by the
   nominee's ID number or name (`照片/220102197805124520.jpg`, `照片/张晓梅.png`).

No photo at all leaves the cell empty with a warning; a file that is not an image is an error.
For rendering, the photo is turned upright (EXIF orientation), cropped to 5:7 around the
centre (a little towards the top, where the face is) and resized to 413×579 px (35×49 mm at
300 dpi), then cached as a JPEG named by its content hash: the form job carries that path,
so a changed photo changes the job's fingerprint.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import io
import re
from pathlib import Path
from typing import Any, Callable

from awardforms.errors import FieldProblem
from awardforms.read.textsource import resolve_inside

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}
PHOTO_FOLDER = "照片"
ASPECT = 5 / 7                      # width / height of a 2-inch ID photo (35×49 mm)
SIZE_PX = (413, 579)                # 35×49 mm at 300 dpi
TOP_BIAS = 0.4                      # share of the cut-off height taken from the top (0.5 = centre)
PROCESS_VERSION = "1"               # bump when the processing changes: old cache entries go stale


MAX_PIXELS = 50_000_000             # a 50-megapixel camera; a 600 dpi A4 scan is 35 million
_TOO_LARGE_FIX = "请把图片缩小到5000万像素以内（证件照、扫描件用不到这么大），另存后再提交。"


class ImageTooLarge(ValueError):
    """An image with more pixels than MAX_PIXELS: decoding it would take gigabytes."""

    def __init__(self, size: tuple[int, int] | None):
        pixels = f"{size[0]}×{size[1]} 像素，" if size else ""
        super().__init__(f"图片过大（{pixels}超过 {MAX_PIXELS // 10_000} 万像素），未使用")
        self.size = size


def open_image(source):
    """PIL's image for a path or file, its size checked from the header before any decoding
    (ImageTooLarge); PIL's own bomb check (twice its MAX_IMAGE_PIXELS) says the same."""
    import warnings

    from PIL import Image
    try:
        with warnings.catch_warnings():          # PIL warns above its limit: we refuse below it
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            im = Image.open(source)
    except Image.DecompressionBombError as err:
        raise ImageTooLarge(None) from err
    if im.width * im.height > MAX_PIXELS:
        size = im.size
        im.close()
        raise ImageTooLarge(size)
    return im


def _check_image(path: Path, shown: str) -> None:
    """An image we can use: not too large, and complete (a JPEG is decoded at 1/8 scale,
    a few milliseconds, because PIL's verify() does not notice a JPEG cut short)."""
    try:
        with open_image(path) as im:
            if im.format == "JPEG":
                im.draft("RGB", (64, 64))
                im.load()
            else:
                im.verify()
    except ImageTooLarge as err:
        raise FieldProblem("photo-too-large", f"“{shown}”{err}。", _TOO_LARGE_FIX) from err
    except Exception as err:
        raise FieldProblem("photo-not-image", f"“{shown}”不是可用的图片文件（文件不完整或已损坏）。",
                           "请重新导出或拍摄，提供 JPG 或 PNG 格式的2寸证件照。") from err


_WINDOWS_ABSOLUTE = re.compile(r"^(?:[A-Za-z]:[\\/]|\\\\|//|file:)", re.IGNORECASE)


def resolve_photo(text: str, base_dir: Path) -> tuple[Path | None, list[FieldProblem]]:
    """The photo's path. A cell that names no file is an error: the clerk meant a photo."""
    value = text.strip()
    if _WINDOWS_ABSOLUTE.match(value):
        name = re.split(r"[\\/]", value)[-1] or "张晓梅.jpg"
        raise FieldProblem(
            "photo-absolute-path",
            f"“{value}”是填表电脑上的完整路径：工作簿换到别的电脑（或打包报送）后就找不到这个文件，"
            "本工具只在工作簿所在文件夹中找照片。",
            f"请把照片复制到工作簿旁的“{PHOTO_FOLDER}”文件夹中，并改填相对路径“{PHOTO_FOLDER}/{name}”；"
            f"或清空此栏，把照片命名为身份证号码或姓名放入“{PHOTO_FOLDER}/”。")
    try:
        path = resolve_inside(value, base_dir, "照片")
    except FieldProblem as problem:
        if problem.code == "file-missing":
            raise FieldProblem("photo-file-missing", f"找不到照片文件“{value}”。{_nearby(value, base_dir)}",
                               "请核对文件名（含扩展名 .jpg/.png）和所在文件夹，照片应放在工作簿所在文件夹"
                               f"（或其“{PHOTO_FOLDER}”子文件夹）中；没有照片请清空此栏。") from None
        raise
    _check_image(path, value)
    return path, []


def _nearby(value: str, base_dir: Path) -> str:
    """'照片/中有“张晓梅.jpg”' when a file there has a similar name (difflib)."""
    folder = (base_dir / Path(value.replace("\\", "/")).parent)
    try:
        names = [p.name for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES][:500]
    except OSError:
        return ""
    close = difflib.get_close_matches(Path(value.replace("\\", "/")).name, names, n=2, cutoff=0.5)
    return f"该文件夹中有：{'、'.join(f'“{n}”' for n in close)}。" if close else ""


def photo_in_folder(base_dir: Path, keys: list[str], files: dict[str, Path] | None = None) -> Path | None:
    """`照片/<key>.jpg|.jpeg|.png` next to the workbook, for the first key that has one;
    `files`: the folder's listing (`folder_index`) when the caller has taken it already."""
    if files is None:
        files = folder_index(base_dir / PHOTO_FOLDER, files=True)
    for key in keys:
        if key and key.strip().upper() in files:
            return files[key.strip().upper()]
    return None


def inside(path: Path, base: Path) -> bool:
    """Whether `path`, links followed, is `base` or within it (`base` resolved already):
    a link in 照片/ or 附件/ (or those folders linked) to a file elsewhere on the machine
    must not bring that file into the forms, the dossiers or the e-mailed zip."""
    try:
        real = path.resolve()
    except (OSError, RuntimeError):           # a link loop
        return False
    return real == base or base in real.parents


def folder_index(folder: Path, files: bool) -> dict[str, Path]:
    """Upper-cased stem (files) or name (folders) -> path; listed once per folder version,
    not once per row. `folder` is `照片/` or `附件/` next to the workbook: only entries that
    resolve inside the workbook's folder (`folder.parent`) are listed."""
    try:
        stamp = folder.stat().st_mtime_ns
    except OSError:
        return {}
    return _listing(str(folder), stamp, files)


@functools.lru_cache(maxsize=32)
def _listing(folder: str, stamp: int, files: bool) -> dict[str, Path]:
    out: dict[str, Path] = {}
    base = Path(folder).parent.resolve()
    for p in sorted(Path(folder).iterdir()):
        if p.name.startswith((".", "~$")) or not inside(p, base):
            continue
        if files and p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES:
            out.setdefault(p.stem.strip().upper(), p)
        elif not files and p.is_dir():
            out.setdefault(p.name.strip().upper(), p)
    return out


def nominee_keys(sheet, display: dict[str, str], fields: tuple[str, ...] | None = None) -> list[str]:
    """What a nominee's photo or scans folder may be named after: ID number(s), then the name.
    `fields`: `key_fields(sheet)`, when the caller worked it out once for many rows."""
    keys = [display.get(k, "") for k in (key_fields(sheet) if fields is None else fields)]
    return [k for k in keys if k]


def key_fields(sheet) -> tuple[str, ...]:
    """The fields `nominee_keys` reads: those of type idcard, then the name field."""
    return (*[f.key for f in sheet.fields if f.type == "idcard"], sheet.name_field)


def fill_photos(sheet, values: dict[str, Any], display: dict[str, str], base_dir: Path,
                failed: set[str], add: Callable[[str, str, str, str, str], None],
                photos: dict[str, Path] | None = None, keys: list[str] | None = None) -> bool:
    """After a row is parsed: look up `照片/` for empty photo cells; warn when there is none.

    `add(key, severity, code, message, fix)` reports an issue for the field; returns True if
    an error was reported. `photos`: the listing of `照片/` (`folder_index`), when the caller
    takes it once for many rows; `keys`: `nominee_keys`, if worked out already.
    """
    bad = False
    for f in (f for f in sheet.fields if f.type == "photo"):
        if values.get(f.key) is not None or f.key in failed:
            continue
        if keys is None:
            keys = nominee_keys(sheet, display)
        found = photo_in_folder(base_dir, keys, photos)
        if found is None:
            add(f.key, "warning", "photo-missing",
                f"“{f.label}”栏为空，文件夹“{PHOTO_FOLDER}/”中也没有以身份证号码或名称命名的照片，照片栏将留空。",
                f"请在“{f.label}”栏填写照片的相对路径，或把照片存为“{PHOTO_FOLDER}/{keys[0] if keys else '身份证号码'}.jpg”。")
            continue
        shown = f"{PHOTO_FOLDER}/{found.name}"
        try:
            _check_image(found, shown)
        except FieldProblem as p:
            add(f.key, "error", p.code, p.message, p.fix)
            bad = True
            continue
        values[f.key], display[f.key] = found, shown
    return bad


# ------------------------------------------------------------------ processing for the form

def photo_cache_dir() -> Path:
    from awardforms.cachedir import cache_root
    return cache_root() / "photos"


def crop_box(width: int, height: int, aspect: float = ASPECT, top_bias: float = TOP_BIAS):
    """The largest `aspect` box inside width×height: centred across, a little high down."""
    if width / height > aspect:                 # too wide: cut the sides equally
        w = round(height * aspect)
        left = (width - w) // 2
        return (left, 0, left + w, height)
    h = round(width / aspect)                   # too tall: cut more from the bottom
    top = round((height - h) * top_bias)
    return (0, top, width, top + h)


def fit_photo(data: bytes) -> bytes:
    """Upright, cropped to 5:7, resized, as a JPEG (300 dpi)."""
    from PIL import Image, ImageOps
    with open_image(io.BytesIO(data)) as im:
        im = ImageOps.exif_transpose(im)
        if im.mode != "RGB":
            background = Image.new("RGB", im.size, "white")
            rgba = im.convert("RGBA")
            background.paste(rgba, mask=rgba.getchannel("A"))
            im = background
        im = im.crop(crop_box(*im.size))
        if im.size[0] > SIZE_PX[0]:
            im = im.resize(SIZE_PX, Image.Resampling.LANCZOS)
        out = io.BytesIO()
        im.save(out, "JPEG", quality=90, dpi=(300, 300), optimize=True)
        return out.getvalue()


def prepared_photo(source: str | Path | None) -> str | None:
    """Path of the processed (5:7, upright) JPEG for `source`, made once per photo content."""
    if not source:
        return None
    from awardforms.output import atomic_write_bytes
    data = Path(source).read_bytes()
    digest = hashlib.sha256(PROCESS_VERSION.encode() + data).hexdigest()[:32]
    target = photo_cache_dir() / f"{digest}.jpg"
    if not target.is_file():
        atomic_write_bytes(target, fit_photo(data))
    return str(target)

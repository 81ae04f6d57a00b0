"""Photos for the 照片 cell: find the file, make sure it is an image."""

from __future__ import annotations

from pathlib import Path

from .errors import FieldProblem
from .textsource import resolve_inside

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png"}


def resolve_photo(text: str, base_dir: Path) -> tuple[Path | None, list[FieldProblem]]:
    """The photo's path, or None with a warning when the file is missing."""
    try:
        path = resolve_inside(text, base_dir, "照片")
    except FieldProblem as problem:
        if problem.code == "file-missing":
            problem.severity = "warning"
            problem.message += "照片栏将留空。"
            return None, [problem]
        raise
    try:
        from PIL import Image
        with Image.open(path) as im:
            im.verify()
    except Exception as err:
        raise FieldProblem("photo-not-image", f"“{text}”不是可用的图片文件。",
                           "请提供 JPG 或 PNG 格式的2寸证件照。") from err
    return path, []

"""Long-text cells that name a file: `事迹/张三.docx` or `事迹/张三.txt` next to the workbook.

Only files inside the workbook's folder are read: a path that climbs out of it
(`../../x.docx`, an absolute path, a link pointing elsewhere) is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

from awardforms.errors import FieldProblem
from awardforms.textnorm import clean_cell

SUFFIXES = ("txt", "docx")
_REFERENCE = re.compile(rf"^[^\n]{{1,250}}\.({'|'.join(SUFFIXES)})$", re.IGNORECASE)
MAX_TEXT_FILE = 5 * 1024 * 1024


def looks_like_reference(text: str) -> bool:
    return bool(_REFERENCE.match(text.strip()))


def may_name_file(raw: object) -> bool:
    """Whether a raw cell value could, once cleaned, be a file reference (it holds one of
    the suffixes anywhere, in any case); False means its text is the text itself."""
    if not isinstance(raw, str):
        return False
    lowered = raw.lower()
    return any(f".{suffix}" in lowered for suffix in SUFFIXES)


def resolve_inside(name: str, base_dir: Path, what: str) -> Path:
    """Resolve a relative path the clerk wrote; refuse anything outside base_dir."""
    base = base_dir.resolve()
    candidate = Path(name.strip().replace("\\", "/"))
    if candidate.is_absolute() or ".." in candidate.parts:
        raise FieldProblem("path-outside", f"{what}路径“{name}”指向工作簿所在文件夹之外，已拒绝。",
                           "请把文件放到工作簿所在文件夹（或其子文件夹）中，并填写相对路径。")
    path = (base / candidate).resolve()
    if base != path and base not in path.parents:
        raise FieldProblem("path-outside", f"{what}路径“{name}”指向工作簿所在文件夹之外，已拒绝。",
                           "请把文件放到工作簿所在文件夹（或其子文件夹）中，并填写相对路径。")
    if not path.is_file():
        raise FieldProblem("file-missing", f"找不到{what}文件“{name}”。",
                           "请检查文件名，文件应放在工作簿所在文件夹中。")
    return path


def _read_docx(path: Path) -> str:
    from docx import Document   # python-docx
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs)


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FieldProblem("file-encoding", f"文本文件“{path.name}”的编码无法识别。",
                       "请用记事本另存为 UTF-8 编码。")


def read_text_reference(text: str, base_dir: Path) -> str:
    """The cell text itself, or the text of the file it names."""
    if not looks_like_reference(text):
        return text
    path = resolve_inside(text, base_dir, "文字材料")
    if path.stat().st_size > MAX_TEXT_FILE:
        raise FieldProblem("file-too-large", f"文件“{text}”超过5MB，不像是事迹材料。", "请检查文件。")
    try:
        content = _read_docx(path) if path.suffix.lower() == ".docx" else _read_txt(path)
    except FieldProblem:
        raise
    except Exception as err:
        raise FieldProblem("file-unreadable", f"文件“{text}”无法读取（{type(err).__name__}）。",
                           "请用 Word 打开后重新保存为 .docx，或改为 .txt。") from err
    cleaned, _ = clean_cell(content, multiline=True)
    return cleaned

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


MAX_DOCX_PARTS = 1000                 # a deeds file has ~20 parts; a few hundred with images
MAX_DOCX_UNPACKED = 64 * 1024 * 1024  # all parts, unpacked (images included)
MAX_DOCX_XML = 16 * 1024 * 1024       # the XML parts, unpacked: ~100x that in memory once parsed


def _docx_bounds(path: Path) -> None:
    """Refuse a .docx that would inflate past what a deeds file needs, before python-docx
    parses it (95 KB on disk can unpack to gigabytes of XML). The sizes come from the zip's
    directory; zipfile never gives more than the size recorded (and fails the CRC if the
    member holds more), so a lying directory cannot get past them."""
    import zipfile
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_DOCX_PARTS:
            raise FieldProblem("file-too-large", f"文件“{path.name}”由 {len(infos)} 个部分组成，不像是事迹材料，未读取。",
                               "请用 Word 打开后另存为新的 .docx，或改为 .txt。")
        total = sum(i.file_size for i in infos)
        xml = sum(i.file_size for i in infos if i.filename.lower().endswith((".xml", ".rels")))
        if total > MAX_DOCX_UNPACKED or xml > MAX_DOCX_XML:
            raise FieldProblem("file-too-large",
                               f"文件“{path.name}”解压后有 {total // (1024 * 1024)} MB，不像是事迹材料，未读取。",
                               "请用 Word 打开后另存为新的 .docx（删除不需要的图片），或改为 .txt。")


def _read_docx(path: Path) -> str:
    from docx import Document   # python-docx
    _docx_bounds(path)
    doc = Document(str(path))
    return "\n".join(p.text for p in doc.paragraphs)


# A clerk's text file: UTF-8, GBK (Notepad's "ANSI" on a Chinese Windows), UTF-16 (Notepad's
# "Unicode"), now and then Big5 (from Taiwan or Hong Kong). GB18030 decodes nearly any byte
# string, so it is taken only when the detector (charset-normalizer) agrees that the text is
# Chinese in a GB encoding, or the text is too short for the detector to tell (it misnames
# a few words of GBK) and reads as common simplified characters.
_GB = {"gb18030", "gbk", "gb2312", "hz"}
_BIG5 = {"big5", "big5hkscs", "cp950"}
_UNICODE = {"utf_16", "utf_16_le", "utf_16_be", "utf_32", "utf_32_le", "utf_32_be"}
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_SHORT = 64                    # bytes: below this the detector's answer is not trusted over GBK
_ENCODING_FIX = "请用记事本打开，另存为时“编码”选 UTF-8。"


def _read_txt(path: Path) -> str:
    data = path.read_bytes()
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                break
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        gb = data.decode("gb18030") if b"\x00" not in data else None
    except UnicodeDecodeError:
        gb = None
    from charset_normalizer import from_bytes
    match = from_bytes(data).best()
    found = match.encoding if match is not None else None
    if found in _UNICODE or (found in _BIG5 and (gb is None or _common_share(gb) < 0.9)):
        return str(match)
    if gb is not None and (found in _GB | _BIG5 or found is None
                           or (len(data) < _SHORT and _common_share(gb) >= 0.9)):
        return gb
    what = f"看起来是 {found} 编码" if found else "的编码无法识别"
    raise FieldProblem("file-encoding", f"文本文件“{path.name}”{what}，不是 UTF-8、GBK、Big5 或 UTF-16，"
                       "未读取，以免生成乱码。", _ENCODING_FIX)


def _common_share(text: str) -> float:
    """The share of the CJK characters that are among the 6,763 of GB2312: near 1 for
    simplified Chinese, low for Big5 or Shift-JIS bytes read as GBK."""
    cjk = [c for c in text if ord(c) >= 0x2E80]
    if not cjk:
        return 1.0
    common = 0
    for c in cjk:
        try:
            c.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(cjk)


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

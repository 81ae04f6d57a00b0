"""The clerk's scans: one folder per nominee, matched against the campaign's list of materials.

Folder: `附件/<身份证号码>/` or `附件/<名称>/` next to the workbook (for a collective, its name).
Files: PDF, JPG or PNG. A file belongs to the first material (campaign order) whose name or one
of whose `match` keywords occurs in the file name (`附件/2201.../无犯罪记录证明.pdf`,
`附件/张三/犯罪记录-公安局.jpg`); files that match nothing are still attached, as 其他材料.

The list of materials is data: `[[sheets.materials]]` in campaign.toml
(`name`, `match`, `required`, `copies`, `note`). A missing required item is a warning.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from awardforms.campaigns.model import MaterialDef, SheetDef
from awardforms.read.photos import ImageTooLarge, folder_index, inside, nominee_keys, open_image
from awardforms.report import Issue
from awardforms.textnorm import header_key

SCANS_FOLDER = "附件"
SCAN_SUFFIXES = {".pdf", ".jpg", ".jpeg", ".png"}
A4_PX = (1240, 1754)                 # A4 at 150 dpi
PAGE_MARGIN = 0.05


@dataclass
class ChecklistItem:
    material: MaterialDef
    files: list[Path] = field(default_factory=list)

    @property
    def present(self) -> bool:
        return bool(self.files)


@dataclass
class Checklist:
    folder: Path | None                       # the nominee's scans folder, if there is one
    expected: str                             # folder name the clerk should use
    items: list[ChecklistItem]
    others: list[Path] = field(default_factory=list)     # files matching no material
    ignored: list[Path] = field(default_factory=list)    # not PDF/JPG/PNG
    oversized: list[tuple[Path, str]] = field(default_factory=list)   # images too large to use

    @property
    def missing_required(self) -> list[MaterialDef]:
        return [i.material for i in self.items if i.material.required and not i.present]

    def documents(self) -> list[tuple[str, Path, int]]:
        """(title, file, copies) in the campaign's order, other files last."""
        docs = []
        for item in self.items:
            for n, path in enumerate(item.files, start=1):
                title = item.material.name if len(item.files) == 1 else f"{item.material.name}（{n}）"
                docs.append((title, path, item.material.copies))
        docs += [(path.stem, path, 1) for path in self.others]
        return docs


def _norm(text: str) -> str:
    return header_key(text).casefold()


def scans_folder(base_dir: Path, keys: list[str], folders: dict[str, Path] | None = None) -> Path | None:
    """The nominee's folder in `附件/`; `folders`: its listing (`folder_index`), if taken already."""
    if folders is None:
        folders = folder_index(base_dir / SCANS_FOLDER, files=False)
    for key in keys:
        if key.strip().upper() in folders:
            return folders[key.strip().upper()]
    return None


def collect(sheet: SheetDef, display: dict[str, str], base_dir: Path,
            folders: dict[str, Path] | None = None, keys: list[str] | None = None) -> Checklist:
    """The nominee's checklist; `folders`: the listing of `附件/` when the caller took it
    once for many nominees (`folder_index`); `keys`: `nominee_keys`, if worked out already.
    The nominee's own folder is read every time."""
    if keys is None:
        keys = nominee_keys(sheet, display)
    folder = scans_folder(base_dir, keys, folders)
    items = [ChecklistItem(m) for m in sheet.materials]
    checklist = Checklist(folder, f"{SCANS_FOLDER}/{keys[0] if keys else '名称'}/", items)
    if folder is None:
        return checklist
    base = base_dir.resolve()
    if not inside(folder, base):
        return checklist
    files = sorted((p for p in folder.rglob("*") if p.is_file() and inside(p, base)
                    and not p.name.startswith((".", "~$")) and p.suffix.lower() != ".tmp"),
                   key=lambda p: str(p.relative_to(folder)))
    for path in files:
        if path.suffix.lower() not in SCAN_SUFFIXES:
            checklist.ignored.append(path)
            continue
        if path.suffix.lower() != ".pdf":
            why = _too_large(path)
            if why:
                checklist.oversized.append((path, why))
                continue
        name = _norm(path.stem)
        item = next((i for i in items if any(_norm(k) in name for k in (i.material.name, *i.material.match)
                                             if k)), None)
        (item.files if item else checklist.others).append(path)
    return checklist


def _too_large(path: Path) -> str:
    """Why an image scan cannot be used for its size (from its header only), or ""."""
    try:
        open_image(path).close()
    except ImageTooLarge as err:
        return str(err)
    except Exception:  # noqa: BLE001 - a damaged file is reported when the dossier is made
        pass
    return ""


def material_issues(sheet: SheetDef, row: int, cl: Checklist, base_dir: Path) -> list[Issue]:
    """Warnings for missing required materials and unusable files (shown by check, too), from
    the nominee's checklist (`collect`)."""
    if not sheet.materials:
        return []
    issues = []
    for m in cl.missing_required:
        where = f"文件夹“{cl.folder.relative_to(base_dir).as_posix()}/”" if cl.folder else f"文件夹“{cl.expected}”（不存在）"
        words = "、".join(dict.fromkeys((m.name, *m.match)))
        issues.append(Issue(sheet.name, row, None, None, "warning", "material-missing",
                            f"缺少材料“{m.name}”：{where}中没有文件名含“{words}”的 PDF 或图片。",
                            f"请把扫描件放入“{cl.expected}”，文件名中写明“{m.name}”。"))
    for path in cl.ignored:
        issues.append(Issue(sheet.name, row, None, None, "warning", "material-unsupported",
                            f"附件“{path.relative_to(base_dir).as_posix()}”不是 PDF、JPG 或 PNG，未放入材料汇编。",
                            "请另存为 PDF 或扫描为 JPG/PNG。"))
    for path, why in cl.oversized:
        issues.append(Issue(sheet.name, row, None, None, "warning", "material-too-large",
                            f"附件“{path.relative_to(base_dir).as_posix()}”{why}，未放入材料汇编。",
                            "请缩小图片（或另存为 PDF）后再提交。"))
    return issues


# ------------------------------------------------------------------ files as PDF pages

def image_to_pdf(path: Path) -> bytes:
    """One A4 page (150 dpi) with the image fitted inside a small margin, upright."""
    from PIL import Image, ImageOps
    with open_image(path) as im:                 # its size checked before it is decoded
        im = ImageOps.exif_transpose(im).convert("RGB")
        box_w = int(A4_PX[0] * (1 - 2 * PAGE_MARGIN))
        box_h = int(A4_PX[1] * (1 - 2 * PAGE_MARGIN))
        scale = min(box_w / im.width, box_h / im.height)
        im = im.resize((max(1, int(im.width * scale)), max(1, int(im.height * scale))),
                       Image.Resampling.LANCZOS)
        page = Image.new("RGB", A4_PX, "white")
        page.paste(im, ((A4_PX[0] - im.width) // 2, (A4_PX[1] - im.height) // 2))
        out = io.BytesIO()
        page.save(out, "PDF", resolution=150)
        return out.getvalue()


def open_pdf(path: Path):
    """A pypdf reader for a PDF or an image file."""
    from pypdf import PdfReader
    if path.suffix.lower() == ".pdf":
        return PdfReader(str(path))
    return PdfReader(io.BytesIO(image_to_pdf(path)))


# ------------------------------------------------------------------ the 材料清单

CHECKLIST_NAME = "材料清单.xlsx"


def checklist_rows(forms: list[str], cl: Checklist, base_dir: Path) -> list[list]:
    """[序号, 材料, 是否必需, 份数, 状态, 文件] rows: the generated forms, then the scans."""
    rows = [[n, title, "是", copies, "已生成", file] for n, (title, copies, file) in enumerate(forms, 1)]
    start = len(rows) + 1
    for n, item in enumerate(cl.items, start):
        m = item.material
        status = "已提供" if item.present else ("缺少" if m.required else "未提供（非必需）")
        rows.append([n, m.name, "是" if m.required else "否", m.copies, status,
                     "；".join(p.relative_to(base_dir).as_posix() for p in item.files)])
    for n, path in enumerate(cl.others, start + len(cl.items)):
        rows.append([n, f"其他材料：{path.stem}", "否", 1, "已提供", path.relative_to(base_dir).as_posix()])
    return rows


def write_checklist(target: Path, title: str, rows: list[list]) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from awardforms.output import atomic_write, text_cells
    wb = Workbook()
    ws = wb.active
    ws.title = "材料清单"
    ws.append([title])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["序号", "材料", "是否必需", "份数", "状态", "文件"])
    for cell in ws[2]:
        cell.font = Font(bold=True)
    for r, row in enumerate(rows, start=3):
        ws.append(row)
        if row[4] == "缺少":
            for cell in ws[r]:
                cell.fill = PatternFill("solid", fgColor="FFC7CE")
    for col, width in zip("ABCDEF", (6, 36, 10, 6, 16, 60)):
        ws.column_dimensions[col].width = width
    for r in ws.iter_rows(min_row=2):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="center")
    text_cells(ws.iter_rows())          # the nominee's name, file names "=...": text, never a formula
    atomic_write(target, lambda p: wb.save(str(p)))


def console_line(who: str, cl: Checklist) -> str:
    total = len(cl.items)
    have = sum(i.present for i in cl.items)
    line = f"材料清单 {who}：已提供 {have}/{total} 项"
    if cl.missing_required:
        line += "；缺少必需材料：" + "、".join(m.name for m in cl.missing_required)
    if cl.others:
        line += f"；其他材料 {len(cl.others)} 个"
    return line

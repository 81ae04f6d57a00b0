"""Placeholder scans for the bundled samples: one small PDF per required material.

For every nominee of a sample workbook, writes `附件/<身份证号码 or 名称>/<材料名>.pdf` for each
required material of its sheet (campaign data, `[[sheets.materials]]`), a one-page A4 PDF
saying it stands in for the real scan — so the samples exercise the scans, 材料清单 and
dossier path. Usage: python tools/make_sample_scans.py
"""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from awardforms.read.scans import SCANS_FOLDER, nominee_keys
from awardforms.check.validate import check_workbook

ROOT = Path(__file__).resolve().parent.parent
FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def page(lines: list[str]) -> Image.Image:
    im = Image.new("L", (595, 842), 255)                  # A4 at 72 dpi: a few KB
    d = ImageDraw.Draw(im)
    try:
        font = ImageFont.truetype(FONT, 22)
    except OSError:
        font = ImageFont.load_default()
    for n, line in enumerate(lines):
        d.text((60, 120 + 44 * n), line, fill=0, font=font)
    return im


def main() -> None:
    for workbook in sorted((ROOT / "data" / "samples").glob("*/*.xlsx")):
        sub = check_workbook(workbook)
        for rec in sub.all_records():
            keys = nominee_keys(rec.sheet, rec.display)
            for m in rec.sheet.materials:
                if not m.required or not keys:
                    continue
                out = workbook.parent / SCANS_FOLDER / keys[0] / f"{m.name}.pdf"
                out.parent.mkdir(parents=True, exist_ok=True)
                page([m.name, rec.name, "（示例扫描件：正式报送时换成真实材料的扫描件）"]).save(out, "PDF", resolution=72)
                print(out.relative_to(ROOT))


if __name__ == "__main__":
    main()

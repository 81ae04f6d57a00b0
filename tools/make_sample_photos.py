"""Placeholder 2-inch photos (blue background, grey silhouette) for the bundled samples.

Writes `照片/<身份证号码>.jpg` next to each sample workbook for every row of a sheet with a
photo field, so the samples exercise the photo path (found by ID number in 照片/).
Usage: python tools/make_sample_photos.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
SIZE = (413, 579)                      # 35 x 49 mm at 300 dpi


def placeholder(seed: int) -> Image.Image:
    im = Image.new("RGB", SIZE, (67, 142, 219))
    d = ImageDraw.Draw(im)
    shade = 200 + seed % 40
    d.ellipse((121, 110, 292, 300), fill=(shade, shade, shade))          # head
    d.ellipse((40, 310, 373, 700), fill=(shade - 60, shade - 60, shade - 50))  # shoulders
    return im


def main() -> None:
    for workbook in sorted((ROOT / "data" / "samples").glob("*/*.xlsx")):
        wb = load_workbook(workbook, read_only=True)
        for ws in wb.worksheets:
            rows = ws.iter_rows(values_only=True)
            header = next(rows, None) or ()
            if "照片" not in header or "身份证号码" not in header:
                continue
            col = header.index("身份证号码")
            for n, row in enumerate(rows):
                number = str(row[col] or "").strip()
                if len(number) == 18:
                    out = workbook.parent / "照片" / f"{number}.jpg"
                    out.parent.mkdir(exist_ok=True)
                    placeholder(n).save(out, "JPEG", quality=80, dpi=(300, 300))
                    print(out.relative_to(ROOT))
        wb.close()


if __name__ == "__main__":
    main()

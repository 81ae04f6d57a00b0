"""Benchmark: .docx → PDF by the converter pool vs. one `soffice` call per file.

Generates N realistic multi-page forms (推荐审批表: title, a table of personal details, three
pages of 主要事迹, opinions with seals), then converts the same files in the same run
(a) sequentially, one `soffice` start-up per file with a fresh profile, as a naive script
would, and (b) with `awardforms.assemble.convert.convert_to_pdf`. Both use the converter's fonts.

    python bench/bench_pdf.py [-n 24] [--workers N] [--batch-size 8]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from docx import Document  # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH  # noqa: E402
from docx.oxml.ns import qn  # noqa: E402
from docx.shared import Pt  # noqa: E402

from awardforms.assemble.convert import convert_to_pdf, find_soffice  # noqa: E402
from awardforms.assemble.fonts import converter_env  # noqa: E402

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英"
UNITS = ["长春市住房保障和房屋管理局", "吉林市城市建设投资集团有限公司", "四平市房产服务中心",
         "延边州住房和城乡建设局", "通化市棚户区改造指挥部", "白山市保障性住房建设办公室"]
DEEDS = ("该同志坚持以人民为中心的发展思想，认真贯彻落实省委省政府关于安居工程建设的决策部署，"
         "在棚户区改造、老旧小区改造和保障性租赁住房建设中勇挑重担、攻坚克难。"
         "他深入一线摸清底数，逐户走访征求群众意见，协调解决资金、土地和拆迁安置等难题，"
         "推动项目按期开工、按期交付，累计帮助数千户困难家庭改善居住条件，群众满意度显著提升。")


def _run(paragraph, text: str, font: str = "仿宋_GB2312", size: float = 16, bold: bool = False):
    run = paragraph.add_run(text)
    run.font.name, run.font.size, run.bold = font, Pt(size), bold
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)
    return run


def make_form(path: Path, rng: random.Random) -> None:
    name = rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=2))
    doc = Document()
    title = doc.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _run(title, "吉林省安居工程先进个人推荐审批表", "方正小标宋简体", 22)
    table = doc.add_table(rows=6, cols=4)
    table.style = "Table Grid"
    cells = [("姓名", name), ("性别", rng.choice("男女")), ("民族", "汉族"), ("政治面貌", "中共党员"),
             ("出生年月", f"19{rng.randint(65, 95)}.{rng.randint(1, 12):02d}"), ("学历", "大学本科"),
             ("工作单位", rng.choice(UNITS)), ("职务", "科长"), ("身份证号码", "220102198507150012"),
             ("联系电话", f"13{rng.randint(100000000, 999999999)}"), ("参加工作时间", "2008.07"),
             ("行政级别", "正科级")]
    for index, (label, value) in enumerate(cells):
        row, col = divmod(index, 2)
        _run(table.cell(row, col * 2).paragraphs[0], label, "黑体", 12)
        _run(table.cell(row, col * 2 + 1).paragraphs[0], value, size=12)
    heading = doc.add_paragraph()
    _run(heading, "主要事迹（1500字以内）", "黑体", 16)
    for _ in range(rng.randint(9, 12)):  # about three pages of 三号 仿宋
        _run(doc.add_paragraph(), "　　" + DEEDS * rng.randint(1, 2))
    for opinion in ("所在单位意见", "县级主管部门意见", "市（州）主管部门意见", "省评选表彰工作领导小组意见"):
        _run(doc.add_paragraph(), opinion, "黑体", 16)
        _run(doc.add_paragraph(), "　　同意推荐。\n\n（盖章）\n年　　月　　日", size=16)
    doc.save(path)


def naive(files: list[Path], out_dir: Path, soffice: str) -> float:
    env = converter_env()
    started = time.perf_counter()
    for source in files:
        with tempfile.TemporaryDirectory(prefix="bench-profile-") as profile:
            subprocess.run([soffice, "--headless", f"-env:UserInstallation={Path(profile).as_uri()}",
                            "--convert-to", "pdf", "--outdir", str(out_dir), str(source)],
                           env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    elapsed = time.perf_counter() - started
    missing = [f.name for f in files if not (out_dir / (f.stem + ".pdf")).is_file()]
    if missing:
        raise SystemExit(f"naive run made no PDF for {missing}")
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=24, help="number of forms (default 24)")
    parser.add_argument("--workers", type=int, default=None, help="pool size (default: CPUs)")
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args(argv)
    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        rng = random.Random(5)
        files = [work / "docx" / f"表{i:02d}.docx" for i in range(args.n)]
        files[0].parent.mkdir()
        for path in files:
            make_form(path, rng)
        converter_env()  # write the private font configuration before timing anything
        print(f"{args.n} forms, {os.cpu_count()} CPUs, LibreOffice: {soffice}")
        (work / "naive").mkdir()
        slow = naive(files, work / "naive", soffice)
        print(f"(a) one soffice per file, sequential: {slow:7.2f} s  ({slow / args.n:.2f} s/file)")
        started = time.perf_counter()
        pdfs = convert_to_pdf(files, work / "pool", workers=args.workers, batch_size=args.batch_size)
        fast = time.perf_counter() - started
        print(f"(b) pool (workers={args.workers or os.cpu_count()}, batch={args.batch_size}): "
              f"{fast:7.2f} s  ({fast / args.n:.2f} s/file)")
        from pypdf import PdfReader
        pages = sum(len(PdfReader(p).pages) for p in pdfs)
        print(f"{pages} pages in all ({pages / args.n:.1f} per form)")
        print(f"pool speed-up: {slow / fast:.1f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""Benchmark: `awardforms render --pdf` against the floor, plain LibreOffice over the same files.

For each size (default 60 and 260 nominees of an anju workbook, half collectives, half
persons), in one run:

1. tool, cold: `python -m awardforms render WB -o OUT --pdf` in a new process, as a clerk runs
   it, into an empty folder: forms in per-nominee folders, their PDFs, the dossiers, the
   submission PDF, the zip. Every PDF it lists is opened (pypdf).
2. floor: the very .docx files it wrote, copied into one flat folder and converted by plain
   `soffice --headless --convert-to pdf` calls on as many lanes as the tool has workers (each
   lane its own warm profile, calls of at most 200 files: LibreOffice 7.4 stops at ~240).
   Only conversion: no forms rendered, no dossier, no zip.
3. one edit: a nominee's 主要事迹 changed, `render --pdf` again; the PDFs rewritten are counted.

Prints tool / floor (goal <= 1.5) and re-render / cold (goal <= 10 %). A warm-up render of a
2-nominee workbook first, so both sides start with warm LibreOffice profiles and font caches.

    python bench/bench_pdf.py [--nominees 60 260] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import collective, person, write_workbook  # noqa: E402

from awardforms.assemble.convert import find_soffice  # noqa: E402
from awardforms.assemble.fonts import converter_env  # noqa: E402
from awardforms.forms.executor import configured_workers  # noqa: E402

DEEDS = "该同志长期扎根保障性安居工程一线，牵头完成公租房分配和棚户区改造项目，群众满意度显著提升。" * 12
FLOOR_CALL = 200            # files per plain soffice call


def rows(n: int, edit: dict | None = None):
    collectives = [collective(i) for i in range(n // 2)]
    persons = [person(i, 姓名=f"张{i:03d}号", 主要事迹=DEEDS) for i in range(n - n // 2)]
    persons[len(persons) // 2].update(edit or {})
    return collectives, persons


def cli_render(workbook: Path, out: Path) -> float:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "awardforms", "render", str(workbook), "-o", str(out), "--pdf"],
                          cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):      # 1: the workbook has errors (quotas); valid rows rendered
        raise SystemExit(f"render failed ({done.returncode}):\n{done.stdout[-3000:]}")
    return elapsed


def pdf_stamps(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_mtime_ns for p in out.rglob("*.pdf")}


def check_pdfs(out: Path) -> int:
    """Open every PDF the manifest lists, and each form's; the number of PDFs."""
    from pypdf import PdfReader
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    files = manifest["files"] + [f for n in manifest["nominees"] for f in n["files"]]
    docx = [f for f in files if f.endswith(".docx")]
    missing = [f for f in docx if f[:-5] + ".pdf" not in files]
    if missing:
        raise SystemExit(f"no PDF for {len(missing)} forms, e.g. {missing[:3]}")
    pdfs = [f for f in files if f.endswith(".pdf")]
    for rel in pdfs:
        if not len(PdfReader(out / rel).pages):
            raise SystemExit(f"{rel}: no pages")
    return len(pdfs)


def floor(files: list[Path], work: Path, lanes: int, soffice: str) -> float:
    """Plain soffice calls over a flat copy of `files`, on `lanes` lanes in parallel."""
    flat = work / "flat"
    shutil.rmtree(flat, ignore_errors=True)
    flat.mkdir(parents=True)
    copies = []
    for index, source in enumerate(files):
        copies.append(flat / f"{index:05d}-{source.name}")
        shutil.copyfile(source, copies[-1])
    env = {**converter_env(), "SAL_USE_VCLPLUGIN": "svp"}
    size = -(-len(copies) // lanes)
    parts = [copies[i:i + size] for i in range(0, len(copies), size)]

    def lane(index: int, part: list[Path]) -> None:
        profile = (work / f"floor-profile-{index}").as_uri()
        for start in range(0, len(part), FLOOR_CALL):
            subprocess.run([soffice, "--headless", f"-env:UserInstallation={profile}", "--convert-to", "pdf",
                            "--outdir", str(work / "floor-pdf"), *map(str, part[start:start + FLOOR_CALL])],
                           env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    started = time.perf_counter()
    with ThreadPoolExecutor(lanes) as pool:
        list(pool.map(lane, range(len(parts)), parts))
    elapsed = time.perf_counter() - started
    made = {p.stem for p in (work / "floor-pdf").glob("*.pdf")}
    missing = [c.name for c in copies if c.stem not in made]
    if missing:
        raise SystemExit(f"floor: no PDF for {len(missing)} files, e.g. {missing[:3]}")
    return elapsed


def warm_floor(work: Path, lanes: int, soffice: str, sample: Path) -> None:
    for index in range(lanes):
        floor_dir = work / f"warm-{index}"
        floor_dir.mkdir()
        subprocess.run([soffice, "--headless", f"-env:UserInstallation={(work / f'floor-profile-{index}').as_uri()}",
                        "--convert-to", "pdf", "--outdir", str(floor_dir), str(sample)],
                       env={**converter_env(), "SAL_USE_VCLPLUGIN": "svp"}, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def bench(n: int, work: Path, lanes: int, soffice: str) -> tuple[float, float]:
    wb = write_workbook(work / f"nominees-{n}.xlsx", *rows(n))
    out = work / f"out-{n}"
    cold = cli_render(wb, out)
    count = check_pdfs(out)
    docx = sorted(out.rglob("*.docx"))
    base = floor(docx, work / f"floor-{n}", lanes, soffice)
    before = pdf_stamps(out)
    write_workbook(wb, *rows(n, {"主要事迹": DEEDS + "（修改稿）"}))
    again = cli_render(wb, out)
    check_pdfs(out)
    after = pdf_stamps(out)
    changed = sorted(rel for rel, stamp in after.items() if before.get(rel) != stamp)
    print(f"{n} nominees: {len(docx)} forms, {count} PDFs, {lanes} lanes")
    print(f"  tool, cold render --pdf   {cold:7.2f} s")
    print(f"  floor, plain soffice      {base:7.2f} s  ({len(docx)} files flat, calls of <= {FLOOR_CALL})")
    print(f"  tool / floor              {cold / base:7.2f}   (goal <= 1.5)")
    print(f"  after editing 1 row       {again:7.2f} s  ({len(changed)} PDFs rewritten: {', '.join(changed)})")
    print(f"  re-render / cold          {again / cold:7.1%}  (goal <= 10 %)")
    return cold / base, again / cold


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nominees", type=int, nargs="+", default=[60, 260])
    parser.add_argument("--workers", type=int, default=None, help="lanes (default: as the tool: every core)")
    args = parser.parse_args(argv)
    lanes = configured_workers(args.workers)
    if args.workers:
        os.environ["AWARDFORMS_WORKERS"] = str(args.workers)
    soffice = find_soffice()
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    try:
        print(f"{os.cpu_count()} CPUs, LibreOffice: {soffice}")
        warm = write_workbook(work / "warm.xlsx", *rows(2))
        cli_render(warm, work / "warm-out")
        warm_floor(work, lanes, soffice, next((work / "warm-out").rglob("*.docx")))
        for n in args.nominees:
            bench(n, work, lanes, soffice)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

"""`awardforms check` on a 20,000-row sheet with tens of thousands of issues (issue 15, item 17).

    python bench/bench_large_check.py [--rows 20000]

A province's merged list (or a mistake): every row of 先进个人 with an ID number of the wrong
length or checksum, every third a short mobile number, every fifth an impossible month, and no
籍贯 — about 3.5 issues a row. Times, each as a new process as a clerk runs it:

1. baseline: the check alone (`pipeline.check`, no annotated copy);
2. `awardforms check WORKBOOK -o DIR`: the check, the console list and the annotated copy.

Prints both, the ratio copy/baseline, and the goal: the whole `check` well under a minute
(before issue 15 the annotated copy alone took over 13 minutes of CPU: 校验结果 was written
with openpyxl's max_row, which looks at every cell, once per issue).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from conftest import UNIT, person  # noqa: E402

from awardforms.campaigns.load import load_campaign  # noqa: E402


def write_large(path: Path, rows: int) -> None:
    """The workbook, written with XlsxWriter (openpyxl takes minutes for 20,000 rows)."""
    from xlsxwriter import Workbook
    campaign = load_campaign("anju")
    with Workbook(str(path), {"constant_memory": True}) as wb:
        ws = wb.add_worksheet("推荐单位")
        for r, (label, value) in enumerate(UNIT.items()):
            ws.write_string(r, 0, label)
            ws.write_string(r, 1, str(value))
        ws = wb.add_worksheet("先进集体")
        for c, f in enumerate(campaign.sheet("先进集体").fields):
            ws.write_string(0, c, f.label)
        ws = wb.add_worksheet("先进个人")
        labels = [f.label for f in campaign.sheet("先进个人").fields]
        for c, label in enumerate(labels):
            ws.write_string(0, c, label)
        for r in range(1, rows + 1):
            row = person(r, 籍贯="",
                         身份证号码=f"22010219780512{r % 10000:04d}" if r % 2 else f"2201021978{r:06d}",
                         个人联系电话="1390431" if r % 3 == 0 else "13904310003",
                         出生日期="1978.13" if r % 5 == 0 else "1978.05")
            for c, label in enumerate(labels):
                if row.get(label) is not None:
                    ws.write_string(r, c, str(row[label]))


def _cpu() -> float:
    try:
        import resource
    except ImportError:                                       # Windows: wall times only
        return float("nan")
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)     # ended children and theirs
    return usage.ru_utime + usage.ru_stime


def _timed(args: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """(wall seconds, CPU seconds of the process and its children, result)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0, c0 = time.perf_counter(), _cpu()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True)
    return time.perf_counter() - t0, _cpu() - c0, done


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        book = Path(tmp) / "全省汇总.xlsx"
        write_large(book, args.rows)
        probe = ("import sys; from awardforms.build.pipeline import check; "
                 "r = check(sys.argv[1]).report; print(len(r.issues))")
        base, base_cpu, done = _timed(["-c", probe, str(book)])
        issues = int(done.stdout.strip() or 0)
        full, full_cpu, done = _timed(["-m", "awardforms", "check", str(book), "-o", str(Path(tmp) / "out")])
        copy = Path(tmp) / "out" / "全省汇总.校验结果.xlsx"
        print(f"{args.rows} rows, {issues} issues (exit {done.returncode}; copy written: {copy.is_file()}, "
              f"{copy.stat().st_size // 1024 if copy.is_file() else 0} KiB)")
        print(f"  baseline: check only        {base:7.1f} s wall  {base_cpu:7.1f} s CPU")
        print(f"  awardforms check (+ copy)   {full:7.1f} s wall  {full_cpu:7.1f} s CPU   (goal: well under 60 s)")
        print(f"  ratio check+copy / check    {full / base:7.2f} wall  {full_cpu / base_cpu:7.2f} CPU")
        load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
        print(f"  machine: {os.cpu_count()} cores, load average {load:.1f} (wall times grow with it)")


if __name__ == "__main__":
    main()

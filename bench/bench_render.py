"""Benchmark: compiled templates and the process pool vs the plain docxtpl loop; `check` of 1,000 rows.

    python bench/bench_render.py [--copies 6] [--rows 1000] [--workers 2]

Contexts are real: the sample workbooks under data/samples/ go through check + jobs (every
template under templates/ is used); forms that have a {{ photo }} get a 5:7 JPEG. In the same
run, for the same jobs:

1. plain:   for each job `DocxTemplate(path).render(ctx, env, autoescape=True); save()`
            (InlineImage for the photo) -- what render.render_docx does per form;
2. ours:    fastrender, one core: template compile time (once per run) and per-form time;
3. pool:    executor.run_jobs on `--copies` times the jobs, workers=1 vs all cores, each run
            cold (empty template cache: compile + pool start-up included);
4. check:   a generated workbook of `--rows` nominees, `check` in a fresh subprocess: wall time,
            peak RSS (getrusage) and, in a second subprocess, tracemalloc's peak.

Goals (issue 7): >= 5x per form on one core, >= 1.7x from 2 cores, check of 1,000 rows
under 3 s and under 300 MB.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docx.shared import Mm  # noqa: E402
from docxtpl import DocxTemplate, InlineImage  # noqa: E402
from PIL import Image  # noqa: E402

from awardforms.forms import executor
from awardforms.forms import fastrender
from awardforms.forms import render  # noqa: E402
from awardforms.campaigns.load import TEMPLATE_DIR  # noqa: E402
from awardforms.forms.jobs import FormJob, nominee_jobs, summary_jobs  # noqa: E402
from awardforms.build.pipeline import check  # noqa: E402

CHECK_SCRIPT = r"""
import json, resource, sys, time
start = time.perf_counter()
sys.path.insert(0, {root!r})
mode = sys.argv[1]
if mode == "tracemalloc":
    import tracemalloc
    tracemalloc.start()
from awardforms.build.pipeline import check
t = time.perf_counter()
sub = check(sys.argv[2])
seconds = time.perf_counter() - t

def peak_mb():
    # VmHWM: this process's peak RSS (ru_maxrss on Linux keeps the parent's peak across exec)
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (2**20 if sys.platform == "darwin" else 1024)

out = {{"seconds": seconds, "total": time.perf_counter() - start, "maxrss_mb": peak_mb(),
        "records": len(sub.all_records()), "errors": len(sub.report.errors)}}
if mode == "tracemalloc":
    out["traced_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
print(json.dumps(out))
"""


def sample_jobs(photo: Path) -> list[FormJob]:
    jobs = []
    for path in sorted((ROOT / "data" / "samples").rglob("*.xlsx")):
        sub = check(path)
        _, nominee = nominee_jobs(sub)
        jobs += [j for j in nominee + summary_jobs(sub) if j.kind == "docx"]
    with_photo = {str(p.relative_to(TEMPLATE_DIR)) for p in TEMPLATE_DIR.rglob("*.docx")
                  if "{{ photo }}" in _document_xml(p)}
    return [dataclasses.replace(j, photo=str(photo)) if j.template in with_photo else j for j in jobs]


def _document_xml(path: Path) -> str:
    import zipfile
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def plain_loop(jobs: list[FormJob], out: Path) -> float:
    """The plain docxtpl loop, one form after the other."""
    t = time.perf_counter()
    for i, job in enumerate(jobs):
        tpl = DocxTemplate(str(TEMPLATE_DIR / job.template))
        ctx = dict(job.context)
        if job.photo:
            ctx["photo"] = InlineImage(tpl, job.photo, width=Mm(render.PHOTO_WIDTH_MM),
                                       height=Mm(getattr(render, "PHOTO_HEIGHT_MM", 0)) or None)
        tpl.render(ctx, jinja_env=render.jinja_env(), autoescape=True)
        tpl.save(str(out / f"{i}.docx"))
    return time.perf_counter() - t


def fast_loop(jobs: list[FormJob], out: Path) -> tuple[float, float]:
    """(compile seconds, render seconds) with compiled templates, one core."""
    fastrender.clear_cache()
    t = time.perf_counter()
    for name in sorted({j.template for j in jobs}):
        fastrender.compiled(name)
    compile_s = time.perf_counter() - t
    t = time.perf_counter()
    for i, job in enumerate(jobs):
        fastrender.compiled(job.template).render(job.context, out / f"{i}.docx", job.photo)
    return compile_s, time.perf_counter() - t


def _cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pool_run(jobs: list[FormJob], out: Path, workers: int) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process and its workers)."""
    fastrender.clear_cache()                       # cold: compile (and pool start-up) included
    shutil.rmtree(out, ignore_errors=True)
    cpu, t = _cpu(), time.perf_counter()
    executor.run_jobs(jobs, out, "bench", workers=workers)
    return time.perf_counter() - t, _cpu() - cpu


def big_workbook(path: Path, rows: int) -> Path:
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import collective, make_id, person, write_workbook
    given = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂"

    def name(i: int) -> str:
        n = len(given)
        return "张" + given[i % n] + given[(i // n) % n] + (given[i // n ** 2 % n] if i >= n * n else "")
    persons = [person(i, 姓名=name(i), 身份证号码=make_id("220102", f"197805{1 + i % 28:02d}", i // 28, male=False))
               for i in range(rows // 2)]
    collectives = [collective(i, 集体名称=f"长春市第{i + 1}住房保障服务中心") for i in range(rows - rows // 2)]
    return write_workbook(path, collectives, persons)


def check_in_subprocess(path: Path, mode: str) -> dict:
    script = CHECK_SCRIPT.format(root=str(ROOT))
    done = subprocess.run([sys.executable, "-c", script, mode, str(path)], capture_output=True,
                          text=True, check=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--copies", type=int, default=12,
                    help="jobs x copies for the pool comparison (12: ~1,000 forms, a province's run)")
    ap.add_argument("--rows", type=int, default=1000, help="rows of the generated workbook for check")
    ap.add_argument("--workers", type=int, default=executor.available_cores())
    args = ap.parse_args()
    os.environ.pop(executor.WORKERS_ENV, None)
    tmp = Path(tempfile.mkdtemp(prefix="bench-render-"))
    try:
        photo = tmp / "photo.jpg"
        Image.new("RGB", (413, 579), (200, 60, 60)).save(photo, quality=90, dpi=(300, 300))
        jobs = sample_jobs(photo)
        templates = sorted({j.template for j in jobs})
        print(f"cores: {executor.available_cores()}   load average: "
              f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}   (other work on the machine skews times)")
        print(f"jobs: {len(jobs)} forms from the samples, {len(templates)} templates, "
              f"{sum(1 for j in jobs if j.photo)} with a photo")

        # 1 + 2: per form, one core; ours twice and the better taken (warm-up of imports)
        (tmp / "plain").mkdir(), (tmp / "fast").mkdir()
        plain_s = plain_loop(jobs, tmp / "plain")
        fast = min((fast_loop(jobs, tmp / "fast") for _ in range(2)), key=lambda r: r[1])
        plain_ms, fast_ms = plain_s / len(jobs) * 1e3, fast[1] / len(jobs) * 1e3
        print("\nper form, one core")
        print(f"  plain docxtpl loop     {plain_ms:8.1f} ms/form")
        print(f"  compiled templates     {fast_ms:8.1f} ms/form   "
              f"(+ compile {fast[0] / len(templates) * 1e3:.0f} ms per template, once per run)")
        print(f"  ratio                  {plain_ms / fast_ms:8.1f} x   (goal >= 5x)")
        whole = (fast[0] + fast[1]) / len(jobs) * 1e3
        print(f"  incl. compile, {len(jobs)} forms {plain_ms / whole:5.1f} x")

        # 3: pool vs one core, same jobs, cold runs
        many = [dataclasses.replace(j, out=f"{i:05d}.docx") for i, j in
                enumerate(jobs * args.copies)]
        one, one_cpu = pool_run(many, tmp / "one", 1)
        multi, multi_cpu = pool_run(many, tmp / "multi", args.workers)
        print(f"\n{len(many)} forms (cold: compile + pool start-up included)")
        print(f"  1 worker               {one:8.2f} s   ({one / len(many) * 1e3:.1f} ms/form; "
              f"CPU {one_cpu:.2f} s = {one_cpu / one:.2f} cores obtained)")
        print(f"  {args.workers} workers              {multi:8.2f} s   "
              f"({multi / len(many) * 1e3:.1f} ms/form; "
              f"CPU {multi_cpu:.2f} s = {multi_cpu / multi:.2f} cores obtained)")
        print(f"  multi-core speed-up    {one / multi:8.2f} x   (goal >= 1.7x from 2 cores)")
        print(f"  pool overhead          {multi_cpu / one_cpu - 1:8.1%}    (extra CPU for the same forms; "
              f"the speed-up can only reach cores obtained x {one_cpu / multi_cpu:.2f})")
        print(f"  vs plain loop          {plain_ms / (multi / len(many) * 1e3):8.1f} x per form")

        # 4: check of a large workbook, in fresh processes
        wb = big_workbook(tmp / f"nominees-{args.rows}.xlsx", args.rows)
        timed = check_in_subprocess(wb, "time")
        traced = check_in_subprocess(wb, "tracemalloc")
        print(f"\ncheck of {timed['records']} rows ({wb.stat().st_size // 1024} KB workbook, "
              f"{timed['errors']} errors: quota and shares are exceeded on purpose)")
        print(f"  check()                {timed['seconds']:8.2f} s    (goal < 3 s)")
        print(f"  whole process          {timed['total']:8.2f} s    (with Python start-up and imports)")
        print(f"  peak RSS               {timed['maxrss_mb']:8.1f} MB   (goal < 300 MB; whole process)")
        print(f"  tracemalloc peak       {traced['traced_peak_mb']:8.1f} MB   (Python allocations)")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()

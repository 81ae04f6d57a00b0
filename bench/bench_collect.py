"""Benchmark: a province-wide `collect` (anju: every 市州 and 中省直 unit sends its full quota,
~260 nominees from 27 submissions), beside rendering the same submissions one by one.

    python bench/bench_collect.py [--keep DIR]

Each measurement runs in a fresh process (no memo carried over from another):
1. one by one: `pipeline.render` of each workbook into its own folder, in one process (what the
   office does today, without the retyping);
2. collect, cold: a new output folder;
3. collect again, nothing changed;
4. collect after one region re-sends (one collective changed).
Goal (issue 19): collect under a minute without PDFs on this 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "collect"))

from awardforms.campaigns.load import load_campaign  # noqa: E402
from collect_helpers import workbook  # noqa: E402
from conftest import collective, person  # noqa: E402

ONE_BY_ONE = r"""
import sys, time
sys.path.insert(0, {root!r})
from pathlib import Path
from awardforms.build import pipeline
t = time.perf_counter()
for i, book in enumerate(sorted(Path(sys.argv[1]).glob("*.xlsx"))):
    pipeline.render(book, pipeline.Settings(out_dir=Path(sys.argv[2]) / str(i)))
print(time.perf_counter() - t)
"""

COLLECT = r"""
import sys, time, json
sys.path.insert(0, {root!r})
from pathlib import Path
from awardforms.collect.run import collect
t = time.perf_counter()
r = collect([Path(sys.argv[1])], Path(sys.argv[2]))
print(json.dumps({{"seconds": time.perf_counter() - t, "exit": r.exit_code,
                  "nominees": sum(q["submitted"] for q in r.data["quota"]),
                  "submissions": len(r.data["submissions"])}}))
"""


def make_inbox(folder: Path) -> int:
    campaign = load_campaign("anju")
    c = p = 0
    for i, (region, quota) in enumerate(campaign.quotas.items()):
        sheets = list(quota)
        collectives = [collective(c + k + 1) for k in range(quota[sheets[0]])]
        persons = [person(p + k + 1) for k in range(quota[sheets[1]])]
        c, p = c + len(collectives), p + len(persons)
        workbook(folder / f"{i:02d}-{region}.xlsx", collectives, persons, f"{region}推荐工作领导小组办公室", region, i)
    return c + p


def run(script: str, *args: str) -> str:
    return subprocess.run([sys.executable, "-c", script.format(root=str(ROOT)), *args], check=True,
                          capture_output=True, text=True, cwd=ROOT).stdout.strip().splitlines()[-1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--keep", type=Path, help="work in DIR and keep it (else a temporary folder)")
    args = ap.parse_args()
    base = args.keep or Path(tempfile.mkdtemp(prefix="bench-collect-"))
    inbox = base / "inbox"
    inbox.mkdir(parents=True, exist_ok=True)
    for old in inbox.glob("*.xlsx"):
        old.unlink()
    n = make_inbox(inbox)
    books = len(list(inbox.glob("*.xlsx")))
    print(f"{books} submissions, {n} nominees (anju, every region's full quota)")
    one = float(run(ONE_BY_ONE, str(inbox), str(base / "one-by-one")))
    print(f"render one by one:          {one:6.1f} s")
    out = base / "collected"
    cold = json.loads(run(COLLECT, str(inbox), str(out)))
    print(f"collect, cold:              {cold['seconds']:6.1f} s  ({cold['submissions']} files, "
          f"{cold['nominees']} nominees, exit {cold['exit']})  = {cold['seconds'] / one:.2f} x one by one")
    again = json.loads(run(COLLECT, str(inbox), str(out)))
    print(f"collect again, no change:   {again['seconds']:6.1f} s")
    first = sorted(inbox.glob("*.xlsx"))[0]
    region = first.stem.split("-", 1)[1]
    quota = load_campaign("anju").quotas[region]
    sheets = list(quota)
    workbook(inbox / f"{first.stem}-更正.xlsx", [collective(1, 集体人数=99)] +
             [collective(k + 1) for k in range(1, quota[sheets[0]])],
             [person(k + 1) for k in range(quota[sheets[1]])], f"{region}推荐工作领导小组办公室", region, 500)
    resent = json.loads(run(COLLECT, str(inbox), str(out)))
    print(f"collect after one re-send:  {resent['seconds']:6.1f} s")
    print(f"goal: cold collect under 60 s -> {'met' if cold['seconds'] < 60 else 'NOT met'}")
    print(f"work folder: {base}" + ("" if args.keep else " (temporary)"))


if __name__ == "__main__":
    main()

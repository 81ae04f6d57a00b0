"""Text clean-up for cell values: what copy-paste and Excel leave behind.

- line breaks of every kind (CR, CRLF, vertical tab from Word, U+2028/2029) become "\n";
- characters that XML 1.0 forbids (C0 controls but tab/newline, U+FFFE/FFFF, lone
  surrogates) are removed and reported, because Word would refuse the document;
- bidirectional controls (U+202A-202E, U+2066-2069, the marks U+200E/200F/061C), which make
  "张三<U+202E>fdp.exe" look like "张三exe.pdf", are removed and reported: names become file
  and zip member names;
- non-breaking and ideographic spaces become ordinary spaces in short fields;
- full-width digits and Latin letters become half-width in code-like fields (ID numbers,
  phones, dates), never in prose, where （） and ，are the clerk's choice.
"""

from __future__ import annotations

import re
import unicodedata

_BREAKS = re.compile(r"\r\n|\r|\x0b|\x0c|\u2028|\u2029|\x85")
# XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
_ILLEGAL = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000\t]")
_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")
_FULLWIDTH_ASCII = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}


def header_key(text: str) -> str:
    """Key for matching headers and labels: NFKC (（）= ()), no whitespace, lower case."""
    text = unicodedata.normalize("NFKC", str(text))
    return re.sub(r"\s+", "", _ZERO_WIDTH.sub("", text)).lower()


def remove_illegal(text: str) -> tuple[str, list[str]]:
    """Drop XML-illegal characters; return the text and a description of what went."""
    removed = _ILLEGAL.findall(text)
    if not removed:
        return text, []
    names = sorted({f"U+{ord(c):04X}" for c in removed})
    return _ILLEGAL.sub("", text), names


def remove_bidi(text: str) -> tuple[str, list[str]]:
    """Drop bidirectional controls; return the text and the U+XXXX names of what went."""
    found = BIDI.findall(text)
    if not found:
        return text, []
    return BIDI.sub("", text), sorted({f"U+{ord(c):04X}" for c in found})


_XML_UNSAFE = re.compile(f"{_BREAKS.pattern}|{_ILLEGAL.pattern}")


def xml_text(text: str) -> str:
    """Text for a file written straight from our data (the 汇总表.xlsx): line breaks of every
    kind as "\n", XML-illegal characters dropped (nothing to report: the cells were checked)."""
    if not _XML_UNSAFE.search(text):
        return text
    return _ILLEGAL.sub("", _BREAKS.sub("\n", text))


def clean_cell(text: str, *, multiline: bool) -> tuple[str, list[str]]:
    """Normalise a cell's text. Returns (text, removed characters as U+XXXX names)."""
    text = _BREAKS.sub("\n", text)
    text, removed = remove_illegal(text)
    text = _ZERO_WIDTH.sub("", text)
    if multiline:
        lines = [_ODD_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        # collapse runs of blank lines to one paragraph break
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")
    else:
        text = _ODD_SPACES.sub(" ", text.replace("\n", " "))
        text = re.sub(r" {2,}", " ", text).strip()
    return text, removed


def halfwidth(text: str) -> str:
    """Full-width ASCII (０-９, Ａ-Ｚ, －, （）...) to half-width; for code-like fields only."""
    return text.translate(_FULLWIDTH_ASCII).replace("\u3000", " ")


def paragraphs(text: str) -> list[str]:
    """Split long text into paragraphs: blank lines or single line breaks both separate."""
    return [p for p in (line.strip() for line in text.split("\n")) if p]

"""Compiled templates: parse and prepare a .docx template once, render many forms from it.

The plain docxtpl path (`render.render_docx`) opens the template with python-docx for every
form, re-runs docxtpl's XML clean-up, re-compiles the Jinja template, then re-serialises and
re-compresses every part of the package (styles.xml alone is 350 KB). Here all of that happens
once per template and process:

- compile time: python-docx loads the package once; docxtpl's own `patch_xml` prepares the
  body and each header/footer, and Jinja compiles the result (same environment: StrictUndefined,
  autoescape); the core properties are rendered as docxtpl would; every part that rendering
  does not touch is serialised the way python-docx saves it and deflated once;
- per form: render the compiled Jinja templates, apply docxtpl's post-processing
  (`resolve_listing` for "\\a"/"\\n"/"\\t", `fix_tables`, `fix_docpr_ids`), and write a zip
  that reuses the already-compressed bytes of the other members.

Where that post-processing provably changes nothing, the body skips lxml: a template whose
tables have a fixed shape (every row as wide as the table grid, no Jinja statement between the
cells of a row, and in every table a row no statement can remove) renders tables that
`fix_tables` leaves as they are, and a body without `wp:docPr` gives `fix_docpr_ids` nothing to
renumber. Such a body is spliced as text into the serialised document element after expat has
found it well-formed (a 200-row 汇总表: 30 ms of parse, fix-up and re-serialisation become 5 ms);
a body that is not well-formed takes docxtpl's recovering path as before.

A photo (`{{ photo }}`) is inserted like docxtpl's `InlineImage` does it, with python-docx's
own image header parsing and `CT_Inline.new_pic_inline`: the media member, the relationship
and the content type are added to this form's package only.

Templates with footnotes, or a photo placed in a header/footer, fall back to the plain
docxtpl path (none of the project's templates has either).
"""

from __future__ import annotations

import copy
import hashlib
import re
import threading
import xml.parsers.expat
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jinja2

# python-docx, docxtpl and lxml (~45 ms to import) are imported in the functions that use
# them: only compiling or rendering a template needs them (`awardforms check` does neither)

from awardforms.output import atomic_write_bytes
from awardforms.ziparchive import Member, archive
from awardforms.forms import render as plain
from awardforms.forms.render import jinja_env, render_docx, template_error, template_path

FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
CORE_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")  # as docxtpl
_JINJA_MARK = re.compile(r"{[{%#]")
_LISTING_CHARS = re.compile("[\t\a\n\f]")
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)     # as in resolve_listing


class _Fallback(Exception):
    """This form needs the plain docxtpl path (e.g. a photo inside a header)."""


# --------------------------------------------------------------------------- package members

class _Collect:
    """Stands in for python-docx's PhysPkgWriter: keeps (member name, bytes) in order."""

    def __init__(self):
        self.items: list[tuple[str, bytes]] = []

    def write(self, pack_uri, blob: bytes) -> None:
        self.items.append((pack_uri.membername, blob))


_DEFLATED: dict[tuple[str, bytes], Member] = {}     # styles.xml etc. are shared by templates
# A rendered part this large (the 200-row 汇总表: 740 KB of table XML) is deflated at zlib's
# fastest level: 1.3 ms instead of 7 ms, for 15 KB instead of 10.5 KB. A form's parts are
# around 10 KB and keep the default level.
_FAST_DEFLATE_ABOVE = 256 * 1024


def _deflated(name: str, blob: bytes) -> Member:
    """A rendered part as a zip member."""
    if len(blob) > _FAST_DEFLATE_ABOVE:
        return Member.deflated(name, blob, level=1)
    return Member.deflated(name, blob)


def _package_members(package) -> list[tuple[str, Member]]:
    """The members python-docx's save would write (same order, same bytes), deflated;
    identical members of other templates are deflated only once."""
    from docx.opc.pkgwriter import PackageWriter
    parts = list(package.iter_parts())
    for part in parts:
        part.before_marshal()
    out = _Collect()
    PackageWriter._write_content_types_stream(out, parts)
    PackageWriter._write_pkg_rels(out, package.rels)
    PackageWriter._write_parts(out, parts)
    members = []
    for name, blob in out.items:
        key = (name, hashlib.sha1(blob).digest())
        member = _DEFLATED.get(key)
        if member is None:
            member = _DEFLATED[key] = Member.deflated(name, blob)
        members.append((name, member))
    return members


# --------------------------------------------------------------------------- images

@dataclass
class _RenderState:
    """What one form adds to its package: images (only the body may hold them)."""
    template: "CompiledTemplate"
    part: str = ""                                   # partname being rendered
    images: dict[str, tuple[str, str, str, bytes]] = field(default_factory=dict)
    # sha1 -> (partname, rId, content_type, blob)

    def inline_image(self, descriptor: str, width, height) -> str:
        tpl = self.template
        if self.part != tpl.body_part:
            raise _Fallback("image outside the document body")
        from docx.image.image import Image
        from docx.oxml.shape import CT_Inline
        image = Image.from_file(descriptor)
        entry = self.images.get(image.sha1)
        if entry is None:
            existing = tpl.image_sha1.get(image.sha1)
            if existing:                                   # the package already holds it
                partname = existing
                rid = tpl.image_rel_of.get(partname) or self._next_rid()
            else:
                partname = self._next_image_partname(image.ext)
                rid = self._next_rid()
            entry = self.images[image.sha1] = (partname, rid, image.content_type, image.blob)
        cx, cy = image.scaled_dimensions(width, height)
        pic = plain.tight_inline(CT_Inline.new_pic_inline(tpl.next_shape_id, entry[1], image.filename, cx, cy).xml)
        return ('</w:t></w:r><w:r><w:drawing>%s</w:drawing></w:r><w:r>'
                '<w:t xml:space="preserve">' % pic)

    def _next_rid(self) -> str:   # python-docx's _Relationships._next_rId
        used = set(self.template.body_rels_ids) | {e[1] for e in self.images.values()}
        return next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)

    def _next_image_partname(self, ext: str) -> str:   # python-docx's ImageParts
        from docx.opc.packuri import PackURI
        used = list(self.template.image_numbers) + [
            PackURI(e[0]).idx for e in self.images.values() if e[0] not in self.template.image_sha1.values()]
        count = len(used)
        n = next((i for i in range(1, count + 1) if i not in used), count + 1)
        return "/word/media/image%d.%s" % (n, ext)

    def new_parts(self) -> list[tuple[str, str, bytes]]:
        known = set(self.template.image_sha1.values())
        return [(p, ct, blob) for p, _, ct, blob in self.images.values() if p not in known]

    def new_rels(self) -> list[tuple[str, str]]:
        have = set(self.template.body_rels_ids)
        return [(rid, p) for p, rid, _, _ in self.images.values() if rid not in have]


def photo_size() -> tuple:
    """(width, height) of the photo as render.render_docx places it (None: keep aspect)."""
    from docx.shared import Mm
    width = getattr(plain, "PHOTO_WIDTH_MM", None)
    height = getattr(plain, "PHOTO_HEIGHT_MM", None)
    return (Mm(width) if width else None, Mm(height) if height else None)


class _Photo:
    """Stands in for docxtpl's InlineImage: `{{ photo }}` becomes a w:drawing run."""

    def __init__(self, state: _RenderState, descriptor: str, width=None, height=None):
        self.state, self.descriptor, self.width, self.height = state, descriptor, width, height

    def __html__(self) -> str:
        return self.state.inline_image(self.descriptor, self.width, self.height)

    __str__ = __html__


# --------------------------------------------------------------------------- templates

@dataclass
class _XmlPart:
    partname: str                   # "/word/document.xml"
    template: jinja2.Template


# --------------------------------------------------------------------------- fixed-shape tables

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MARK = "awardforms-body"
_TOKENS = re.compile(r"<(/?)w:(tbl|tr|tc)[ >/]|\{%-?\s*(\w+)([^%]*)")
_OPENERS = {"for", "if", "with", "filter", "macro", "call", "block", "autoescape", "raw"}


def fixed_shape(prepared: str) -> bool:
    """True when docxtpl's `fix_tables` cannot change any table this body renders.

    `fix_tables` widens a grid for rows with more cells than columns and narrows it when no
    row fills it. Rendering can only repeat or drop whole rows if no Jinja statement sits
    between a row's cells ({%tc %}), so nothing changes when every row of every table fills its
    grid exactly and each table keeps a row outside any statement opened inside it. Anything
    unexpected (XML that does not parse, a `safe` filter that could emit markup) is "no".
    """
    if "safe" in prepared:
        return False
    from lxml import etree
    try:
        tree = etree.fromstring(prepared.encode("utf-8"))
    except etree.XMLSyntaxError:
        return False
    for tbl in tree.iter(_W + "tbl"):
        grid = tbl.find(_W + "tblGrid")
        if grid is None:
            return False
        width = len(grid.findall(_W + "gridCol"))
        for tr in tbl.iter(_W + "tr"):                # as fix_tables: nested rows count too
            cells = tr.findall(_W + "tc")
            spans = sum(int(g.get(_W + "val", 1)) if (g := c.find(f"{_W}tcPr/{_W}gridSpan")) is not None
                        else 1 for c in cells)
            if len(cells) > width or spans != width:
                return False
    stack: list[list] = []          # open elements: [tag, statement depth at open, has fixed row]
    depth = 0                       # Jinja statements open here
    for close, tag, statement, rest in (m.groups() for m in _TOKENS.finditer(prepared)):
        if statement:
            if stack and stack[-1][0] == "tr":
                return False                          # a statement between a row's cells
            if statement.startswith("end"):
                depth -= 1
            elif statement in _OPENERS or (statement == "set" and "=" not in rest):
                depth += 1
            if depth < 0:
                return False
        elif close:
            if not stack or stack[-1][0] != tag:
                return False
            if stack.pop()[2] is False and tag == "tbl":
                return False                          # every row of this table may vanish
        else:
            if tag == "tr" and stack and stack[-1][0] == "tbl" and depth == stack[-1][1]:
                stack[-1][2] = True
            stack.append([tag, depth, False])
    return not stack and depth == 0


def _well_formed(*pieces: bytes) -> bool:
    """Whether the pieces, one after another, are well-formed XML."""
    parser = xml.parsers.expat.ParserCreate()
    try:
        for piece in pieces:
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except xml.parsers.expat.ExpatError:
        return False
    return True


def _shell_halves(shell) -> tuple[bytes, bytes]:
    """The serialised document element, split where its body goes."""
    from docx.opc.oxml import serialize_part_xml
    from lxml import etree
    root = copy.deepcopy(shell)
    root.append(etree.Comment(_MARK))
    head, tail = serialize_part_xml(root).split(f"<!--{_MARK}-->".encode())
    return head, tail


class CompiledTemplate:
    """One template, prepared once; `render_bytes(context)` gives a finished .docx."""

    def __init__(self, path: Path):
        from docx import Document
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docxtpl import DocxTemplate
        self.path = Path(path)
        self.fallback = ""                               # why the plain path is needed, if it is
        self._lock = threading.Lock()
        self._dt = DocxTemplate(str(self.path))          # for docxtpl's own helper methods
        env = self.env = jinja_env()
        doc = Document(str(self.path))
        self._dt.docx = doc
        package = doc.part.package
        self.body_part = str(doc.part.partname)
        if any(p.content_type == FOOTNOTES_CT for p in package.iter_parts()):
            self.fallback = "footnotes"
        try:
            # the body, exactly as DocxTemplate.build_xml + render_xml_part prepare it
            # the document element around an empty body: each render puts its body into a
            # fresh copy (taking a large body out of a tree again costs lxml ~0.5 s)
            self._shell = copy.deepcopy(doc.element)
            self._shell.remove(self._shell.body)          # w:body is the last child
            prepared = self._prepare(self._dt.get_xml())
            self.sources = [prepared]                     # Jinja sources (templatekeys.py)
            self.body = _XmlPart(self.body_part, env.from_string(prepared))
            self._splice = _shell_halves(self._shell) if fixed_shape(prepared) else None
            self.headers: list[_XmlPart] = []
            for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
                for _, part in self._dt.get_headers_footers(uri):
                    xml = self._dt.get_part_xml(part)
                    if self._dt.get_headers_footers_encoding(xml).lower() not in ("utf-8", "utf8"):
                        self.fallback = "header encoding"
                    self.sources.append(self._prepare(xml))
                    self.headers.append(_XmlPart(str(part.partname), env.from_string(self.sources[-1])))
            # core properties: constant ones rendered now, the rest per form
            props = doc.core_properties
            self._props: dict[str, jinja2.Template] = {}
            plain = jinja_env(document=False)     # docxtpl's own render_properties, minus keep_literal
            for prop in CORE_PROPERTIES:
                tpl = plain.from_string(getattr(props, prop))
                if _JINJA_MARK.search(getattr(props, prop) or ""):
                    self._props[prop] = tpl
                else:
                    setattr(props, prop, tpl.render({}))
        except (jinja2.TemplateSyntaxError, jinja2.UndefinedError) as err:
            raise template_error(err, self.path) from err
        self._core_part = props._element
        self.core_name = str(package.part_related_by(RT.CORE_PROPERTIES).partname)
        # images, relationships and content types, for forms that carry a photo
        self.next_shape_id = doc.part.next_id
        self.image_numbers = [p.partname.idx for p in package.image_parts]
        self.image_sha1 = {p.sha1: str(p.partname) for p in package.image_parts}
        rels = doc.part.rels
        self.body_rels = [(r.rId, r.reltype, r.target_ref, r.is_external) for r in rels.values()]
        self.body_rels_ids = [r[0] for r in self.body_rels]
        self.image_rel_of = {str(r.target_part.partname): r.rId for r in rels.values()
                             if not r.is_external and r.reltype == RT.IMAGE}
        self.part_types = [(p.partname, p.content_type) for p in package.iter_parts()]
        # every other member, serialised as python-docx saves it, deflated once per process
        self._members = _package_members(package)
        self.body_rels_name = doc.part.partname.rels_uri.membername

    def _prepare(self, xml: str) -> str:
        xml = self._dt.patch_xml(xml)
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml)

    def _render_part(self, part: _XmlPart, context: dict, state: _RenderState) -> str:
        """DocxTemplate.render_xml_part after the Jinja compilation."""
        state.part = part.partname
        try:
            dst = part.template.render(context)
        except (jinja2.UndefinedError, jinja2.TemplateSyntaxError) as err:
            raise template_error(err, self.path) from err
        return self._finish(dst)

    def _finish(self, dst: str) -> str:
        """The rest of render_xml_part. Every step is local to a paragraph or a few
        characters, so a row rendered alone gets what it would get inside the body."""
        dst = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst)
        dst = (dst.replace("{_{", "{{").replace("}_}", "}}")
               .replace("{_%", "{%").replace("%_}", "%}"))
        # docxtpl's resolve_listing, applied only to the paragraphs it would change
        if not _LISTING_CHARS.search(dst):
            return dst
        return _PARAGRAPH.sub(lambda m: self._dt.resolve_listing(m.group(0))
                              if _LISTING_CHARS.search(m.group(0)) else m.group(0), dst)

    def render_bytes(self, context: dict[str, Any], photo: str | Path | None = None) -> bytes:
        """The finished .docx for one context (`photo`: image file for `{{ photo }}`)."""
        with self._lock:
            return self._render(context, photo)

    def _render(self, context: dict[str, Any], photo) -> bytes:
        from docx.opc.oxml import parse_xml, serialize_part_xml
        state = _RenderState(self)
        ctx = dict(context)
        if photo is not None:
            ctx["photo"] = _Photo(state, str(photo), *photo_size())
        changed: dict[str, bytes] = {}
        # body: render, fix tables and docPr ids, put into the document element
        body = self._render_part(self.body, ctx, state)
        changed[self.body_part] = self._spliced(body.encode("utf-8")) or self._fixed_up(body)
        for part in self.headers:
            xml = self._render_part(part, ctx, state).encode("utf-8")
            changed[part.partname] = serialize_part_xml(parse_xml(xml))
        if self._props:
            props = SimpleNamespace()
            for prop, tpl in self._props.items():
                try:
                    setattr(props, prop, tpl.render(ctx))
                except (jinja2.UndefinedError, jinja2.TemplateSyntaxError) as err:
                    raise template_error(err, self.path) from err
            changed[self.core_name] = self._core_xml(props)
        new_parts = state.new_parts()
        new_rels = state.new_rels()
        if new_rels:
            changed["/" + self.body_rels_name] = self._rels_xml(new_rels)
        if new_parts:
            changed["/[Content_Types].xml"] = self._content_types(new_parts)
        members = []
        for name, member in self._members:
            blob = changed.get("/" + name)
            members.append(member if blob is None else _deflated(name, blob))
        members += [_deflated(p.lstrip("/"), blob) for p, _, blob in new_parts]
        return archive(members)

    def _fixed_up(self, dst: str) -> bytes:
        """docxtpl's way: parse (recovering), fix tables and docPr ids, serialise."""
        from docx.opc.oxml import serialize_part_xml
        tree = self._dt.fix_tables(dst)
        self._dt.docx_ids_index = 1000
        self._dt.fix_docpr_ids(tree)
        root = copy.deepcopy(self._shell)
        root.append(tree)
        return serialize_part_xml(root)

    def _spliced(self, body: bytes) -> bytes | None:
        """The document part with the body spliced in as bytes, when fix-ups would change
        nothing (fixed-shape tables, no `wp:docPr`) and the body is well-formed; None
        otherwise."""
        if self._splice is None or b"docPr" in body or not _well_formed(body):
            return None
        head, tail = self._splice
        return b"".join([head, body, tail])

    def _core_xml(self, props) -> bytes:
        from docx.opc.coreprops import CoreProperties
        from docx.opc.oxml import parse_xml, serialize_part_xml
        core = parse_xml(serialize_part_xml(self._core_part))
        target = CoreProperties(core)
        for prop, value in vars(props).items():
            setattr(target, prop, value)
        return serialize_part_xml(core)

    def _rels_xml(self, new_rels: list[tuple[str, str]]) -> bytes:
        from docx.opc.constants import RELATIONSHIP_TYPE as RT
        from docx.opc.oxml import CT_Relationships
        from docx.opc.packuri import PackURI
        rels = CT_Relationships.new()
        for rid, reltype, target, external in self.body_rels:
            rels.add_rel(rid, reltype, target, external)
        base = PackURI(self.body_part).baseURI
        for rid, partname in new_rels:
            rels.add_rel(rid, RT.IMAGE, PackURI(partname).relative_ref(base), False)
        return rels.xml

    def _content_types(self, new_parts) -> bytes:
        from docx.opc.packuri import PackURI
        from docx.opc.pkgwriter import _ContentTypesItem
        parts = [SimpleNamespace(partname=p, content_type=ct) for p, ct in self.part_types]
        parts += [SimpleNamespace(partname=PackURI(p), content_type=ct) for p, ct, _ in new_parts]
        return _ContentTypesItem.from_parts(parts).blob

    def render(self, context: dict[str, Any], out: Path, photo: str | Path | None = None) -> None:
        """Write one form to `out` atomically; the plain docxtpl path where needed."""
        if self.fallback:
            render_docx(self.path, context, out, photo=Path(photo) if photo else None)
            return
        try:
            data = self.render_bytes(context, photo)
        except _Fallback:
            render_docx(self.path, context, out, photo=Path(photo) if photo else None)
            return
        atomic_write_bytes(out, data)


# --------------------------------------------------------------------------- cache

_CACHE: dict[str, tuple[tuple[int, int], CompiledTemplate]] = {}
_CACHE_LOCK = threading.Lock()


def compiled(template: str | Path) -> CompiledTemplate:
    """The compiled template (once per process; recompiled when the file changes)."""
    path = template if isinstance(template, Path) else template_path(template)
    st = path.stat()
    key, stamp = str(path), (st.st_mtime_ns, st.st_size)
    with _CACHE_LOCK:
        hit = _CACHE.get(key)
        if hit and hit[0] == stamp:
            return hit[1]
    tpl = CompiledTemplate(path)
    with _CACHE_LOCK:
        _CACHE[key] = (stamp, tpl)
    return tpl


def clear_cache() -> None:
    """Forget every compiled template (and the deflated members they share)."""
    with _CACHE_LOCK:
        _CACHE.clear()
        _DEFLATED.clear()


def render_docx_fast(template: str | Path, context: dict[str, Any], out: Path,
                     photo: Path | str | None = None) -> None:
    """Same contract as `render.render_docx`, from the compiled template."""
    compiled(template).render(context, out, photo)

"""Render .docx forms from docxtpl templates.

Jinja runs with StrictUndefined and autoescape: a placeholder that names no field is an
error naming the template and the field, and `&`, `<`, quotes in cell text arrive intact.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from awardforms.campaigns.load import template_file
from awardforms.errors import TemplateError
from awardforms.output import atomic_write

PHOTO_WIDTH_MM = 35            # 2-inch ID photo, 35×49 mm (photos.py crops to 5:7)
PHOTO_HEIGHT_MM = 49


# docxtpl turns "{_{", "}_}", "{_%" and "%_}" in the rendered XML into "{{", "}}", "{%" and "%}"
# (its way of writing a literal "{{" in a template), and so in a clerk's text too: "{_{" typed in
# a cell would reach the form as "{{". Such a "_" leaves Jinja as the character reference
# "&#95;", which Word reads as "_" and which those replacements do not match.
_DOCXTPL_ESCAPE = re.compile(r"(?<=[{%])_|_(?=[}%])")


def keep_literal(value: Any) -> Any:
    """Jinja's `finalize`: text that docxtpl's replacements would change, escaped so they do not."""
    if value.__class__ is str and "_" in value and _DOCXTPL_ESCAPE.search(value):
        return Markup(_DOCXTPL_ESCAPE.sub("&#95;", str(escape(value))))
    return value


def jinja_env(document: bool = True) -> jinja2.Environment:
    """The environment templates are rendered with; `document=False` for text that is not
    XML of a part (the core properties, which python-docx escapes itself)."""
    if not document:
        return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True)
    return jinja2.Environment(undefined=jinja2.StrictUndefined, autoescape=True, finalize=keep_literal)


def template_path(name: str) -> Path:
    return template_file(name)


_INLINE = re.compile(r"<wp:inline(?![^>]*\bdistL=)")


def tight_inline(xml: str) -> str:
    """A picture's `<wp:inline>` with zero wrap distances: python-docx writes none, and
    LibreOffice then keeps 0.32 cm free on each side, which pushes a 35 mm photo past the right
    border of its 37 mm cell. Word's default is zero; written out, every office agrees."""
    return _INLINE.sub('<wp:inline distT="0" distB="0" distL="0" distR="0"', xml, count=1)


def render_docx(template: str | Path, context: dict[str, Any], out: Path,
                photo: Path | None = None) -> None:
    """Render one template with one context into `out` (written atomically)."""
    from docx.shared import Mm                  # python-docx, docxtpl: only when a form is rendered
    from docxtpl import DocxTemplate, InlineImage
    path = template if isinstance(template, Path) else template_path(template)
    tpl = DocxTemplate(str(path))
    ctx = dict(context)
    if photo is not None:
        class _Photo(InlineImage):
            def _insert_image(self):
                return tight_inline(super()._insert_image())
        ctx["photo"] = _Photo(tpl, str(photo), width=Mm(PHOTO_WIDTH_MM), height=Mm(PHOTO_HEIGHT_MM))
    try:
        tpl.render(ctx, jinja_env=jinja_env(), autoescape=True)
    except (jinja2.UndefinedError, jinja2.TemplateSyntaxError) as err:
        raise template_error(err, path) from err
    atomic_write(out, lambda p: tpl.save(str(p)))


def template_error(err: jinja2.TemplateError, path: Path) -> TemplateError:
    """The clerk's error for a Jinja error in template `path` (shared with fastrender)."""
    if isinstance(err, jinja2.TemplateSyntaxError):
        return TemplateError(f"模板 {path.name} 第{err.lineno}行语法错误：{err.message}",
                             path=str(path))
    return TemplateError(f"模板 {path.name} 使用了未定义的字段：{err.message}",
                         fix="请检查模板中的 {{ }} 占位符是否与项目定义的字段 key 一致。",
                         path=str(path))

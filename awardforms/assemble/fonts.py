"""Fonts for the PDF converter: a private fontconfig configuration and a font check.

The forms name Windows fonts (仿宋_GB2312, 方正小标宋简体, 黑体 ...). On Linux, LibreOffice finds
fonts through fontconfig, so the converter child process gets FONTCONFIG_FILE pointing at a
private configuration (template: data/fonts/fonts.conf) that includes the system one, adds a
folder where the free Fandol fonts of texlive-lang-chinese are linked (fontconfig does not scan
the texlive tree), and maps the Windows names to FandolFang / Noto CJK. Nothing outside the
converter is affected.

`missing_fonts` reads the font names a .docx uses and reports the ones that still end at a
generic fallback; `font_warnings` words that for the clerk.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from defusedxml import ElementTree as SafeElementTree

from awardforms.cachedir import cache_root

TEMPLATE = Path(__file__).resolve().parents[2] / "data" / "fonts" / "fonts.conf"
SYSTEM_CONF = Path("/etc/fonts/fonts.conf")
# Where Debian (texlive-lang-chinese) and others put the Fandol fonts; more via
# AWARDFORMS_FONT_DIRS (os.pathsep-separated).
FANDOL_DIRS = (
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/texmf/fonts/opentype/public/fandol"),
    Path("/usr/local/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/fonts/opentype/fandol"),
)
FONT_SUFFIXES = (".otf", ".ttf", ".ttc")
# Generic names and a name no machine has: what they match is what "fallback" looks like.
_GENERIC_PROBES = ("awardforms-no-such-font", "serif", "sans-serif", "monospace")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_FONT_ATTRS = tuple(_W + a for a in ("eastAsia", "ascii", "hAnsi"))
_PARTS = re.compile(r"word/(document|styles|numbering|header\d*|footer\d*)\.xml")


def _fandol_files() -> list[Path]:
    extra = [Path(p) for p in os.environ.get("AWARDFORMS_FONT_DIRS", "").split(os.pathsep) if p]
    found: dict[str, Path] = {}
    for folder in (*extra, *FANDOL_DIRS):
        if folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.suffix.lower() in FONT_SUFFIXES and path.name not in found:
                    found[path.name] = path
    return list(found.values())


def _link_fonts(fonts_dir: Path) -> bool:
    """Symlink the Fandol fonts into `fonts_dir`; True if anything changed."""
    fonts_dir.mkdir(parents=True, exist_ok=True)
    changed = False
    for source in _fandol_files():
        link = fonts_dir / source.name
        if link.is_symlink() and os.readlink(link) == str(source):
            continue
        tmp = fonts_dir / f".{source.name}.{os.getpid()}.tmp"
        tmp.unlink(missing_ok=True)
        tmp.symlink_to(source)
        os.replace(tmp, link)  # atomic: parallel runs never see a half-made link
        changed = True
    for link in fonts_dir.iterdir():  # drop links whose target went away
        if link.is_symlink() and not link.exists():
            link.unlink(missing_ok=True)
            changed = True
    return changed


def _system_conf() -> str:
    inherited = os.environ.get("FONTCONFIG_FILE")
    if inherited and Path(inherited).parent != cache_root() / "fontconfig":
        return inherited
    return str(SYSTEM_CONF)


def private_config() -> Path:
    """Write (when changed) the private fonts.conf and return its path."""
    root = cache_root()
    fonts_dir, cache_dir = root / "fonts", root / "fontconfig-cache"
    changed = _link_fonts(fonts_dir)
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in (("@SYSTEM_CONF@", _system_conf()), ("@FONTS_DIR@", str(fonts_dir)),
                       ("@CACHE_DIR@", str(cache_dir))):
        text = text.replace(key, value)
    conf = root / "fontconfig" / "fonts.conf"
    if not conf.exists() or conf.read_text(encoding="utf-8") != text:
        conf.parent.mkdir(parents=True, exist_ok=True)
        tmp = conf.with_name(f".fonts.conf.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, conf)
        changed = True
    if changed and shutil.which("fc-cache"):
        # Build the cache of the linked folder once, not in every converter start-up.
        subprocess.run(["fc-cache", str(fonts_dir)], env={**os.environ, "FONTCONFIG_FILE": str(conf)},
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return conf


def converter_env(base: dict | None = None) -> dict:
    """Environment for a LibreOffice child process: `base` (default os.environ) plus
    FONTCONFIG_FILE of the private configuration. Windows has the real fonts: unchanged."""
    env = dict(os.environ if base is None else base)
    if os.name != "nt":
        env["FONTCONFIG_FILE"] = str(private_config())
    return env


@functools.cache
def aliases() -> dict[str, tuple[str, ...]]:
    """Font name → substitutes, in order of preference, as the template declares them."""
    root = ElementTree.fromstring(TEMPLATE.read_bytes())
    table = {}
    for alias in root.iter("alias"):
        name = alias.findtext("family", "").strip()
        table[name] = tuple(f.text.strip() for f in alias.iterfind("prefer/family") if f.text)
    return table


def used_fonts(docx_paths) -> set[str]:
    """Font names set in the .docx files' body, headers, footers, numbering, document
    defaults and the styles those use (w:rFonts eastAsia/ascii/hAnsi; theme fonts ignored;
    the many styles a template defines but never uses are not counted)."""
    names: set[str] = set()
    for docx in docx_paths:
        with zipfile.ZipFile(docx) as archive:
            parts = {n: SafeElementTree.fromstring(archive.read(n))
                     for n in archive.namelist() if _PARTS.fullmatch(n)}
        styles = parts.pop("word/styles.xml", None)
        for root in parts.values():
            names |= _rfonts(root)
        if styles is not None:
            names |= _style_fonts(styles, parts.values())
    return names


def _rfonts(element) -> set[str]:
    return {v.strip() for rfonts in element.iter(_W + "rFonts")
            for a in _FONT_ATTRS if (v := rfonts.get(a)) and v.strip()}


def _style_fonts(styles, parts) -> set[str]:
    by_id = {s.get(_W + "styleId"): s for s in styles.iter(_W + "style")}
    wanted = {s.get(_W + "styleId") for s in by_id.values() if s.get(_W + "default") == "1"}
    for root in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            wanted |= {e.get(_W + "val") for e in root.iter(_W + tag)}
    names, seen = set(), set()
    while wanted:  # follow basedOn / link chains
        style = by_id.get(style_id := wanted.pop())
        if style is None or style_id in seen:
            continue
        seen.add(style_id)
        names |= _rfonts(style)
        wanted |= {e.get(_W + "val") for tag in ("basedOn", "link") for e in style.iter(_W + tag)}
    for defaults in styles.iter(_W + "docDefaults"):
        names |= _rfonts(defaults)
    return names


def _families(name: str, conf: str) -> tuple[str, ...]:
    """The family names of the font fontconfig picks for `name` (CJK names with lang zh-cn)."""
    pattern = name.replace("-", r"\-").replace(":", r"\:")
    if re.search(r"[\u3400-\u9fff]", name):
        pattern += ":lang=zh-cn"
    return _fc_match(pattern, conf)


@functools.lru_cache(maxsize=512)
def _fc_match(pattern: str, conf: str) -> tuple[str, ...]:
    result = subprocess.run(["fc-match", "--format=%{family}", pattern], capture_output=True,
                            text=True, env={**os.environ, "FONTCONFIG_FILE": conf}, check=False)
    return tuple(f.strip() for f in result.stdout.split(",") if f.strip())


def substitutes(docx_paths) -> dict[str, str]:
    """Every font the .docx files use → the family the converter will actually use."""
    conf = str(private_config())
    return {name: (_families(name, conf) or ("?",))[0] for name in sorted(used_fonts(docx_paths))}


def missing_fonts(docx_paths) -> list[str]:
    """Font names used by the .docx files that the converter can only replace by a generic
    fallback (neither the font itself nor one of its declared substitutes is installed).
    Empty where fontconfig is not used (Windows) or fc-match is not installed."""
    if os.name == "nt" or not shutil.which("fc-match"):
        return []
    conf = str(private_config())
    fallbacks = {f.casefold() for probe in _GENERIC_PROBES for lang in ("", ":lang=zh-cn")
                 for f in _fc_match(probe + lang, conf)}
    missing = []
    for name in sorted(used_fonts(docx_paths)):
        got = {f.casefold() for f in _families(name, conf)}
        wanted = {n.casefold() for n in (name, *aliases().get(name, ()))}
        if not got & wanted and (not got or got & fallbacks):
            missing.append(name)
    return missing


def font_warnings(docx_paths) -> list[str]:
    """One Chinese line per template font without a real counterpart on this machine."""
    docx_paths = list(docx_paths)
    missing = missing_fonts(docx_paths)
    if not missing:
        return []
    actual = substitutes(docx_paths)
    return [f"模板字体“{name}”在本机没有对应字体，PDF 中将用 {actual.get(name, '默认字体')} 代替"
            for name in missing]

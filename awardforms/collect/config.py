"""A campaign's `[collect]` section: how the level above judges the submissions (data, not code).

    [[collect.ratios]]            # recommended counts against the quota table
    scope = "region"              # "region": each 所属地区; "total": summed over the province
    base = "quota"                # "quota": the quota table; or a number per sheet: { 工作表 = 30 }
    min = 1.5                     # at least min x base (optional)
    max = 2.0                     # at most max x base (optional)
    count = "submitted"           # "submitted" (every nominee sent) or "valid" (without errors)
    sheets = ["工作表"]            # optional: only these sheets
    severity = "error"            # or "warning"
    code = "region-over-quota"
    message = "…{region}{sheet}{count}{base}{low}{high}…"
    fix = "…"

    results = ["考核对象", "拟表彰", "不通过"]     # 评审结果 the office may pick in the 总表
    [[collect.lists]]             # documents from the 评审结果 (docxtpl templates under templates/)
    name = "公示名单"
    template = "公示名单.docx"    # beside campaign.toml
    results = ["拟表彰"]
    [collect.lines]               # a nominee's line in those lists, per sheet (Jinja over its values)
    工作表 = "{{ name }}  {{ employer }}{{ post }}"
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from awardforms.campaigns.model import Campaign
from awardforms.errors import CampaignDefinitionError

RESULTS = ("考核对象", "拟表彰", "不通过")
_RATIO_KEYS = {"scope", "base", "min", "max", "count", "sheets", "severity", "code", "message", "fix"}


@dataclass(frozen=True)
class RatioRule:
    scope: str
    base: object                  # "quota" or {sheet: number}
    low: float | None
    high: float | None
    count: str
    sheets: tuple[str, ...]
    severity: str
    code: str
    message: str
    fix: str

    def bounds(self, base: int) -> tuple[int | None, int | None]:
        """The allowed counts for `base`: (at least, at most), None where open."""
        low = math.ceil(round(self.low * base, 6)) if self.low is not None else None
        high = math.floor(round(self.high * base, 6)) if self.high is not None else None
        return low, high


@dataclass(frozen=True)
class ReviewList:
    name: str
    template: str
    results: tuple[str, ...]
    title: str


@dataclass(frozen=True)
class CollectConfig:
    ratios: tuple[RatioRule, ...]
    results: tuple[str, ...]
    lists: tuple[ReviewList, ...]
    lines: dict[str, str]


def _fail(campaign: Campaign, where: str, problem: str) -> CampaignDefinitionError:
    path = campaign.directory / "campaign.toml"
    return CampaignDefinitionError(f"项目定义文件 {path} 中 collect.{where}：{problem}", path=str(path))


def _ratio(campaign: Campaign, i: int, raw: dict) -> RatioRule:
    where = f"ratios[{i}]"
    sheets = [s.name for s in campaign.sheets]
    unknown = set(raw) - _RATIO_KEYS
    if unknown:
        raise _fail(campaign, where, f"未知的键 {sorted(unknown)}")
    if raw.get("scope", "region") not in ("region", "total"):
        raise _fail(campaign, where, "scope 只能是 region 或 total")
    base = raw.get("base", "quota")
    if base != "quota" and not (isinstance(base, dict) and set(base) <= set(sheets)
                                and all(isinstance(v, int) for v in base.values())):
        raise _fail(campaign, f"{where}.base", "应为 \"quota\" 或 { 工作表名 = 整数 }")
    if raw.get("count", "submitted") not in ("submitted", "valid"):
        raise _fail(campaign, f"{where}.count", "只能是 submitted 或 valid")
    if "min" not in raw and "max" not in raw:
        raise _fail(campaign, where, "至少要有 min 或 max")
    if not set(raw.get("sheets", [])) <= set(sheets):
        raise _fail(campaign, f"{where}.sheets", f"只能是 {sheets}")
    if raw.get("severity", "error") not in ("error", "warning") or not raw.get("code") or not raw.get("message"):
        raise _fail(campaign, where, "须有 code 和 message，severity 为 error 或 warning")
    return RatioRule(raw.get("scope", "region"), base, raw.get("min"), raw.get("max"),
                     raw.get("count", "submitted"), tuple(raw.get("sheets", ())),
                     raw.get("severity", "error"), raw["code"], raw["message"], raw.get("fix", ""))


def collect_config(campaign: Campaign) -> CollectConfig:
    raw = campaign.collect
    ratios = tuple(_ratio(campaign, i, r) for i, r in enumerate(raw.get("ratios", [])))
    results = tuple(raw.get("results", RESULTS))
    lists = []
    for i, item in enumerate(raw.get("lists", [])):
        if not item.get("name") or not (campaign.directory / item.get("template", "")).is_file():
            raise _fail(campaign, f"lists[{i}]", "须有 name，template 须是 campaign.toml 旁存在的 .docx")
        if not set(item.get("results", ())) <= set(results):
            raise _fail(campaign, f"lists[{i}].results", f"只能是 {list(results)}")
        lists.append(ReviewList(item["name"], item["template"], tuple(item.get("results", ())),
                                item.get("title", item["name"])))
    lines = dict(raw.get("lines", {}))
    if not set(lines) <= {s.name for s in campaign.sheets}:
        raise _fail(campaign, "lines", "键须是工作表名")
    return CollectConfig(ratios, results, tuple(lists), lines)

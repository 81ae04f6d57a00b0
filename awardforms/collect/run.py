"""`collect`: the library function the CLI (and `serve`) call.

    collect(sources, out_dir, pdf=False) -> CollectResult(data=collect.json's dict, out_dir, exit_code)

read every source (sources.py) -> one campaign (else exit 2) -> the newest submission of each
推荐单位 counts -> checks across them (crosscheck.py, quota.py) -> each counted one rendered under
submissions/<推荐单位>/ (render.py) -> 评审结果 read back from the 总表 (review.py) -> the
spreadsheets, documents, page, collect.json (and with pdf the 总册, book.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from awardforms.campaigns.load import load_campaign
from awardforms.collect import outputs, page, review, workbooks
from awardforms.collect.config import collect_config
from awardforms.collect.crosscheck import duplicates
from awardforms.collect.quota import quota_rows, ratio_issues, share_issues
from awardforms.collect.render import render_counted
from awardforms.collect.sources import KIND_UNUSABLE, Received, find_sources, read_source
from awardforms.collect.tables import nominee_rows
from awardforms.cachedir import cache_root
from awardforms.output import write_json
from awardforms.textnorm import header_key

DEFAULT_ROOT = Path("output")
JSON_NAME = "collect.json"
BOOK_NAME = "推荐材料总册.pdf"
OK, HAS_ERRORS, UNUSABLE, REPLACED = "合格", "有错误", "无法使用", "已被替换"


@dataclass
class CollectResult:
    data: dict
    out_dir: Path | None
    exit_code: int
    received: list[Received] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)      # for the console (Chinese)
    written: list[str] = field(default_factory=list)       # outputs, relative to out_dir


def _stop(message: str, campaign: str | None = None) -> CollectResult:
    return CollectResult({"campaign": campaign, "error": message, "submissions": [], "quota": [], "issues": []},
                         None, 2, messages=[message])


def _pick_campaign(received: list[Received]) -> tuple[str | None, list[Received]]:
    """The campaign most files belong to (the first seen on a tie) and the files of others."""
    ids = [r.campaign for r in received if r.campaign]
    if not ids:
        return None, []
    counts = Counter(ids)
    best = max(dict.fromkeys(ids), key=lambda c: counts[c])
    return best, [r for r in received if r.campaign and r.campaign != best]


def _select(received: list[Received]) -> list[Received]:
    """Mark the newest submission of each 推荐单位 as counted; return those, in arrival order."""
    groups: dict[str, list[Received]] = {}
    for r in received:
        if r.kind == KIND_UNUSABLE:
            r.status = UNUSABLE
            continue
        groups.setdefault(header_key(r.unit) or f"\0{r.path}", []).append(r)
    counted = []
    for items in groups.values():
        items.sort(key=lambda r: (r.time, r.name))
        latest = items[-1]
        counted.append(latest)
        for older in items[:-1]:
            older.status = REPLACED
            if older.time == latest.time:
                older.note = f"与“{latest.name}”时间相同，按文件名排序以“{latest.name}”为准。"
                latest.note = f"与“{older.name}”时间相同（{latest.time:%Y-%m-%d %H:%M:%S}），按文件名排序以本文件为准。"
            else:
                older.note = f"已被 {latest.time:%Y-%m-%d %H:%M:%S} 的“{latest.name}”替换。"
    return sorted(counted, key=lambda r: received.index(r))


def collect(sources: list[Path], out_dir: Path | None = None, *, pdf: bool = False,
            echo: Callable[[str], None] | None = None) -> CollectResult:
    say = echo or (lambda text: None)
    files, missing = find_sources([Path(s) for s in sources], exclude=out_dir)
    if missing:
        return _stop(f"找不到：{'、'.join(missing)}。请检查路径。")
    if not files:
        return _stop("没有找到推荐对象表（.xlsx）或压缩包（.zip）。")
    scratch = cache_root() / "collect-unpacked"
    received = []
    for f in files:
        received.append(read_source(f, scratch))
        say(f"读取：{f.name}")
    cid, others = _pick_campaign(received)
    if cid is None:
        return _stop("没有一个文件可以使用：" + "；".join(f"{r.name}：{r.why}" for r in received))
    campaign = load_campaign(cid)
    if others:
        names = "、".join(f"“{r.path}”（项目 {r.campaign}）" for r in others)
        return _stop(f"{names} 不是“{campaign.title}”（{cid}）的推荐材料，不能一起汇总。请把它移出后重新汇总，"
                     f"或分别汇总。", cid)
    config = collect_config(campaign)
    out_dir = out_dir or DEFAULT_ROOT / f"汇总-{cid}"
    out_dir.mkdir(parents=True, exist_ok=True)
    counted = _select(received)
    duplicates(campaign, counted)
    messages = render_counted(counted, out_dir, pdf, say)
    rows = quota_rows(campaign, config, counted)
    across = ratio_issues(campaign, config, counted, rows) + share_issues(campaign, counted)
    for r in counted:
        r.status = HAS_ERRORS if r.errors else OK
    sheets = nominee_rows(campaign, counted)
    found, problem = review.read_results(out_dir / workbooks.OVERVIEW)
    messages += [problem] if problem else []
    messages += review.apply_results(sheets, found, config.results)
    written = outputs.write_outputs(out_dir, campaign, config, received, rows, sheets, across)
    if pdf:
        from awardforms.collect.book import write_book_of
        messages += write_book_of(out_dir / BOOK_NAME, campaign, counted, sheets)
        if (out_dir / BOOK_NAME).exists():
            written.append(BOOK_NAME)
    data = outputs.collect_json(campaign, received, rows, across)
    write_json(out_dir / JSON_NAME, data)
    written += [JSON_NAME, page.PAGE]
    page.write_page(out_dir / page.PAGE, outputs.page_context(campaign, received, counted, rows, across,
                                                               written, messages))
    bad = any(r.errors for r in counted) or any(i.severity == "error" for i in across) or \
        any(r.status == UNUSABLE for r in received)
    return CollectResult(data, out_dir, 1 if bad else 0, received, messages, written)


def collect_inbox(inbox: Path, out_dir: Path, *, pdf: bool = False) -> CollectResult:
    """`watch INBOX --collect [--pdf]`: the collection over what the watcher has filed (processed/
    and failed/: a submission with errors still counts, and earlier sends stay as history)."""
    folders = [inbox / name for name in ("processed", "failed") if (inbox / name).is_dir()]
    return collect(folders, out_dir, pdf=pdf) if folders else _stop("收件文件夹中还没有处理过的文件。")

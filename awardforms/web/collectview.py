"""The office's `collect` view: a small adapter over awardforms.collect (issue 19), imported
only when used, so the server runs (and says so) where that feature is not installed.

`run(data, campaign)` collects the latest submission of every unit for the campaign (only
uploads whose workbook names the account's own unit) into <data>/collect/<campaign>/;
`view(data, campaign)` reads the collect.json it wrote.
"""

from __future__ import annotations

import json
from pathlib import Path

from awardforms.web import db
from awardforms.web.files import DataDir

NOT_INSTALLED = "汇总功能尚未安装"


def _collect_function():
    """awardforms.collect.run.collect, or None when it is not there."""
    try:
        from awardforms.collect.run import collect
    except ImportError:
        return None
    return collect


def available() -> bool:
    return _collect_function() is not None


def sources(data: DataDir, campaign: str) -> list[Path]:
    """Each unit's newest processed upload for the campaign (not the unusable ones, not the
    ones naming another unit)."""
    found = []
    with db.connect(data.root, write=False) as con:
        rows = con.execute(
            "SELECT * FROM submissions WHERE id IN (SELECT MAX(id) FROM submissions"
            " WHERE campaign = ? AND state = 'done' AND status != '无法使用'"
            " AND result NOT LIKE '%\"unit_mismatch\": true%' GROUP BY unit_id) ORDER BY unit_id",
            (campaign,)).fetchall()
    for row in rows:
        path = data.upload_dir(row["id"]) / row["stored"]
        if path.is_file():
            found.append(path)
    return found


def run(data: DataDir, campaign: str) -> int | None:
    """Collect now; the exit code, or None when the feature is not installed."""
    collect = _collect_function()
    if collect is None:
        return None
    found = sources(data, campaign)
    if not found:
        return None
    out_dir = data.collect(campaign)
    out_dir.mkdir(parents=True, exist_ok=True)
    return collect(found, out_dir, pdf=False).exit_code


def view(data: DataDir, campaign: str) -> dict | None:
    """collect.json of the campaign's last collect, None before the first."""
    path = data.collect(campaign) / "collect.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def across_for(data: DataDir, row) -> list[dict]:
    """What the office's last collect found in this upload against other units' submissions
    (`duplicate-across`): the cells only, never the other unit or its file (a clerk sees only
    their own unit's submissions)."""
    found = view(data, row["campaign"])
    if not found:
        return []
    counted = {str(data.upload_dir(row["id"]) / row["stored"])}
    if not any(s.get("file") in counted for s in found.get("submissions", [])):
        return []                          # this upload is not the one the collect counted
    cells = []
    for issue in found.get("issues", []):
        if (issue.get("code") == "duplicate-across" and issue.get("unit") == row["unit"]
                and issue.get("file") == Path(row["stored"]).name):
            where = f"{issue.get('sheet')}!{issue.get('column') or ''}{issue.get('row') or ''}"
            cells.append({"where": where, "field": issue.get("field") or ""})
    return cells


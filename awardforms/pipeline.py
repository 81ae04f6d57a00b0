"""The library surface: check and render a workbook (the CLI is a thin layer over this)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from . import __version__
from .context import nominee_context, summary_context
from .output import write_json
from .plan import NomineePlan, plan_submission, summary_paths
from .render import render_docx
from .statistics import compute_statistics
from .summary import write_summary_xlsx
from .validate import Submission, check_workbook

DEFAULT_OUTPUT = Path("output")


@dataclass
class Settings:
    out_dir: Path | None = None
    force: bool = False
    pdf: bool = False


@dataclass
class RenderResult:
    submission: Submission
    out_dir: Path
    manifest: dict
    written: list[str] = field(default_factory=list)


def check(path: str | Path) -> Submission:
    return check_workbook(path)


def output_dir_for(source: Path, settings: Settings) -> Path:
    return settings.out_dir if settings.out_dir else DEFAULT_OUTPUT / source.stem


def _render_nominee(sub: Submission, plan: NomineePlan, out_dir: Path) -> list[str]:
    ctx = nominee_context(sub.campaign, sub.unit, plan.record)
    photo = plan.record.values.get("photo")
    written = []
    for pf in plan.forms:
        render_docx(pf.form.template, ctx, out_dir / pf.path, photo=photo)
        written.append(pf.path)
    return written


def manifest_for(sub: Submission, plans: list[NomineePlan], files: list[str]) -> dict:
    return {
        "campaign": sub.campaign.id,
        "source": sub.source.name,
        "tool_version": __version__,
        "nominees": [{"sheet": p.record.sheet.name, "row": p.record.row, "name": p.record.name,
                      "status": "invalid" if p.record.has_errors else "rendered",
                      "files": [f.path for f in p.forms]} for p in plans],
        "files": files,
    }


def render(path: str | Path, settings: Settings | None = None) -> RenderResult:
    """Check, then write every valid nominee's forms, the 汇总表 and manifest.json."""
    settings = settings or Settings()
    sub = check_workbook(path)
    out_dir = output_dir_for(Path(path), settings)
    plans = plan_submission(sub)
    written: list[str] = []
    for plan in plans:
        written += _render_nominee(sub, plan, out_dir)
    files = []
    ctx = summary_context(sub.campaign, sub.unit, sub.records)
    ctx.update(compute_statistics(sub.campaign, sub.records))
    for form in sub.campaign.submission_forms:     # e.g. 推荐工作报告: summary context + statistics
        render_docx(form.template, ctx, out_dir / form.output)
        files.append(form.output)
        written.append(form.output)
    if sub.campaign.summary.get("template"):
        paths = summary_paths(sub)
        render_docx(sub.campaign.summary["template"], ctx, out_dir / paths["docx"])
        write_summary_xlsx(sub.campaign, ctx, out_dir / paths["xlsx"])
        files += [paths["docx"], paths["xlsx"]]
        written += [paths["docx"], paths["xlsx"]]
    manifest = manifest_for(sub, plans, files)
    write_json(out_dir / "manifest.json", manifest)
    return RenderResult(sub, out_dir, manifest, written)

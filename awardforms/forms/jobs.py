"""Output jobs: one per file to produce, plain data (picklable, JSON-hashable).

The planner turns a Submission into jobs; an executor runs them. Keeping jobs as plain data
lets the incremental build hash exactly what an output depends on, and lets a process pool
run them on every core.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from awardforms.forms.context import job_context, summary_context
from awardforms.read.photos import prepared_photo
from awardforms.forms.plan import plan_submission, summary_paths
from awardforms.forms.statistics import compute_statistics
from awardforms.forms.context import ReadOnlyDict
from awardforms.forms.templatekeys import form_keys, summary_keys
from awardforms.check.validate import Submission


@dataclass
class FormJob:
    out: str                          # path relative to the output folder ("/" separators)
    template: str                     # relative to templates/
    context: dict[str, Any]           # JSON-serialisable: display strings, ints, dicts, lists;
    # not to be changed (read-only: a nominee's forms that read the same names share one)
    photo: str | None = None          # absolute path of the photo, if any
    kind: str = "docx"                # "docx" (template) or "summary-xlsx"
    depends: list[str] = field(default_factory=list)   # extra files whose content matters
    # (buildstate.py hashes context, template, photo and these files into the job's fingerprint)


ALWAYS = frozenset({"photo"})          # the photo's placeholder: the image itself is job.photo


def nominee_jobs(sub: Submission) -> tuple[list, list[FormJob]]:
    """(plans, jobs) for every valid nominee's forms.

    Each form's context holds only the names its template reads (templatekeys.form_keys), so
    its fingerprint (build/state.py) follows what the form shows: an edit of 主要事迹 rebuilds
    the 推荐审批表 that prints it, not a 征求意见表 that does not. Forms reading the same names
    share one context object."""
    plans = plan_submission(sub)
    jobs = []
    keys: dict[str, frozenset[str] | None] = {}
    for plan in plans:
        if not plan.forms:
            continue
        try:
            photo = prepared_photo(plan.record.values.get("photo"))   # 5:7 JPEG in the cache
        except Exception as err:  # noqa: BLE001 - a photo spoilt since the check: this nominee only
            _photo_failed(sub, plan, err)
            continue
        ctx = job_context(sub.campaign, sub.unit, plan.record)     # read-only, shared
        views: dict[frozenset[str] | None, ReadOnlyDict] = {}
        for pf in plan.forms:
            template = pf.form.template
            if template not in keys:
                keys[template] = form_keys(template)
            wanted = keys[template]
            view = views.get(wanted)
            if view is None:
                view = views[wanted] = ctx if wanted is None else ReadOnlyDict(
                    {k: v for k, v in ctx.items() if k in wanted or k in ALWAYS})
            jobs.append(FormJob(pf.path, template, view, str(photo) if photo else None))
    return plans, jobs


def _photo_failed(sub: Submission, plan, err: Exception) -> None:
    """The nominee's photo could not be prepared (changed or damaged after it was checked):
    an error in its cell, the nominee not rendered, every other one is."""
    rec = plan.record
    f = next((f for f in rec.sheet.fields if f.type == "photo"), None)
    key = f.key if f else None
    shown = rec.display.get(key, "") if key else ""
    sub.report.add(rec.issue(key, "error", "photo-not-image",
                             f"照片“{shown}”无法使用（{type(err).__name__}: {err}）。",
                             "请重新导出或拍摄，提供完整的 JPG 或 PNG 格式2寸证件照。"))
    rec.has_errors = True
    plan.forms = []


def summary_jobs(sub: Submission) -> list[FormJob]:
    """Per-submission documents (e.g. 推荐工作报告) and the 汇总表 as .docx and .xlsx."""
    # only the fields these documents show: an edit of any other leaves them as they are
    ctx = summary_context(sub.campaign, sub.unit, sub.records, summary_keys(sub.campaign))
    ctx.update(compute_statistics(sub.campaign, sub.records))
    jobs = [FormJob(form.output, form.template, ctx) for form in sub.campaign.submission_forms]
    if sub.campaign.summary.get("template"):
        paths = summary_paths(sub)
        jobs += [FormJob(paths["docx"], sub.campaign.summary["template"], ctx),
                 FormJob(paths["xlsx"], "", ctx, kind="summary-xlsx")]
    return jobs

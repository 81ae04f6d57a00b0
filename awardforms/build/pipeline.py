"""The library surface: check and render a workbook (the CLI is a thin layer over this).

render = check -> plan jobs -> execute jobs -> manifest. Each stage lives in its own module;
this one only strings them together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, ContextManager

from awardforms import __version__
from awardforms.build.state import build
from awardforms.forms.executor import batch_size, run_job, run_jobs, session
from awardforms.forms.jobs import FormJob, nominee_jobs, summary_jobs
from awardforms.output import remove_leftovers, write_json
from awardforms.forms.plan import NomineePlan
from awardforms.check.validate import Submission, check_workbook

DEFAULT_OUTPUT = Path("output")


@dataclass
class Settings:
    out_dir: Path | None = None
    force: bool = False
    pdf: bool = False
    copies: bool = False          # print bundle, each form as often as the campaign asks (implies pdf)
    progress: Callable[[int], ContextManager[Any]] | None = None   # progress bar factory (CLI)
    workers: int | None = None    # processes for rendering; None: $AWARDFORMS_WORKERS or every core


@dataclass
class RenderResult:
    submission: Submission
    out_dir: Path
    manifest: dict
    written: list[str] = field(default_factory=list)             # every planned output
    rebuilt: list[tuple[str, str]] = field(default_factory=list)  # (path, reason) redone now
    skipped: list[str] = field(default_factory=list)              # up to date, not redone
    removed: list[str] = field(default_factory=list)              # no longer planned, deleted
    moved: list[tuple[str, str]] = field(default_factory=list)    # (old, new): a nominee renumbered
    assembly: Any = None          # assemble.Assembly: checklists, PDFs, dossiers, zip (issue 5)


def check(path: str | Path) -> Submission:
    return check_workbook(path)


def output_dir_for(source: Path, settings: Settings) -> Path:
    return settings.out_dir if settings.out_dir else DEFAULT_OUTPUT / source.stem


def execute_job(job: FormJob, out_dir: Path, campaign_id: str) -> None:
    """Produce one output file (compiled templates, fastrender.py)."""
    run_job(job, out_dir, campaign_id)


def execute(jobs: list[FormJob], out_dir: Path, campaign_id: str) -> None:
    """Run jobs: in-process for few, on every core for many (executor.py)."""
    run_jobs(jobs, out_dir, campaign_id)


# Field types left out of the manifest's values: long text, résumés and photo paths (the forms
# hold them); what is listed is what `collect` needs from an e-mailed zip (its 总表, checks).
_UNLISTED = frozenset({"longtext", "resume", "photo"})


def _listed(fields, display: dict) -> dict:
    return {f.key: display.get(f.key) or "" for f in fields if f.type not in _UNLISTED}


def manifest_for(sub: Submission, plans: list[NomineePlan], files: list[str]) -> dict:
    """manifest.json; beside the contract's keys, `unit` (推荐单位 sheet), each nominee's
    `values`, each sheet's `columns` (field key -> Excel column) and the check's `issues`: what the level above reads from the zip."""
    return {
        "campaign": sub.campaign.id,
        "source": sub.source.name,
        "tool_version": __version__,
        "unit": _listed(sub.campaign.unit_fields, sub.unit.display),
        "nominees": [{"sheet": p.record.sheet.name, "row": p.record.row, "name": p.record.name,
                      "status": "invalid" if p.record.has_errors else "rendered",
                      "files": [f.path for f in p.forms],
                      "values": _listed(p.record.sheet.fields, p.record.display)} for p in plans],
        "files": files,
        "columns": {name: dict(recs[0].columns) for name, recs in sub.records.items() if recs},
        "issues": [i.as_json() for i in sub.report.sorted()],
    }


def render(path: str | Path, settings: Settings | None = None, checked: Submission | None = None
           ) -> RenderResult:
    """Check, then write every valid nominee's forms, the submission documents and manifest.json.

    `checked`: the result of `check(path)` when the caller has just made it (the CLI checks
    first, to hand the issues to the annotated copy's process), so it is not made twice."""
    settings = settings or Settings()
    sub = checked if checked is not None else check_workbook(path)
    out_dir = output_dir_for(Path(path), settings)
    plans, jobs = nominee_jobs(sub)
    submission = summary_jobs(sub)
    unfinished = _begin(out_dir)
    try:
        # incremental: only outdated jobs run (buildstate.py); `execute` is looked up at call time
        with session(settings.workers):     # one process pool for all chunks, if the run is large
            built = build(jobs + submission, out_dir, sub.campaign.id, lambda js, d, c: execute(js, d, c),
                          force=settings.force, progress=settings.progress,
                          chunk=batch_size(len(jobs) + len(submission), settings.workers))
            manifest = manifest_for(sub, plans, [j.out for j in submission])
            # in the session: the 材料清单 go to the same pool
            assembly = _assemble_stage(sub, plans, jobs, submission, out_dir, manifest, settings, built.outputs)
        write_json(out_dir / "manifest.json", manifest)
        _bundle_stage(sub, out_dir, manifest, assembly, built.outputs)
        _send_list_stage(sub, plans, submission, out_dir, assembly, settings)
        unfinished.unlink(missing_ok=True)
    except OSError:
        # e.g. the disk is full: every file is replaced whole or not at all, and the state
        # names only outputs written, but the zip to e-mail would still be the previous
        # version beside new forms: it goes (the next render writes it again)
        _discard_bundle(sub, out_dir)
        raise
    return RenderResult(sub, out_dir, manifest, [j.out for j in jobs + submission],
                        rebuilt=built.rebuilt, skipped=built.skipped, removed=built.removed, moved=built.moved,
                        assembly=assembly)


# ---- assemble stages (issue 5): 材料清单, PDF, dossiers (assemble.py), the zip (bundle.py)

def _assemble_stage(sub, plans, jobs, submission, out_dir: Path, manifest: dict, settings: Settings,
                    versions: dict[str, str] | None = None):
    from awardforms.assemble.stage import assemble
    return assemble(sub, plans, jobs, submission, out_dir, manifest, pdf=settings.pdf or settings.copies,
                    copies=settings.copies, force=settings.force, versions=versions)


def _send_list_stage(sub, plans, submission, out_dir: Path, assembly, settings: Settings) -> None:
    from awardforms.assemble.stage import send_list
    send_list(sub, plans, submission, out_dir, assembly, settings.force)


RENDERING = ".awardforms-rendering"     # in the output folder while a render runs


def _begin(out_dir: Path) -> Path:
    """Remove the temporary files a killed render left (`.推荐对象汇总表.*.tmp`): in the
    output folder every time, in every subfolder too when the mark of a render that did not
    finish is there (a walk of 400 nominee folders costs ~20 ms, not worth it every time).
    Returns the mark, set for this render."""
    mark = out_dir / RENDERING
    remove_leftovers(out_dir, deep=mark.exists())
    out_dir.mkdir(parents=True, exist_ok=True)
    mark.touch()
    return mark


def _discard_bundle(sub, out_dir: Path) -> None:
    from awardforms.assemble.stage import discard_bundle
    discard_bundle(sub, out_dir)


def _bundle_stage(sub, out_dir: Path, manifest: dict, assembly, versions: dict[str, str]) -> None:
    from awardforms.assemble.stage import bundle
    bundle(sub, out_dir, manifest, assembly, versions)

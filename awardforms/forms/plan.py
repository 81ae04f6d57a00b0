"""Plan: which forms each nominee gets and where they go in the output folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

from awardforms.campaigns.model import FormDef
from awardforms.output import safe_name
from awardforms.check.records import Record
from awardforms.check.validate import Submission


@dataclass
class PlannedForm:
    form: FormDef
    path: str                 # relative to the output folder, with "/" separators


@dataclass
class NomineePlan:
    record: Record
    folder: str
    forms: list[PlannedForm]


def nominee_folder(rec: Record) -> str:
    return str(PurePosixPath(safe_name(rec.sheet.folder)) / f"{rec.seq:03d}-{safe_name(rec.name, 40)}")


def plan_submission(sub: Submission) -> list[NomineePlan]:
    plans = []
    for rec in sub.all_records():
        if rec.sheet.belongs_to:          # members: on their parent's forms, not nominees
            continue
        folder = nominee_folder(rec)
        forms = [] if rec.has_errors else [
            PlannedForm(form, f"{folder}/{form.output}")
            for form in rec.sheet.forms if form.applies(rec.values)]
        plans.append(NomineePlan(rec, folder, forms))
    return plans


def summary_paths(sub: Submission) -> dict[str, str]:
    base = safe_name(sub.campaign.summary.get("output", "推荐对象汇总表"))
    return {"docx": f"{base}.docx", "xlsx": f"{base}.xlsx"}

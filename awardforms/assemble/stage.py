"""The stages after rendering: 材料清单, PDF conversion, dossiers, submission PDF, print bundle.

`assemble` runs after the .docx files are written and before manifest.json; it adds what it
wrote to the manifest. `bundle` (the zip) runs after the manifest is written.

Output names (relative to the output folder):
- `<nominee folder>/材料清单.xlsx`            every rendered nominee of a sheet with materials
- `<each form>.pdf` beside its .docx          with --pdf
- `<nominee folder>/推荐材料汇编.pdf`          with --pdf: forms, then scans
- `<推荐单位>-<项目简称>-推荐材料.pdf`          with --pdf: 推荐工作报告/汇总表, then every nominee
- `<推荐单位>-<项目简称>-打印版.pdf`            with --copies: every document as often as required
- `<推荐单位>-<项目简称>-推荐材料.zip`          always: for e-mail (bundle.py)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from awardforms.assemble.bundle import bundle_name, bundle_stem, write_bundle
from awardforms.campaigns.load import TEMPLATE_DIR
from awardforms.output import UnchangedCache, digest_of, safe_name
from awardforms.assemble.dossier import Doc, Section, repeated, write_book
from awardforms.read.scans import CHECKLIST_NAME, checklist_rows, collect, console_line, write_checklist

DOSSIER_NAME = "推荐材料汇编.pdf"


@dataclass
class Assembly:
    checklists: list[str] = field(default_factory=list)    # one console line per nominee
    warnings: list[str] = field(default_factory=list)      # fonts, failed conversions, bad scans
    converter_missing: str = ""                             # install hint when --pdf could not run
    pdfs: list[str] = field(default_factory=list)          # every PDF now in the output folder
    submission_pdf: str = ""
    print_pdf: str = ""
    bundle: str = ""
    bundle_members: list[str] = field(default_factory=list)


def _pdf_of(rel: str) -> str:
    return str(PurePosixPath(rel).with_suffix(".pdf"))


def _stale(docx: Path, pdf: Path) -> bool:
    try:
        return pdf.stat().st_mtime < docx.stat().st_mtime
    except OSError:
        return True


def convert_stage(docx_rel: list[str], templates: list[str], out_dir: Path, force: bool,
                  result: Assembly) -> set[str]:
    """.docx → .pdf beside each (only those without an up-to-date PDF); the PDFs that exist."""
    from awardforms.assemble.convert import ConversionFailed, ConverterMissing, convert_to_pdf
    from awardforms.assemble.fonts import font_warnings
    todo = [out_dir / r for r in docx_rel if force or _stale(out_dir / r, out_dir / _pdf_of(r))]
    try:
        if todo:
            convert_to_pdf(todo)
    except ConverterMissing as err:
        result.converter_missing = str(err.message if hasattr(err, "message") else err)
        return set()
    except ConversionFailed as err:
        result.warnings.append(str(err))
    if todo:
        paths = [TEMPLATE_DIR / t for t in dict.fromkeys(templates) if (TEMPLATE_DIR / t).is_file()]
        result.warnings += font_warnings(paths)
    return {r for r in docx_rel if (out_dir / _pdf_of(r)).is_file() and not _stale(out_dir / r, out_dir / _pdf_of(r))}


def assemble(sub, plans, jobs, submission_jobs, out_dir: Path, manifest: dict, *, pdf: bool,
             copies: bool, force: bool = False) -> Assembly:
    result = Assembly()
    base_dir = sub.source.parent
    _remove_orphans(out_dir, plans, jobs + submission_jobs)
    stem = bundle_stem(_unit_name(sub), sub.campaign.short_title)
    entries = manifest["nominees"]

    # 材料清单 for every rendered nominee of a sheet that lists materials (rewritten only on change)
    cache = UnchangedCache(out_dir)
    checklists = {}
    for plan, entry in zip(plans, entries):
        if not plan.forms:
            continue
        rec = plan.record
        cl = rec.checklist or collect(rec.sheet, rec.display, base_dir)      # validate's list, if any
        checklists[id(plan)] = cl
        if not rec.sheet.materials:
            continue
        forms = [(pf.form.title, pf.form.copies, pf.path.rsplit("/", 1)[-1]) for pf in plan.forms]
        rel = f"{plan.folder}/{CHECKLIST_NAME}"
        title, rows = f"{rec.name} 材料清单（{rec.sheet.name}）", checklist_rows(forms, cl, base_dir)
        digest = digest_of(title, rows)
        if force or not cache.fresh(out_dir, rel, digest):
            write_checklist(out_dir / rel, title, rows)
            cache.record(rel, digest)
        entry["files"].append(rel)
        result.checklists.append(console_line(f"{rec.sheet.name} {rec.name}", cl))

    cache.save()
    if not (pdf or copies):
        return result

    docx = [j.out for j in jobs + submission_jobs if j.out.lower().endswith(".docx")]
    templates = [j.template for j in jobs + submission_jobs if j.kind == "docx"]
    have = convert_stage(docx, templates, out_dir, force, result)
    if result.converter_missing:
        return result
    for entry in entries:
        entry["files"] += [_pdf_of(f) for f in list(entry["files"]) if f in have]
    manifest["files"] += [_pdf_of(j.out) for j in submission_jobs if j.out in have]
    result.pdfs = sorted(_pdf_of(r) for r in have)

    # one dossier per nominee: forms in the campaign's order, then the scans
    sheets: dict[str, list[Section]] = {}
    for plan, entry in zip(plans, entries):
        if not plan.forms:
            continue
        rec = plan.record
        docs = [Doc(pf.form.title, out_dir / _pdf_of(pf.path), PurePosixPath(pf.path).stem, pf.form.copies)
                for pf in plan.forms if pf.path in have]
        docs += [Doc(title, path, title, n) for title, path, n in checklists[id(plan)].documents()]
        rel = f"{plan.folder}/{DOSSIER_NAME}"
        info = write_book(out_dir / rel, docs, f"{rec.name} 推荐材料")
        _report_unreadable(info, base_dir, out_dir, result)
        entry["files"].append(rel)
        result.pdfs.append(rel)
        sheets.setdefault(rec.sheet.name, []).append(Section(f"{rec.seq:03d} {rec.name}", docs))

    # the submission: 推荐工作报告 / 汇总表 first, then every nominee, sheet by sheet
    summary_copies = int(sub.campaign.summary.get("copies", 1))
    form_copies = {f.output: f.copies for f in sub.campaign.submission_forms}
    top: list = [Doc(_title(sub, j.out), out_dir / _pdf_of(j.out), PurePosixPath(j.out).stem,
                     form_copies.get(j.out, summary_copies))
                 for j in submission_jobs if j.out in have]
    tree = top + [Section(s.name, sheets[s.name]) for s in sub.campaign.sheets if s.name in sheets]
    result.submission_pdf = f"{stem}.pdf"
    write_book(out_dir / result.submission_pdf, tree, f"{_unit_name(sub)} {sub.campaign.title} 推荐材料")
    manifest["files"].append(result.submission_pdf)
    result.pdfs.append(result.submission_pdf)
    if copies:
        result.print_pdf = safe_name(f"{_unit_name(sub) or '推荐单位'}-{sub.campaign.short_title}-打印版", 120) + ".pdf"
        write_book(out_dir / result.print_pdf, repeated(tree), f"{_unit_name(sub)} 推荐材料（打印版）")
        manifest["files"].append(result.print_pdf)
        result.pdfs.append(result.print_pdf)
    return result


def bundle(sub, out_dir: Path, manifest: dict, result: Assembly, versions: dict[str, str] | None = None) -> None:
    """The zip to e-mail, from manifest.json (written before this runs); `versions`: digests of
    the forms as the build wrote them (bundle.write_bundle)."""
    result.bundle = bundle_name(_unit_name(sub), sub.campaign.short_title)
    # Keep the e-mail small: each nominee's 推荐材料汇编 already holds its forms and scans as
    # PDF, so the per-form PDFs, the whole-submission PDF and the print bundle stay out.
    exclude = {result.print_pdf, result.submission_pdf} - {""}
    for entry in manifest["nominees"]:
        exclude |= {f for f in entry["files"] if f.endswith(".pdf") and not f.endswith(DOSSIER_NAME)}
    result.bundle_members = write_bundle(out_dir, manifest, result.bundle, exclude, versions)


def discard_bundle(sub, out_dir: Path) -> None:
    """Remove the zip to e-mail (a render that could not finish: it would be an older version
    than the forms beside it)."""
    try:
        (out_dir / bundle_name(_unit_name(sub), sub.campaign.short_title)).unlink()
    except OSError:
        pass


def _remove_orphans(out_dir: Path, plans, jobs) -> None:
    """Delete what this stage wrote for documents or nominees no longer planned (buildstate.py
    removes the .docx; their PDFs, 材料清单 and 材料汇编 go here), from the previous manifest."""
    import json
    try:
        old = json.loads((out_dir / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    planned = {j.out for j in jobs}
    folders = {p.folder for p in plans if p.forms}
    previous = list(old.get("files", [])) + [f for n in old.get("nominees", []) for f in n.get("files", [])]
    for rel in previous:                # plain string work: ~800 paths per render
        head, _, name = rel.rpartition("/")
        if name in (CHECKLIST_NAME, DOSSIER_NAME):
            if (head or ".") in folders:
                continue
        elif not (name.endswith(".pdf") and len(name) > 4 and head
                  and rel[:-4] + ".docx" not in planned):
            continue                    # the form PDF of a form no longer planned goes
        target = out_dir / rel
        try:
            target.unlink()
        except OSError:
            continue
        parent = target.parent
        while parent != out_dir and out_dir in parent.parents:
            try:
                parent.rmdir()
            except OSError:
                break
            parent = parent.parent


def _unit_name(sub) -> str:
    for key in ("name", "unit", "unit_name"):
        if sub.unit.display.get(key):
            return sub.unit.display[key]
    label = next((f.key for f in sub.campaign.unit_fields if f.label == "推荐单位"), None)
    return sub.unit.display.get(label, "") if label else ""


def _title(sub, out: str) -> str:
    for f in sub.campaign.submission_forms:
        if f.output == out:
            return f.title
    return sub.campaign.summary.get("title") or PurePosixPath(out).stem


def _report_unreadable(info, base_dir: Path, out_dir: Path, result: Assembly) -> None:
    for path, why in info.unreadable:
        try:
            shown = path.relative_to(base_dir).as_posix()
        except ValueError:
            shown = os.path.relpath(path, out_dir)
        result.warnings.append(f"文件“{shown}”无法读取，未放入材料汇编（{why}）。")

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
- `报送清单.xlsx`                              always: every nominee, its status and copies (sendlist.py)

While the workbook has errors the zip and the two submission PDFs end in `-未完成`
(`…-推荐材料-未完成.zip`): nominees are missing, the package is for checking, not sending.
The other variant of each name, written by an earlier run, is removed (a send-ready zip left
from before the clerk broke a row would otherwise look current).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from awardforms.assemble.bundle import bundle_name, bundle_stem, write_bundle
from awardforms.campaigns.load import TEMPLATE_DIR
from awardforms.output import UnchangedCache, digest_of
from awardforms.assemble.dossier import Doc, Section, repeated, write_book
from awardforms.forms.executor import run_jobs
from awardforms.forms.jobs import FormJob
from awardforms.read.scans import CHECKLIST_NAME, checklist_rows, collect, console_line

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
    complete: bool = True                                   # no errors: the package may be sent
    send_list: str = ""                                     # 报送清单.xlsx
    removed: list[str] = field(default_factory=list)       # the other variant's zip/PDFs, deleted
    blockers: list[str] = field(default_factory=list)      # console lines: why not to send yet


def _pdf_of(rel: str) -> str:
    return str(PurePosixPath(rel).with_suffix(".pdf"))


def _stale(docx: Path, pdf: Path) -> bool:
    try:
        return pdf.stat().st_mtime < docx.stat().st_mtime
    except OSError:
        return True


def _pdf_version(docx_rel: str, versions: dict[str, str]) -> str:
    """What a form's PDF is made from: the digest of its .docx as the build wrote it."""
    return "pdf:" + versions[docx_rel] if versions.get(docx_rel) else ""


class _Fresh:
    """Whether a form's PDF is made from its .docx as it is now: the assembly record names the
    .docx digest each PDF was made from; for a .docx the build did not report, an older PDF
    is stale."""

    def __init__(self, out_dir: Path, versions: dict[str, str], cache: UnchangedCache):
        self.out_dir, self.versions, self.cache = out_dir, versions, cache

    def __call__(self, rel: str) -> bool:
        made_from = _pdf_version(rel, self.versions)
        if made_from:
            return self.cache.fresh(self.out_dir, _pdf_of(rel), made_from)
        return not _stale(self.out_dir / rel, self.out_dir / _pdf_of(rel))

    def converted(self, rel: str) -> None:
        if made_from := _pdf_version(rel, self.versions):
            self.cache.record(_pdf_of(rel), made_from)


def convert_stage(docx_rel: list[str], templates: list[str], out_dir: Path, force: bool,
                  result: Assembly, versions: dict[str, str] | None = None,
                  cache: UnchangedCache | None = None, *, on_todo=None, on_pdf=None) -> set[str]:
    """.docx → .pdf beside each, for those whose PDF is not made from the .docx as it is now
    (`_Fresh`), in one conversion (convert.py); the .docx whose PDF is now up to date.
    `on_todo(rels)` hears which will be converted, `on_pdf(rel)` of each PDF as it is in place
    (from a converter thread)."""
    from awardforms.assemble.convert import ConversionFailed, ConverterMissing, convert_to_pdf, find_soffice
    from awardforms.assemble.fonts import font_warnings
    from awardforms.forms.executor import configured_workers
    fresh = _Fresh(out_dir, versions or {}, cache if cache is not None else UnchangedCache(out_dir))
    todo = [r for r in docx_rel if force or not fresh(r)]
    for rel in todo:
        fresh.cache.digests.pop(_pdf_of(rel), None)         # until converted again
    by_source = {(out_dir / r).resolve(): r for r in todo}

    def converted(source: Path, target: Path) -> None:
        fresh.converted(by_source[source])
        if on_pdf is not None:
            on_pdf(by_source[source])

    try:
        if todo:
            find_soffice()
        if on_todo is not None:
            on_todo(todo)
        if todo:
            convert_to_pdf(list(by_source), workers=configured_workers(), on_done=converted)
    except ConverterMissing as err:
        result.converter_missing = str(err.message if hasattr(err, "message") else err)
        return set()
    except ConversionFailed as err:
        result.warnings.append(str(err))
    if todo:
        paths = [TEMPLATE_DIR / t for t in dict.fromkeys(templates) if (TEMPLATE_DIR / t).is_file()]
        result.warnings += font_warnings(paths)
    return {r for r in docx_rel if fresh(r)}


class _Dossiers:
    """Each nominee's 推荐材料汇编, written on a thread of its own as soon as the nominee's
    forms have their PDFs, while LibreOffice converts the others."""

    def __init__(self, write):
        from concurrent.futures import ThreadPoolExecutor
        self.write = write
        self.pool = ThreadPoolExecutor(1, thread_name_prefix="dossier")
        self.waiting: dict[int, tuple[object, set[str]]] = {}   # id(plan) -> (plan, forms to come)
        self.owner: dict[str, int] = {}                           # form .docx -> id(plan)
        self.futures: dict[int, object] = {}
        self.lock = threading.Lock()

    def expect(self, plans: list, todo: list[str]) -> None:
        converting = set(todo)
        for plan in plans:
            left = {pf.path for pf in plan.forms} & converting
            if left:
                self.waiting[id(plan)] = (plan, left)
                self.owner.update(dict.fromkeys(left, id(plan)))
            else:
                self._submit(plan)

    def converted(self, rel: str) -> None:
        with self.lock:
            key = self.owner.pop(rel, None)
            if key is None or key not in self.waiting:
                return
            plan, left = self.waiting[key]
            left.discard(rel)
            if not left:
                del self.waiting[key]
                self._submit(plan)

    def _submit(self, plan) -> None:
        self.futures[id(plan)] = self.pool.submit(self.write, plan)

    def finish(self) -> dict[int, list]:
        """Write the rest (their forms without a PDF left out); each nominee's documents."""
        with self.lock:
            for plan, _ in self.waiting.values():
                self._submit(plan)
            self.waiting.clear()
        try:
            return {key: future.result() for key, future in self.futures.items()}
        finally:
            self.pool.shutdown(wait=True, cancel_futures=True)


def _book_digest(title: str, nodes: list, out_dir: Path, base_dir: Path, cache: UnchangedCache) -> str:
    """What a book is made from: its title, its tree (titles, labels, copies) and each document's
    version (a form PDF: the .docx digest it was made from; a scan: its name, size and mtime)."""
    def node(n):
        if isinstance(n, Section):
            return [n.title, [node(c) for c in n.children]]
        try:
            rel = n.path.relative_to(out_dir).as_posix()
        except ValueError:
            rel = None
        version = cache.digests.get(rel) if rel else None
        if not version:
            try:
                st = n.path.stat()
                version = [os.path.relpath(n.path, base_dir), st.st_size, st.st_mtime_ns]
            except OSError:
                version = "missing"
        return [n.title, n.label, n.copies, version]
    return digest_of("book", title, [node(n) for n in nodes])


def _write_book_if_changed(target_rel: str, nodes: list, title: str, out_dir: Path, base_dir: Path,
                           cache: UnchangedCache, force: bool, result: Assembly) -> None:
    """Write a book unless the one there was made from the same documents (a book with an
    unreadable document is not recorded: it is written, and the clerk told, every time)."""
    digest = _book_digest(title, nodes, out_dir, base_dir, cache)
    if not force and cache.fresh(out_dir, target_rel, digest):
        return
    cache.digests.pop(target_rel, None)
    info = write_book(out_dir / target_rel, nodes, title)
    _report_unreadable(info, base_dir, out_dir, result)
    if not info.unreadable:
        cache.record(target_rel, digest)


def assemble(sub, plans, jobs, submission_jobs, out_dir: Path, manifest: dict, *, pdf: bool,
             copies: bool, force: bool = False, versions: dict[str, str] | None = None) -> Assembly:
    """`versions`: the digest of each .docx as the build wrote it (state.BuildOutcome.outputs):
    a PDF, a dossier or a submission PDF is made again only when what it is made from changed."""
    result = Assembly(complete=sub.report.valid)
    base_dir = sub.source.parent
    _remove_orphans(out_dir, plans, jobs + submission_jobs)
    result.removed = _remove_other_variant(out_dir, sub, result.complete)
    stem = bundle_stem(_unit_name(sub), sub.campaign.short_title, result.complete, sub.campaign.package_name)
    entries = manifest["nominees"]

    # 材料清单 for every rendered nominee of a sheet that lists materials (rewritten only on change)
    cache = UnchangedCache(out_dir)
    checklists = {}
    todo: list[tuple[FormJob, str]] = []
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
            cache.digests.pop(rel, None)
            todo.append((FormJob(rel, "", {"title": title, "rows": rows}, kind="checklist-xlsx"), digest))
        entry["files"].append(rel)
        result.checklists.append(console_line(f"{rec.sheet.name} {rec.name}", cl))
    # written by the run's worker pool when it is large (executor.py), like the forms
    run_jobs([job for job, _ in todo], out_dir, sub.campaign.id)
    for job, digest in todo:
        cache.record(job.out, digest)
    cache.save()
    if not (pdf or copies):
        return result

    docx = [j.out for j in jobs + submission_jobs if j.out.lower().endswith(".docx")]
    templates = [j.template for j in jobs + submission_jobs if j.kind == "docx"]
    fresh = _Fresh(out_dir, versions or {}, cache)
    nominees = [plan for plan in plans if plan.forms]

    def dossier(plan) -> list[Doc]:
        """Write one nominee's dossier (forms in the campaign's order, then the scans)."""
        docs = [Doc(pf.form.title, out_dir / _pdf_of(pf.path), PurePosixPath(pf.path).stem, pf.form.copies)
                for pf in plan.forms if fresh(pf.path)]
        docs += [Doc(title, path, title, n) for title, path, n in checklists[id(plan)].documents()]
        _write_book_if_changed(f"{plan.folder}/{DOSSIER_NAME}", docs, f"{plan.record.name} 推荐材料",
                               out_dir, base_dir, cache, force, result)
        return docs

    books = _Dossiers(dossier)
    try:
        have = convert_stage(docx, templates, out_dir, force, result, versions, cache,
                             on_todo=lambda todo: books.expect(nominees, todo), on_pdf=books.converted)
        written = {} if result.converter_missing else books.finish()
    finally:
        books.pool.shutdown(wait=True, cancel_futures=True)
    if result.converter_missing:
        cache.save()
        return result
    for entry in entries:
        entry["files"] += [_pdf_of(f) for f in list(entry["files"]) if f in have]
    manifest["files"] += [_pdf_of(j.out) for j in submission_jobs if j.out in have]
    result.pdfs = sorted(_pdf_of(r) for r in have)

    sheets: dict[str, list[Section]] = {}
    for plan, entry in zip(plans, entries):
        if not plan.forms:
            continue
        rel = f"{plan.folder}/{DOSSIER_NAME}"
        entry["files"].append(rel)
        result.pdfs.append(rel)
        rec = plan.record
        sheets.setdefault(rec.sheet.name, []).append(Section(f"{rec.seq:03d} {rec.name}", written[id(plan)]))

    # the submission: 推荐工作报告 / 汇总表 first, then every nominee, sheet by sheet
    summary_copies = int(sub.campaign.summary.get("copies", 1))
    form_copies = {f.output: f.copies for f in sub.campaign.submission_forms}
    top: list = [Doc(_title(sub, j.out), out_dir / _pdf_of(j.out), PurePosixPath(j.out).stem,
                     form_copies.get(j.out, summary_copies))
                 for j in submission_jobs if j.out in have]
    tree = top + [Section(s.name, sheets[s.name]) for s in sub.campaign.sheets if s.name in sheets]
    result.submission_pdf = f"{stem}.pdf"
    _write_book_if_changed(result.submission_pdf, tree, f"{_unit_name(sub)} {sub.campaign.title} 推荐材料",
                           out_dir, base_dir, cache, force, result)
    manifest["files"].append(result.submission_pdf)
    result.pdfs.append(result.submission_pdf)
    if copies:
        result.print_pdf = bundle_stem(_unit_name(sub), sub.campaign.short_title, result.complete, "打印版") + ".pdf"
        _write_book_if_changed(result.print_pdf, repeated(tree), f"{_unit_name(sub)} 推荐材料（打印版）",
                               out_dir, base_dir, cache, force, result)
        manifest["files"].append(result.print_pdf)
        result.pdfs.append(result.print_pdf)
    cache.save()
    return result


def bundle(sub, out_dir: Path, manifest: dict, result: Assembly, versions: dict[str, str] | None = None) -> None:
    """The zip to e-mail, from manifest.json (written before this runs); `versions`: digests of
    the forms as the build wrote them (bundle.write_bundle)."""
    result.bundle = bundle_name(_unit_name(sub), sub.campaign.short_title, result.complete,
                                sub.campaign.package_name)
    # Keep the e-mail small: each nominee's 推荐材料汇编 already holds its forms and scans as
    # PDF, so the per-form PDFs, the whole-submission PDF and the print bundle stay out.
    exclude = {result.print_pdf, result.submission_pdf} - {""}
    for entry in manifest["nominees"]:
        exclude |= {f for f in entry["files"] if f.endswith(".pdf") and not f.endswith(DOSSIER_NAME)}
    result.bundle_members = write_bundle(out_dir, manifest, result.bundle, exclude, versions)


def send_list(sub, plans, submission_jobs, out_dir: Path, result: Assembly, force: bool = False) -> None:
    """报送清单.xlsx (sendlist.py), after the zip, whose name it gives."""
    from awardforms.assemble.sendlist import blockers, write_send_list
    result.blockers = blockers(sub, plans)
    result.send_list = write_send_list(out_dir, sub, plans, [j.out for j in submission_jobs], result.bundle,
                                       result.complete, _unit_name(sub), force)


def discard_bundle(sub, out_dir: Path) -> None:
    """Remove the zip to e-mail (a render that could not finish: it would be an older version
    than the forms beside it)."""
    for complete in (True, False):
        try:
            (out_dir / bundle_name(_unit_name(sub), sub.campaign.short_title, complete,
                                   sub.campaign.package_name)).unlink()
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


def _variant_names(sub, complete: bool) -> list[str]:
    """The zip, submission PDF and print PDF of a complete (or incomplete) submission."""
    unit, short, kind = _unit_name(sub), sub.campaign.short_title, sub.campaign.package_name
    return [bundle_name(unit, short, complete, kind), bundle_stem(unit, short, complete, kind) + ".pdf",
            bundle_stem(unit, short, complete, "打印版") + ".pdf"]


def _remove_other_variant(out_dir: Path, sub, complete: bool) -> list[str]:
    """Delete the zip and PDFs an earlier run wrote under the other name (send-ready while
    there are errors now, `-未完成` once they are fixed); only files this tool recorded
    writing (the assembly record or the previous manifest.json)."""
    import json
    ours = set(UnchangedCache(out_dir).digests)
    try:
        ours |= set(json.loads((out_dir / "manifest.json").read_text(encoding="utf-8")).get("files", []))
    except (OSError, ValueError, AttributeError, TypeError):
        pass
    removed = []
    for name in _variant_names(sub, not complete):
        if name in ours and (out_dir / name).is_file():
            try:
                (out_dir / name).unlink()
            except OSError:
                continue
            removed.append(name)
    if removed:
        cache = UnchangedCache(out_dir)
        for name in removed:
            cache.digests.pop(name, None)
        cache.save()
    return removed


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

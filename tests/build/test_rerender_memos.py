"""Re-rendering in one process (the watcher, `render` called again) remembers work from the
previous render: parsed rows (validate), record values and form contexts (context), folder
names (plan), context and job digests and the state file (buildstate). None of it may ever
give a stale answer: after every change below, what the warm render did equals what a process
that remembers nothing works out (`_cold`), and the outputs that must be rebuilt are."""

from __future__ import annotations

import datetime
import json
import pickle
import types
from contextlib import contextmanager
from pathlib import Path

import pytest
from PIL import Image

from awardforms.build import state as buildstate
from awardforms.forms import context
from awardforms.check import dates
from awardforms.check import fields
from awardforms.check import idcard
from awardforms.read import photos
from awardforms.forms import plan
from awardforms.check import validate as validate_module
from awardforms.build.state import STATE_FILE, BuildState, decide
from awardforms.campaigns.load import load_campaign
from awardforms.forms.jobs import FormJob, nominee_jobs, summary_jobs
from awardforms.build.pipeline import Settings, render
from awardforms.check.validate import check_workbook
from conftest import UNIT, collective, person, write_workbook
from test_buildstate import _text
from test_campaign import data_copy  # noqa: F401 - a fixture

SUMMARY = {"推荐对象汇总表.docx", "推荐对象汇总表.xlsx"}


@pytest.fixture(autouse=True)
def photo_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


def _rows(n: int = 4, **edits):
    persons = [person(i, 姓名=f"张{i}号") for i in range(n)]
    persons[1].update(edits)
    return [collective(0), collective(1)], persons


# ---------------------------------------------------------------- warm == cold

_DICT_MEMOS = (validate_module._ROW_MEMO, validate_module._ROW_OBJECTS, fields._memo, context._VALUES_MEMO,
               context._CONTEXT_MEMO)
_BUILDSTATE_MEMOS = ("_remembered", "_last_state", "_fragments")


@contextmanager
def _cold():
    """Run the body as a process that remembers nothing from earlier renders, then put this
    module's memos back (so the render after it is warm again)."""
    dicts = [(memo, dict(memo)) for memo in _DICT_MEMOS]
    attrs = {name: getattr(buildstate, name) for name in _BUILDSTATE_MEMOS}
    for memo, _ in dicts:
        memo.clear()
    buildstate._remembered, buildstate._last_state, buildstate._fragments = ({}, {}), None, {}
    plan._folder.cache_clear()
    photos._listing.cache_clear()
    forget = getattr(__import__("awardforms.read.workbook").workbook, "forget_reads", None)
    if forget:
        forget()
    try:
        yield
    finally:
        for memo, saved in dicts:
            memo.clear()
            memo.update(saved)
        for name, value in attrs.items():
            setattr(buildstate, name, value)


def _outcome(sub):
    records = [(r.sheet.name, r.row, r.seq, r.values, r.display, r.raw, r.has_errors,
                r.checklist.documents() if r.checklist else None) for r in sub.all_records()]
    return records, sorted(sub.report.issues, key=repr)


def _assert_warm_is_cold(result, wb: Path, out: Path) -> None:
    """The warm render's submission and recorded fingerprints are what a cold process finds."""
    with _cold():
        sub = check_workbook(wb)
        _, jobs = nominee_jobs(sub)
        jobs += summary_jobs(sub)
        decisions = decide(jobs, out, BuildState.load(out))
        contexts = {j.out: dict(j.context) for j in jobs}
    assert _outcome(result.submission) == _outcome(sub)
    state = json.loads((out / STATE_FILE).read_text(encoding="utf-8"))["outputs"]
    assert {d.job.out: d.fingerprint for d in decisions} == {rel: e["fingerprint"] for rel, e in state.items()}
    assert [d.job.out for d in decisions if d.reason] == []
    _, warm_jobs = nominee_jobs(result.submission)
    for job in warm_jobs + summary_jobs(result.submission):
        assert dict(job.context) == contexts[job.out], job.out


def _render(wb: Path, out: Path):
    result = render(wb, Settings(out_dir=out))
    _assert_warm_is_cold(result, wb, out)
    return result


def _folder_of(result, name: str) -> str:
    return next(p["files"][0].rsplit("/", 1)[0] for p in result.manifest["nominees"] if p["name"] == name)


# ---------------------------------------------------------------- rows

def _addresses_edited(tmp_path: Path, out: Path, *addresses: str):
    """(address, result) for each address given to nominee 张1号 in turn, rendered warm after
    a first render and checked against a cold one."""
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    render(wb, Settings(out_dir=out))
    for address in addresses:
        write_workbook(wb, *_rows(通讯地址=address, 工作单位地址=address))
        yield address, _render(wb, out)


def test_a_row_edited_back_and_forth(tmp_path: Path):
    out = tmp_path / "out"
    for address, result in _addresses_edited(tmp_path, out, "长春市南关区新址路8号", person(1)["通讯地址"],
                                             "长春市南关区新址路8号"):
        folder = _folder_of(result, "张1号")
        assert {p for p, _ in result.rebuilt} == {p for p in result.written if p.startswith(folder + "/")} | SUMMARY
        assert {r for _, r in result.rebuilt} == {buildstate.CONTENT}
        assert address in _text(out / folder / "推荐审批表.docx")


def test_memos_that_fill_up_and_start_again(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(validate_module, "_ROW_MEMO_MAX", 3)
    monkeypatch.setattr(context, "_VALUES_MEMO_MAX", 3)
    monkeypatch.setattr(context, "_CONTEXT_MEMO_MAX", 2)
    out = tmp_path / "out"
    for address, result in _addresses_edited(tmp_path, out, "长春市南关区新址路8号", person(1)["通讯地址"],
                                             "长春市南关区新址路9号"):
        assert address in _text(out / _folder_of(result, "张1号") / "推荐审批表.docx")


def test_an_edit_that_makes_a_row_invalid_and_back(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    out = tmp_path / "out"
    first = render(wb, Settings(out_dir=out))
    folder = _folder_of(first, "张1号")
    write_workbook(wb, *_rows(性别="男女"))
    result = _render(wb, out)
    assert any(i.field == "性别" for i in result.submission.report.errors)
    assert sorted(result.removed) == sorted(p for p in first.written if p.startswith(folder + "/"))
    write_workbook(wb, *_rows())
    result = _render(wb, out)
    assert result.submission.report.valid
    assert {p for p in result.written if p.startswith(folder + "/")} <= {p for p, _ in result.rebuilt}


def test_a_cell_edited_to_an_equal_value_of_another_type(tmp_path: Path):
    """1, 1.0 and True are equal in Python: the row memo tells them apart by type."""
    out = tmp_path / "out"
    wb = tmp_path / "n.xlsx"
    for size in (1, True, 1, "1"):
        write_workbook(wb, [collective(0, 集体人数=size), collective(1)], _rows()[1])
        result = _render(wb, out)
        bad = any(i.field == "集体人数" for i in result.submission.report.errors)
        assert bad == (size is True), size


def test_moved_rows_are_numbered_anew(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    out = tmp_path / "out"
    render(wb, Settings(out_dir=out))
    collectives, persons = _rows()
    persons.insert(0, person(9, 姓名="新来的"))
    write_workbook(wb, collectives, persons)
    result = _render(wb, out)
    seqs = {n["name"]: (n["row"], _folder_of(result, n["name"])) for n in result.manifest["nominees"]
            if n["sheet"] == "先进个人"}
    assert seqs["新来的"] == (2, "先进个人/001-新来的")
    assert seqs["张0号"] == (3, "先进个人/002-张0号")
    # the 序号 in a moved nominee's form is its new one
    assert "002" in _folder_of(result, "张0号")
    write_workbook(wb, *_rows())                           # and back
    result = _render(wb, out)
    assert _folder_of(result, "张0号") == "先进个人/001-张0号"


def test_unit_edit_reaches_every_form(tmp_path: Path):
    """The unit is in every form's context (job_context's key holds its display strings)."""
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    out = tmp_path / "out"
    first = render(wb, Settings(out_dir=out))
    write_workbook(wb, *_rows(), unit={**UNIT, "联系人": "王新"})
    result = _render(wb, out)
    assert {p for p, _ in result.rebuilt} == set(first.written)
    write_workbook(wb, *_rows())
    result = _render(wb, out)
    assert {p for p, _ in result.rebuilt} == set(first.written)


def _fake_datetime(day: list[datetime.date]) -> types.ModuleType:
    """The datetime module with date.today() giving day[0] (isinstance works as with date)."""
    class _Meta(type):
        def __instancecheck__(cls, obj):
            return isinstance(obj, datetime.date)

    class FakeDate(datetime.date, metaclass=_Meta):
        @classmethod
        def today(cls):
            return day[0]
    module = types.ModuleType("datetime")
    module.__dict__.update(vars(datetime))
    module.date = FakeDate
    return module


def test_date_rollover_parses_remembered_rows_again(tmp_path: Path, monkeypatch):
    """A month that lies in the future is an error until that month comes: a row remembered on
    the last day of a month is worked out again on the first of the next."""
    day = [datetime.date(2031, 1, 31)]
    fake = _fake_datetime(day)
    for module, name in ((validate_module, "dt"), (fields, "dt"), (dates, "datetime"), (idcard, "datetime")):
        monkeypatch.setattr(module, name, fake)
    wb = write_workbook(tmp_path / "n.xlsx", *_rows(参加工作时间="2031.02"))
    out = tmp_path / "out"
    first = render(wb, Settings(out_dir=out))
    assert any(i.field == "参加工作时间" and i.severity == "error" for i in first.submission.report.issues)
    again = _render(wb, out)                               # the same day: remembered, same answer
    assert _outcome(again.submission) == _outcome(first.submission)
    day[0] = datetime.date(2031, 2, 1)
    result = _render(wb, out)
    assert not any(i.field == "参加工作时间" and i.severity == "error" for i in result.submission.report.issues)
    folder = _folder_of(result, "张1号")
    assert {p for p, _ in result.rebuilt} >= {p for p in result.written if p.startswith(folder + "/")}


def test_the_same_row_objects_on_another_day(tmp_path: Path, monkeypatch):
    """The reader hands back an unchanged row as the very same RawRow: validate knows it by
    identity, but only for the same field definitions and the same day."""
    from awardforms.read.workbook import read_workbook
    day = [datetime.date(2031, 1, 31)]
    fake = _fake_datetime(day)
    for module, name in ((validate_module, "dt"), (fields, "dt"), (dates, "datetime"), (idcard, "datetime")):
        monkeypatch.setattr(module, name, fake)
    raw = read_workbook(write_workbook(tmp_path / "n.xlsx", *_rows(参加工作时间="2031.02")))

    def future_errors():
        sub = validate_module.validate(raw)
        return [i.row for i in sub.report.errors if i.field == "参加工作时间"]
    first = future_errors()
    assert first and future_errors() == first
    assert any(validate_module._ROW_OBJECTS.values())      # the rows were known by identity
    day[0] = datetime.date(2031, 2, 1)
    assert future_errors() == []


# ---------------------------------------------------------------- files next to the workbook

def _photo(path: Path, colour: tuple[int, int, int]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (500, 700), colour).save(path, "JPEG")


def test_photo_added_replaced_with_the_same_name_and_broken(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    out = tmp_path / "out"
    first = render(wb, Settings(out_dir=out))
    idn = person(1)["身份证号码"]
    folder = _folder_of(first, "张1号")
    forms = {p for p in first.written if p.startswith(folder + "/")}
    _photo(tmp_path / "照片" / f"{idn}.jpg", (200, 30, 30))          # added
    result = _render(wb, out)
    assert {p for p, _ in result.rebuilt} == forms
    rec = next(r for r in result.submission.all_records() if r.display.get("name") == "张1号")
    assert rec.display["photo"] == f"照片/{idn}.jpg"
    _photo(tmp_path / "照片" / f"{idn}.jpg", (30, 30, 200))          # replaced, same name
    result = _render(wb, out)
    assert {p for p, _ in result.rebuilt} == forms
    (tmp_path / "照片" / f"{idn}.jpg").write_bytes(b"not an image")   # same name, not an image
    result = _render(wb, out)
    assert any(i.code == "photo-not-image" for i in result.submission.report.errors)
    assert set(result.removed) == forms


def test_scan_added_to_a_nominee_folder(tmp_path: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    out = tmp_path / "out"
    render(wb, Settings(out_dir=out))
    idn = person(1)["身份证号码"]
    scans = tmp_path / "附件" / idn
    scans.mkdir(parents=True)
    (scans / "公示.docx").write_bytes(b"x")                        # a new folder: not usable
    result = _render(wb, out)
    assert [i.code for i in result.submission.report.issues if i.code.startswith("material")] == \
        ["material-unsupported"]
    (scans / "公示材料.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")      # added; 附件/ itself unchanged
    result = _render(wb, out)
    rec = next(r for r in result.submission.all_records() if r.display.get("name") == "张1号")
    assert [title for title, _, _ in rec.checklist.documents()] == ["公示材料"]


# ---------------------------------------------------------------- campaign definition reloaded

def test_campaign_definition_reloaded(tmp_path: Path, data_copy: Path):
    wb = write_workbook(tmp_path / "n.xlsx", *_rows())
    out = tmp_path / "out"
    first = render(wb, Settings(out_dir=out))
    toml = data_copy / "campaigns/anju/campaign.toml"
    text = toml.read_text(encoding="utf-8")
    collective_forms = {p for p in first.written if p.startswith("先进集体/")}

    def reload(old: str, new: str):
        nonlocal text
        assert old in text
        text = text.replace(old, new, 1)
        toml.write_text(text, encoding="utf-8")
        load_campaign.cache_clear()
        return _render(wb, out)
    # a computed value of the 先进集体 forms (the rows' display strings stay the same)
    result = reload('context = { enterprise_heading = "{{ name }}" }',
                    'context = { enterprise_heading = "{{ name }}（集体）" }')
    collectives = [r for r in result.submission.all_records() if r.sheet.name == "先进集体"]
    _, jobs = nominee_jobs(result.submission)
    heading = {j.context["enterprise_heading"] for j in jobs if j.out.startswith("先进集体/")}
    assert heading == {f"{r.display['name']}（集体）" for r in collectives}
    assert {p for p, _ in result.rebuilt} == collective_forms
    # a default for the blank 备注 of the 先进集体 rows (the cells stay the same)
    result = reload('key = "remarks"\nlabel = "备注"\ntype = "text"\n',
                    'key = "remarks"\nlabel = "备注"\ntype = "text"\ndefault = "无备注"\n')
    collectives = [r for r in result.submission.all_records() if r.sheet.name == "先进集体"]
    assert all(r.display["remarks"] == "无备注" for r in collectives)
    assert {p for p, _ in result.rebuilt} == collective_forms | SUMMARY
    # the campaign's title is in every form's context
    result = reload(f'title = "{first.submission.campaign.title}"', 'title = "新的项目名称"')
    assert {p for p, _ in result.rebuilt} == set(first.written)


def test_the_same_row_objects_under_a_reloaded_definition(tmp_path: Path, data_copy: Path):
    """Rows known by identity (validate._ROW_OBJECTS) are parsed again for other definitions."""
    import dataclasses
    from awardforms.read.workbook import read_workbook
    raw = read_workbook(write_workbook(tmp_path / "n.xlsx", *_rows()))
    assert all(not r.display["remarks"] for r in validate_module.validate(raw).all_records())
    toml = data_copy / "campaigns/anju/campaign.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'key = "remarks"\nlabel = "备注"\ntype = "text"\n',
        'key = "remarks"\nlabel = "备注"\ntype = "text"\ndefault = "无备注"\n'), encoding="utf-8")
    load_campaign.cache_clear()
    campaign = load_campaign("anju")
    again = dataclasses.replace(raw, campaign=campaign, sheets=[
        dataclasses.replace(rs, definition=campaign.sheet(rs.definition.name)) for rs in raw.sheets])
    assert all(r.display["remarks"] == "无备注" for r in validate_module.validate(again).all_records())


# ---------------------------------------------------------------- the pieces, one by one

def test_job_contexts_are_read_only_shared_and_like_nominee_context(small_workbook: Path):
    sub = check_workbook(small_workbook)
    _, jobs = nominee_jobs(sub)
    rec = sub.all_records()[0]
    ctx = jobs[0].context
    assert ctx == context.nominee_context(sub.campaign, sub.unit, rec)
    for change in (lambda c: c.__setitem__("name", "x"), lambda c: c.update(name="x"),
                   lambda c: c.pop("name"), lambda c: c.clear(), lambda c: c.setdefault("new", 1),
                   lambda c: c["unit"].__setitem__("name", "x"), lambda c: c.__delitem__("name")):
        with pytest.raises(TypeError):
            change(ctx)
    assert ctx == context.nominee_context(sub.campaign, sub.unit, rec)
    copy = pickle.loads(pickle.dumps(ctx))                 # to the worker processes
    assert copy == ctx and type(copy) is context.ReadOnlyDict and type(copy["unit"]) is context.ReadOnlyDict
    assert json.dumps(ctx, ensure_ascii=False, sort_keys=True) == \
        json.dumps(context.nominee_context(sub.campaign, sub.unit, rec), ensure_ascii=False, sort_keys=True)
    again = nominee_jobs(check_workbook(small_workbook))[1]
    assert [j.context for j in again] == [j.context for j in jobs]
    assert all(a.context is b.context for a, b in zip(again, jobs))   # the same object: digest kept


def test_job_context_of_another_campaign_object_with_the_same_sheets(small_workbook: Path):
    import dataclasses
    sub = check_workbook(small_workbook)
    rec = sub.all_records()[0]
    first = context.job_context(sub.campaign, sub.unit, rec)
    renamed = dataclasses.replace(sub.campaign, title="另一个项目")      # shares the SheetDefs
    assert context.job_context(renamed, sub.unit, rec)["campaign"]["title"] == "另一个项目"
    assert context.job_context(sub.campaign, sub.unit, rec) is first


def test_record_values_not_shared_with_the_memo(small_workbook: Path):
    rec = check_workbook(small_workbook).records["先进个人"][0]
    values = context.record_values(rec)
    values["name"] = "改过"
    rec2 = check_workbook(small_workbook).records["先进个人"][0]
    assert context.record_values(rec2)["name"] == rec2.display["name"] != "改过"


def _job(tmp_path: Path, ctx: dict, **kw) -> FormJob:
    return FormJob("a/form.docx", "", ctx, kind="summary-xlsx", **kw)


def test_a_plain_context_changed_between_builds_changes_the_fingerprint(tmp_path: Path):
    """Only read-only contexts keep their digest from one build to the next."""
    ctx = {"name": "甲", "rows": [1, 2]}
    first = decide([_job(tmp_path, ctx)], tmp_path, BuildState())[0].fingerprint
    ctx["rows"].append(3)
    assert decide([_job(tmp_path, ctx)], tmp_path, BuildState())[0].fingerprint != first
    ctx["name"] = "乙"
    third = decide([_job(tmp_path, ctx)], tmp_path, BuildState())[0].fingerprint
    assert third == decide([_job(tmp_path, json.loads(json.dumps(ctx)))], tmp_path, BuildState())[0].fingerprint


def test_job_data_digest_follows_the_files_and_fields(tmp_path: Path):
    extra = tmp_path / "extra.txt"
    extra.write_text("一", encoding="utf-8")
    ctx = context.ReadOnlyDict({"name": "甲"})

    def fp(**kw):
        return decide([_job(tmp_path, ctx, **kw)], tmp_path, BuildState())[0].fingerprint
    first = fp(depends=[str(extra)])
    assert fp(depends=[str(extra)]) == first
    extra.write_text("二", encoding="utf-8")                        # same name, new content
    second = fp(depends=[str(extra)])
    assert second != first
    assert fp(depends=[str(extra)], photo=str(extra)) != second
    assert fp(depends=[Path(extra)]) == second                      # not a key, written as its str
    assert fp(depends=[]) != second
    # the job's other fields: another output path or kind is another job
    for other in (FormJob("b/form.docx", "", ctx, kind="summary-xlsx", depends=[str(extra)]),
                  FormJob("a/form.docx", "", ctx, kind="other", depends=[str(extra)])):
        assert fp(depends=[str(extra)]) == second
        assert decide([other], tmp_path, BuildState())[0].fingerprint != second
    # every remembered digest is the one worked out from scratch
    with _cold():
        cold = decide([_job(tmp_path, dict(ctx), depends=[str(extra)])], tmp_path, BuildState())[0]
    assert cold.fingerprint == second


def test_numbers_of_other_types_are_other_keys():
    keys = {buildstate._frozen(v) for v in (1, 1.0, True, "1", 0.0, -0.0, None, [1], (1,))}
    assert len(keys) == 8                                  # [1] and (1,): both a JSON list
    with pytest.raises(buildstate._NoKey):
        buildstate._frozen(Path("a"))


# ---------------------------------------------------------------- the state file

def _entry(n: int, **kw) -> buildstate.Entry:
    return buildstate.Entry(**{"fingerprint": f"f{n}", "template": "t", "data": f"d{n}", "output": f"o{n}",
                               "stat": [n, n * 1000], **kw})


def _plain_json(state: BuildState) -> bytes:
    """What the state file held before entries' texts were kept between saves."""
    return json.dumps({"schema": buildstate.SCHEMA_VERSION, "tool_version": buildstate.__version__,
                       "outputs": {k: vars(v) for k, v in sorted(state.entries.items())}},
                      ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_state_file_bytes_and_reloads(tmp_path: Path):
    state = BuildState({"先进个人/001-张三/表.docx": _entry(1), "b.docx": _entry(2, output=None, stat=None),
                        'c "quoted"\\.docx': _entry(3)})
    state.save(tmp_path)
    assert (tmp_path / STATE_FILE).read_bytes() == _plain_json(state)
    state.entries["b.docx"] = _entry(4)                    # a new entry for the same output
    del state.entries['c "quoted"\\.docx']
    state.save(tmp_path)
    assert (tmp_path / STATE_FILE).read_bytes() == _plain_json(state)
    assert BuildState.load(tmp_path).entries == state.entries
    with _cold():
        assert BuildState.load(tmp_path).entries == state.entries      # parsed, not remembered
    with pytest.raises(Exception):
        state.entries["b.docx"].fingerprint = "x"          # entries are shared: frozen
    BuildState().save(tmp_path)
    assert (tmp_path / STATE_FILE).read_bytes() == _plain_json(BuildState())


def test_state_file_changed_by_someone_else_is_read(tmp_path: Path):
    state = BuildState({"a.docx": _entry(1)})
    state.save(tmp_path)
    other = BuildState({"a.docx": _entry(2), "b.docx": _entry(3)})
    (tmp_path / STATE_FILE).write_bytes(_plain_json(other))
    assert BuildState.load(tmp_path).entries == other.entries
    (tmp_path / STATE_FILE).write_bytes(_plain_json(state))            # back to the remembered bytes
    assert BuildState.load(tmp_path).entries == state.entries
    (tmp_path / STATE_FILE).write_bytes(b"{not json")
    assert BuildState.load(tmp_path).entries == {}
    (tmp_path / STATE_FILE).unlink()
    assert BuildState.load(tmp_path).entries == {}
    state.save(tmp_path)                                   # the same bytes as remembered: still written
    assert (tmp_path / STATE_FILE).read_bytes() == _plain_json(state)


def test_loaded_state_is_not_shared(tmp_path: Path):
    BuildState({"a.docx": _entry(1)}).save(tmp_path)
    first = BuildState.load(tmp_path)
    first.entries.pop("a.docx")
    assert "a.docx" in BuildState.load(tmp_path).entries

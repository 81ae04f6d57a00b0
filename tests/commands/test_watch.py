"""The watched folder: settle, claim, file under processed/failed, survive kill -9."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from docx import Document

from awardforms.build import pipeline
from awardforms.read import safezip
from awardforms.errors import UnusableInput
from awardforms.commands.inbox import FAILED, JOURNAL, PROCESSED, PROCESSING, Watcher, WatchSettings, is_candidate

from conftest import collective, person, write_workbook

ROOT = Path(__file__).resolve().parents[2]
SETTLE = 0.4


def _valid(path: Path, n: int = 0) -> Path:
    return write_workbook(path, [collective(n)], [person(n)])


def _wait(cond, timeout: float = 30.0, what: str = "") -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _start(inbox: Path, out: Path, **env) -> subprocess.Popen:
    environment = dict(os.environ, PYTHONPATH=str(ROOT), AWARDFORMS_WATCH_STALL="3")
    environment.update(env)
    return subprocess.Popen([sys.executable, "-m", "awardforms", "watch", str(inbox), "-o", str(out),
                             "--settle", str(SETTLE), "--rescan", "1"],
                            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _filed(inbox: Path, name: str) -> list[Path]:
    """Every place the input `name` ended up in processed/ or failed/."""
    return [p for folder in (PROCESSED, FAILED) for p in (inbox / folder).glob(f"*_{name}")]


@pytest.fixture
def watching(tmp_path: Path):
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    procs = []

    def start(**env):
        procs.append(_start(inbox, out, **env))
        return procs[-1]
    yield inbox, out, start
    for proc in procs:
        _stop(proc)


def test_clerk_drops(watching, tmp_path):
    inbox, out, start = watching
    src = tmp_path / "src"
    src.mkdir()
    proc = start()
    # two files at once, a stale Excel lock file of another workbook, a corrupt file, a zip with ../ and a good zip
    _valid(src / "甲.xlsx", 1).replace(inbox / "甲.xlsx")
    _valid(src / "乙.xlsx", 2).replace(inbox / "乙.xlsx")
    (inbox / "~$丙.xlsx").write_bytes(b"lock")
    (inbox / "notes.tmp").write_bytes(b"tmp")
    (inbox / "坏.xlsx").write_bytes(b"this is not a workbook" * 50)
    with zipfile.ZipFile(inbox / "evil.zip", "w") as zf:
        zf.write(_valid(src / "e.xlsx"), "../e.xlsx")
    with zipfile.ZipFile(src / "材料.zip", "w") as zf:
        zf.write(_valid(src / "表.xlsx", 3), "推荐材料/推荐对象表.xlsx")
    (src / "材料.zip").replace(inbox / "材料.zip")
    # a file copied in slowly: half now, the rest after more than `settle` seconds
    data = _valid(src / "慢.xlsx", 4).read_bytes()
    with open(inbox / "慢.xlsx", "wb") as fh:
        fh.write(data[: len(data) // 2])
        fh.flush()
        time.sleep(SETTLE * 2.5)
        assert (inbox / "慢.xlsx").exists(), "half-written file taken early"
        fh.write(data[len(data) // 2:])
    names = ["甲.xlsx", "乙.xlsx", "坏.xlsx", "evil.zip", "材料.zip", "慢.xlsx"]
    _wait(lambda: all(_filed(inbox, n) for n in names), 45, "all files filed")
    assert proc.poll() is None, "the watcher stopped"
    for name in ("甲.xlsx", "乙.xlsx", "材料.zip", "慢.xlsx"):
        [filed] = _filed(inbox, name)
        assert filed.parent.name == PROCESSED
        note = json.loads(filed.with_name(filed.name + ".结果.json").read_text(encoding="utf-8"))
        assert (Path(note["output"]) / "manifest.json").exists() and note["rendered"] == 2
        assert "输出文件夹" in filed.with_name(filed.name + ".结果.txt").read_text(encoding="utf-8")
    for name, words in (("坏.xlsx", "不是 .xlsx"), ("evil.zip", "压缩包以外")):
        [filed] = _filed(inbox, name)
        assert filed.parent.name == FAILED
        assert words in filed.with_name(filed.name + ".错误报告.txt").read_text(encoding="utf-8")
    assert (inbox / "~$丙.xlsx").exists() and (inbox / "notes.tmp").exists()
    assert not list((inbox / PROCESSING).iterdir())
    assert "处理完成" in (inbox / "watch.log").read_text(encoding="utf-8")
    # the same name dropped again is a new submission: both results are kept
    _valid(src / "again.xlsx", 1).replace(inbox / "甲.xlsx")
    _wait(lambda: len(_filed(inbox, "甲.xlsx")) == 2, 20, "second 甲.xlsx")
    assert len({json.loads(p.with_name(p.name + ".结果.json").read_text(encoding="utf-8"))["output"]
                for p in _filed(inbox, "甲.xlsx")}) == 2
    _stop(proc)
    assert proc.returncode == 0


def test_kill_9_at_random_points_loses_nothing(watching, tmp_path):
    inbox, out, start = watching
    src = tmp_path / "src"
    src.mkdir()
    rng = random.Random(6)
    template = _valid(src / "t.xlsx").read_bytes()
    dropped = []
    for round_ in range(4):
        for k in range(2):
            name = f"r{round_}-{k}.xlsx"
            (src / name).write_bytes(template if k == 0 else b"broken" * 100)
            (src / name).replace(inbox / name)
            dropped.append(name)
        proc = start(AWARDFORMS_WATCH_STEP_DELAY="0.15")
        time.sleep(rng.uniform(1.0, 3.0))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    start()
    _wait(lambda: all(_filed(inbox, n) for n in dropped), 40, "every input filed after restarts")
    time.sleep(0.5)
    for name in dropped:
        [filed] = _filed(inbox, name)              # exactly once, none lost
        good = name.endswith("-0.xlsx")
        assert filed.parent.name == (PROCESSED if good else FAILED)
        if good:
            note = json.loads(filed.with_name(filed.name + ".结果.json").read_text(encoding="utf-8"))
            assert (Path(note["output"]) / "manifest.json").exists()
        else:
            assert filed.with_name(filed.name + ".错误报告.txt").exists()
    assert not [p for p in (inbox / PROCESSING).iterdir()]
    assert not [p for p in inbox.iterdir() if p.suffix == ".xlsx"]
    done = [json.loads(line) for line in (inbox / JOURNAL).read_text(encoding="utf-8").splitlines()
            if line.strip()]
    ids = [r["id"] for r in done if r.get("event") == "done"]
    assert len(ids) == len(set(ids)) == len(dropped)


# ---- in-process: the Watcher without threads ---------------------------------------------

def _settings(tmp_path: Path) -> WatchSettings:
    return WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.0)


def _take_all(w: Watcher) -> list:
    w.scan()                                        # first sighting
    return [w.process(w.claim(p)) for p in w.scan()]


def test_disk_full_fails_with_clear_message_and_keeps_input(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "满.xlsx")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "out"))

    monkeypatch.setattr(pipeline, "render", full)
    [outcome] = _take_all(w)
    assert not outcome.ok and "磁盘空间不足" in outcome.summary
    [filed] = _filed(settings.inbox, "满.xlsx")
    assert filed.parent.name == FAILED and filed.stat().st_size > 0
    assert "磁盘空间不足" in filed.with_name(filed.name + ".错误报告.txt").read_text(encoding="utf-8")


def test_unexpected_error_is_filed_not_raised(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "x.xlsx")
    monkeypatch.setattr(pipeline, "render", lambda *a, **k: 1 / 0)
    [outcome] = _take_all(w)
    assert not outcome.ok and "程序内部出错" in outcome.summary
    assert _filed(settings.inbox, "x.xlsx")[0].parent.name == FAILED


def test_resume_after_crash(tmp_path):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    inbox = settings.inbox
    _valid(inbox / PROCESSING / "20240101-000000-000_中断.xlsx")       # crashed while processing
    (inbox / PROCESSING / ".20240101-000000-000_中断.xlsx.work").mkdir()  # its scratch folder
    (inbox / PROCESSED / "20240101-000000-001_完成.xlsx").write_bytes(b"x")  # moved, not journalled
    w.journal.append("claimed", id="20240101-000000-001_完成.xlsx", source="完成.xlsx")
    resumed = w.recover()
    assert [p.name for p in resumed] == ["20240101-000000-000_中断.xlsx"]
    assert not (inbox / PROCESSING / ".20240101-000000-000_中断.xlsx.work").exists()
    assert w.process(resumed[0]).ok
    records = w.journal.records()
    assert {r["id"] for r in records if r["event"] == "done"} == {
        "20240101-000000-000_中断.xlsx", "20240101-000000-001_完成.xlsx"}


def test_settle_waits_for_stable_size(tmp_path):
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.3, stall=2.0)
    w = Watcher(settings)
    data = _valid(tmp_path / "a.xlsx").read_bytes()
    path = settings.inbox / "a.xlsx"
    path.write_bytes(data[:1000])
    assert w.scan() == []                            # just seen
    assert w.scan() == []                            # not yet stable for 0.3 s
    time.sleep(0.35)
    assert w.scan() == []                            # stable, but not a complete zip yet: waits
    with open(path, "ab") as fh:                     # the copy goes on
        fh.write(data[1000:])
    assert w.scan() == []
    time.sleep(0.35)
    assert w.scan() == [path]
    path.write_bytes(b"corrupt")
    w.scan()
    time.sleep(0.35)
    assert w.scan() == []                            # corrupt: taken only after `stall`
    time.sleep(2.0)
    assert w.scan() == [path]


@pytest.mark.parametrize("name, taken", [("a.xlsx", True), ("材料.zip", True), ("~$a.xlsx", False),
                                         ("a.tmp", False), (".hidden.xlsx", False), ("a.docx", False)])
def test_candidates(name, taken):
    assert is_candidate(name) is taken


# ---- safe unpacking ---------------------------------------------------------------------------

def _zip(path: Path, members: dict[str, bytes], **kw) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


@pytest.mark.parametrize("name", ["../x.xlsx", "a/../../x.xlsx", "/etc/x.xlsx", "C:/x.xlsx", "..\\x.xlsx"])
def test_zip_paths_outside_refused(tmp_path, name):
    archive = _zip(tmp_path / "a.zip", {name: b"x"})
    with pytest.raises(UnusableInput):
        safezip.extract(archive, tmp_path / "work")
    assert not (tmp_path / "x.xlsx").exists()


def test_zip_symlink_refused(tmp_path):
    info = zipfile.ZipInfo("link.xlsx")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(tmp_path / "a.zip", "w") as zf:
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(UnusableInput, match="链接"):
        safezip.extract(tmp_path / "a.zip", tmp_path / "work")


def test_zip_bomb_refused(tmp_path, monkeypatch):
    archive = _zip(tmp_path / "bomb.zip", {"a.txt": b"\0" * (5 * 1024 * 1024)})
    with pytest.raises(UnusableInput, match="膨胀"):
        safezip.extract(archive, tmp_path / "work")
    monkeypatch.setattr(safezip, "MAX_RATIO", 10 ** 6)
    monkeypatch.setattr(safezip, "MAX_TOTAL", 1024 * 1024)
    with pytest.raises(UnusableInput, match="MB"):
        safezip.extract(archive, tmp_path / "work")
    monkeypatch.setattr(safezip, "MAX_FILES", 1)
    with pytest.raises(UnusableInput, match="上限"):
        safezip.extract(_zip(tmp_path / "many.zip", {"a": b"", "b": b""}), tmp_path / "work")


def test_zip_gbk_names_and_single_workbook(tmp_path):
    archive = tmp_path / "a.zip"
    names = {"推荐/表.xlsx": "A", "推荐/照片/张三.jpg": "B", "推荐/~$表.xlsx": "C"}
    with zipfile.ZipFile(archive, "w") as zf:         # ASCII placeholders of the GBK length ...
        for name, letter in names.items():
            zf.writestr(letter * len(name.encode("gbk")), b"data")
    data = archive.read_bytes()
    for name, letter in names.items():                # ... replaced: GBK names, no UTF-8 flag,
        data = data.replace(letter.encode() * len(name.encode("gbk")), name.encode("gbk"))
    archive.write_bytes(data)                         # as Windows' built-in zipper writes them
    files = safezip.extract(archive, tmp_path / "work")
    assert (tmp_path / "work" / "推荐" / "照片" / "张三.jpg").exists()
    assert safezip.find_workbook(files, tmp_path / "work").name == "表.xlsx"
    with pytest.raises(UnusableInput, match="没有找到"):
        safezip.find_workbook([tmp_path / "work" / "推荐" / "照片" / "张三.jpg"], tmp_path / "work")


def _forms(folder: Path) -> dict[str, tuple[int, bytes]]:
    return {str(p.relative_to(folder)): (p.stat().st_mtime_ns, p.read_bytes())
            for p in folder.rglob("*.docx")}


def test_same_name_dropped_again_starts_from_its_last_result(tmp_path, caplog):
    """An edited workbook dropped again: a new result folder, seeded from the last one, in
    which only the edited nominee's forms are generated again; the last result is untouched."""
    caplog.set_level("INFO", logger="awardforms")
    settings = _settings(tmp_path)
    w = Watcher(settings)
    persons = [person(0), person(1)]
    write_workbook(settings.inbox / "表.xlsx", [collective(0)], persons)
    [first] = _take_all(w)
    assert first.ok
    before = _forms(first.output)
    time.sleep(0.01)
    persons[1]["主要事迹"] = "第二稿：扎根一线，推进公租房分配。"
    write_workbook(settings.inbox / "表.xlsx", [collective(0)], persons)
    [second] = _take_all(w)
    assert second.ok and second.output != first.output
    assert _forms(first.output) == before                          # the earlier result as it was
    after = _forms(second.output)
    assert set(after) == set(before)
    changed = {rel for rel in after if after[rel] != before[rel]}
    assert changed and all(rel.startswith("先进个人/002-") for rel in changed)
    assert any("第二稿" in "\n".join(p.text for t in Document(str(second.output / rel)).tables
                                     for r in t.rows for c in r.cells for p in c.paragraphs)
               for rel in changed)
    assert any("以上次的结果" in r.getMessage() and first.output.name in r.getMessage() for r in caplog.records)


def test_seed_copies_recorded_outputs_and_state_last(tmp_path, monkeypatch):
    from awardforms.build import state as buildstate
    from awardforms.build.pipeline import Settings, render
    wb = write_workbook(tmp_path / "w.xlsx", [collective(0)], [person(0)])
    first = render(wb, Settings(out_dir=tmp_path / "a"))
    (tmp_path / "a" / "自己放的.txt").write_text("x", encoding="utf-8")      # not ours: not copied
    assert buildstate.seed(tmp_path / "a", tmp_path / "b") >= len(first.written) + 2
    assert not (tmp_path / "b" / "自己放的.txt").exists()
    again = render(wb, Settings(out_dir=tmp_path / "b"))
    assert again.rebuilt == [] and sorted(again.skipped) == sorted(first.written)
    assert buildstate.seed(tmp_path / "a", tmp_path / "b") == 0             # never over a result
    # interrupted before the state was copied: every output is rebuilt, none trusted
    copied = []
    real = shutil.copy2
    monkeypatch.setattr(buildstate.shutil, "copy2",
                        lambda s, d: (_ for _ in ()).throw(KeyboardInterrupt)
                        if Path(s).name == buildstate.STATE_FILE else copied.append(real(s, d)))
    with pytest.raises(KeyboardInterrupt):
        buildstate.seed(tmp_path / "a", tmp_path / "c")
    monkeypatch.undo()
    third = render(wb, Settings(out_dir=tmp_path / "c"))
    assert copied and {r for _, r in third.rebuilt} == {buildstate.UNRECORDED}


# ---- long and re-dropped names ---------------------------------------------------------------

_LONG = "吉林省长春市住房保障和房屋管理局关于推荐全省保障性安居工程建设工作先进集体和先进个人的请示附件推荐对象表修改稿第二版最终版确认版" * 3


@pytest.mark.parametrize("chars", [72, 75, 80, 120])
def test_long_names_are_processed(tmp_path, chars):
    from awardforms.commands.inbox import MAX_STEM_BYTES
    settings = _settings(tmp_path)
    w = Watcher(settings)
    stem = _LONG[:chars]
    name = stem + ".xlsx"
    if len(name.encode()) > 255:          # the file system's limit: the clerk cannot drop it
        stem = stem[:80]
        name = stem + ".xlsx"
    _valid(settings.inbox / name)
    (settings.inbox / "短.xlsx").write_bytes(b"")          # the next file is still taken
    w.scan()
    [path] = [p for p in w.scan() if p.name == name]
    outcome = w.take(path)
    assert outcome is not None and outcome.ok, outcome and outcome.report
    [filed] = list((settings.inbox / PROCESSED).glob("*.xlsx"))
    kept = filed.name.split("_", 1)[1]
    assert len(kept[:-5].encode()) <= MAX_STEM_BYTES and stem.startswith(kept[:-5])
    assert "提交的文件：" + name in filed.with_name(filed.name + ".结果.txt").read_text(encoding="utf-8")
    assert not list((settings.inbox / PROCESSING).iterdir())


def test_long_name_left_in_processing_by_older_version_is_shortened(tmp_path):
    settings = _settings(tmp_path)
    inbox = settings.inbox
    Watcher(settings)
    cid = "20240101-000000-000_" + _LONG[:75] + ".xlsx"
    _valid(inbox / PROCESSING / cid)
    w = Watcher(settings)
    [resumed] = w.recover()
    assert w.process(resumed).ok
    [filed] = list((inbox / PROCESSED).glob("*.xlsx"))
    assert filed.name.startswith("20240101-000000-000_") and len(filed.name.encode()) <= 200
    assert not list((inbox / PROCESSING).iterdir())


def test_redropped_stamped_name_does_not_grow(tmp_path):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "表.xlsx")
    for _ in range(3):
        w.scan()
        assert [w.take(p).ok for p in w.scan()] == [True]
        [latest] = sorted((settings.inbox / PROCESSED).glob("*.xlsx"))[-1:]
        shutil.copyfile(latest, settings.inbox / latest.name)   # the clerk drops the filed copy back
        time.sleep(0.01)
    names = sorted(p.name for p in (settings.inbox / PROCESSED).glob("*.xlsx"))
    assert len(names) == 3 and all(n.count("_") == 1 and n.endswith("_表.xlsx") for n in names)


def test_unexpected_error_while_filing_does_not_stop(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "x.xlsx")
    real = Watcher._file
    calls = []

    def boom(self, *a):
        calls.append(1)
        if len(calls) == 1:
            raise ValueError("boom")
        return real(self, *a)
    monkeypatch.setattr(Watcher, "_file", boom)
    w.scan()
    [outcome] = [w.take(p) for p in w.scan()]
    assert not outcome.ok and "程序内部出错" in outcome.summary
    [filed] = _filed(settings.inbox, "x.xlsx")
    assert filed.parent.name == FAILED


def test_unexpected_error_while_claiming_does_not_stop(tmp_path, monkeypatch):
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "x.xlsx")
    monkeypatch.setattr(Watcher, "claim", lambda self, p: 1 / 0)
    w.scan()
    [path] = w.scan()
    assert w.take(path) is None
    assert w.scan() == []                       # not again until the file changes


# ---- waiting: paused copies, Excel lock files; what is not taken -----------------------------

def test_copy_pausing_longer_than_settle_is_not_taken_half_done(tmp_path, caplog):
    caplog.set_level("INFO", logger="awardforms")
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.1, stall=5.0)
    w = Watcher(settings)
    data = _valid(tmp_path / "a.xlsx").read_bytes()
    path = settings.inbox / "网络复制.xlsx"
    path.write_bytes(data[: len(data) // 2])
    end = time.monotonic() + 1.5                      # well past the old grace of max(4*settle, 2 s)/settle
    while time.monotonic() < end:
        assert w.scan() == []
        time.sleep(0.05)
    with open(path, "ab") as fh:
        fh.write(data[len(data) // 2:])
    _wait(lambda: w.scan() == [path], 5, "the completed copy")
    assert w.take(path).ok
    said = [r.getMessage() for r in caplog.records if "还没有复制完" in r.getMessage()]
    assert len(said) == 1
    # a restart does not say it again for the same half file
    path2 = settings.inbox / "半.xlsx"
    path2.write_bytes(data[:100])
    w.scan(); time.sleep(0.15); w.scan()
    w2 = Watcher(settings)
    w2.scan(); time.sleep(0.15); w2.scan()
    assert len([r for r in caplog.records if "还没有复制完" in r.getMessage()]) == 2


def test_incomplete_file_filed_after_stall(tmp_path):
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.05, stall=0.5)
    w = Watcher(settings)
    (settings.inbox / "空.xlsx").write_bytes(b"")
    w.scan()
    time.sleep(0.1)
    assert w.scan() == []
    time.sleep(0.5)
    [path] = w.scan()
    assert not w.take(path).ok
    [filed] = _filed(settings.inbox, "空.xlsx")
    report = filed.with_name(filed.name + ".错误报告.txt").read_text(encoding="utf-8")
    assert "文件是空的（0 字节），请重新复制" in report and "不是 .xlsx" not in report


def test_workbook_open_in_excel_waits_for_lock_file(tmp_path, caplog):
    caplog.set_level("INFO", logger="awardforms")
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.0, lock_wait=1.0)
    w = Watcher(settings)
    _valid(settings.inbox / "表.xlsx")
    (settings.inbox / "~$表.xlsx").write_bytes(b"lock")
    w.scan()
    for _ in range(3):
        assert w.scan() == []
    assert len([r for r in caplog.records if "正在 Excel 中打开" in r.getMessage()
                and "~$表.xlsx" in r.getMessage()]) == 1
    (settings.inbox / "~$表.xlsx").unlink()                # Excel closed
    assert w.scan() == [settings.inbox / "表.xlsx"]
    # a stale lock file: taken after lock_wait anyway
    _valid(settings.inbox / "旧.xlsx")
    (settings.inbox / "~$旧.xlsx").write_bytes(b"lock")
    w.scan()
    assert settings.inbox / "旧.xlsx" not in w.scan()
    time.sleep(1.05)
    assert settings.inbox / "旧.xlsx" in w.scan()
    assert any("可能是遗留的" in r.getMessage() for r in caplog.records)


def test_other_types_and_folders_logged_once(tmp_path, caplog):
    caplog.set_level("INFO", logger="awardforms")
    settings = WatchSettings(tmp_path / "inbox", tmp_path / "out", settle=0.0)
    w = Watcher(settings)
    inbox = settings.inbox
    others = ["推荐材料.rar", "推荐材料.7z", "推荐表.et", "推荐表.csv", "推荐表.ods", "事迹.docx"]
    for name in others + ["~$表.xlsx", "a.tmp", ".hidden.xlsx", "x.xlsx.part"]:
        (inbox / name).write_bytes(b"x")
    (inbox / "长春市推荐材料").mkdir()
    (inbox / "链接.xlsx").symlink_to(tmp_path / "nowhere.xlsx")
    (inbox / "watch.log").write_text("", encoding="utf-8")
    for _ in range(3):
        assert w.scan() == []
    messages = [r.getMessage() for r in caplog.records]
    for name in others:
        [line] = [m for m in messages if name in m]
        assert "只处理 .xlsx 工作簿或 .zip 压缩包" in line and "另存为 .xlsx" in line
    [line] = [m for m in messages if "长春市推荐材料" in m]
    assert "请把文件夹压缩成 .zip 后放入" in line
    assert len([m for m in messages if "链接.xlsx" in m]) == 1
    for quiet in ("~$表.xlsx", "a.tmp", ".hidden", "x.xlsx.part", "watch.log", PROCESSING, FAILED, PROCESSED):
        assert not [m for m in messages if quiet in m], quiet


def test_resume_line_names_the_clerks_file(tmp_path, caplog):
    caplog.set_level("INFO", logger="awardforms")
    settings = _settings(tmp_path)
    w = Watcher(settings)
    _valid(settings.inbox / "表.xlsx")
    w.scan()
    [path] = w.scan()
    claimed = w.claim(path)
    [resumed] = Watcher(settings).recover()
    assert resumed == claimed
    assert any(r.getMessage() == "继续处理上次中断的文件：表.xlsx" for r in caplog.records)

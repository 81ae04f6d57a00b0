"""Every route through Flask's test client: who may reach it, CSRF, uploads, downloads, paths."""

from __future__ import annotations

import io
import json
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from awardforms.commands.blank import write_blank
from awardforms.web import jobs, users
from awardforms.web.app import WebConfig, create_app
from awardforms.web.files import DataDir
from awardforms.web.worker import run_collect, run_render
from webhelp import BAD_ID, PASSWORD, UNIT_A, UNIT_B, bad_book, good_book, make_users


def drain(data: Path) -> int:
    """Run every queued job here, as a worker would; how many renders ran."""
    n = 0
    while (job := jobs.claim(data, 0)) is not None:
        (run_collect if job["kind"] == "collect" else run_render)(DataDir(data), job)
        n += job["kind"] == "render"
    return n


@pytest.fixture
def data(tmp_path):
    d = tmp_path / "data"
    make_users(d)
    return d


@pytest.fixture
def app(data):
    a = create_app(WebConfig(data, max_upload=2 * 1024 * 1024, blank_writer=write_blank))
    a.config["TESTING"] = True
    return a


def token(client, path="/") -> str:
    body = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', body).group(1)


def login(client, username, password=PASSWORD):
    return client.post("/login", data={"username": username, "password": password,
                                       "csrf_token": token(client, "/login")})


def upload(client, path: Path, name: str | None = None):
    with open(path, "rb") as f:
        return client.post("/upload", data={"csrf_token": token(client), "workbook": (f, name or path.name)},
                           content_type="multipart/form-data")


@pytest.fixture
def submitted(app, data, tmp_path):
    """clerk_a's upload with one wrong ID number, processed; (clients a, b, office, anon, sid)."""
    a, b, office, anon = (app.test_client() for _ in range(4))
    assert login(a, "clerk_a").status_code == 302
    assert login(b, "clerk_b").status_code == 302
    assert login(office, "office").status_code == 302
    r = upload(a, bad_book(tmp_path / "推荐表.xlsx", UNIT_A))
    sid = int(r.headers["Location"].rsplit("/", 1)[1])
    assert drain(data) >= 1
    return a, b, office, anon, sid


def test_the_clerk_sees_every_issue_errors_first_and_downloads_the_results(submitted):
    a, _, _, _, sid = submitted
    page = a.get(f"/s/{sid}").get_data(as_text=True)
    rows = re.findall(r'<tr class="(error|warning)"><td class="where">([^<]*)</td><td>([^<]*)</td>', page)
    assert rows and rows[0][0] == "error"
    assert ("error", "先进个人!I3", "身份证号码") in [(s, w, f) for s, w, f in rows]
    kinds = [s for s, _, _ in rows]
    assert kinds == sorted(kinds, key=lambda s: s != "error")          # errors first
    links = dict(re.findall(r'href="(/s/\d+/file/\d+)" data-kind="([a-z-]+)"', page))
    by_kind = {k: u for u, k in links.items()}
    annotated = a.get(by_kind["annotated"])
    wb = load_workbook(io.BytesIO(annotated.data))
    assert wb.sheetnames[0] == "校验结果"
    assert wb["先进个人"]["I3"].fill.fgColor.rgb == "FFFF0000"
    bundle = zipfile.ZipFile(io.BytesIO(a.get(by_kind["zip"]).data))
    names = bundle.namelist()
    assert any("张晓梅一" in n and n.endswith("推荐审批表.docx") for n in names)
    assert not any("张晓梅二" in n for n in names)                     # the row with an error
    assert a.get(f"/s/{sid}/input").data[:2] == b"PK"


def test_anonymous_requests_go_to_the_login_page_on_every_route(app, submitted):
    _, _, _, anon, sid = submitted
    open_routes = {"auth.login", "static"}
    seen = 0
    for rule in app.url_map.iter_rules():
        if rule.endpoint in open_routes:
            continue
        url = rule.build({"sid": sid, "index": 0, "cid": "anju", "rel": "index.html"}, append_unknown=False)[1]
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            r = anon.open(url, method=method)
            if method == "POST":
                assert r.status_code == 400                            # no CSRF token: refused
            else:
                assert r.status_code == 302 and "/login" in r.headers["Location"], (url, method, r.status_code)
            assert BAD_ID not in r.get_data(as_text=True)
            seen += 1
    assert seen >= 10
    assert drain(app.config["AWARDFORMS_DATA"].root) == 0


def test_another_units_clerk_gets_404_for_every_url_of_a_submission(app, submitted):
    a, b, office, _, sid = submitted
    urls = [f"/s/{sid}", f"/s/{sid}/status", f"/s/{sid}/input"] + [f"/s/{sid}/file/{i}" for i in range(6)]
    for url in urls:
        assert b.get(url).status_code == 404, url
        assert office.get(url).status_code in (200, 404), url
    assert a.get(f"/s/{sid}/file/0").status_code == 200
    assert office.get(f"/s/{sid}/file/0").status_code == 200
    assert "推荐表.xlsx" not in b.get("/").get_data(as_text=True)
    for url in ("/office/", "/office/version", "/office/collect/anju", "/office/collect/anju/files/index.html"):
        assert b.get(url).status_code == 403, url
        assert office.get(url).status_code in (200, 404), url


def test_office_sees_every_unit_and_the_collect_page_says_when_collect_is_missing(app, data, submitted, monkeypatch):
    _, _, office, _, sid = submitted
    page = office.get("/office/").get_data(as_text=True)
    assert UNIT_A in page and f"/s/{sid}" in page
    from awardforms.web import collectview
    monkeypatch.setattr(collectview, "_collect_function", lambda: None)
    assert collectview.NOT_INSTALLED in office.get("/office/collect/anju").get_data(as_text=True)
    assert office.get("/office/collect/nosuch").status_code == 404


def test_paths_from_requests_never_leave_their_folder(app, data, submitted):
    _, _, office, _, _ = submitted
    root = DataDir(data).collect("anju")
    root.mkdir(parents=True, exist_ok=True)
    (root / "index.html").write_text("<p>汇总</p>", encoding="utf-8")
    (data / "outside.txt").write_text("secret", encoding="utf-8")
    assert office.get("/office/collect/anju/files/index.html").status_code == 200
    for rel in ("../outside.txt", "..%2Foutside.txt", "%2e%2e/outside.txt", "/etc/passwd", "..\\outside.txt",
                "a/../../outside.txt", "C:/Windows/win.ini", "", "."):
        r = office.get(f"/office/collect/anju/files/{rel}")
        assert r.status_code in (404, 308), rel
        assert b"secret" not in r.data
    assert office.get("/office/collect/..%2F..%2Fdata/files/index.html").status_code == 404


def test_every_form_needs_the_csrf_token(app, data, tmp_path):
    c = app.test_client()
    assert c.post("/login", data={"username": "clerk_a", "password": PASSWORD}).status_code == 400
    assert login(c, "clerk_a").status_code == 302
    with open(good_book(tmp_path / "a.xlsx", UNIT_A), "rb") as f:
        r = c.post("/upload", data={"workbook": (f, "a.xlsx"), "csrf_token": "forged"},
                   content_type="multipart/form-data")
    assert r.status_code == 400
    assert c.post("/logout").status_code == 400
    assert drain(data) == 0


def test_session_cookie_is_signed_httponly_and_samesite(app):
    c = app.test_client()
    r = login(c, "clerk_a")
    cookie = r.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    forged = app.test_client()
    forged.set_cookie("awardforms_session", cookie.split(";")[0].split("=", 1)[1][:-3] + "AAA")
    assert forged.get("/").status_code == 302


def test_login_attempts_are_rate_limited(app):
    c = app.test_client()
    for _ in range(users.MAX_PER_USER_IP):
        assert login(c, "clerk_a", "wrong-password").status_code == 401
    r = login(c, "clerk_a")                                # right password, but locked for now
    assert r.status_code == 401 and "次数过多" in r.get_data(as_text=True)
    assert login(app.test_client(), "clerk_b").status_code == 302       # another user: not locked


def test_disabling_or_resetting_a_user_ends_their_sessions(app, data):
    c = app.test_client()
    login(c, "clerk_a")
    assert c.get("/").status_code == 200
    users.set_active(data, "clerk_a", False)
    assert c.get("/").status_code == 302
    assert "已停用" in login(c, "clerk_a").get_data(as_text=True)
    users.reset_password(data, "clerk_a", "another-password")
    assert login(c, "clerk_a").status_code == 401
    assert login(c, "clerk_a", "another-password").status_code == 302


def test_login_does_not_redirect_off_site(app):
    c = app.test_client()
    t = token(c, "/login")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        r = c.post(f"/login?next={target}", data={"username": "clerk_a", "password": PASSWORD, "csrf_token": t})
        assert r.headers["Location"] == "/", target
        c = app.test_client()
        t = token(c, "/login")


def test_uploads_too_large_of_the_wrong_type_or_not_a_zip_are_refused(app, data, tmp_path):
    c = app.test_client()
    login(c, "clerk_a")
    big = tmp_path / "big.xlsx"
    big.write_bytes(b"PK\x03\x04" + b"0" * (3 * 1024 * 1024))
    assert upload(c, big).status_code == 413
    fake = tmp_path / "fake.xlsx"
    fake.write_text("not a workbook")
    assert "不是 .xlsx" in c.get(upload(c, fake).headers["Location"]).get_data(as_text=True)
    exe = tmp_path / "a.exe"
    exe.write_bytes(b"MZ")
    assert "只接受" in c.get(upload(c, exe).headers["Location"]).get_data(as_text=True)
    r = upload(c, good_book(tmp_path / "ok.xlsx", UNIT_A), name="../../evil/..\\x.xlsx")
    sid = int(r.headers["Location"].rsplit("/", 1)[1])
    stored = list((data / "uploads" / str(sid)).iterdir())
    assert [p.name for p in stored] == ["x.xlsx"]
    assert not (data.parent / "evil").exists()
    assert drain(data) == 1


def test_a_workbook_naming_another_unit_is_an_error_and_unusable_files_say_why(app, data, tmp_path):
    c = app.test_client()
    login(c, "clerk_a")
    other = UNIT_B + "<script>alert(1)</script>"
    sid = int(upload(c, good_book(tmp_path / "b.xlsx", other)).headers["Location"].rsplit("/", 1)[1])
    broken = tmp_path / "broken.zip"
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("../evil.xlsx", b"x")
    sid2 = int(upload(c, broken).headers["Location"].rsplit("/", 1)[1])
    drain(data)
    page = c.get(f"/s/{sid}").get_data(as_text=True)
    assert "与您的账号所属单位" in page and UNIT_B in page
    assert "<script>alert" not in page and "&lt;script&gt;alert(1)" in page          # escaped
    page = c.get(f"/s/{sid2}").get_data(as_text=True)
    assert "无法使用" in page and ".." in page


def test_reupload_redoes_only_what_changed_and_keeps_the_earlier_results(app, data, tmp_path):
    c = app.test_client()
    login(c, "clerk_a")
    first = int(upload(c, good_book(tmp_path / "a.xlsx", UNIT_A)).headers["Location"].rsplit("/", 1)[1])
    drain(data)
    book = good_book(tmp_path / "a.xlsx", UNIT_A)
    wb = load_workbook(book)
    wb["先进个人"]["A2"].value = "李四"
    wb.save(book)
    second = int(upload(c, book).headers["Location"].rsplit("/", 1)[1])
    drain(data)
    from awardforms.web import db
    with db.connect(data, write=False) as con:
        r1, r2 = (json.loads(db.submission(con, s)["result"]) for s in (first, second))
    assert r1["unchanged"] == 0 and r2["unchanged"] > 0 and 0 < r2["rebuilt"] < r1["rebuilt"]
    home = c.get("/").get_data(as_text=True)
    assert f"/s/{first}" in home and f"/s/{second}" in home
    z1 = zipfile.ZipFile(io.BytesIO(c.get(f"/s/{first}/file/1").data)).namelist()
    z2 = zipfile.ZipFile(io.BytesIO(c.get(f"/s/{second}/file/1").data)).namelist()
    assert any("张晓梅一" in n for n in z1) and any("李四" in n for n in z2)


def test_blank_workbook_for_a_campaign(app):
    c = app.test_client()
    login(c, "clerk_a")
    r = c.get("/blank/anju")
    assert r.status_code == 200
    wb = load_workbook(io.BytesIO(r.data))
    assert "推荐单位" in wb.sheetnames and "先进个人" in wb.sheetnames
    assert c.get("/blank/..%2Fanju").status_code == 404
    assert c.get("/blank/nosuch").status_code == 404


def test_pdfs_when_asked_for(app, data, tmp_path):
    from pypdf import PdfReader
    c = app.test_client()
    login(c, "clerk_a")
    with open(good_book(tmp_path / "a.xlsx", UNIT_A), "rb") as f:
        r = c.post("/upload", data={"csrf_token": token(c), "workbook": (f, "a.xlsx"), "pdf": "1"},
                   content_type="multipart/form-data")
    drain(data)
    page = c.get(r.headers["Location"]).get_data(as_text=True)
    links = re.findall(r'href="(/s/\d+/file/\d+)" data-kind="([a-z-]+)">([^<]*)<', page)
    whole = [u for u, kind, _ in links if kind == "pdf"]
    assert len(whole) == 1
    reader = PdfReader(io.BytesIO(c.get(whole[0]).data))
    assert len(reader.pages) >= 4                     # 2 nominees x 2 forms, and the summary table
    per_nominee = [label for _, kind, label in links if kind == "nominee-pdf"]
    assert any("张晓梅一" in label and label.endswith("推荐审批表.pdf") for label in per_nominee)
    assert len({u for u, _, _ in links}) == len(links)                  # each file once


def test_a_passed_upload_tells_the_clerk_what_happens_next(app, data, tmp_path):
    """After 检查通过 the clerk is told the office sees it (the newest upload counts), not left to
    wonder whether to e-mail the zip; an upload with errors says to fix and upload again."""
    a = app.test_client()
    assert login(a, "clerk_a").status_code == 302
    good = int(upload(a, good_book(tmp_path / "好.xlsx", UNIT_A)).headers["Location"].rsplit("/", 1)[1])
    bad = int(upload(a, bad_book(tmp_path / "错.xlsx", UNIT_A)).headers["Location"].rsplit("/", 1)[1])
    drain(data)
    page = a.get(f"/s/{good}").get_data(as_text=True)
    step = re.search(r'id="next-step">([^<]*)<', page).group(1)
    assert "上级单位" in step and "最新" in step and "重新上传" in step
    page = a.get(f"/s/{bad}").get_data(as_text=True)
    assert 'id="next-step"' not in page and "请按下表修改后重新上传" in page

"""A clerk's day in a real browser: headless Chromium (Debian's chromium + chromium-driver,
installed by scripts/install-system-deps.sh) driven by Selenium against `awardforms serve`.

Plus the load: 20 sessions upload at once; every upload is processed and each result is its
own unit's (plain HTTP sessions: 20 browsers would not fit this machine, and the server sees
the same requests)."""

from __future__ import annotations

import io
import re
import shutil
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor

import pytest
from openpyxl import load_workbook

from webhelp import BAD_ID, PASSWORD, UNIT_A, Client, bad_book, good_book, live_server, make_users
from awardforms.web.users import add_user

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
needs_browser = pytest.mark.skipif(not (CHROMIUM and DRIVER),
                                   reason="chromium / chromium-driver not installed (scripts/install-system-deps.sh)")
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--window-size=1366,768")


@pytest.fixture
def browser(tmp_path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    driver.downloads = downloads
    try:
        yield driver
    finally:
        driver.quit()


def _wait(predicate, timeout=120, step=0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    raise AssertionError("timed out")


def _login(driver, base, username):
    from selenium.webdriver.common.by import By
    driver.get(base + "/login")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.ID, "login-button").click()
    _wait(lambda: "/login" not in driver.current_url)


def _downloaded(driver, suffix):
    def done():
        files = [p for p in driver.downloads.iterdir() if p.name.endswith(suffix)]
        return files[0] if files and not any(p.suffix == ".crdownload" for p in driver.downloads.iterdir()) else None
    return _wait(done, timeout=60)


@needs_browser
def test_a_clerks_day_in_chromium(tmp_path, browser):
    from selenium.webdriver.common.by import By
    data = tmp_path / "data"
    make_users(data)
    book = bad_book(tmp_path / "本单位推荐表.xlsx", UNIT_A)
    with live_server(data) as live:
        browser.get(live.url + "/")                                  # anonymous: the login page
        assert "/login" in browser.current_url
        assert browser.find_element(By.NAME, "username") and browser.find_element(By.NAME, "password")
        _login(browser, live.url, "clerk_a")
        assert UNIT_A in browser.page_source
        assert browser.execute_script("return document.documentElement.scrollWidth") <= 1366

        browser.find_element(By.CSS_SELECTOR, 'a.blank-link[data-campaign="anju"]').click()
        blank = _downloaded(browser, ".xlsx")
        assert "推荐单位" in load_workbook(blank).sheetnames
        blank.unlink()

        browser.find_element(By.ID, "workbook").send_keys(str(book))
        browser.find_element(By.ID, "upload-button").click()
        _wait(lambda: re.search(r"/s/\d+$", browser.current_url))
        sid_url = browser.current_url
        rows = _wait(lambda: browser.find_elements(By.CSS_SELECTOR, "#issues tbody tr"))  # the page reloads itself
        cells = [[td.text for td in r.find_elements(By.TAG_NAME, "td")] for r in rows]
        assert cells[0][:3] == ["先进个人!I3", "身份证号码", "错误"] and cells[0][4]    # errors first, with a fix
        assert all(c[2] == "提醒" for c in cells[1:])
        assert browser.find_element(By.ID, "outcome").get_attribute("data-status") == "有错误"

        browser.find_element(By.CSS_SELECTOR, 'a[data-kind="annotated"]').click()
        annotated = load_workbook(_downloaded(browser, ".校验结果.xlsx"))
        assert annotated["先进个人"]["I3"].fill.fgColor.rgb == "FFFF0000"
        browser.find_element(By.CSS_SELECTOR, 'a[data-kind="zip"]').click()
        names = zipfile.ZipFile(_downloaded(browser, ".zip")).namelist()
        assert any("张晓梅一" in n for n in names) and not any("张晓梅二" in n for n in names)
        download_url = browser.find_element(By.CSS_SELECTOR, 'a[data-kind="zip"]').get_attribute("href")

        browser.get(live.url + "/")                                  # the earlier submission is listed
        assert sid_url.split(live.url)[1] in browser.page_source

        browser.delete_all_cookies()                                 # another unit's clerk
        _login(browser, live.url, "clerk_b")
        for url in (sid_url, sid_url + "/status", download_url, sid_url + "/input"):
            browser.get(url)
            assert BAD_ID not in browser.page_source and "张晓梅" not in browser.page_source
            assert "页面不存在" in browser.page_source, url
        browser.get(live.url + "/office/")
        assert "没有权限" in browser.page_source

        browser.delete_all_cookies()                                 # anonymous again
        for url in (sid_url, download_url, live.url + "/office/"):
            browser.get(url)
            assert "/login" in browser.current_url and "张晓梅" not in browser.page_source

        _login(browser, live.url, "office")                          # the office sees it
        browser.get(live.url + "/office/")
        assert UNIT_A in browser.page_source and "本单位推荐表.xlsx" in browser.page_source


def test_twenty_uploads_at_once_from_twenty_sessions(tmp_path):
    data = tmp_path / "data"
    make_users(data)
    units = [f"吉林省测试单位{i:02d}" for i in range(20)]
    for i, name in enumerate(units):
        add_user(data, f"u{i:02d}", name, PASSWORD)
    books = [good_book(tmp_path / f"推荐表{i:02d}.xlsx", name, n=i + 1) for i, name in enumerate(units)]

    with live_server(data, workers=2) as live:
        clients = [Client(live.url) for _ in units]
        for i, c in enumerate(clients):
            assert c.login(f"u{i:02d}") == 302

        def one(i):
            c = clients[i]
            sid = c.upload(books[i])
            state = c.wait(sid, timeout=600)
            status, page, _ = c.get(f"/s/{sid}")
            zips = re.findall(r'href="(/s/\d+/file/\d+)" data-kind="zip"', page.decode())
            _, body, _ = c.get(zips[0])
            return sid, state, page.decode(), zipfile.ZipFile(io.BytesIO(body)).namelist()

        with ThreadPoolExecutor(20) as pool:
            results = list(pool.map(one, range(20)))
        other = Client(live.url)
        other.login("u00")
        refused = [other.get(f"/s/{sid}")[0] for sid, *_ in results[1:]]

    assert len({sid for sid, *_ in results}) == 20
    for i, (sid, state, page, names) in enumerate(results):
        assert state["state"] == "done" and state["status"] == "合格", (i, state)
        assert units[i] in page
        mine = f"张晓梅{'一二三四五六七八九十'[i % 10]}{i // 10 or ''}"
        people = {n.split("/")[-2].split("-", 1)[1] for n in names if n.endswith("推荐审批表.docx") and "个人" in n}
        assert people == {mine}, (i, people)
        assert all(units[j] not in page for j in range(20) if j != i)
    assert refused == [404] * 19

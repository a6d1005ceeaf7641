"""The hotline staff console (/console, /api/console/*) served by web/serve.py.

Cases are written by the real hand-over code (actions.handoff.build_case + save_case) from stored trackers into a
temporary CASES_DIR; the knowledge base is the real var/knowledge.db (built here if missing). Rasa is not needed.
The browser test drives Debian's chromium on a desktop-sized screen; screenshots go to tests/artifacts/.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import requests

from tests.web.conftest import ARTIFACTS, ROOT, free_port

TOKEN = "console-test-token-7f3a"
KNOWLEDGE_DB = ROOT / "var/knowledge.db"
CJK = re.compile(r"[\u4e00-\u9fff]")

# (case id, created): written in this order, so "newest first" is not the order of writing.
CASES = [
    ("20261120-090000-aaaaaa", "2026-11-20T09:00:00+00:00", "handoff_with_identifiers", None),
    ("20261125-170500-cccccc", "2026-11-25T17:05:00+00:00", "base", "en"),
    ("20261122-120000-bbbbbb", "2026-11-22T12:00:00+00:00", "base", None),
]


def knowledge_db() -> Path:
    if not KNOWLEDGE_DB.exists():
        subprocess.run([sys.executable, "-m", "knowledge", "build"], cwd=ROOT, check=True,
                       env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return KNOWLEDGE_DB


def write_cases(cases_dir: Path) -> None:
    """Hand-over cases as action_handoff writes them (same functions), with fixed ids and times."""
    from actions.handoff import build_case, save_case
    from tests.actions.helpers import tracker_from

    for case_id, created, tracker_name, language in CASES:
        if tracker_name == "base":
            tracker = tracker_from("base", text="I need a person, my pension transfer is stuck" if language == "en"
                                   else "我的问题很复杂<img src=x onerror=window.__pwned=1>，电话13912345678，转人工",
                                   intent="human_handoff", language=language)
        else:
            tracker = tracker_from(tracker_name)
        case = build_case(tracker)
        case.update(case_id=case_id, created=created)
        save_case(case, cases_dir)


def start_server(cases_dir: Path, **env) -> tuple[subprocess.Popen, str]:
    port = free_port()
    environment = dict(os.environ, PYTHONPATH=str(ROOT), CASES_DIR=str(cases_dir),
                       KNOWLEDGE_DB=str(knowledge_db()), **env)
    process = subprocess.Popen([sys.executable, str(ROOT / "web/serve.py"), "--host", "127.0.0.1",
                                "--port", str(port), "--rasa-url", f"http://127.0.0.1:{free_port()}"],
                               cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.1)
    return process, url


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def cases_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("console") / "cases"
    write_cases(folder)
    return folder


@pytest.fixture(scope="module")
def console(cases_dir):
    process, url = start_server(cases_dir, CONSOLE_TOKEN=TOKEN)
    yield url
    stop_server(process)


def get(url: str, path: str, **kwargs) -> requests.Response:
    return requests.get(url + path, timeout=30, **kwargs)


def post(url: str, path: str, headers: dict | None = None) -> requests.Response:
    return requests.post(url + path, timeout=30, headers={"X-Console-Request": "1", **(headers or {})})


def bilingual(response: requests.Response) -> dict:
    body = response.json()
    assert CJK.search(body["message_zh"]) and re.search(r"[A-Za-z]{3}", body["message_en"]), body
    return body


# --- knowledge search ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("query, lang, expected", [
    ("退保", "zh", {"consequence-cash-out-rules", "myth-cash-out-when-leaving", "glossary-cash-out"}),
    ("社保转移", "zh", {"procedure-pension-transfer"}),
    ("社保能转到老家吗", "zh", {"procedure-pension-transfer", "faq-going-home", "faq-pension-paying-place"}),
    ("cash out", "en", {"consequence-cash-out-rules", "myth-cash-out-when-leaving", "glossary-cash-out"}),
])
def test_search_finds_cited_answers_for_colloquial_queries(console, query, lang, expected):
    response = get(console, f"/api/console/search?q={quote(query)}&lang={lang}")
    assert response.status_code == 200
    results = response.json()["results"]
    top = [r["id"] for r in results[:3]]
    assert expected & set(top), (query, top)
    for result in results:
        assert result["title"] and result["short"]
        prefix = "来源：" if lang == "zh" else "Source"
        if result["type"] not in ("glossary", "contact") or result["citation"]:
            assert result["citation"].startswith(prefix), result
        # what staff read to a caller: the short answer and its source
        assert result["copy_text"] == f"{result['short']}\n{result['citation']}".strip()
    if lang == "en":
        assert not CJK.search(results[0]["title"])


def test_search_flags_local_rules_and_unverified_answers_as_the_knowledge_base_does(console):
    from knowledge import KnowledgeBase

    kb = KnowledgeBase(knowledge_db())
    seen_local = False
    for query in ("退保", "回老家 养老保险", "灵活就业 缴费", "cash out"):
        lang = "en" if query.isascii() else "zh"
        for result in get(console, f"/api/console/search?q={quote(query)}&lang={lang}").json()["results"]:
            entry = kb.get(result["id"], lang)
            assert result["local_variation"] == entry.local_variation
            assert result["confidence"] == entry.confidence
            seen_local |= result["local_variation"]
    assert seen_local, "no local-rule answer among the results: the badge is never exercised"


def test_search_filters_by_type_and_refuses_bad_input(console):
    procedures = get(console, "/api/console/search?q=%E8%BD%AC%E7%A7%BB&type=procedure").json()["results"]
    assert procedures and {r["type"] for r in procedures} == {"procedure"}
    assert get(console, "/api/console/search?q=").json()["results"] == []
    assert get(console, "/api/console/search?q=%20%3Cscript%3E").status_code == 200
    too_long = get(console, "/api/console/search?q=" + quote("养" * 201))
    assert too_long.status_code == 400 and bilingual(too_long)["error"] == "query_too_long"
    assert bilingual(get(console, "/api/console/search?q=x&lang=fr"))["error"] == "bad_lang"
    assert bilingual(get(console, "/api/console/search?q=x&type=secret"))["error"] == "bad_type"


# --- entries -------------------------------------------------------------------------------------------------

def test_entry_detail_of_a_procedure_has_steps_sources_and_the_text_to_read_out(console):
    entry = get(console, "/api/console/entry/procedure-pension-transfer?lang=zh").json()
    assert entry["type"] == "procedure" and len(entry["steps"]) >= 3
    assert all(step["who"] and step["action"] and step["where"] for step in entry["steps"])
    assert any(step["documents"] for step in entry["steps"]) and any(step["deadline"] for step in entry["steps"])
    assert entry["sources"] and all(source["citation"] for source in entry["sources"])
    assert "66号" in entry["citation"] and entry["copy_text"].startswith(entry["short"])
    assert entry["copy_text"].endswith(entry["citation"])
    english = get(console, "/api/console/entry/procedure-pension-transfer?lang=en").json()
    assert not CJK.search(english["title"] + english["short"]) and english["citation"].startswith("Source")


@pytest.mark.parametrize("entry_id, status, error", [
    ("..%2F..%2Fetc%2Fpasswd", 400, "bad_id"),
    ("%2e%2e", 400, "bad_id"),
    ("Procedure-Pension-Transfer", 400, "bad_id"),
    ("a" * 150, 400, "bad_id"),
    ("no-such-entry", 404, "entry_not_found"),
])
def test_bad_or_unknown_entry_ids_are_refused(console, entry_id, status, error):
    response = get(console, f"/api/console/entry/{entry_id}")
    assert response.status_code == status
    assert bilingual(response)["error"] == error


# --- cases ---------------------------------------------------------------------------------------------------

def test_cases_are_listed_newest_first_with_question_facts_and_verdict(console):
    cases = get(console, "/api/console/cases?status=all").json()["cases"]
    assert [c["case_id"] for c in cases] == ["20261125-170500-cccccc", "20261122-120000-bbbbbb",
                                             "20261120-090000-aaaaaa"]
    full = cases[2]
    assert full["language"] == "zh" and full["status"] == "new"
    assert full["facts"]["birth"] == "1975-06" and full["facts"]["periods"][0]["city"] == "深圳"
    assert full["rules_result"]["summary"]                         # the rules engine's verdict
    assert "社保转不过来怎么办" in " ".join(full["open_question"])
    assert full["province_names"]["440000"] == {"zh": "广东", "en": "Guangdong"}
    assert cases[0]["language"] == "en" and cases[0]["rules_result"]["missing"]
    assert "13912345678" not in json.dumps(cases)


def test_marking_a_case_done_persists_and_leaves_the_case_file_alone(console, cases_dir):
    case_id = "20261122-120000-bbbbbb"
    before = (cases_dir / f"{case_id}.json").read_bytes()
    open_ids = [c["case_id"] for c in get(console, "/api/console/cases").json()["cases"]]
    assert case_id in open_ids
    done = post(console, f"/api/console/cases/{case_id}/done")
    assert done.status_code == 200 and done.json()["status"] == "done"
    assert case_id not in [c["case_id"] for c in get(console, "/api/console/cases?status=open").json()["cases"]]
    assert [c["case_id"] for c in get(console, "/api/console/cases?status=done").json()["cases"]] == [case_id]
    assert get(console, f"/api/console/cases/{case_id}").json()["status"] == "done"
    with sqlite3.connect(cases_dir / "index.db") as db:
        assert db.execute("SELECT status FROM cases WHERE case_id = ?", [case_id]).fetchone() == ("done",)
    assert (cases_dir / f"{case_id}.json").read_bytes() == before      # the facts are never edited
    reopened = post(console, f"/api/console/cases/{case_id}/reopen")
    assert reopened.json()["status"] == "new"
    assert case_id in [c["case_id"] for c in get(console, "/api/console/cases?status=open").json()["cases"]]


def test_a_post_without_the_console_header_is_refused(console, cases_dir):
    response = requests.post(console + "/api/console/cases/20261120-090000-aaaaaa/done", timeout=10)
    assert response.status_code == 403 and bilingual(response)["error"] == "missing_header"
    with sqlite3.connect(cases_dir / "index.db") as db:
        assert db.execute("SELECT status FROM cases WHERE case_id = '20261120-090000-aaaaaa'").fetchone() == ("new",)


@pytest.mark.parametrize("case_id, status", [
    ("..%2F..%2F..%2Fetc%2Fpasswd", 400), ("%2e%2e%2findex", 400), ("index.db", 400),
    ("..", 404),                                # the client resolves "..": /api/console/ is not an API
    ("20261120-090000-aaaaaa.json", 400), ("a%00b", 400), ("x" * 200, 400), ("index", 404),
    ("20991231-000000-ffffff", 404),
])
def test_case_ids_cannot_reach_outside_the_cases_folder(console, case_id, status):
    response = get(console, f"/api/console/cases/{case_id}")
    assert response.status_code == status, response.text
    assert bilingual(response)["error"] in ("bad_id", "case_not_found", "not_found")
    assert post(console, f"/api/console/cases/{case_id}/done").status_code == status


def test_no_cases_yet_lists_nothing_and_creates_nothing(monkeypatch, tmp_path):
    from web import console_api

    monkeypatch.setenv("CASES_DIR", str(tmp_path / "not-yet"))
    assert console_api.route("GET", "/api/console/cases", {"status": ["all"]})["cases"] == []
    assert not (tmp_path / "not-yet").exists()


def test_a_bad_status_filter_is_refused(console):
    assert bilingual(get(console, "/api/console/cases?status=deleted"))["error"] == "bad_status"


# --- the page and access -------------------------------------------------------------------------------------

def test_console_page_is_served_locally_with_a_strict_policy(console):
    page = get(console, "/console")
    assert page.status_code == 200 and "热线工作台" in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    head = page.text.split("<body>")[0]
    assert "http://" not in head and "https://" not in head
    for asset in ("/console/assets/console.js", "/console/assets/console.css"):
        assert get(console, asset).status_code == 200, asset
    assert get(console, "/console/assets/../../serve.py").status_code == 404
    assert get(console, "/console/assets/console_api.py").status_code == 404
    assert "innerHTML" not in get(console, "/console/assets/console.js").text      # text only, never markup


class FakeHandler:
    """Just enough of a serve.py request handler to call console_api.handle() as a remote client."""

    def __init__(self, path: str, client: str, headers: dict | None = None, command: str = "GET"):
        self.path, self.command, self.client_address = path, command, (client, 40000)
        self.headers = {"Host": "console.example.org", **(headers or {})}
        self.sent: list[tuple[int, object]] = []
        self.close_connection = False

    def _send_json(self, status: int, payload: dict) -> None:
        self.sent.append((status, payload))

    def _send(self, status: int, body: bytes, content_type: str, extra: dict | None = None) -> None:
        self.sent.append((status, body))


def call(path: str, client: str = "203.0.113.9", headers: dict | None = None, command: str = "GET") -> tuple:
    from web import console_api

    handler = FakeHandler(path, client, headers, command)
    console_api.handle(handler)
    [(status, payload)] = handler.sent
    return status, payload


def test_a_remote_request_needs_the_console_token(monkeypatch, cases_dir):
    monkeypatch.setenv("CASES_DIR", str(cases_dir))
    monkeypatch.setenv("KNOWLEDGE_DB", str(knowledge_db()))
    monkeypatch.setenv("CONSOLE_TOKEN", TOKEN)
    for path in ("/console", "/api/console/cases", "/api/console/search?q=%E9%80%80%E4%BF%9D"):
        status, payload = call(path)
        assert status == 403 and payload["error"] == "forbidden" and "工作人员" in payload["message_zh"], path
        assert call(path, headers={"X-Console-Token": "wrong"})[0] == 403
        assert call(path, headers={"X-Console-Token": TOKEN})[0] == 200
        assert call(path + ("&" if "?" in path else "?") + "token=" + TOKEN)[0] == 200
    assert call("/api/console/cases", client="::ffff:198.51.100.4")[0] == 403
    assert call("/api/console/cases", client="10.0.0.5")[0] == 403              # private is not loopback
    # The code is public (no data in it): the page cannot send a header with <script src>.
    assert call("/console/assets/console.js")[0] == 200
    # Without a configured token only loopback gets in, whatever token is sent.
    monkeypatch.delenv("CONSOLE_TOKEN")
    assert call("/api/console/cases", headers={"X-Console-Token": ""})[0] == 403
    assert call("/api/console/cases?token=")[0] == 403
    assert call("/api/console/cases", client="127.0.0.1", headers={"Host": "localhost:8080"})[0] == 200


def test_loopback_counts_only_when_not_forwarded_and_addressed_as_localhost(console):
    # A reverse proxy on the same machine: the real client is elsewhere.
    forwarded = get(console, "/api/console/cases", headers={"X-Forwarded-For": "198.51.100.7"})
    assert forwarded.status_code == 403 and bilingual(forwarded)["error"] == "forbidden"
    assert get(console, "/api/console/cases", headers={"X-Forwarded-For": "198.51.100.7",
                                                       "X-Console-Token": TOKEN}).status_code == 200
    # A DNS-rebinding page reaches 127.0.0.1 under its own host name.
    assert get(console, "/console", headers={"Host": "evil.example:80"}).status_code == 403
    assert get(console, "/console", headers={"Host": "localhost"}).status_code == 200


def test_the_token_never_reaches_the_server_log(tmp_path, cases_dir):
    port = free_port()
    log = tmp_path / "serve.log"
    with open(log, "w") as handle:
        process = subprocess.Popen([sys.executable, str(ROOT / "web/serve.py"), "--host", "127.0.0.1",
                                    "--port", str(port)], cwd=ROOT, stdout=handle, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, PYTHONPATH=str(ROOT), CASES_DIR=str(cases_dir),
                                            CONSOLE_TOKEN=TOKEN))
        try:
            url = f"http://127.0.0.1:{port}"
            for _ in range(100):
                try:
                    requests.get(url + "/healthz", timeout=1)
                    break
                except requests.RequestException:
                    time.sleep(0.1)
            remote = {"X-Forwarded-For": "198.51.100.7"}
            assert get(url, f"/console?token={TOKEN}", headers=remote).status_code == 200
            assert get(url, f"/api/console/cases?status=all&token={TOKEN}", headers=remote).status_code == 200
        finally:
            stop_server(process)
    text = log.read_text()
    assert "/console?token=***" in text and "status=all&token=***" in text
    assert TOKEN not in text


def test_the_chat_page_and_unknown_paths_still_work(console):
    assert get(console, "/").status_code == 200 and "随行" in get(console, "/").text
    assert get(console, "/consolex").status_code == 404
    assert get(console, "/api/console/nothing").status_code == 404


# --- in the browser ------------------------------------------------------------------------------------------

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "device_scale_factor": 1, "locale": "zh-CN"}


@pytest.fixture
def browser_console(tmp_path):
    folder = tmp_path / "cases"
    write_cases(folder)
    process, url = start_server(folder, CONSOLE_TOKEN=TOKEN)
    yield url, folder
    stop_server(process)


@pytest.mark.browser
def test_staff_search_open_an_entry_and_close_a_case_in_the_browser(browser, browser_console, artifacts):
    from playwright.sync_api import expect

    url, folder = browser_console
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(15000)
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(url) else None)
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    # As a remote member of staff would: the token in the link, then kept in sessionStorage for the API.
    page.goto(f"{url}/console?token={TOKEN}")
    assert page.evaluate("sessionStorage.getItem('suixing.console.token')") == TOKEN
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    expect(page.locator("#tab-search")).to_have_text("知识库查询")

    page.fill("#q", "退保")
    expect(page.locator(".result").first).to_be_visible()
    first = page.locator(".result").first
    expect(first.locator(".citation")).to_contain_text("来源：")
    expect(first.locator(".citation")).to_contain_text("号")
    page.screenshot(path=str(artifacts / "console-search.png"))

    page.fill("#q", "社保转移")
    transfer = page.locator(".result-open[data-id='procedure-pension-transfer']")
    expect(transfer).to_be_visible()
    transfer.click()
    entry = page.locator("#entry")
    expect(entry.locator(".entry-title")).to_contain_text("转移")
    expect(entry.locator(".citation").first).to_contain_text("国办发〔2009〕66号")
    assert entry.locator(".step").count() >= 3
    expect(entry.locator(".step-facts dt").first).to_have_text("谁来办")
    expect(entry.locator(".sources li").first).to_be_visible()
    entry.locator("button.copy").click()
    expect(entry.locator(".copy-feedback")).not_to_be_empty()
    page.screenshot(path=str(artifacts / "console-entry.png"))

    # A local-rules answer carries the 12333 badge.
    page.fill("#q", "回老家 养老保险")
    expect(page.locator(".badge.local").first).to_contain_text("12333")

    # English switch: the page and the answers change language.
    page.click(".lang-switch button[data-lang='en']")
    expect(page.locator("#tab-search")).to_have_text("Knowledge search")
    expect(page.locator(".result").first).to_be_visible()
    expect(page.locator("#entry .citation").first).to_contain_text("Source")
    page.click(".lang-switch button[data-lang='zh']")
    expect(page.locator("#tab-search")).to_have_text("知识库查询")

    # The case queue: newest first, open the detailed one, mark it done.
    page.click("#tab-cases")
    cases = page.locator(".case-open")
    expect(cases).to_have_count(3)
    assert cases.evaluate_all("nodes => nodes.map(n => n.dataset.id)") == [
        "20261125-170500-cccccc", "20261122-120000-bbbbbb", "20261120-090000-aaaaaa"]
    expect(page.locator("#open-count")).to_have_text("3")
    page.locator(".case-open[data-id='20261120-090000-aaaaaa']").click()
    case = page.locator("#case")
    expect(case.locator(".facts")).to_contain_text("1975-06")
    expect(case.locator(".facts")).to_contain_text("广东 深圳")
    expect(case.locator(".question")).to_contain_text("社保转不过来怎么办")
    expect(case.locator(".verdict li").first).not_to_be_empty()
    page.screenshot(path=str(artifacts / "console-case.png"))
    # What people typed is shown as text, never as markup.
    expect(page.locator(".case-open[data-id='20261122-120000-bbbbbb'] .case-question")).to_contain_text("<img src=x")
    assert page.locator(".cases img").count() == 0 and page.evaluate("window.__pwned") is None
    case.locator("#case-status-button").click()
    expect(case.locator(".entry-head .badge").first).to_have_text("已处理")
    expect(page.locator(".case-open")).to_have_count(2)          # gone from the open queue
    expect(page.locator("#open-count")).to_have_text("2")
    page.click(".filters [data-status='done']")
    expect(page.locator(".case-open")).to_have_count(1)
    page.screenshot(path=str(artifacts / "console-case-done.png"))
    with sqlite3.connect(folder / "index.db") as db:
        assert db.execute("SELECT status FROM cases WHERE case_id = '20261120-090000-aaaaaa'").fetchone() == ("done",)
    # A tablet held upright: the list above the detail, nothing wider than the screen.
    page.set_viewport_size({"width": 768, "height": 1024})
    page.click("#tab-search")
    expect(page.locator("#entry .entry-title")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 768
    page.screenshot(path=str(artifacts / "console-tablet.png"), full_page=True)
    assert not outside, outside
    assert not errors, errors
    context.close()


# --- docs/screenshot-console.png -----------------------------------------------------------------------------

def make_screenshot(output: Path = ROOT / "docs/screenshot-console.png", lang: str = "zh") -> int:
    """The console on a desktop screen: 退保 searched, the transfer procedure opened. Kept under 300 KB."""
    import io
    import tempfile

    from PIL import Image
    from playwright.sync_api import sync_playwright

    from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS

    folder = Path(tempfile.mkdtemp(prefix="console-shot-")) / "cases"
    write_cases(folder)
    process, url = start_server(folder)
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_context(**DESKTOP).new_page()
            page.goto(url + "/console")
            if lang == "en":
                page.click(".lang-switch button[data-lang='en']")
            page.fill("#q", "退保" if lang == "zh" else "cash out")
            page.wait_for_selector(".result")
            page.locator(".result-open").first.click()
            page.wait_for_selector("#entry .citation")
            page.wait_for_timeout(300)
            png = page.screenshot()
            browser.close()
    finally:
        stop_server(process)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (256, 128, 64):
        buffer = io.BytesIO()
        image.quantize(colors=colours).save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= 300 * 1024:
            break
    output.write_bytes(buffer.getvalue())
    return buffer.tell()


if __name__ == "__main__":   # PYTHONPATH=. .venv/app/bin/python tests/web/test_console.py [en]
    language = sys.argv[1] if len(sys.argv) > 1 else "zh"
    target = ROOT / "docs/screenshot-console.png" if language == "zh" else ARTIFACTS / "console-en.png"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    print(target, make_screenshot(target, language) // 1024, "KB")

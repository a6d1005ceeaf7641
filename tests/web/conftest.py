"""Fixtures for the web chat page tests: a stand-in for Rasa's REST channel, web/serve.py, and a phone-sized Chromium.

The stand-in answers in Rasa's REST format and can be stopped and restarted on the same port, so the page's
offline/retry behaviour is tested in seconds. The real assistant is the session `stack` fixture (tests/conftest.py).
"""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests/artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"viewport": {"width": 390, "height": 780}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True, "locale": "zh-CN"}

# A 1x1 PNG, the shape of a chart the actions send as a data URI.
PNG_1PX = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkaPhfDwAEhAGA"
           "1ZuvGQAAAABJRU5ErkJggg==")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fake_answer(message: str) -> list[dict]:
    """What the stand-in bot says. Each scripted word exercises one rendering feature of the page."""
    if message.startswith("/switch_language"):
        language = json.loads(message[len("/switch_language"):])["language"]
        return [{"text": "OK, I'll answer in English." if language == "en" else "好的，我用中文回答。"}]
    if message == "inject":
        return [{"text": '<img src=x onerror="window.__pwned=1">注意<b>粗体</b>\n'
                         "[点我](javascript:window.__pwned=2) [ok](https://www.gov.cn/)",
                 "buttons": [{"title": "<i>按钮</i>", "payload": "/affirm"}]},
                {"image": "javascript:window.__pwned=3"},
                {"image": "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+"}]
    if message == "steps":
        return [{"text": "转移养老保险：\n1. 向新参保地社保机构提出申请\n2. 新参保地发联系函\n3. 原参保地转出资金\n"
                         "详情见 https://si.12333.gov.cn ，或拨打 12333。"},
                {"image": PNG_1PX}]
    if message == "silence":
        return []
    if message == "result":   # the shape of a check-up result: conclusion first, many bubbles, sources
        return [{"text": "先说结论：你可以在2035年6月退休（依据：国办发〔2009〕66号 第三条）。"},
                *[{"text": f"第{n}项：这一段是结果的细节，说明每个数字是怎么来的。" * 2} for n in range(1, 16)],
                {"text": "依据：《城镇企业职工基本养老保险关系转移接续暂行办法》国办发〔2009〕66号 第三条，"
                         "2010-01-01起施行\n依据：人社部发〔2016〕94号【待核实】"},
                {"text": "以上是按你告诉我的情况估算的，以社保机构为准。"}]
    if message == "menu":
        return [{"text": "你是哪种情况？", "buttons": [{"title": "还在交", "payload": '/inform{"status":"paying"}'},
                                                    {"title": "已断缴", "payload": '/inform{"status":"stopped"}'}]}]
    return [{"text": f"收到：{message}"}]


class FakeRasa:
    """Rasa's REST webhook on a loopback port; `received` lists what the page sent."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[dict] = []
        self.delay = 0.0
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def messages(self) -> list[str]:
        return [body.get("message") for body in self.received]

    def start(self) -> None:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.received.append(body)
                time.sleep(fake.delay)
                payload = json.dumps([{"recipient_id": body["sender"], **m} for m in fake_answer(body["message"])],
                                     ensure_ascii=False).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args) -> None:
                pass

        ThreadingHTTPServer.allow_reuse_address = True
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


@pytest.fixture(scope="module")
def fake_rasa():
    fake = FakeRasa()
    fake.start()
    yield fake
    fake.stop()


def start_web(rasa_url: str, log_file=None, **env) -> tuple[subprocess.Popen, str]:
    """web/serve.py as the run script starts it, with extra environment variables (limits, timeouts)."""
    port = free_port()
    output = log_file if log_file is not None else subprocess.DEVNULL
    process = subprocess.Popen([sys.executable, str(ROOT / "web/serve.py"), "--host", "127.0.0.1",
                                "--port", str(port), "--rasa-url", rasa_url],
                               cwd=ROOT, env={**os.environ, **env}, stdout=output, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/healthz", timeout=1)
            break
        except requests.RequestException:
            time.sleep(0.1)
    return process, url


def stop_web(process: subprocess.Popen) -> None:
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def web_url(fake_rasa):
    """web/serve.py in front of the stand-in, as the run script starts it."""
    process, url = start_web(fake_rasa.url)
    yield url
    stop_web(process)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/setup.sh --with-browser)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    """A fresh phone-sized page (new localStorage, so a new sender id)."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS

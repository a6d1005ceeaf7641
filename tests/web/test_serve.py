"""web/serve.py: serves the page and its assets from one origin and proxies the REST webhook to Rasa."""
import json
import socket
import time

import pytest
import requests

from tests.web.conftest import FakeRasa, start_web, stop_web


def test_page_and_assets_are_served_locally_with_a_strict_policy(web_url):
    page = requests.get(web_url + "/", timeout=5)
    assert page.status_code == 200
    assert "随行" in page.text
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "default-src 'self'" in policy
    # No third-party CDN: every script and stylesheet is a local path.
    assert "http://" not in page.text.split("<body>")[0] and "https://" not in page.text.split("<body>")[0]
    for asset in ("/static/chat.js", "/static/chat.css", "/static/icon.svg"):
        assert requests.get(web_url + asset, timeout=5).status_code == 200, asset


def test_files_outside_the_static_folder_are_not_served(web_url):
    for path in ("/static/../serve.py", "/static/%2e%2e/serve.py", "/serve.py", "/static/../../README.md"):
        assert requests.get(web_url + path, timeout=5).status_code == 404, path


def test_proxy_passes_the_message_to_rasa_and_back(web_url, fake_rasa):
    answer = requests.post(web_url + "/webhooks/rest/webhook", json={"sender": "t1", "message": "你好"}, timeout=10)
    assert answer.status_code == 200
    assert answer.json()[0]["text"] == "收到：你好"
    assert fake_rasa.received[-1]["sender"] == "t1"


def test_proxy_answers_502_with_a_bilingual_error_when_rasa_is_down(web_url, fake_rasa):
    fake_rasa.stop()
    try:
        answer = requests.post(web_url + "/webhooks/rest/webhook", json={"sender": "t2", "message": "x"}, timeout=10)
    finally:
        fake_rasa.start()
    assert answer.status_code == 502
    body = answer.json()
    assert "助手" in body["message_zh"] and "assistant" in body["message_en"]


def test_oversized_messages_are_refused_before_reaching_rasa(web_url, fake_rasa):
    before = len(fake_rasa.received)
    answer = requests.post(web_url + "/webhooks/rest/webhook",
                           json={"sender": "t3", "message": "长" * 20000}, timeout=10)
    assert answer.status_code == 413
    assert len(fake_rasa.received) == before


# --- the public face: limits, headers, timeouts (issue 10, items 3 and 5) -------------------------------------------
WEBHOOK = "/webhooks/rest/webhook"


def raw_exchange(url: str, request: bytes, wait: float = 5.0) -> bytes:
    """Sends bytes as they are (no client library to tidy them up) and returns everything until the server closes
    or stops sending for `wait` seconds."""
    host, port = url.rsplit("/", 1)[1].split(":")
    with socket.create_connection((host, int(port)), timeout=wait) as sock:
        sock.sendall(request)
        received = b""
        try:
            while chunk := sock.recv(65536):
                received += chunk
        except socket.timeout:
            pass
    return received


def status_of(response: bytes) -> int:
    return int(response.split(b" ", 2)[1]) if response.startswith(b"HTTP/1.1 ") else 0


def post_raw(url: str, headers: str, body: bytes = b"") -> bytes:
    head = f"POST {WEBHOOK} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n{headers}\r\n"
    return raw_exchange(url, head.encode() + body)


def bilingual(response) -> dict:
    body = response.json()
    assert body["message_zh"] and body["message_en"] and any("\u4e00" <= c <= "\u9fff" for c in body["message_zh"])
    return body


@pytest.mark.parametrize("length", ["-1", "12abc", "1e3", "", "0x10"])
def test_a_malformed_content_length_is_refused_and_nothing_reaches_rasa(web_url, fake_rasa, length):
    before = len(fake_rasa.received)
    body = b'{"sender": "cl", "message": "hi"}' + b"x" * 20000
    answer = post_raw(web_url, f"Content-Length: {length}\r\n", body)
    assert status_of(answer) == 400
    assert len(fake_rasa.received) == before
    assert requests.get(web_url + "/healthz", timeout=5).status_code == 200      # the server is still there


def test_content_length_together_with_chunked_is_refused(web_url, fake_rasa):
    before = len(fake_rasa.received)
    body = b'{"sender":"te","message":"hi"}'
    answer = post_raw(web_url, f"Content-Length: {len(body)}\r\nTransfer-Encoding: chunked\r\n",
                      b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    assert status_of(answer) == 400 and len(fake_rasa.received) == before


def test_a_chunked_message_is_read_counted_and_forwarded(web_url, fake_rasa):
    body = json.dumps({"sender": "chunked", "message": "你好"}).encode()
    answer = post_raw(web_url, "Transfer-Encoding: chunked\r\nConnection: close\r\n",
                      b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body))
    assert status_of(answer) == 200 and "收到：你好".encode() in answer
    before = len(fake_rasa.received)
    chunk = b"x" * 4096
    big = post_raw(web_url, "Transfer-Encoding: chunked\r\n", b"".join(b"1000\r\n" + chunk + b"\r\n" for _ in range(6)))
    assert status_of(big) == 413 and b"message_en" in big and len(fake_rasa.received) == before


def test_a_3000_character_path_gets_an_answer_not_a_dropped_connection(web_url):
    for path in ("/static/" + "a" * 3000, "/" + "b" * 3000, "/console/" + "c" * 3000):
        answer = raw_exchange(web_url, f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode())
        assert status_of(answer) == 414, path
        assert "网址太长".encode() in answer and b"too long" in answer


def test_pages_and_proxied_replies_carry_the_security_headers(web_url):
    answers = [requests.get(web_url + "/", timeout=5), requests.get(web_url + "/nothing-here", timeout=5),
               requests.post(web_url + WEBHOOK, json={"sender": "h", "message": "hi"}, timeout=5)]
    for answer in answers:
        policy = answer.headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'self'" in policy and "unsafe-inline" not in policy
        assert answer.headers["X-Content-Type-Options"] == "nosniff"
        assert answer.headers["Referrer-Policy"] == "no-referrer"
        assert "Server" not in answer.headers
    assert answers[1].status_code == 404 and bilingual(answers[1])["error"] == "not_found"


def test_only_the_chat_webhooks_are_proxied(web_url, fake_rasa):
    before = len(fake_rasa.received)
    for method, path in (("GET", "/conversations/t1/tracker"), ("PUT", "/model"), ("POST", "/webhooks/callback"),
                         ("GET", "/webhooks/rest/"), ("GET", "/status"), ("POST", "/conversations/t1/tracker/events")):
        answer = requests.request(method, web_url + path, json={}, timeout=5)
        assert answer.status_code in (404, 405), (method, path)
    assert requests.get(web_url + WEBHOOK, timeout=5).status_code == 405
    assert len(fake_rasa.received) == before


def test_a_message_longer_than_a_person_types_gets_a_clear_bilingual_refusal(web_url, fake_rasa):
    before = len(fake_rasa.received)
    answer = requests.post(web_url + WEBHOOK, json={"sender": "long", "message": "a" * 1001}, timeout=5)
    assert answer.status_code == 413
    body = bilingual(answer)
    assert body["error"] == "message_too_long" and "1000" in body["message_zh"] and "1000" in body["message_en"]
    for bad in (b"not json", b'["a"]', b'{"message": "no sender"}', b'{"sender": "s", "message": 5}'):
        refused = requests.post(web_url + WEBHOOK, data=bad, headers={"Content-Type": "application/json"}, timeout=5)
        assert refused.status_code == 400 and bilingual(refused)["error"] == "bad_message", bad
    assert len(fake_rasa.received) == before


@pytest.fixture(scope="module")
def strict_web(tmp_path_factory):
    """A server with small limits, to see them act in a test's time: a slow stand-in for Rasa behind it."""
    slow = FakeRasa()
    slow.start()
    log = tmp_path_factory.mktemp("web") / "serve.log"
    with open(log, "w") as handle:
        process, url = start_web(slow.url, log_file=handle, RASA_TIMEOUT_SECONDS="1", WEB_CHAT_PER_MINUTE="6",
                                 WEB_CHAT_BURST="3", WEB_HEADER_TIMEOUT_SECONDS="1.5")
    yield url, slow, log
    stop_web(process)
    slow.stop()


def test_rasa_slower_than_the_timeout_gives_a_503_the_page_can_show(strict_web):
    url, slow, _ = strict_web
    slow.delay = 2.5
    try:
        started = time.monotonic()
        answer = requests.post(url + WEBHOOK, json={"sender": "slow", "message": "hi"}, timeout=10)
    finally:
        slow.delay = 0
    assert answer.status_code == 503 and time.monotonic() - started < 2.4
    assert bilingual(answer)["error"] == "assistant_timeout"


def test_a_client_sending_too_fast_gets_429_with_the_wait_in_both_languages(strict_web):
    url, slow, _ = strict_web      # a burst of 3, less what the previous test used
    statuses = [requests.post(url + WEBHOOK, json={"sender": "fast", "message": str(i)}, timeout=5)
                for i in range(6)]
    codes = [answer.status_code for answer in statuses]
    first_refused = codes.index(429)
    assert codes[0] == 200 and 1 <= first_refused <= 3 and set(codes[first_refused:]) == {429}, codes
    limited = statuses[first_refused]
    assert limited.status_code == 429 and int(limited.headers["Retry-After"]) >= 1
    body = bilingual(limited)
    assert body["error"] == "rate_limited" and str(body["retry_after"]) in body["message_zh"]
    assert str(first_refused) not in slow.messages()        # refused before reaching Rasa
    assert requests.get(url + "/", timeout=5).status_code == 200      # the page itself is not held back


def test_idle_and_half_open_connections_are_closed(strict_web):
    url, _, _ = strict_web
    host, port = url.rsplit("/", 1)[1].split(":")
    for opening in (b"", b"GET / HT", b"POST /webhooks/rest/webhook HTTP/1.1\r\nHost: localhost\r\n"):
        with socket.create_connection((host, int(port)), timeout=6) as sock:
            sock.sendall(opening)
            started = time.monotonic()
            try:
                while sock.recv(1024):
                    pass
            except ConnectionResetError:
                pass
            assert time.monotonic() - started < 5, opening      # closed by the server (1.5 s), not by our timeout


def test_tokens_are_redacted_in_the_log_whatever_the_spelling_of_the_name(strict_web):
    url, _, log = strict_web
    for query in ("?token=s3cret-A", "?%74oken=s3cret-B", "?TOKEN=s3cret-C", "?q=1&%74%6F%6B%65%6E=s3cret-D"):
        requests.get(url + "/console" + query, timeout=5)
    time.sleep(0.5)
    text = log.read_text()
    assert "/console?token=***" in text and "s3cret" not in text


FORWARDING_LINES = ["X-Forwarded-For: 198.51.100.7", "X-Forwarded-For:", "Forwarded: for=198.51.100.7",
                    "Via: 1.1 proxy", "X-Forwarded-Host: example.org", "CF-Connecting-IP: 198.51.100.7",
                    "True-Client-IP: 198.51.100.7", "X-Real-IP: 198.51.100.7"]


@pytest.mark.parametrize("line", FORWARDING_LINES)
def test_the_console_refuses_loopback_trust_to_any_forwarded_request(web_url, line):
    def console_status(extra: str) -> int:
        request = f"GET /console HTTP/1.1\r\nHost: localhost\r\n{extra}Connection: close\r\n\r\n"
        return status_of(raw_exchange(web_url, request.encode()))

    assert console_status("") == 200
    assert console_status(line + "\r\n") == 403
    assert console_status("X-Forwarded-For:\r\n" + line + "\r\n") == 403   # an empty first line hides nothing

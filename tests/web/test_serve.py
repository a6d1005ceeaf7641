"""web/serve.py: serves the page and its assets from one origin and proxies the REST webhook to Rasa."""
import requests


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

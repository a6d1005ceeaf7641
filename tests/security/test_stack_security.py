"""Security and reliability of the running assistant (issue 10): closed by default, never silent, hostile input.

Runs the real stack (tests/stack.py): action server, Rasa with the trained model and the SQLite tracker store.
"""
from __future__ import annotations

import json
import re
import sqlite3
import uuid

import pytest
import requests

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(900)]

CJK = re.compile(r"[\u4e00-\u9fff]")
SORRY_ZH, SORRY_EN = "系统暂时出了点问题", "call 12333"
SECRETS = ["13800112244", "0011 2244", "0011-2244", "0011.2244", "19851231", "02123456", "0212 3456", "0212.3456",
           "8888.6666", "88886666", "１３８００１１２２４４", "０２１２３４５６", "１９８５１２３１"]


def sender() -> str:
    return f"sec-{uuid.uuid4().hex[:10]}"


def listening_addresses(port: int) -> set[str]:
    """Local addresses (hex, as in /proc/net/tcp) of sockets listening on `port`."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = open(table).read().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_internal_ports_listen_on_loopback_only(stack):
    for port in (stack.rasa_port, stack.action_port):
        addresses = listening_addresses(port)
        assert addresses, f"nothing listens on {port}"
        assert addresses <= {"0100007F", "00000000000000000000000001000000"}, (port, addresses)


def test_tracker_and_model_endpoints_refuse_anonymous_calls(stack):
    who = sender()
    stack.say("你好", who)
    assert requests.get(f"{stack.rasa_url}/conversations/{who}/tracker", timeout=30).status_code == 401
    assert requests.post(f"{stack.rasa_url}/conversations/{who}/tracker/events", json={"event": "restart"},
                         timeout=30).status_code == 401
    assert requests.put(f"{stack.rasa_url}/model", json={"model_file": "/tmp/x.tar.gz"}, timeout=30).status_code == 401
    assert stack.tracker(who)["sender_id"] == who   # with the token it works


def test_other_origins_get_no_cors_permission(stack):
    reply = requests.options(f"{stack.rasa_url}/webhooks/rest/webhook", timeout=30,
                             headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "POST"})
    assert reply.headers.get("Access-Control-Allow-Origin") not in ("*", "http://evil.example")


def test_typed_intent_syntax_cannot_set_a_slot(stack):
    who = sender()
    stack.say('/inform{"birth":"1800-01"}', who)
    assert stack.tracker(who)["slots"].get("birth") != "1800-01"


def test_action_server_down_mid_checkup_says_sorry_then_the_form_resumes(stack):
    who = sender()
    stack.say("/start_checkup", who)
    stack.say("我是1975年3月出生的", who)
    before = stack.tracker(who)["slots"]
    stack.stop_actions()
    try:
        replies = stack.say("男的", who)
        text = json.dumps(replies, ensure_ascii=False)
        assert SORRY_ZH in text and SORRY_EN in text, text
        assert stack.tracker(who)["slots"].get("birth") == before.get("birth")
        assert stack.say("退保", sender()), "a new conversation is not silent either"
    finally:
        stack.start_actions()
    replies = stack.say("男的", who)
    assert replies and SORRY_ZH not in json.dumps(replies, ensure_ascii=False)
    assert stack.tracker(who)["slots"].get("birth") == before.get("birth")


FUZZ = [
    "", " ", "\t\n", "\u3000", "a" * 100_000, "退" * 5000, "\x00\x01\x02", "\x1b[31m红\x1b[0m", "\u202e保退\u202c",
    "\u200b\u200c\u200d退保\ufeff", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "' OR 1=1; --",
    "'; DROP TABLE events; --", '{"sender": "x", "message": "y"}', "[1,2,3]", "null", "😀" * 2000, "👍🏽👨‍👩‍👧",
    "13800112244", "138 0011 2244", "138-0011-2244", "138.0011.2244", "+86 138 0011 2244", "１３８００１１２２４４",
    "0755.8888.6666", "(0755)88886666", "ID440301198512319873", "440301 19851231 9873", "440301/19851231/9873",
    "6222021234567890", "6222 0212 3456 7890", "6222.0212.3456.7890", "卡号６２２２０２１２３４５６７８９０",
    "身份证号４４０３０１１９８５１２３１９８７３", "電話13800112244", "退保 refund 退保", "Как перевести пенсию",
    "التقاعد", "年金はどうなる", "/", "//", "/restart", "/inform{\"birth\":\"1800-01\"}", "/nlu_fallback",
    "/action_handoff", "%s%s%n", "${jndi:ldap://x}", "../../etc/passwd", "\\x00", "1" * 300, "0" * 19,
    "退保退保退保退保", "How do I move my pension?", "help", "？？？", "12333",
]


def test_fuzz_inputs_get_a_reply_and_leave_nothing_unmasked(stack):
    assert len(FUZZ) >= 50
    who = sender()
    for text in FUZZ:
        response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", json={"sender": who, "message": text},
                                 timeout=120)
        assert response.status_code < 500, (text[:40], response.status_code)
        replies = response.json()
        assert replies, f"no reply to {text[:40]!r}"
    for raw in (b"\xff\xfe\xfa not utf-8", b'{"sender": "x", "message": "\\ud800"}', b"{", b""):
        response = requests.post(f"{stack.rasa_url}/webhooks/rest/webhook", data=raw, timeout=60,
                                 headers={"Content-Type": "application/json"})
        assert response.status_code < 500, (raw, response.status_code)
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        stored = "\n".join(json.dumps(json.loads(row[0]), ensure_ascii=False)   # full-width digits as typed
                           for row in db.execute("SELECT data FROM events"))
    for secret in SECRETS:
        assert secret not in stored, secret
    assert stored
    log = (stack.processes["rasa"][1]).read_text(encoding="utf-8", errors="replace")
    for secret in SECRETS:
        assert secret not in log, secret


def test_delete_my_data_removes_the_conversation_from_the_store(stack):
    who = sender()
    stack.say("我想问养老保险转移", who)
    ask = stack.say("删除我的记录", who)
    assert [b["payload"] for b in ask[0]["buttons"]][0] == "/suixing_forget_confirm"
    done = stack.say("/suixing_forget_confirm", who)
    assert "已删除" in done[0]["text"] and "deleted" in done[0]["text"]
    with sqlite3.connect(stack.workdir / "tracker.db") as db:
        assert db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (who,)).fetchone()[0] == 0

"""The WeChat Official Account channel (bot/channels/wechat.py), driven like WeChat's servers drive it.

The channel's blueprint runs in a real Sanic server on a loopback port (as `rasa run` mounts it); a scripted bot
answers through Rasa's CollectingOutputChannel, and a stand-in for WeChat's API (aiohttp, loopback) receives the
pushed messages. Sample messages are WeChat's documented XML formats (tests/bot/wechat_fixtures/), signed and
encrypted with wechatpy exactly as WeChat does.

Run: PYTHONPATH=. .venv/rasa/bin/python -m pytest tests/bot/test_wechat_channel.py
"""
from __future__ import annotations

import asyncio
import contextlib
import itertools
import re
import socket
import subprocess
import time
import xml.etree.ElementTree as ElementTree
from pathlib import Path
from string import Template

import aiohttp
import pytest
from aiohttp import web
from sanic import Sanic
from wechatpy.crypto import WeChatCrypto

from bot.channels.wechat import PLEASE_TYPE, WELCOME, WeChatApi, WeChatInput, WeChatSettings, wechat_signature

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "wechat_fixtures"
TOKEN = "evaltoken"
APP_ID = "wx1a2b3c4d5e6f7a8b"
AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG"  # 43 characters, as the admin console generates
OPENID = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"
ACCOUNT = "gh_suixing0001"
CJK = re.compile(r"[\u4e00-\u9fff]")

Sanic.test_mode = True  # one Sanic app per test in the same process
_app_numbers = itertools.count()
_msg_ids = itertools.count(10000000001)


def run(coroutine):
    return asyncio.run(coroutine)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fixture_xml(name: str, content: str = "", msg_id: int | None = None, create_time: int | None = None,
                openid: str = OPENID) -> str:
    return Template((FIXTURES / name).read_text(encoding="utf-8")).safe_substitute(
        openid=openid, content=content, msg_id=msg_id or next(_msg_ids), create_time=create_time or int(time.time()))


def signed(timestamp: int | None = None, nonce: str | None = None, token: str = TOKEN, **extra) -> dict:
    """Fresh signed query parameters (a new nonce each time, as WeChat sends them)."""
    timestamp = str(timestamp or int(time.time()))
    nonce = nonce or str(next(_msg_ids) * 7919)
    return {"signature": wechat_signature(token, timestamp, nonce), "timestamp": timestamp, "nonce": nonce,
            "openid": OPENID, **extra}


def parse_reply(xml: str) -> dict:
    return {child.tag: child.text or "" for child in ElementTree.fromstring(xml)}


def settings(**overrides) -> WeChatSettings:
    values = dict(token=TOKEN, app_id=APP_ID, app_secret="secret", aes_key=AES_KEY, reply_timeout=4.5,
                  api_base="http://127.0.0.1:9")
    values.update(overrides)
    return WeChatSettings(**values)


class ScriptedBot:
    """Stands in for Rasa's agent: records every UserMessage and answers through its output channel."""

    def __init__(self, delay: float = 0.0) -> None:
        self.messages = []
        self.delay = delay

    async def __call__(self, message) -> None:
        self.messages.append(message)
        out, who, text = message.output_channel, message.sender_id, message.text
        if self.delay:
            await asyncio.sleep(self.delay)
        if text == "/greet":
            await out.send_text_message(who, "欢迎关注随行！有社保问题直接问我。")
        elif text == "菜单":
            await out.send_text_with_buttons(who, "要停止这次测算吗？", [
                {"title": "是，先停", "payload": "/affirm"}, {"title": "不，继续", "payload": "/deny"}])
        elif text == "图表":
            await out.send_text_message(who, "你的缴费年限：")
            await out.send_image_url(who, "https://example.org/charts/years.png")
        elif text == "长":
            await out.send_text_message(who, "\n".join(f"第{i}条：" + "说明" * 40 for i in range(1, 30)))
        elif text == "沉默":
            pass
        else:
            await out.send_text_message(who, f"回答：{text}")


@contextlib.asynccontextmanager
async def wechat_server(channel: WeChatInput, bot):
    """The channel's blueprint mounted at /webhooks/wechat, as rasa.core.channels.channel.register does."""
    app = Sanic(f"wechat_test_{next(_app_numbers)}")
    app.config.MOTD = False
    app.blueprint(channel.blueprint(bot), url_prefix="/webhooks/wechat")
    port = free_port()
    server = await app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False)
    await server.startup()
    async with aiohttp.ClientSession() as client:
        try:
            yield client, f"http://127.0.0.1:{port}/webhooks/wechat/webhook"
        finally:
            server.close()
            await server.wait_closed()


class FakeWeChatApi:
    """WeChat's token and customer-service message API on a loopback port.

    `send_errors` are errcodes returned, one per call, before sends succeed (e.g. [42001] = expired token once)."""

    def __init__(self, send_errors=()) -> None:
        self.send_errors = list(send_errors)
        self.tokens_issued = 0
        self.sent = []          # (access_token, body) of accepted messages
        self.rejected = []      # (access_token, errcode)
        self.url = None

    async def token(self, request: web.Request) -> web.Response:
        assert request.query["appid"] == APP_ID and request.query["grant_type"] == "client_credential"
        self.tokens_issued += 1
        return web.json_response({"access_token": f"TOKEN-{self.tokens_issued}", "expires_in": 7200})

    async def send(self, request: web.Request) -> web.Response:
        token = request.query["access_token"]
        body = await request.json()
        if self.send_errors:
            errcode = self.send_errors.pop(0)
            self.rejected.append((token, errcode))
            return web.json_response({"errcode": errcode, "errmsg": "error"})
        self.sent.append((token, body))
        return web.json_response({"errcode": 0, "errmsg": "ok"})

    @contextlib.asynccontextmanager
    async def running(self):
        app = web.Application()
        app.router.add_get("/cgi-bin/token", self.token)
        app.router.add_post("/cgi-bin/message/custom/send", self.send)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"
        try:
            yield self
        finally:
            await runner.cleanup()


async def post(client, url, body: str, params: dict):
    async with client.post(url, params=params, data=body.encode("utf-8")) as reply:
        return reply.status, await reply.text()


# --------------------------------------------------------------------------------------------------------------
# Server check (GET)
# --------------------------------------------------------------------------------------------------------------

def test_signed_server_check_echoes_echostr():
    async def scenario():
        async with wechat_server(WeChatInput(settings()), ScriptedBot()) as (client, url):
            async with client.get(url, params=signed(echostr="5837397520665436492")) as reply:
                return reply.status, await reply.text()

    assert run(scenario()) == (200, "5837397520665436492")


def test_forged_server_check_gets_403():
    async def scenario():
        async with wechat_server(WeChatInput(settings()), ScriptedBot()) as (client, url):
            results = []
            for params in (signed(token="not-the-token", echostr="x"),   # signed with another token
                           {"timestamp": str(int(time.time())), "nonce": "1", "echostr": "x"},  # unsigned
                           signed(timestamp=int(time.time()) - 3600, echostr="x")):  # replayed an hour later
                async with client.get(url, params=params) as reply:
                    results.append((reply.status, await reply.text()))
            return results

    for status, text in run(scenario()):
        assert status == 403 and text != "x"


def test_without_wechat_token_the_channel_is_disabled():
    async def scenario():
        channel = WeChatInput.from_credentials(None)
        async with wechat_server(channel, ScriptedBot()) as (client, url):
            async with client.get(url, params=signed(echostr="x")) as reply:
                return reply.status, await reply.json()

    import os
    saved = os.environ.pop("WECHAT_TOKEN", None)
    try:
        status, body = run(scenario())
    finally:
        if saved is not None:
            os.environ["WECHAT_TOKEN"] = saved
    assert status == 404
    assert "WECHAT_TOKEN" in body["message_zh"] and "WECHAT_TOKEN" in body["message_en"]


def test_settings_come_from_the_environment_and_credentials_win():
    environ = {"WECHAT_TOKEN": "envtoken", "WECHAT_APP_ID": "wxenv", "WECHAT_API_BASE": "http://127.0.0.1:1/"}
    from_env = WeChatSettings.from_sources(None, environ)
    assert (from_env.token, from_env.app_id, from_env.api_base) == ("envtoken", "wxenv", "http://127.0.0.1:1")
    assert WeChatSettings.from_sources({"token": "filetoken"}, environ).token == "filetoken"
    assert not WeChatSettings.from_sources({}, {}).enabled


# --------------------------------------------------------------------------------------------------------------
# Messages (POST), plain mode
# --------------------------------------------------------------------------------------------------------------

def test_signed_text_message_gets_the_bot_answer_as_wechat_xml():
    bot = ScriptedBot()

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            return await post(client, url, fixture_xml("text.xml", "社保断缴了怎么办"), signed())

    status, body = run(scenario())
    assert status == 200
    reply = parse_reply(body)
    assert reply["MsgType"] == "text"
    assert reply["ToUserName"] == OPENID and reply["FromUserName"] == ACCOUNT
    assert reply["Content"] == "回答：社保断缴了怎么办"
    assert bot.messages[0].input_channel == "wechat"


def test_openid_never_becomes_the_sender_id_and_identifiers_are_masked():
    bot = ScriptedBot()

    async def scenario(channel):
        async with wechat_server(channel, bot) as (client, url):
            await post(client, url, fixture_xml("text.xml", "你好"), signed())
            await post(client, url, fixture_xml("text.xml", "我的身份证号110101199003071234，电话13812345678"), signed())

    run(scenario(WeChatInput(settings())))
    run(scenario(WeChatInput(settings(id_salt="another-salt"))))
    senders = [m.sender_id for m in bot.messages]
    assert all(OPENID not in s and OPENID.lower() not in s.lower() for s in senders)
    assert all(re.fullmatch(r"wx-[0-9a-f]{32}", s) for s in senders)
    assert senders[0] == senders[1], "the same person keeps one conversation"
    assert senders[2] != senders[0], "the pseudonym depends on the secret key"
    assert all(OPENID not in str(m.metadata) for m in bot.messages)
    masked = bot.messages[1].text
    assert "110101199003071234" not in masked and "13812345678" not in masked


def test_subscribe_event_gets_the_welcome():
    async def scenario(bot):
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            return await post(client, url, fixture_xml("subscribe.xml"), signed())

    bot = ScriptedBot()
    status, body = run(scenario(bot))
    assert status == 200 and parse_reply(body)["Content"] == "欢迎关注随行！有社保问题直接问我。"
    assert bot.messages[0].text == "/greet"

    class SilentBot(ScriptedBot):
        async def __call__(self, message):
            self.messages.append(message)

    status, body = run(scenario(SilentBot()))
    assert parse_reply(body)["Content"] == WELCOME


def test_voice_message_uses_wechat_recognition_text():
    bot = ScriptedBot()

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            recognised = await post(client, url, fixture_xml("voice.xml", "养老保险怎么转"), signed())
            unrecognised = await post(client, url, fixture_xml("voice.xml", ""), signed())
            return recognised, unrecognised

    (status, body), (_, body_without) = run(scenario())
    assert parse_reply(body)["Content"] == "回答：养老保险怎么转"
    assert parse_reply(body_without)["Content"] == PLEASE_TYPE
    assert [m.text for m in bot.messages] == ["养老保险怎么转"]


def test_image_message_gets_a_polite_please_type_in_both_languages():
    bot = ScriptedBot()

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            return await post(client, url, fixture_xml("image.xml"), signed())

    status, body = run(scenario())
    content = parse_reply(body)["Content"]
    assert status == 200 and "请直接输入文字" in content and "please type your question" in content.lower()
    assert bot.messages == []


def test_stale_or_forged_messages_are_refused_and_never_reach_the_bot():
    bot = ScriptedBot()
    old = int(time.time()) - 6 * 60

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            replay = await post(client, url, fixture_xml("text.xml", "旧消息", create_time=old), signed(timestamp=old))
            future = await post(client, url, fixture_xml("text.xml", "未来"), signed(timestamp=int(time.time()) + 600))
            forged = await post(client, url, fixture_xml("text.xml", "伪造"), signed(token="guess"))
            return replay, future, forged

    for status, _ in run(scenario()):
        assert status == 403
    assert bot.messages == []


def test_malformed_dtd_and_oversized_bodies_are_refused_without_crashing():
    bot = ScriptedBot()

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            results = [await post(client, url, fixture_xml("malformed.xml"), signed()),
                       await post(client, url, fixture_xml("entity_expansion.xml"), signed()),
                       await post(client, url, "<notxml>", signed()),
                       await post(client, url, "", signed()),
                       await post(client, url, "<xml><ToUserName>a</ToUserName></xml>", signed())]
            oversized = await post(client, url, fixture_xml("text.xml", "长" * 40000), signed())
            still_fine = await post(client, url, fixture_xml("text.xml", "还在吗"), signed())
            return results, oversized, still_fine

    results, oversized, still_fine = run(scenario())
    assert [status for status, _ in results] == [400] * 5
    assert oversized[0] == 413
    assert parse_reply(still_fine[1])["Content"] == "回答：还在吗"
    assert [m.text for m in bot.messages] == ["还在吗"]


def test_wechat_retries_of_one_msgid_reach_the_bot_once():
    bot = ScriptedBot()

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            body = fixture_xml("text.xml", "退休年龄", msg_id=1234567890123456)
            return [await post(client, url, body, signed()) for _ in range(3)]

    replies = run(scenario())
    assert len(bot.messages) == 1
    # A retry after a lost reply gets the same answer again, not silence.
    assert {parse_reply(body)["Content"] for _, body in replies} == {"回答：退休年龄"}


def test_buttons_become_a_numbered_menu_and_a_digit_sends_the_payload():
    bot = ScriptedBot()

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            menu = await post(client, url, fixture_xml("text.xml", "菜单"), signed())
            await post(client, url, fixture_xml("text.xml", "２"), signed())   # full-width digit, as phones type it
            await post(client, url, fixture_xml("text.xml", "2"), signed())    # the menu was used up
            await post(client, url, fixture_xml("text.xml", "菜单"), signed())
            await post(client, url, fixture_xml("text.xml", "7"), signed())    # not on the menu
            await post(client, url, fixture_xml("text.xml", "菜单"), signed())
            odd = await post(client, url, fixture_xml("text.xml", "²"), signed())  # a digit, but not 0-9
            assert odd[0] == 200
            return menu

    status, body = run(scenario())
    content = parse_reply(body)["Content"]
    assert "要停止这次测算吗？" in content and "1. 是，先停" in content and "2. 不，继续" in content
    assert "回复数字" in content and "Reply with a number" in content
    assert [m.text for m in bot.messages] == ["菜单", "/deny", "2", "菜单", "7", "菜单", "²"]


def test_bot_images_become_links():
    async def scenario():
        async with wechat_server(WeChatInput(settings()), ScriptedBot()) as (client, url):
            return await post(client, url, fixture_xml("text.xml", "图表"), signed())

    content = parse_reply(run(scenario())[1])["Content"]
    assert "你的缴费年限：" in content and "https://example.org/charts/years.png" in content


# --------------------------------------------------------------------------------------------------------------
# Encrypted (安全模式) messages
# --------------------------------------------------------------------------------------------------------------

def encrypt_like_wechat(plain_xml: str, timestamp: str, nonce: str) -> tuple[str, str]:
    """The body WeChat posts in safe mode (<ToUserName> + <Encrypt>) and its msg_signature."""
    envelope = parse_reply(WeChatCrypto(TOKEN, AES_KEY, APP_ID).encrypt_message(plain_xml, nonce, timestamp))
    body = (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName>"
            f"<Encrypt><![CDATA[{envelope['Encrypt']}]]></Encrypt></xml>")
    return body, envelope["MsgSignature"]


def test_encrypted_message_round_trip():
    bot = ScriptedBot()
    timestamp, nonce = str(int(time.time())), "998877"
    body, msg_signature = encrypt_like_wechat(fixture_xml("text.xml", "医保能转吗"), timestamp, nonce)

    async def scenario():
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            good = await post(client, url, body, signed(int(timestamp), nonce, encrypt_type="aes",
                                                        msg_signature=msg_signature))
            bad = await post(client, url, body, signed(int(timestamp), nonce, encrypt_type="aes",
                                                       msg_signature="0" * 40))
            return good, bad

    (status, reply_body), (bad_status, _) = run(scenario())
    assert status == 200
    envelope = parse_reply(reply_body)
    assert "医保" not in reply_body, "the reply must be encrypted"
    plain = WeChatCrypto(TOKEN, AES_KEY, APP_ID).decrypt_message(
        reply_body, envelope["MsgSignature"], envelope["TimeStamp"], envelope["Nonce"])
    assert parse_reply(plain)["Content"] == "回答：医保能转吗"
    assert bad_status == 403
    assert [m.text for m in bot.messages] == ["医保能转吗"]


# --------------------------------------------------------------------------------------------------------------
# Slow answers: `success` now, pushed through the customer-service API later
# --------------------------------------------------------------------------------------------------------------

async def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        await asyncio.sleep(0.05)


def test_slow_answer_is_acknowledged_then_pushed_with_token_refresh():
    bot = ScriptedBot(delay=1.0)
    fake = FakeWeChatApi(send_errors=[42001])  # the cached token has expired on WeChat's side

    async def scenario():
        async with fake.running():
            channel = WeChatInput(settings(api_base=fake.url, reply_timeout=0.3),
                                  api=WeChatApi(settings(api_base=fake.url), backoff=0.05))
            async with wechat_server(channel, bot) as (client, url):
                body = fixture_xml("text.xml", "我在深圳交了8年，回四川能领养老金吗")
                first = await post(client, url, body, signed())
                retry = await post(client, url, body, signed())   # WeChat's retry while the bot still thinks
                await wait_for(lambda: fake.sent)
                return first, retry

    first, retry = run(scenario())
    assert first == (200, "success") and retry == (200, "success")
    assert len(bot.messages) == 1
    token, pushed = fake.sent[0]
    assert pushed == {"touser": OPENID, "msgtype": "text",
                      "text": {"content": "回答：我在深圳交了8年，回四川能领养老金吗"}}
    assert fake.rejected == [("TOKEN-1", 42001)] and token == "TOKEN-2"


def test_push_retries_with_back_off_when_wechat_is_busy_and_reuses_the_cached_token():
    fake = FakeWeChatApi(send_errors=[-1, -1])

    async def scenario():
        async with fake.running():
            api = WeChatApi(settings(api_base=fake.url), backoff=0.05)
            started = time.monotonic()
            first = await api.send_text(OPENID, "第一条")
            elapsed = time.monotonic() - started
            second = await api.send_text(OPENID, "第二条")
            return first, second, elapsed

    first, second, elapsed = run(scenario())
    assert first and second
    assert elapsed >= 0.05 + 0.1, "waits longer after each failure"
    assert fake.tokens_issued == 1
    assert [body["text"]["content"] for _, body in fake.sent] == ["第一条", "第二条"]


def test_push_gives_up_after_its_attempts_without_raising():
    async def scenario():
        api = WeChatApi(settings(api_base=f"http://127.0.0.1:{free_port()}"), attempts=3, backoff=0.01)
        return await api.send_text(OPENID, "无人接收")

    assert run(scenario()) is False


def test_long_answer_passive_first_part_rest_pushed():
    fake = FakeWeChatApi()

    async def scenario():
        async with fake.running():
            channel = WeChatInput(settings(api_base=fake.url))
            async with wechat_server(channel, ScriptedBot()) as (client, url):
                status, body = await post(client, url, fixture_xml("text.xml", "长"), signed())
                await wait_for(lambda: fake.sent)
                return body

    body = run(scenario())
    passive = parse_reply(body)["Content"]
    assert passive.startswith("第1条") and len(passive.encode("utf-8")) <= 2048
    pushed = [b["text"]["content"] for _, b in fake.sent]
    assert all(len(p.encode("utf-8")) <= 2048 for p in pushed)
    assert "第29条" in pushed[-1]


def test_without_app_secret_a_slow_answer_waits_and_reaches_wechats_retry():
    bot = ScriptedBot(delay=1.0)
    no_push = settings(app_id=None, app_secret=None, reply_timeout=0.3)

    async def scenario():
        async with wechat_server(WeChatInput(no_push), bot) as (client, url):
            waited = await post(client, url, fixture_xml("text.xml", "等一等"), signed())
            body = fixture_xml("text.xml", "再等等")
            try:  # WeChat drops the first request (here after 0.5 s) ...
                async with client.post(url, params=signed(), data=body.encode(),
                                       timeout=aiohttp.ClientTimeout(total=0.5)):
                    pass
            except asyncio.TimeoutError:
                pass
            retried = await post(client, url, body, signed())   # ... and its retry gets the answer
            return waited, retried

    (status, first), (_, retried) = run(scenario())
    assert parse_reply(first)["Content"] == "回答：等一等"
    assert parse_reply(retried)["Content"] == "回答：再等等"
    assert [m.text for m in bot.messages] == ["等一等", "再等等"]


def test_the_credentials_file_mounts_the_channel_disabled_until_wechat_token_is_set(monkeypatch):
    from rasa.core.run import create_http_input_channels

    monkeypatch.delenv("WECHAT_TOKEN", raising=False)
    channels = {c.name(): c for c in create_http_input_channels(None, str(ROOT / "bot/credentials.yml"))}
    assert "rest" in channels and not channels["wechat"].settings.enabled
    monkeypatch.setenv("WECHAT_TOKEN", "evaltoken")
    channels = {c.name(): c for c in create_http_input_channels(None, str(ROOT / "bot/credentials.yml"))}
    assert channels["wechat"].settings.enabled and channels["wechat"].url_prefix() == "wechat"


# --------------------------------------------------------------------------------------------------------------
# With the trained model
# --------------------------------------------------------------------------------------------------------------

MODEL = ROOT / "models/suixing.tar.gz"


@pytest.fixture(scope="module")
def action_server_url():
    """The action server the model needs: a running one on :5055, else one started here (.venv/app)."""
    import requests

    try:
        if requests.get("http://127.0.0.1:5055/health", timeout=1).ok:
            yield "http://127.0.0.1:5055/webhook"
            return
    except requests.RequestException:
        pass
    port = free_port()
    process = subprocess.Popen([str(ROOT / ".venv/app/bin/python"), "-m", "rasa_sdk", "--actions", "actions",
                                "--port", str(port)], cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**__import__("os").environ, "PYTHONPATH": str(ROOT)})
    try:
        for _ in range(240):
            try:
                if requests.get(f"http://127.0.0.1:{port}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/webhook"
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.mark.skipif(not MODEL.exists(), reason=f"no trained model at {MODEL} (run scripts/setup.sh)")
def test_real_model_answers_a_signed_chinese_question_as_wechat_xml(action_server_url):
    from rasa.core.agent import load_agent
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.endpoints import EndpointConfig

    async def scenario():
        # In-memory tracker store: nothing of this test lands in var/tracker.db.
        agent = await load_agent(model_path=str(MODEL),
                                 endpoints=AvailableEndpoints(action=EndpointConfig(action_server_url)))
        # A generous timeout: on 2 shared cores the first message also warms the model up.
        channel = WeChatInput(settings(reply_timeout=60))
        async with wechat_server(channel, agent.handle_message) as (client, url):
            return await post(client, url, fixture_xml("text.xml", "社保断缴了怎么办"), signed())

    status, body = run(scenario())
    assert status == 200
    reply = parse_reply(body)
    assert reply["MsgType"] == "text" and reply["ToUserName"] == OPENID
    assert len(CJK.findall(reply["Content"])) >= 10, reply["Content"]


def test_a_signed_nonce_cannot_be_reused_for_another_body():
    params = signed()

    async def scenario(bot):
        async with wechat_server(WeChatInput(settings()), bot) as (client, url):
            first = await post(client, url, fixture_xml("text.xml", content="退保"), params)
            second = await post(client, url, fixture_xml("text.xml", content="我要转人工", openid="oOther"), params)
            return first[0], second[0]

    assert run(scenario(ScriptedBot())) == (200, 403)


def test_a_utf16_body_hiding_a_doctype_is_refused():
    from bot.channels.wechat import BadRequest, parse_xml

    body = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xml><Content>&a;</Content></xml>'
    with pytest.raises(BadRequest):
        parse_xml(body.encode("utf-16"))

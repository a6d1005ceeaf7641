"""WeChat Official Account (微信公众号) input channel for Rasa 3.6: ``POST/GET /webhooks/wechat/webhook``.

Enabling it (see docs/channels.md):
- ``bot/credentials.yml`` always lists ``bot.channels.wechat.WeChatInput:``; the settings come from the environment
  (``WECHAT_TOKEN``, ``WECHAT_APP_ID``, ``WECHAT_APP_SECRET``, ``WECHAT_AES_KEY``, optional ``WECHAT_ID_SALT``,
  ``WECHAT_API_BASE``, ``WECHAT_REPLY_TIMEOUT``); keys written in credentials.yml win over the environment.
- Without ``WECHAT_TOKEN`` the channel is disabled: its URLs answer 404 with a bilingual JSON error, and Rasa runs
  normally for the other channels.

What it does with a message from WeChat's servers:
- GET (the server check in the WeChat admin console): verifies ``signature`` and echoes ``echostr``; otherwise 403.
- POST: verifies the signature, refuses timestamps older than 5 minutes (replays) with 403 and malformed or oversized
  XML with 400/413; decrypts the AES ("安全模式") envelope when ``encrypt_type=aes``.
- text → the bot; voice → WeChat's speech recognition text; ``subscribe`` → the bot's welcome (``/greet``); other
  message types → a polite "please type your question".
- WeChat waits 5 s and then retries the same MsgId three times. The bot gets ``WECHAT_REPLY_TIMEOUT`` (4.5 s): if it
  answers in time the answer is the passive XML reply; otherwise the reply is ``success`` and the answer is pushed later
  through the customer-service message API (access token cached, refreshed on expiry/40001/40014/42001, retries with
  back-off). Retries of a MsgId already seen never reach the bot twice. Without AppID/AppSecret (no push possible)
  the channel keeps waiting for the bot and answers WeChat's retry of that MsgId with the finished answer.
- The OpenID never reaches Rasa: the sender id is ``wx-`` + HMAC-SHA256(key=WECHAT_ID_SALT or WECHAT_TOKEN, OpenID).
  ID/phone/bank numbers in the text are masked (``bot.privacy.mask_identifiers``) before the text reaches Rasa.
- Buttons become a numbered menu; replying with the digit sends that button's payload (kept per user in memory for
  ``MENU_TTL_SECONDS``). Images become links.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import os
import re
import time
import unicodedata
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text, Tuple

import aiohttp
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from rasa.core.channels.channel import CollectingOutputChannel, InputChannel, UserMessage

from bot.channels.guard import guard
from bot.privacy import mask_identifiers

logger = logging.getLogger(__name__)

DEFAULT_API_BASE = "https://api.weixin.qq.com"
DEFAULT_REPLY_TIMEOUT_SECONDS = 4.5      # WeChat gives up on a reply after 5 s
MAX_TIMESTAMP_SKEW_SECONDS = 300         # older (or future) signed requests are treated as replays
MAX_BODY_BYTES = 64 * 1024               # real WeChat messages are a few hundred bytes
MAX_MESSAGE_CHARS = 2000                 # what reaches NLU
MAX_TEXT_BYTES = 2000                    # WeChat text messages are cut at 2048 bytes
NO_PUSH_EXTRA_WAIT_SECONDS = 10.0        # see handle_post: covers WeChat's retries after 5 and 10 s
SEEN_MESSAGE_TTL_SECONDS = 120           # WeChat's retries come within ~15 s
MENU_TTL_SECONDS = 30 * 60
TOKEN_ERRORS = {40001, 40014, 42001}     # invalid credential, invalid token, token expired
RETRYABLE_ERRORS = {-1, 45009}           # system busy, API rate limit

WELCOME = ("你好！我是随行，帮外出务工的朋友弄清社保：怎么转移、在哪里领养老金、什么时候能退休。直接发文字问我就行。\n"
           "Hello! I'm Suixing. I help workers who move between cities with their social insurance. "
           "Just type your question (English works too).")
PLEASE_TYPE = ("请直接输入文字问题，我暂时看不懂图片、视频和文件。\n"
               "Please type your question as text; I can't read pictures, videos or files yet.")
NO_ANSWER = ("抱歉，我暂时答不上来，可以换个说法再问，或拨打 12333 咨询。\n"
             "Sorry, I have no answer right now. Try other words, or call 12333.")
BUSY = ("系统有点忙，请稍后再发一次。\n"
        "The assistant is busy, please send your message again in a moment.")
MENU_HINT = "（回复数字选择 / Reply with a number）"
CHART_ELSEWHERE = "（图表请在网页版查看 / See the chart in the web chat）"
DISABLED = {"error": "wechat_channel_disabled",
            "message_zh": "微信渠道未启用：请设置环境变量 WECHAT_TOKEN。",
            "message_en": "The WeChat channel is disabled: set the WECHAT_TOKEN environment variable."}

_FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_MARKDOWN_LINK = re.compile(r"\[([^\]]+)\]\((https?://[^)\s]+)\)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


class BadRequest(Exception):
    """The request is malformed (400)."""


class Forbidden(Exception):
    """The request is not from WeChat, or is a replay (403)."""


# ----------------------------------------------------------------------------------------------------------------
# Settings, signatures, pseudonyms, XML
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class WeChatSettings:
    token: Optional[Text] = None
    app_id: Optional[Text] = None
    app_secret: Optional[Text] = None
    aes_key: Optional[Text] = None
    id_salt: Optional[Text] = None
    api_base: Text = DEFAULT_API_BASE
    reply_timeout: float = DEFAULT_REPLY_TIMEOUT_SECONDS

    @classmethod
    def from_sources(cls, credentials: Optional[Dict[Text, Any]] = None,
                     environ: Optional[Dict[Text, Text]] = None) -> "WeChatSettings":
        credentials = credentials or {}
        environ = os.environ if environ is None else environ

        def pick(key: Text, env: Text) -> Optional[Text]:
            value = credentials.get(key)
            if value in (None, ""):
                value = environ.get(env)
            return str(value).strip() if value not in (None, "") else None

        return cls(token=pick("token", "WECHAT_TOKEN"), app_id=pick("app_id", "WECHAT_APP_ID"),
                   app_secret=pick("app_secret", "WECHAT_APP_SECRET"), aes_key=pick("aes_key", "WECHAT_AES_KEY"),
                   id_salt=pick("id_salt", "WECHAT_ID_SALT"),
                   api_base=(pick("api_base", "WECHAT_API_BASE") or DEFAULT_API_BASE).rstrip("/"),
                   reply_timeout=float(pick("reply_timeout", "WECHAT_REPLY_TIMEOUT")
                                       or DEFAULT_REPLY_TIMEOUT_SECONDS))

    @property
    def enabled(self) -> bool:
        return bool(self.token)

    @property
    def can_push(self) -> bool:
        return bool(self.app_id and self.app_secret)


def wechat_signature(token: Text, *parts: Text) -> Text:
    """WeChat's signature: SHA-1 of the sorted, concatenated strings."""
    return hashlib.sha1("".join(sorted([token, *parts])).encode("utf-8")).hexdigest()


def pseudonymous_sender_id(openid: Text, key: Text) -> Text:
    """The Rasa sender id for an OpenID: a keyed hash, so the tracker store never holds the OpenID."""
    return "wx-" + hmac.new(key.encode("utf-8"), openid.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def parse_xml(body: bytes) -> Dict[Text, Text]:
    """A flat WeChat XML message as a dict. Raises BadRequest for anything else (incl. DTDs/entities)."""
    if not body or not body.strip():
        raise BadRequest("empty body")
    try:   # WeChat sends UTF-8; anything else (UTF-16 hiding a DOCTYPE from a byte check) is refused
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequest("the body must be UTF-8") from None
    if "<!DOCTYPE" in text.upper() or "<!ENTITY" in text.upper() or "\x00" in text:
        raise BadRequest("DTDs are not accepted")
    try:
        root = ElementTree.fromstring(body)
    except (ElementTree.ParseError, ValueError) as error:
        raise BadRequest(f"malformed XML: {error}") from None
    if root.tag != "xml":
        raise BadRequest("the root element must be <xml>")
    return {child.tag: (child.text or "").strip() for child in root}


def _cdata(text: Text) -> Text:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def text_reply_xml(to_user: Text, from_user: Text, content: Text, now: Optional[int] = None) -> Text:
    """A passive text reply in WeChat's XML format."""
    return (f"<xml><ToUserName>{_cdata(to_user)}</ToUserName><FromUserName>{_cdata(from_user)}</FromUserName>"
            f"<CreateTime>{int(now if now is not None else time.time())}</CreateTime>"
            f"<MsgType><![CDATA[text]]></MsgType><Content>{_cdata(content)}</Content></xml>")


def split_for_wechat(text: Text, limit: int = MAX_TEXT_BYTES) -> List[Text]:
    """Cuts text into pieces of at most `limit` UTF-8 bytes, at paragraph or line breaks where possible."""
    pieces: List[Text] = []
    current = ""
    for line in text.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(candidate.encode("utf-8")) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(line.encode("utf-8")) > limit:  # a single very long line: cut by characters
            cut = len(line)
            while len(line[:cut].encode("utf-8")) > limit:
                cut = cut * 3 // 4
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    if current.strip():
        pieces.append(current)
    return pieces


# ----------------------------------------------------------------------------------------------------------------
# Bot messages → WeChat text (with numbered menus for buttons)
# ----------------------------------------------------------------------------------------------------------------

def _plain(text: Text) -> Text:
    """WeChat shows plain text: markdown links become "label: url", bold markers go."""
    text = _MARKDOWN_LINK.sub(lambda m: f"{m.group(1)}: {m.group(2)}", text)
    text = re.sub(r"^#{1,6}\s+", "", text, flags=re.MULTILINE)
    return text.replace("**", "")


def render_messages(messages: List[Dict[Text, Any]]) -> Tuple[Text, List[Text]]:
    """The bot's messages as one WeChat text, and the button payloads in menu order (digit n → payloads[n-1])."""
    parts: List[Text] = []
    payloads: List[Text] = []
    for message in messages:
        text = message.get("text")
        custom = message.get("custom")
        if not text and isinstance(custom, dict) and isinstance(custom.get("text"), str):
            text = custom["text"]
        if text:
            parts.append(_plain(str(text)))
        image = message.get("image")
        if isinstance(image, str) and image:
            parts.append(f"图表 / Chart: {image}" if image.startswith(("http://", "https://")) else CHART_ELSEWHERE)
        attachment = message.get("attachment")
        if isinstance(attachment, str) and attachment.startswith(("http://", "https://")):
            parts.append(f"附件 / Attachment: {attachment}")
        buttons = [b for b in message.get("buttons") or [] if isinstance(b, dict) and b.get("title")]
        if buttons:
            lines = []
            for button in buttons:
                payloads.append(str(button.get("payload") or button["title"]))
                lines.append(f"{len(payloads)}. {button['title']}")
            parts.append("\n".join(lines) + "\n" + MENU_HINT)
    return "\n\n".join(p.strip() for p in parts if p and p.strip()), payloads


class ExpiringStore:
    """A small in-memory dict whose entries expire; enough for one Rasa process."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic, max_items: int = 10000) -> None:
        self.ttl, self.clock, self.max_items = ttl, clock, max_items
        self._items: Dict[Text, Tuple[float, Any]] = {}

    def get(self, key: Text) -> Any:
        item = self._items.get(key)
        if item is None or item[0] < self.clock():
            self._items.pop(key, None)
            return None
        return item[1]

    def set(self, key: Text, value: Any) -> None:
        if len(self._items) >= self.max_items:
            now = self.clock()
            self._items = {k: v for k, v in self._items.items() if v[0] >= now}
            while len(self._items) >= self.max_items:  # still full: drop the oldest
                self._items.pop(next(iter(self._items)))
        self._items[key] = (self.clock() + self.ttl, value)

    def pop(self, key: Text) -> Any:
        item = self._items.pop(key, None)
        return item[1] if item and item[0] >= self.clock() else None


# ----------------------------------------------------------------------------------------------------------------
# The customer-service message API (push when the bot is slower than WeChat's 5 s)
# ----------------------------------------------------------------------------------------------------------------

class WeChatApi:
    """Sends customer-service text messages; caches the access token and refreshes it when WeChat says so."""

    def __init__(self, settings: WeChatSettings, attempts: int = 4, backoff: float = 0.5,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.settings, self.attempts, self.backoff, self.clock = settings, attempts, backoff, clock
        self._token: Optional[Text] = None
        self._token_expires = 0.0
        self._token_lock: Optional[asyncio.Lock] = None

    async def access_token(self, session: aiohttp.ClientSession) -> Text:
        if self._token_lock is None:
            self._token_lock = asyncio.Lock()
        async with self._token_lock:
            if self._token and self.clock() < self._token_expires:
                return self._token
            async with session.get(f"{self.settings.api_base}/cgi-bin/token",
                                   params={"grant_type": "client_credential", "appid": self.settings.app_id,
                                           "secret": self.settings.app_secret}) as reply:
                data = await reply.json(content_type=None)
            if "access_token" not in data:
                raise RuntimeError(f"WeChat token request failed: errcode {data.get('errcode')}")
            self._token = data["access_token"]
            # Refresh five minutes early: a token used right at its end fails with 42001.
            self._token_expires = self.clock() + max(60, int(data.get("expires_in", 7200)) - 300)
            return self._token

    def invalidate_token(self) -> None:
        self._token, self._token_expires = None, 0.0

    async def send_text(self, openid: Text, content: Text) -> bool:
        """Pushes one text message; returns whether WeChat accepted it."""
        body = {"touser": openid, "msgtype": "text", "text": {"content": content}}
        timeout = aiohttp.ClientTimeout(total=10)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            for attempt in range(self.attempts):
                try:
                    token = await self.access_token(session)
                    # WeChat wants UTF-8 text, not \\u escapes.
                    async with session.post(f"{self.settings.api_base}/cgi-bin/message/custom/send",
                                            params={"access_token": token},
                                            data=json.dumps(body, ensure_ascii=False).encode("utf-8"),
                                            headers={"Content-Type": "application/json; charset=utf-8"}) as reply:
                        data = await reply.json(content_type=None)
                    errcode = int(data.get("errcode", 0))
                    if errcode == 0:
                        return True
                    if errcode in TOKEN_ERRORS:
                        logger.info("WeChat access token rejected (errcode %s); refreshing", errcode)
                        self.invalidate_token()
                        continue
                    if errcode not in RETRYABLE_ERRORS:
                        # e.g. 45015: the user has not written within 48 h. Retrying will not help.
                        logger.warning("WeChat refused the pushed message: errcode %s", errcode)
                        return False
                except (aiohttp.ClientError, asyncio.TimeoutError, RuntimeError, ValueError) as error:
                    logger.warning("WeChat API call failed (attempt %d): %s", attempt + 1, error)
                await asyncio.sleep(self.backoff * 2 ** attempt)
        logger.error("Could not push a message to WeChat after %d attempts", self.attempts)
        return False


# ----------------------------------------------------------------------------------------------------------------
# The input channel
# ----------------------------------------------------------------------------------------------------------------

@dataclass
class _SeenMessage:
    """A MsgId already received: the passive reply if it was given, so a retry gets the same answer."""
    reply_text: Optional[Text] = None
    pushed: bool = False
    answer: Optional["asyncio.Future[Text]"] = None


@dataclass
class _Incoming:
    openid: Text
    account: Text
    text: Optional[Text] = None
    fixed_reply: Optional[Text] = None
    dedupe_key: Optional[Text] = None
    metadata: Dict[Text, Any] = field(default_factory=dict)


class WeChatInput(InputChannel):
    """Rasa input channel for a WeChat Official Account (see the module docstring)."""

    @classmethod
    def name(cls) -> Text:
        return "wechat"

    @classmethod
    def from_credentials(cls, credentials: Optional[Dict[Text, Any]]) -> "WeChatInput":
        settings = WeChatSettings.from_sources(credentials)
        if not settings.enabled:
            logger.info("WeChat channel disabled (WECHAT_TOKEN not set); /webhooks/wechat/webhook answers 404")
        elif not settings.can_push:
            logger.warning("WeChat: WECHAT_APP_ID/WECHAT_APP_SECRET not set, slow answers cannot be pushed")
        return cls(settings)

    def __init__(self, settings: Optional[WeChatSettings] = None, clock: Callable[[], float] = time.time,
                 api: Optional[WeChatApi] = None) -> None:
        self.settings = settings or WeChatSettings.from_sources()
        self.clock = clock
        self.api = api or WeChatApi(self.settings)
        self.seen = ExpiringStore(SEEN_MESSAGE_TTL_SECONDS)
        self.menus = ExpiringStore(MENU_TTL_SECONDS)
        self.nonces = ExpiringStore(2 * MAX_TIMESTAMP_SKEW_SECONDS)
        self._background: set = set()
        self._crypto = None
        if self.settings.enabled and self.settings.aes_key:
            from wechatpy.crypto import WeChatCrypto

            self._crypto = WeChatCrypto(self.settings.token, self.settings.aes_key, self.settings.app_id or "")

    # --- request checks ------------------------------------------------------------------------------------------
    def _check_signature(self, request: Request) -> None:
        args = request.args
        signature, timestamp, nonce = (args.get("signature"), args.get("timestamp"), args.get("nonce"))
        if not (signature and timestamp and nonce):
            raise Forbidden("missing signature")
        if not hmac.compare_digest(wechat_signature(self.settings.token, timestamp, nonce), signature):
            raise Forbidden("bad signature")
        try:
            skew = abs(self.clock() - int(timestamp))
        except ValueError:
            raise Forbidden("bad timestamp") from None
        if skew > MAX_TIMESTAMP_SKEW_SECONDS:
            raise Forbidden(f"stale timestamp ({skew:.0f} s)")

    def _refuse_reused_nonce(self, request: Request) -> None:
        """A signed (timestamp, nonce) is good for one body: WeChat's retries resend the same body, a replay with
        another body or OpenID is refused within the signature's window."""
        key = f"{request.args.get('timestamp')}:{request.args.get('nonce')}"
        body = hashlib.sha256(request.body or b"").hexdigest()
        first = self.nonces.get(key)
        if first is not None and first != body:
            raise Forbidden("nonce reused for another body")
        self.nonces.set(key, body)

    def _decode(self, request: Request) -> Tuple[Dict[Text, Text], bool]:
        envelope = parse_xml(request.body)
        if request.args.get("encrypt_type", "raw") != "aes":
            return envelope, False
        if self._crypto is None:
            raise BadRequest("encrypted message but WECHAT_AES_KEY is not set")
        if "Encrypt" not in envelope:
            raise BadRequest("no <Encrypt> element")
        from wechatpy.exceptions import InvalidAppIdException, InvalidSignatureException

        try:
            plain = self._crypto.decrypt_message({"Encrypt": envelope["Encrypt"]},
                                                 request.args.get("msg_signature", ""),
                                                 request.args.get("timestamp"), request.args.get("nonce"))
        except (InvalidSignatureException, InvalidAppIdException):
            raise Forbidden("bad message signature or app id") from None
        except Exception as error:  # corrupt base64 / padding: not something WeChat sends
            raise BadRequest(f"cannot decrypt: {type(error).__name__}") from None
        return parse_xml(plain.encode("utf-8") if isinstance(plain, str) else plain), True

    # --- message → what to do ------------------------------------------------------------------------------------
    def _interpret(self, message: Dict[Text, Text]) -> _Incoming:
        openid, account = message.get("FromUserName"), message.get("ToUserName")
        if not openid or not account:
            raise BadRequest("FromUserName/ToUserName missing")
        kind = message.get("MsgType", "").lower()
        key = message.get("MsgId") or f"{openid}:{message.get('CreateTime', '')}:{message.get('Event', '')}"
        incoming = _Incoming(openid=openid, account=account, dedupe_key=key,
                             metadata={"channel": "wechat", "msg_type": kind})
        if kind == "text":
            incoming.text = message.get("Content", "")
        elif kind == "voice":
            if message.get("Recognition"):
                incoming.text = message["Recognition"]
            else:
                incoming.fixed_reply = PLEASE_TYPE
        elif kind == "event":
            event = message.get("Event", "").lower()
            if event == "subscribe":
                incoming.text = "/greet"
                incoming.metadata["event"] = "subscribe"
            else:  # unsubscribe, menu clicks, location reports: nothing to say
                incoming.fixed_reply = ""
        else:  # image, video, shortvideo, location, link, file
            incoming.fixed_reply = PLEASE_TYPE
        return incoming

    def _user_text(self, sender_id: Text, text: Text) -> Text:
        """The text that goes to Rasa: a menu digit becomes its payload; identifiers are masked."""
        text = _CONTROL.sub(" ", unicodedata.normalize("NFC", text)).strip()
        menu = self.menus.pop(sender_id)
        digit = text.translate(_FULLWIDTH_DIGITS)
        if menu and re.fullmatch(r"[0-9]{1,2}", digit) and 1 <= int(digit) <= len(menu):
            return menu[int(digit) - 1]
        return mask_identifiers(text)[:MAX_MESSAGE_CHARS]

    async def _ask_bot(self, on_new_message: Callable[[UserMessage], Awaitable[Any]], text: Text,
                       sender_id: Text, metadata: Dict[Text, Any]) -> Text:
        collector = CollectingOutputChannel()
        try:
            await on_new_message(UserMessage(text, collector, sender_id, input_channel=self.name(),
                                             metadata=metadata))
        except Exception:  # the bot failing must not turn into a WeChat retry storm
            logger.exception("WeChat: the bot failed on a message from %s", sender_id)
            return BUSY
        content, payloads = render_messages(collector.messages)
        if payloads:
            self.menus.set(sender_id, payloads)
        if not content and metadata.get("event") == "subscribe":
            return WELCOME
        return content or NO_ANSWER

    async def _push(self, openid: Text, pieces: List[Text]) -> None:
        if not pieces:
            return
        if not self.settings.can_push:
            logger.warning("WeChat: an answer could not be delivered (no WECHAT_APP_ID/WECHAT_APP_SECRET to push)")
            return
        for piece in pieces:
            if not await self.api.send_text(openid, piece):
                return

    def _keep(self, coroutine: Awaitable[Any]) -> None:
        task = asyncio.ensure_future(coroutine)
        self._background.add(task)
        task.add_done_callback(self._background.discard)

    def _reply(self, request: Request, incoming: _Incoming, content: Text, encrypted: bool) -> HTTPResponse:
        if not content:
            return response.text("success")
        xml = text_reply_xml(incoming.openid, incoming.account, content, int(self.clock()))
        if encrypted:
            xml = self._crypto.encrypt_message(xml, request.args.get("nonce"), str(int(self.clock())))
        return response.text(xml, content_type="application/xml; charset=utf-8")

    async def handle_post(self, request: Request, on_new_message: Callable[[UserMessage], Awaitable[Any]]
                          ) -> HTTPResponse:
        started = time.monotonic()
        if len(request.body or b"") > MAX_BODY_BYTES:
            return response.json({"error": "too_large"}, status=413)
        self._check_signature(request)
        self._refuse_reused_nonce(request)
        message, encrypted = self._decode(request)
        incoming = self._interpret(message)

        seen: Optional[_SeenMessage] = self.seen.get(incoming.dedupe_key)
        if seen is not None:  # WeChat's retry of a message we already have: never asked to the bot twice
            logger.debug("WeChat retry of %s", incoming.dedupe_key)
            if seen.answer is not None and not seen.answer.done() and not seen.pushed:
                # The answer is still being made and cannot be pushed: this retry may carry it. Not answering
                # `success` while waiting keeps WeChat retrying (it drops a request after 5 s and sends the next).
                await asyncio.wait({seen.answer}, timeout=self.settings.reply_timeout + NO_PUSH_EXTRA_WAIT_SECONDS)
                if seen.answer.done() and seen.reply_text is None:
                    seen.reply_text = self._first_piece_and_push_rest(incoming.openid, seen.answer.result())
            if seen.reply_text and not seen.pushed:
                return self._reply(request, incoming, seen.reply_text, encrypted)
            return response.text("success")
        seen = _SeenMessage()
        self.seen.set(incoming.dedupe_key, seen)

        if incoming.fixed_reply is not None:
            seen.reply_text = incoming.fixed_reply
            return self._reply(request, incoming, incoming.fixed_reply, encrypted)

        key = self.settings.id_salt or self.settings.token
        sender_id = pseudonymous_sender_id(incoming.openid, key)
        text = self._user_text(sender_id, incoming.text or "")
        if not text:
            seen.reply_text = PLEASE_TYPE
            return self._reply(request, incoming, PLEASE_TYPE, encrypted)

        answer = asyncio.ensure_future(self._ask_bot(on_new_message, text, sender_id, incoming.metadata))
        seen.answer = answer
        remaining = self.settings.reply_timeout - (time.monotonic() - started)
        if not self.settings.can_push:
            # Without AppID/AppSecret a late answer cannot be pushed: keep waiting. WeChat gives up on this request
            # after 5 s, but its retries of the MsgId (after 5, 10 and 15 s) are answered from the same result.
            remaining += NO_PUSH_EXTRA_WAIT_SECONDS
        done, _ = await asyncio.wait({answer}, timeout=max(0.0, remaining))
        if answer in done:
            if seen.reply_text is None:
                seen.reply_text = self._first_piece_and_push_rest(incoming.openid, answer.result())
            return self._reply(request, incoming, seen.reply_text, encrypted)
        if not self.settings.can_push:
            logger.warning("WeChat: the bot took too long and the answer cannot be pushed (no WECHAT_APP_ID/SECRET)")
            return response.text("success")

        # Too slow for a passive reply: acknowledge now, push the answer when it is ready.
        seen.pushed = True

        async def push_when_ready() -> None:
            await self._push(incoming.openid, split_for_wechat(await answer))

        self._keep(push_when_ready())
        return response.text("success")

    def _first_piece_and_push_rest(self, openid: Text, content: Text) -> Text:
        """The passive reply is one message of at most 2048 bytes; the rest of a long answer is pushed."""
        pieces = split_for_wechat(content)
        if len(pieces) > 1:
            self._keep(self._push(openid, pieces[1:]))
        return pieces[0]

    # --- Sanic ---------------------------------------------------------------------------------------------------
    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        on_new_message = guard(on_new_message)   # never silent, typed intents are text, "删除我的记录" (guard.py)
        wechat_webhook = Blueprint("wechat_webhook", __name__)

        @wechat_webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok", "enabled": self.settings.enabled})

        @wechat_webhook.route("/webhook", methods=["GET"])
        async def verify(request: Request) -> HTTPResponse:
            if not self.settings.enabled:
                return response.json(DISABLED, status=404)
            try:
                self._check_signature(request)
            except Forbidden as error:
                logger.warning("WeChat server check refused: %s", error)
                return response.text("forbidden", status=403)
            return response.text(request.args.get("echostr", ""))

        @wechat_webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not self.settings.enabled:
                return response.json(DISABLED, status=404)
            try:
                return await self.handle_post(request, on_new_message)
            except Forbidden as error:
                logger.warning("WeChat message refused: %s", error)
                return response.text("forbidden", status=403)
            except BadRequest as error:
                logger.warning("WeChat message rejected: %s", error)
                return response.text("bad request", status=400)

        return wechat_webhook

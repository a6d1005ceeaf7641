"""What every input channel does around a turn, before and after Rasa: never silent, typed intents are text, and
"删除我的记录 / delete my data" handled without NLU.

    guarded = guard(on_new_message)      # in a channel's blueprint(); then call guarded(UserMessage(...)) as usual

- Typed text starting with "/" is Rasa's intent syntax: it is kept as an intent only when it is the payload of a
  button this sender was offered (or the page's fixed check-up button); otherwise the slashes are removed and it is
  understood as text.
- A turn that raises, takes longer than TURN_TIMEOUT seconds (default 6) or produces no message at all gets a
  bilingual reply: "something went wrong, call 12333" when the action server is unreachable or the turn failed,
  else "didn't get that" with the topic buttons. A failed turn is not saved, so a form keeps its state.
- "删除我的记录" / "delete my data" asks to confirm with two buttons; the confirmation deletes the sender's conversation
  and hand-over cases (suixing/retention.forget_sender) and says so.
"""
from __future__ import annotations

import asyncio
import logging
import os
import re
import unicodedata
import urllib.request
from collections import OrderedDict
from typing import Any, Awaitable, Callable, Optional

from rasa.core.channels.channel import UserMessage

from suixing import retention

logger = logging.getLogger(__name__)

SORRY = ("系统暂时出了点问题，请稍后再试，或直接打12333。 / "
         "Something went wrong on our side, please try again later or call 12333.")
DIDNT_GET = "抱歉，我没听懂。您可以选一个话题： / Sorry, I didn't get that. You can pick a topic:"
TOPIC_BUTTONS = [
    {"title": "社保转移 / Moving my pension", "payload": "换城市了，养老保险怎么转？"},
    {"title": "断缴了怎么办 / Stopped paying", "payload": "社保断缴了怎么办？"},
    {"title": "什么时候退休 / When can I retire", "payload": "我什么时候能退休？"},
    {"title": "社保体检 / My check-up", "payload": "/start_checkup"},
]
FORGET_CONFIRM, FORGET_CANCEL = "/suixing_forget_confirm", "/suixing_forget_cancel"
FORGET_ASK = ("确定要删除您在这里的全部聊天记录和转人工记录吗？删除后无法恢复。 / "
              "Delete your whole conversation and hand-over records here? This cannot be undone.")
FORGET_BUTTONS = [{"title": "确定删除 / Yes, delete", "payload": FORGET_CONFIRM},
                  {"title": "不删除 / No, keep", "payload": FORGET_CANCEL}]
FORGET_DONE = "已删除您的聊天记录和转人工记录。 / Your conversation and hand-over records have been deleted."
FORGET_FAILED = ("删除没有成功，请稍后再试，或打12333。 / The deletion did not work; please try again later or call 12333.")
FORGET_KEPT = "好的，没有删除任何记录。 / OK, nothing was deleted."
FORGET_PHRASE = re.compile(r"^\s*(删除|删掉|清除)(我的)?(全部|所有)?(聊天)?(记录|数据|信息)\s*[。.!！]?\s*$|"
                           r"^\s*(please\s+)?(delete|erase|remove)\s+(all\s+)?my\s+(data|records|conversation|chat)"
                           r"\s*[.!]?\s*$", re.IGNORECASE)
# The page's own buttons (web/static/chat.js: check-up, language switch) and the channel's own.
ALWAYS_ALLOWED = {"/start_checkup", "/greet", '/switch_language{"language":"en"}', '/switch_language{"language":"zh"}',
                  FORGET_CONFIRM, FORGET_CANCEL}
MAX_REMEMBERED_SENDERS = 10000

_offered: "OrderedDict[str, set[str]]" = OrderedDict()


def turn_timeout() -> float:
    try:
        return float(os.environ.get("TURN_TIMEOUT") or 6)
    except ValueError:
        return 6.0


def remember_offered(sender: str, messages: list[dict]) -> None:
    payloads = {b.get("payload") for m in messages for b in (m.get("buttons") or []) if isinstance(b, dict)}
    payloads = {p for p in payloads if isinstance(p, str) and p.startswith("/")}
    if not payloads:
        return
    _offered[sender] = payloads
    _offered.move_to_end(sender)
    while len(_offered) > MAX_REMEMBERED_SENDERS:
        _offered.popitem(last=False)


def as_text_unless_offered(sender: str, text: Optional[str]) -> Optional[str]:
    """A "/intent{...}" the sender typed becomes plain text; a payload of an offered button stays an intent."""
    if not text or not text.lstrip().startswith("/"):
        return text
    stripped = text.strip()
    if stripped in ALWAYS_ALLOWED or stripped in _offered.get(sender, set()):
        return stripped
    return stripped.lstrip("/").strip() or "?"


def action_server_up() -> bool:
    url = os.environ.get("ACTION_SERVER_HEALTH_URL") or "http://127.0.0.1:5055/health"
    try:
        with urllib.request.urlopen(url, timeout=1) as reply:
            return reply.status < 500
    except Exception:
        return False


def is_forget_request(text: Optional[str]) -> bool:
    return bool(text) and bool(FORGET_PHRASE.match(unicodedata.normalize("NFKC", text)))


async def _forget(message: UserMessage) -> None:
    output = message.output_channel
    try:
        await asyncio.get_running_loop().run_in_executor(None, retention.forget_sender, message.sender_id)
    except Exception:
        logger.exception("could not delete a sender's records")
        await output.send_text_message(message.sender_id, FORGET_FAILED)
        return
    _offered.pop(message.sender_id, None)
    await output.send_text_message(message.sender_id, FORGET_DONE)


def guard(on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Callable[[UserMessage], Awaitable[None]]:
    async def guarded(message: UserMessage) -> None:
        output, sender = message.output_channel, message.sender_id
        text = (message.text or "").strip()
        if is_forget_request(text):
            await output.send_text_with_buttons(sender, FORGET_ASK, FORGET_BUTTONS)
            return
        if text == FORGET_CONFIRM:
            await _forget(message)
            return
        if text == FORGET_CANCEL:
            await output.send_text_message(sender, FORGET_KEPT)
            return
        message.text = as_text_unless_offered(sender, message.text)
        already = len(getattr(output, "messages", []))
        failed = False
        try:
            await asyncio.wait_for(on_new_message(message), timeout=turn_timeout())
        except asyncio.TimeoutError:
            logger.error("turn of a conversation took longer than %.0f s; not saved", turn_timeout())
            failed = True
        except Exception:
            logger.exception("turn of a conversation failed")
            failed = True
        produced = getattr(output, "messages", [])[already:]
        if produced and not failed:
            remember_offered(sender, produced)
            return
        if not failed and (message.metadata or {}).get("event") == "subscribe":
            return   # the WeChat channel has its own welcome for a silent greeting
        if failed or not await asyncio.get_running_loop().run_in_executor(None, action_server_up):
            await output.send_text_message(sender, SORRY)
        else:
            await output.send_text_with_buttons(sender, DIDNT_GET, TOPIC_BUTTONS)
            remember_offered(sender, [{"buttons": TOPIC_BUTTONS}])

    return guarded

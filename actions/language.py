"""The conversation language, set on every user message (`action_validate_slot_mappings`).

An explicit switch wins (intent switch_language with its `language` entity, "English please", "说中文", the
`/switch_language{"language":"en"}` button); otherwise a message with Chinese characters is Chinese, a message of
Latin words without Chinese characters is English, and anything else (digits, emoji, button payloads) keeps the
language the conversation already has. The default is Chinese.
"""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from actions.common import entity_values, latest_intent, latest_text

DEFAULT_LANGUAGE = "zh"
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_TO_ENGLISH = re.compile(
    r"(\benglish\b|\bin english\b|英文|英语|\bspeak english\b)", re.IGNORECASE)
_TO_CHINESE = re.compile(
    r"(说中文|讲中文|用中文|中文|汉语|普通话|\bchinese\b|\bmandarin\b|\bzhongwen\b|\bputonghua\b)", re.IGNORECASE)
# Latin tokens that do not make a message English: scheme abbreviations, units, common brand names
_NEUTRAL_LATIN = {"bpi", "ue", "rur", "bmci", "ui", "eii", "mi", "ok", "app", "id", "vs", "k", "w", "wan", "qq",
                  "wechat", "vx", "wx", "si", "gb", "pdf", "sms", "hi"}
# Latin greetings that keep the language of a conversation under way but open one in English ("hi" as a first message)
_GREETING_LATIN = {"hi"}


def explicit_switch(text: str, intent: str | None, entities: list[str]) -> str | None:
    """The language the user asked for, or None when the message is no switch request."""
    for value in entities:
        value = str(value).lower()
        if value in ("zh", "en"):
            return value
        if value in ("english", "英文", "英语"):
            return "en"
        if value in ("chinese", "中文", "汉语", "普通话"):
            return "zh"
    wants_en, wants_zh = bool(_TO_ENGLISH.search(text)), bool(_TO_CHINESE.search(text))
    if intent == "switch_language" or re.search(r"(please|switch|说|讲|用|换|change|speak|can you|能不能|可以)",
                                                 text, re.IGNORECASE):
        if wants_en and not wants_zh:
            return "en"
        if wants_zh and not wants_en:
            return "zh"
    if re.fullmatch(r"\s*(english|英文|英语)\s*[.!。！]*\s*", text, re.IGNORECASE):
        return "en"
    if re.fullmatch(r"\s*(中文|汉语|chinese)\s*[.!。！]*\s*", text, re.IGNORECASE):
        return "zh"
    return None


def detect_language(text: str, previous: str | None, first_message: bool = False) -> str:
    """Chinese characters → zh; Latin words and no Chinese → en; otherwise the previous language (or zh). A first
    message of Latin greetings ("hi") opens the conversation in English."""
    previous = previous if previous in ("zh", "en") else DEFAULT_LANGUAGE
    if not text or text.lstrip().startswith("/"):  # button payloads say nothing about the language
        return previous
    words = [w.lower() for w in _LATIN_WORD.findall(text)]
    cjk = len(_CJK.findall(text))
    if cjk:
        # mostly English with a Chinese term ("how to transfer my 养老保险 to hunan") is English
        english = [w for w in words if w not in _NEUTRAL_LATIN]
        return "en" if len(english) >= 2 and 2 * len(english) >= cjk else "zh"
    if any(w not in _NEUTRAL_LATIN for w in words):
        return "en"
    if first_message and any(w in _GREETING_LATIN for w in words):
        return "en"
    return previous


def is_first_message(tracker: Tracker) -> bool:
    """Whether the latest message is the first the user typed in this conversation (button clicks don't count)."""
    typed = [e for e in tracker.events if e.get("event") == "user" and not (e.get("text") or "").lstrip().startswith("/")]
    return len(typed) <= 1


def language_for(tracker: Tracker) -> str:
    text = latest_text(tracker)
    previous = tracker.get_slot("language")
    switched = explicit_switch(text, latest_intent(tracker), entity_values(tracker, "language"))
    return switched or detect_language(text, previous, first_message=is_first_message(tracker))


class ValidateSlotMappings(ValidationAction):
    """Fills the global custom-mapped slots (`language`) after every user message."""

    def name(self) -> str:
        return "action_validate_slot_mappings"

    async def extract_language(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                               domain: DomainDict) -> dict[str, Any]:
        language = language_for(tracker)
        if language == tracker.get_slot("language"):
            return {}
        return {"language": language}

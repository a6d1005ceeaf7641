"""Small helpers shared by the actions: the conversation language, the knowledge base, masking, formatting."""
from __future__ import annotations

import functools
import logging
from typing import Any

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import settings
from suixing.privacy import mask_identifiers

logger = logging.getLogger(__name__)

LANGUAGES = ("zh", "en")
CHECKUP_SLOTS = ("birth", "sex", "female_category", "hukou_province", "periods", "wage", "account_balance")
UNKNOWN = "unknown"


def lang_of(tracker: Tracker) -> str:
    """The conversation language from the `language` slot; Chinese unless it says English."""
    return "en" if tracker.get_slot("language") == "en" else "zh"


def latest_text(tracker: Tracker) -> str:
    return (tracker.latest_message or {}).get("text") or ""


def latest_intent(tracker: Tracker) -> str | None:
    return ((tracker.latest_message or {}).get("intent") or {}).get("name")


def entity_values(tracker: Tracker, entity: str) -> list[str]:
    return [e.get("value") for e in (tracker.latest_message or {}).get("entities") or []
            if e.get("entity") == entity and e.get("value") is not None]


def mask(text: str | None) -> str:
    """ID, phone and bank-card numbers masked with the channels' own patterns (suixing/privacy.py)."""
    if not text:
        return ""
    return mask_identifiers(text)


def province_label(code: str | None, lang: str) -> str:
    if not code:
        return ""
    try:
        from rules_engine.provinces import province_name

        return province_name(code, lang)
    except Exception:
        return str(code)


def format_months(months: int, lang: str, at_least: bool = False) -> str:
    """96 → "8年" / "8 years"; 27 → "2年3个月" / "2 years 3 months"; "多"/"+" when the person said "more than"."""
    years, rest = divmod(int(months), 12)
    if lang == "en":
        parts = []
        if years:
            parts.append(f"{years} year{'s' if years != 1 else ''}")
        if rest or not years:
            parts.append(f"{rest} month{'s' if rest != 1 else ''}")
        return " ".join(parts) + ("+" if at_least else "")
    text = (f"{years}年" if years else "") + (f"{rest}个月" if rest or not years else "")
    return text + ("多" if at_least else "")


def format_years(value: Any, lang: str) -> str:
    """15.5 → "15.5年" / "15.5 years"."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    shown = f"{number:.1f}".rstrip("0").rstrip(".")
    return f"{shown} years" if lang == "en" else f"{shown}年"


def format_money(value: Any, lang: str) -> str:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    return f"{number:,.0f} yuan" if lang == "en" else f"{number:,.0f}元"


def buttons(pairs: list[tuple[str, str]]) -> list[dict]:
    return [{"title": title, "payload": payload} for title, payload in pairs]


def utter(dispatcher: CollectingDispatcher, response: str, buttons_: list[dict] | None = None, **values: Any) -> None:
    """Send a domain response; values fill its {placeholders}. Never pass `text` or `buttons` as a value name."""
    if buttons_:
        dispatcher.utter_message(response=response, buttons=buttons_, **values)
    else:
        dispatcher.utter_message(response=response, **values)


def knowledge_base():
    return settings.knowledge_base()


def never_fails(run):
    """An action that fails inside says sorry and gives 12333 instead of breaking the conversation."""

    @functools.wraps(run)
    async def wrapper(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain):
        try:
            return await run(self, dispatcher, tracker, domain)
        except Exception:
            logger.exception("action %s failed", self.name())
            dispatcher.messages[:] = []   # no half answers
            utter(dispatcher, "utter_error_sorry")
            return []

    return wrapper

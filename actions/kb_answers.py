"""Saying a knowledge-base entry as short bubbles: answer, numbered steps, caveats, source, related buttons."""
from __future__ import annotations

import json
import logging

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import knowledge_base, utter

logger = logging.getLogger(__name__)

MAX_RELATED = 3
MAX_STEP_CHARS = 160


def payload_for_entry(entry_id: str, title: str) -> str:
    """A button payload that brings the user to an entry: its intent when one maps to it, else its title as text."""
    from actions.topics import intent_for_entry

    found = intent_for_entry(entry_id)
    if not found:
        return title
    intent, scheme = found
    if scheme:
        return f"/{intent}" + json.dumps({"scheme": scheme}, separators=(",", ":"))
    return f"/{intent}"


def step_text(step, lang: str = "zh") -> str:
    """One procedure step in one line; the place, documents and deadline are marked with symbols, not words."""
    colon = ": " if lang == "en" else "："
    text = f"{step.who}{colon}{step.action}" if step.who else step.action
    extras = []
    if step.where:
        extras.append(f"📍{step.where}")
    if step.documents:
        extras.append(f"📄{step.documents}")
    if step.deadline:
        extras.append(f"⏰{step.deadline}")
    line = " ".join([text, *extras])
    return line if len(line) <= MAX_STEP_CHARS else line[: MAX_STEP_CHARS - 1] + "…"


def say_entry(dispatcher: CollectingDispatcher, entry_id: str, lang: str, *, steps: bool = True,
              related: bool = True, extra_buttons: list[dict] | None = None) -> list:
    """Utter an entry; returns the events (last_entry_id). Without a knowledge base, says so and gives 12333."""
    kb = knowledge_base()
    entry = kb.get(entry_id, lang) if kb else None
    if entry is None:
        logger.error("knowledge entry %s not found", entry_id)
        utter(dispatcher, "utter_kb_unavailable")
        return []
    utter(dispatcher, "utter_kb_answer", title=entry.title, answer=entry.short)
    if steps:
        for number, step in enumerate(entry.steps, start=1):
            utter(dispatcher, "utter_kb_step", number=number, step=step_text(step, lang))
    if entry.confidence == "to_verify":
        utter(dispatcher, "utter_kb_to_verify")
    if entry.local_variation or entry.confidence == "local":
        utter(dispatcher, "utter_kb_local_variation")
    if entry.citation:
        utter(dispatcher, "utter_kb_citation", citation=entry.citation)
    related_buttons = list(extra_buttons or [])
    if related:
        for related_id in entry.related[:MAX_RELATED]:
            other = kb.get(related_id, lang)
            if other is not None:
                related_buttons.append({"title": other.title, "payload": payload_for_entry(other.id, other.title)})
    if related_buttons:
        utter(dispatcher, "utter_kb_related", buttons_=related_buttons)
    return [SlotSet("last_entry_id", entry.id)]


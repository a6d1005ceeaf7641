"""Saying a knowledge-base entry as short bubbles: answer, numbered steps, caveats, source, related buttons."""
from __future__ import annotations

import json
import logging

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import knowledge_base, utter

logger = logging.getLogger(__name__)

MAX_RELATED = 3
MAX_STEP_CHARS = 120


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


def step_bubbles(step, lang: str = "zh") -> tuple[str, str | None]:
    """One procedure step: who does what, then (when the line would be long) the place, documents and deadline as a
    second bubble. They are marked with symbols, not words, so no label needs translating."""
    colon = ": " if lang == "en" else "："
    main = f"{step.who}{colon}{step.action}" if step.who else step.action
    extras = " ".join(f"{mark}{value}" for mark, value in
                      (("📍", step.where), ("📄", step.documents), ("⏰", step.deadline)) if value)
    if not extras:
        return main, None
    if len(main) + len(extras) + 1 <= MAX_STEP_CHARS:
        return f"{main} {extras}", None
    return main, extras


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
            main, details = step_bubbles(step, lang)
            utter(dispatcher, "utter_kb_step", number=number, step=main)
            if details:
                utter(dispatcher, "utter_kb_step_details", details=details)
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


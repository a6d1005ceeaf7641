"""Reading the user's message for the actions: the answer text (typed or from a button), the hukou place named
("我是湖南人", "户口在江西"), and whether a message holds an answer for a check-up question at all."""
from __future__ import annotations

import re

from rasa_sdk import Tracker

from actions import parsing
from actions.common import latest_text
from actions.parsing.places import is_hukou_mention

ACCOUNT_NONE = re.compile(r"^\s*(没有|没|无|none|no)\s*[。.!！]*\s*$", re.IGNORECASE)


# entities whose values are canonical words the parsers understand ("坐办公室" → job: cadre)
CANONICAL_ENTITIES = ("sex", "job")


def answer_text(tracker: Tracker) -> str:
    """The user's answer: the typed text (plus the canonical sex/job values NLU found in it), or the entity values
    of a button payload such as /inform{"sex":"female"}."""
    text = latest_text(tracker)
    all_entities = (tracker.latest_message or {}).get("entities") or []
    if text.lstrip().startswith("/"):
        return " ".join(str(e.get("value")) for e in all_entities
                        if e.get("value") is not None and e.get("entity") != "slot_name")
    canonical = [str(e.get("value")) for e in all_entities
                 if e.get("entity") in CANONICAL_ENTITIES and e.get("value") is not None]
    return text + (" " + " ".join(canonical) if canonical else "")


def hukou_place(text: str):
    """The place named as the hukou ("我是湖南人", "户口在江西"), else None."""
    for place in parsing.find_places(text):
        if is_hukou_mention(text, place):
            return place
    return None


def hukou_hint(text: str) -> str | None:
    """The hukou province when the message says so, else None."""
    place = hukou_place(text)
    return place.province if place else None


def parses_as(slot: str, text: str) -> bool:
    """Whether the text holds an answer (or a skip/stop) for the slot at all."""
    if parsing.is_skip(text) or parsing.is_stop(text):
        return True
    if slot == "birth":
        result = parsing.parse_birth(text)
        return bool(result.value or result.problem)
    if slot == "sex":
        return parsing.parse_sex(text) is not None
    if slot == "female_category":
        return parsing.parse_job(text) is not None
    if slot == "hukou_province":
        return parsing.find_province(text) is not None
    if slot == "periods":
        return bool(parsing.find_places(text) or parsing.find_durations(text))
    if slot in ("wage", "account_balance"):
        return parsing.parse_amount(text) is not None or (slot == "account_balance" and bool(ACCOUNT_NONE.match(text)))
    return False

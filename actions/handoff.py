"""Talk to a person (`action_handoff`): 12333 and the local channel, and a case summary for the hotline console.

The case is a JSON file under CASES_DIR (default var/cases/) plus a row in CASES_DIR/index.db (SQLite, table
`cases`), holding the facts collected, the rules-engine result, the open question, the language and a timestamp.
It holds no identifiers: the sender only as a salted hash in the index (for the per-sender cap and deletion on
request), and every string of the case is scrubbed recursively by the cases store (suixing/cases.py), so a typed ID,
phone or bank-card number, or any run of seven or more digits, never reaches the file.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
from pathlib import Path
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import settings
from suixing import cases
from actions.common import CHECKUP_SLOTS, lang_of, mask, never_fails, province_label, utter
from actions.profile import assess_slots, known

logger = logging.getLogger(__name__)

HANDOFF_INTENTS = {"human_handoff"}
QUESTION_MESSAGES = 3
_LEFTOVER = re.compile(r"[0-9Xx]*\*{2,}[0-9Xx]*")
_LONG_DIGITS = re.compile(r"\d[\d\s\-]{9,}\d")   # anything still looking like a long number


def scrub(text: str | None) -> str:
    """Masked text with the mask's visible digits removed too: "138****5678" → "***"."""
    text = mask(text or "")
    text = _LEFTOVER.sub("***", text)
    return _LONG_DIGITS.sub("***", text)


def open_question(tracker: Tracker) -> list[str]:
    """The user's last few messages before asking for a person (scrubbed, payloads left out)."""
    texts = []
    for event in reversed(tracker.events):
        if event.get("event") != "user":
            continue
        text = (event.get("text") or "").strip()
        if not text or text.startswith("/"):
            continue
        texts.append(scrub(text)[:500])
        if len(texts) >= QUESTION_MESSAGES:
            break
    return list(reversed(texts))


def facts(tracker: Tracker, lang: str) -> dict[str, Any]:
    collected: dict[str, Any] = {}
    for slot in CHECKUP_SLOTS + ("accident_date", "last_entry_id"):
        value = tracker.get_slot(slot)
        if value is None:
            continue
        if slot == "hukou_province" and known(value):
            collected[slot] = {"code": value, "name": province_label(value, lang)}
        elif slot == "periods" and isinstance(value, list):
            collected[slot] = [{k: p.get(k) for k in ("province", "city", "months", "start", "end", "at_least",
                                                      "estimated")} for p in value if isinstance(p, dict)]
        elif isinstance(value, str):
            collected[slot] = scrub(value)
        else:
            collected[slot] = value
    return collected


def rules_result(tracker: Tracker, lang: str) -> dict[str, Any] | None:
    from rules_engine import ProfileError, explain

    slots = {slot: tracker.get_slot(slot) for slot in CHECKUP_SLOTS}
    try:
        draft, result = assess_slots(slots)
    except ProfileError as error:
        return {"error": error.errors}
    except Exception:  # the case must be saved even if the engine fails
        logger.exception("rules engine failed while saving a hand-over case")
        return None
    if result is None:
        return {"missing": draft.missing}
    data = result.model_dump(mode="json")
    return {
        "summary": explain.render_summary(result, lang),
        "retirement": data.get("retirement"),
        "minimum_years": data.get("minimum_years"),
        "contribution_years": data.get("contribution_years"),
        "pension_place": data.get("pension_place"),
        "options": data.get("options"),
        "periods_estimated": draft.estimated_periods,
    }


def local_province(tracker: Tracker) -> str | None:
    """Where the person works now (the latest period), else the hukou province."""
    periods = tracker.get_slot("periods")
    if isinstance(periods, list) and periods:
        latest = max((p for p in periods if isinstance(p, dict) and p.get("province")),
                     key=lambda p: p.get("end") or "9999", default=None)
        if latest:
            return latest["province"]
    hukou = tracker.get_slot("hukou_province")
    return hukou if known(hukou) else None


def save_case(case: dict[str, Any], cases_dir: Path | None = None, sender_id: str | None = None) -> Path:
    """Written through the one cases store (suixing/cases.py): every string scrubbed, capped per sender."""
    return cases.save(case, cases_dir or settings.cases_dir(), sender_id=sender_id)


def build_case(tracker: Tracker) -> dict[str, Any]:
    lang = lang_of(tracker)
    now = dt.datetime.now(dt.timezone.utc)
    return {
        "case_id": now.strftime("%Y%m%d-%H%M%S-") + secrets.token_hex(3),
        "created": now.isoformat(timespec="seconds"),
        "language": lang,
        "facts": facts(tracker, lang),
        "rules_result": rules_result(tracker, lang),
        "open_question": open_question(tracker),
        "local_province": local_province(tracker),
        "status": "new",
    }


class ActionHandoff(Action):
    def name(self) -> str:
        return "action_handoff"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        lang = lang_of(tracker)
        utter(dispatcher, "utter_handoff_12333")
        province = local_province(tracker)
        if province:
            utter(dispatcher, "utter_handoff_local", province=province_label(province, lang))
        else:
            utter(dispatcher, "utter_handoff_local_unknown")
        try:
            case = build_case(tracker)
            save_case(case, sender_id=tracker.sender_id)
        except cases.TooManyCases:
            logger.warning("hand-over case not saved: this conversation already has %d open cases",
                           cases.MAX_CASES_PER_SENDER)
            utter(dispatcher, "utter_handoff_not_saved")
            return []
        except Exception:
            logger.exception("could not save the hand-over case")
            utter(dispatcher, "utter_handoff_not_saved")
            return []
        utter(dispatcher, "utter_handoff_case_saved", case_id=case["case_id"])
        return []

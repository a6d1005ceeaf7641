"""Feedback on an answer (`action_feedback`): stored with the entry it was about, to improve the content."""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import settings
from actions.common import lang_of, latest_intent, never_fails, utter

logger = logging.getLogger(__name__)


def store_feedback(entry_id: str | None, helpful: bool, lang: str) -> None:
    path = settings.feedback_db()
    path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE IF NOT EXISTS feedback (created TEXT, entry_id TEXT, helpful INTEGER, language TEXT)")
        db.execute("INSERT INTO feedback VALUES (?, ?, ?, ?)",
                   (dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), entry_id or "", int(helpful), lang))


class ActionFeedback(Action):
    def name(self) -> str:
        return "action_feedback"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        helpful = latest_intent(tracker) != "feedback_negative"
        try:
            store_feedback(tracker.get_slot("last_entry_id"), helpful, lang_of(tracker))
        except Exception:  # feedback is never worth breaking the conversation for
            logger.exception("could not store feedback")
        utter(dispatcher, "utter_feedback_thanks" if helpful else "utter_feedback_sorry")
        return []

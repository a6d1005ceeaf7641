"""After a work injury (`action_injury_deadlines`): the recognition deadlines counted from the accident date in
the message ("上个月15号在厂里摔伤了"), with their source; without a date, the procedure and a question for it."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import entity_values, lang_of, latest_text, never_fails, utter
from actions.fallback import INJURY_DATE, PENDING_SLOT, answer_pending
from actions.kb_answers import say_entry
from actions.rules_answers import say_trace

ENTRY = "procedure-injury-recognition"


def accident_date_of(tracker: Tracker) -> str | None:
    for value in entity_values(tracker, "date"):
        found = parsing.parse_event_date(str(value))
        if found:
            return found
    found = parsing.parse_event_date(latest_text(tracker))
    return found or tracker.get_slot("accident_date")


def say_injury(dispatcher: CollectingDispatcher, lang: str, accident: str | None) -> list[dict[str, Any]]:
    """The deadlines counted from the accident date, with their source; without a date the procedure and the
    question for it (its answer is read next turn, actions/fallback.py)."""
    from rules_engine import ProfileError
    from rules_engine.api import injury_deadlines

    if accident is None:
        events = say_entry(dispatcher, ENTRY, lang, steps=True)
        utter(dispatcher, "utter_injury_ask_date")
        return events + [SlotSet(PENDING_SLOT, INJURY_DATE)]
    try:
        result = injury_deadlines(accident_date=accident)
    except ProfileError as error:
        for problem in error.errors:
            utter(dispatcher, "utter_checkup_fix_answer",
                  problem=problem.get("message_en" if lang == "en" else "message_zh"))
        utter(dispatcher, "utter_injury_ask_date")
        return [SlotSet("accident_date", None), SlotSet(PENDING_SLOT, INJURY_DATE)]
    if result.employer_open:
        utter(dispatcher, "utter_injury_employer_deadline", accident_date=accident,
              deadline=result.employer_deadline, days_left=result.employer_days_left)
    else:
        utter(dispatcher, "utter_injury_employer_deadline_passed", accident_date=accident,
              deadline=result.employer_deadline)
    if result.worker_open:
        utter(dispatcher, "utter_injury_worker_deadline", deadline=result.worker_deadline,
              days_left=result.worker_days_left)
    else:
        utter(dispatcher, "utter_injury_worker_deadline_passed", deadline=result.worker_deadline)
    say_trace(dispatcher, result.trace, lang)
    events = say_entry(dispatcher, ENTRY, lang, steps=False)
    return [SlotSet("accident_date", accident)] + events


class ActionInjuryDeadlines(Action):
    def name(self) -> str:
        return "action_injury_deadlines"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        answered = answer_pending(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        return say_injury(dispatcher, lang_of(tracker), accident_date_of(tracker))

"""After a work injury (`action_injury_deadlines`): the recognition deadlines counted from the accident date in
the message ("上个月15号在厂里摔伤了"), with their source; without a date, the procedure and a question for it."""
from __future__ import annotations

import re
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
# injury questions that are not about the recognition deadlines: their own entry, no date asked
QUESTION_ENTRIES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"外卖|骑手|快递|网约车|滴滴|跑腿|货拉拉|平台|rider|delivery|platform|gig", re.IGNORECASE),
     "right-platform-injury-protection"),
    (re.compile(r"(没|没有|不)(给|帮)?(我)?(买|交|缴|上).{0,4}工伤|没.{0,3}工伤保险|谁赔|谁来赔|谁出钱|no injury insurance|"
                r"not insured|who pays", re.IGNORECASE), "right-injury-when-uninsured"),
    (re.compile(r"伤残|评残|残疾|等级|劳动能力鉴定|disability", re.IGNORECASE), "procedure-disability-assessment"),
    (re.compile(r"算不算|算工伤吗|是不是工伤|属于工伤|上下班|下班路上|上班路上|路上|does .{0,20}count|commut", re.IGNORECASE),
     "faq-what-counts-as-injury"),
    (re.compile(r"待遇|工资照发|工资|赔多少|赔偿|补偿|停工留薪|能拿多少|benefit|compensation|wage|paid while", re.IGNORECASE),
     "faq-injury-benefits"),
    (re.compile(r"外地|异地|外省|老家|away from home|another province", re.IGNORECASE), "faq-injury-away-from-home"),
]


def accident_date_of(tracker: Tracker) -> str | None:
    for value in entity_values(tracker, "date"):
        found = parsing.parse_event_date(str(value))
        if found:
            return found
    found = parsing.parse_event_date(latest_text(tracker))
    return found or tracker.get_slot("accident_date")


def say_injury(dispatcher: CollectingDispatcher, lang: str, accident: str | None, text: str = "") -> list[dict[str, Any]]:
    """The deadlines counted from the accident date, with their source; without a date the entry for what `text`
    asks (who pays, does it count, disability, benefits, gig workers) or the procedure and the question for the date
    (its answer is read next turn, actions/fallback.py)."""
    from rules_engine import ProfileError
    from rules_engine.api import injury_deadlines

    if accident is None:
        for pattern, entry in QUESTION_ENTRIES:
            if pattern.search(text):   # a date said next ("三天前") still gets the deadlines
                return say_entry(dispatcher, entry, lang, steps=True) + [SlotSet(PENDING_SLOT, INJURY_DATE)]
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
        return say_injury(dispatcher, lang_of(tracker), accident_date_of(tracker), latest_text(tracker))

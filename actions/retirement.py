"""When can I retire (`action_retirement_age`): answered at once from the details in the message itself
("我是女的，1980年3月出生，在工厂上班，什么时候能退休？"), or from earlier answers; without them the general
explanation and an offer to work out the person's own case."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import lang_of, never_fails, utter
from actions.fallback import PENDING_SLOT, RETIREMENT_DETAILS
from actions.kb_answers import say_entry
from actions.profile import known
from actions.reading import answer_text
from actions.rules_answers import say_trace


def person_from_message(tracker: Tracker, context: str = "") -> dict[str, Any]:
    """Birth, sex and job category: from this message (after `context`, an earlier message it completes) first,
    then from what the conversation already knows."""
    text = f"{context} {answer_text(tracker)}" if context else answer_text(tracker)
    birth = parsing.parse_stated_birth(text).value
    sex = parsing.parse_sex(text)
    category = parsing.parse_job(text)
    if birth is None and known(tracker.get_slot("birth")):
        birth = tracker.get_slot("birth")
    if sex is None and tracker.get_slot("sex") in ("male", "female"):
        sex = tracker.get_slot("sex")
    if category is None and tracker.get_slot("female_category") in ("worker", "cadre"):
        category = tracker.get_slot("female_category")
    return {"birth": birth, "sex": sex, "female_category": category if sex != "male" else "n/a"}


def _number(value: float) -> str:
    return f"{float(value):g}"


def say_retirement(dispatcher: CollectingDispatcher, answer, sex: str, category: str | None) -> None:
    retirement = answer.retirement
    group = "male" if sex == "male" else ("female_cadre" if category == "cadre" else "female_worker")
    response = "utter_retirement_reached" if retirement.get("reached") else f"utter_retirement_result_{group}"
    utter(dispatcher, response, date=retirement["date"], age_years=retirement["age"]["years"],
          age_months=retirement["age"]["months"])
    utter(dispatcher, "utter_retirement_minimum_years", minimum=_number(answer.minimum_years))


def say_retirement_range(dispatcher: CollectingDispatcher, year: int, person: dict, lang: str) -> list:
    """Only the birth year: the dates for someone born in January and in December of that year, and the question
    for the month."""
    from rules_engine.api import retirement_for

    category = person["female_category"] if person["female_category"] in ("worker", "cadre") else None
    first = retirement_for(birth=f"{year}-01", sex=person["sex"], female_category=category)
    last = retirement_for(birth=f"{year}-12", sex=person["sex"], female_category=category)
    group = "male" if person["sex"] == "male" else ("female_cadre" if category == "cadre" else "female_worker")
    utter(dispatcher, f"utter_retirement_range_{group}", year=year, first=first.retirement["date"],
          last=last.retirement["date"])
    if person["sex"] == "female" and category is None:
        utter(dispatcher, "utter_retirement_assumed_worker")
    utter(dispatcher, "utter_retirement_need_month")
    return []


def answer_retirement(dispatcher: CollectingDispatcher, tracker: Tracker, lang: str,
                      context: str = "") -> list[dict[str, Any]]:
    """The retirement date from this message and what the conversation knows; a missing detail costs one question,
    whose answer ("男的", "85年3月") is read next turn (actions/fallback.py)."""
    from rules_engine import ProfileError
    from rules_engine.api import retirement_for

    person = person_from_message(tracker, context)
    events = [SlotSet(slot, value) for slot, value in person.items()
              if value is not None and value != tracker.get_slot(slot)
              and not (slot == "female_category" and person["sex"] is None)]
    ask_again = SlotSet(PENDING_SLOT, RETIREMENT_DETAILS)
    year_only = parsing.parse_birth(f"{context} {answer_text(tracker)}").year
    if person["birth"] is None and year_only and person["sex"]:
        return events + say_retirement_range(dispatcher, year_only, person, lang) + [ask_again]
    if person["birth"] is None or person["sex"] is None:
        events += say_entry(dispatcher, "faq-retirement-age", lang, steps=False, related=False)
        utter(dispatcher, "utter_retirement_need_details")
        return events + [ask_again]
    category = person["female_category"] if person["female_category"] in ("worker", "cadre") else None
    try:
        answer = retirement_for(birth=person["birth"], sex=person["sex"], female_category=category)
    except ProfileError as error:
        for problem in error.errors:
            utter(dispatcher, "utter_checkup_fix_answer",
                  problem=problem.get("message_en" if lang == "en" else "message_zh"))
        return [SlotSet("birth", None)]
    say_retirement(dispatcher, answer, person["sex"], category)
    if person["sex"] == "female" and category is None:
        utter(dispatcher, "utter_retirement_assumed_worker")
        events.append(SlotSet(PENDING_SLOT, RETIREMENT_DETAILS))   # "我是管理岗的" next is read as its answer
    say_trace(dispatcher, answer.trace, lang)
    utter(dispatcher, "utter_offer_checkup")
    return events + [SlotSet("last_entry_id", "faq-retirement-age")]


class ActionRetirementAge(Action):
    def name(self) -> str:
        return "action_retirement_age"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return answer_retirement(dispatcher, tracker, lang_of(tracker))

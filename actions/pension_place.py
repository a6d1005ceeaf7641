"""Where will my pension be paid (`action_pension_place`): the person's own answer when the conversation knows
their birth, sex, hukou province and where they paid (from the check-up or from this message), else the general
rule from the knowledge base and an offer to work it out."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import CHECKUP_SLOTS, lang_of, never_fails, province_label, utter
from actions.kb_answers import say_entry
from actions.profile import assess_slots, known
from actions.reading import answer_text, hukou_place
from actions.retirement import person_from_message
from actions.rules_answers import say_profile_error, short_bubbles

PLACE_RULES = ("pension_place", "temporary_account")


_HUKOU_WORD = re.compile(r"\s*(户口|户籍|人(?![社民]))(的)?")
_CLAUSE = re.compile(r"[，,。；;！!？?\s]+")
_QUESTION_CLAUSE = re.compile(r"在哪|哪里|哪儿|哪边|哪个|多少|什么|怎么|咋|吗|呢|\b(where|how|what|when|which)\b", re.IGNORECASE)


def without_questions(text: str) -> str:
    """The statement clauses of a message ("在广东交了12年后来去浙江又交了3年"), without the question clause
    ("以后在哪领退休金"), whose words the work-history reader could take for dates or years."""
    kept = []
    for clause in _CLAUSE.split(text):
        question = _QUESTION_CLAUSE.search(clause)
        kept.append(clause[:question.start()] if question else clause)
    return "，".join(c for c in kept if c)


def facts_from_message(tracker: Tracker) -> dict[str, Any]:
    """Check-up facts stated in this message ("户口江西，在东莞交了8年"), over the ones already known."""
    text = answer_text(tracker)
    slots = {slot: tracker.get_slot(slot) for slot in CHECKUP_SLOTS}
    person = person_from_message(tracker)
    for slot in ("birth", "sex", "female_category"):
        if person.get(slot) is not None:
            slots[slot] = person[slot]
    hukou = hukou_place(text)
    if hukou:
        slots["hukou_province"] = hukou.province
        # the hukou mention is no insured period
        marker = _HUKOU_WORD.match(text[hukou.end:])   # "河南户口在广东…": the word 户口 goes too
        end = hukou.end + (marker.end() if marker else 0)
        text = text[:hukou.start] + " " * (end - hukou.start) + text[end:]
    periods = parsing.parse_periods(without_questions(text))
    if periods.periods:
        slots["periods"] = periods.periods
    return slots


def assess_without_birth_month(slots: dict[str, Any], tracker: Tracker):
    """With only a birth year ("75年生的"), the result when it is the same for January and December of that year (the
    month can only matter for the temporary-account age); None when the month would change the answer."""
    from rules_engine import ProfileError

    year = parsing.parse_stated_birth(answer_text(tracker)).year
    if known(slots.get("birth")) or not year:
        return None
    try:
        results = [assess_slots(dict(slots, birth=f"{year}-{month}"))[1] for month in ("01", "12")]
    except ProfileError:
        return None
    earliest, latest = results
    same_place = earliest.pension_place["province"] == latest.pension_place["province"]
    same_accounts = ([a["province"] for a in earliest.temporary_accounts]
                     == [a["province"] for a in latest.temporary_accounts])
    return earliest if same_place and same_accounts else None


# age at the first period assumed when the birth is not known: well below the temporary-account ages (men 50, women 40)
ASSUMED_AGE_AT_FIRST_PERIOD = 20


def plausible_birth_year(year: int | None) -> bool:
    """A year that can be a worker's birth year (not "十一年" read as 2011)."""
    from datetime import date

    return bool(year) and 1930 <= year <= date.today().year - 16


def assess_from_age(slots: dict[str, Any], age: int):
    """"今年52岁": the result when it is the same for both birth years the age allows (and either sex when not
    said); None when they differ (the birth month then decides) or the engine refuses."""
    from datetime import date

    from rules_engine import ProfileError

    year = date.today().year - int(age)
    sexes = [slots["sex"]] if slots.get("sex") in ("male", "female") else ["male", "female"]
    results = []
    for sex in sexes:
        for birth in (f"{year - 1}-{date.today().month:02d}", f"{year}-01"):
            assumed = dict(slots, birth=birth, sex=sex)
            if sex == "female" and not known(assumed.get("female_category")):
                assumed["female_category"] = "worker"
            try:
                results.append(assess_slots(assumed)[1])
            except ProfileError:
                return None
    if any(r is None for r in results):
        return None
    places = {r.pension_place["province"] for r in results}
    accounts = {tuple(a["province"] for a in r.temporary_accounts) for r in results}
    return results[0] if len(places) == 1 and len(accounts) == 1 else None


def assess_assuming_younger(slots: dict[str, Any]):
    """Without birth or sex: the result for someone who started every period before the temporary-account ages —
    the usual case, said as an assumption. None when no period start is known or the engine refuses."""
    from rules_engine import ProfileError

    starts = [p.get("start") for p in slots.get("periods") or [] if isinstance(p, dict) and p.get("start")]
    if not starts:
        return None
    first_year = int(min(starts)[:4])
    assumed = dict(slots, birth=f"{first_year - ASSUMED_AGE_AT_FIRST_PERIOD}-01",
                   sex=slots["sex"] if slots.get("sex") in ("male", "female") else "male")
    if assumed["sex"] == "female" and not known(assumed.get("female_category")):
        assumed["female_category"] = "worker"
    try:
        result = assess_slots(assumed)[1]
    except ProfileError:
        return None
    return None if result is None or result.temporary_accounts else result


class ActionPensionPlace(Action):
    def name(self) -> str:
        return "action_pension_place"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        from rules_engine import ProfileError, explain

        lang = lang_of(tracker)
        slots = facts_from_message(tracker)
        events = [SlotSet(slot, value) for slot, value in slots.items()
                  if value is not None and value != tracker.get_slot(slot)]
        result = None
        assumed_age = False
        if all(known(slots.get(s)) for s in ("sex", "hukou_province", "periods")):
            try:
                result = (assess_slots(slots)[1] if known(slots.get("birth"))
                          else assess_without_birth_month(slots, tracker))
            except ProfileError as error:
                return events + say_profile_error(dispatcher, error, lang)
        stated = parsing.parse_stated_birth(answer_text(tracker))
        if result is None and all(known(slots.get(s)) for s in ("hukou_province", "periods")) and stated.age:
            result = assess_from_age(slots, stated.age)
        elif result is None and all(known(slots.get(s)) for s in ("hukou_province", "periods")) \
                and not plausible_birth_year(stated.year):
            result = assess_assuming_younger(slots)
            assumed_age = result is not None
        if result is None:
            events += say_entry(dispatcher, "faq-pension-paying-place", lang, steps=False)
            utter(dispatcher, "utter_offer_checkup")
            return events
        place = result.pension_place
        utter(dispatcher, "utter_pension_place_result", province=province_label(place["province"], lang))
        steps = [step for step in result.trace if any(key in step["rule"] for key in PLACE_RULES)]
        for line in explain.render_trace(steps, lang):
            for bubble in short_bubbles(line):
                utter(dispatcher, "utter_rules_line", line=bubble)
        if result.temporary_accounts:
            utter(dispatcher, "utter_pension_place_temporary_account")
        if assumed_age:
            utter(dispatcher, "utter_pension_place_assumed_age")
        utter(dispatcher, "utter_offer_checkup")
        return events + [SlotSet("last_entry_id", "faq-pension-paying-place")]

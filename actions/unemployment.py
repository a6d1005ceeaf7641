"""Unemployment benefit (`action_unemployment`): how many months, or the rural contract worker's one-off subsidy,
from the years and circumstances in the message ("交了6年半失业保险，厂子倒闭了"); without them the general answer to
what was asked (how long: 12/18/24 months; how much; how to claim) and a question for the years, whose answer
("6年", "不知道") the next turn reads (actions/fallback.py)."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import lang_of, never_fails, utter
from actions.fallback import PENDING_SLOT, UNEMPLOYMENT_YEARS, answer_pending
from actions.kb_answers import say_entry
from actions.reading import answer_text
from actions.rules_answers import say_trace

ENTRY = "procedure-unemployment-claim"
SUBSIDY_ENTRY = "faq-unemployment-one-off-subsidy"
DURATION_ENTRY = "faq-unemployment-duration"
AMOUNT_ENTRY = "faq-unemployment-amount"
TRANSFER_ENTRY = "faq-unemployment-transfer"
_MOVED = re.compile(r"(换城市|换地方|换了城市|去外地|到外地|转到|转移|清零|还算吗|another city|move|transfer)", re.IGNORECASE)
_HOW_LONG = re.compile(r"(多久|多长|几个月|多少个月|几年|期限|最长|最多|how long|how many months|duration)", re.IGNORECASE)
_HOW_MUCH = re.compile(r"(多少钱|领多少|发多少|给多少|一个月多少|每月多少|每个月多少|标准|金额|能拿多少|how much|amount)",
                       re.IGNORECASE)
_RURAL = re.compile(r"(农村户口|农业户口|农民工|农民合同制|农村的|农村人|rural)", re.IGNORECASE)
_INVOLUNTARY = re.compile(r"(辞退|开除|裁员|裁掉|倒闭|关门|合同到期|合同期满|不续签|被炒|炒鱿鱼|解雇|被解除|停产|"
                          r"laid off|fired|dismissed|let go|contract ended|contract expired|closed down|bankrupt)",
                          re.IGNORECASE)
_VOLUNTARY = re.compile(r"(自己辞职|主动辞职|我辞职|我辞了|自己不干|自己走|辞工|\bi quit\b|resigned|\bquit my job\b)",
                        re.IGNORECASE)


def unemployment_facts(text: str) -> dict[str, Any]:
    duration = parsing.parse_duration(text)
    involuntary = True if _INVOLUNTARY.search(text) else (False if _VOLUNTARY.search(text) else None)
    return {
        "contribution_years": round(duration.months / 12, 2) if duration else None,
        "rural_contract_worker": bool(_RURAL.search(text)),
        "involuntary": involuntary,
    }


def _ask_years(dispatcher: CollectingDispatcher) -> list[dict[str, Any]]:
    utter(dispatcher, "utter_unemployment_ask_years")
    return [SlotSet(PENDING_SLOT, UNEMPLOYMENT_YEARS)]


def general_entry(text: str) -> str:
    """Without the person's years: the rural contract worker's rule ("农民工也能领吗"), after moving, how long
    (12/18/24 months),
    how much, or how to claim — as asked."""
    if _RURAL.search(text):
        return SUBSIDY_ENTRY
    if _MOVED.search(text):
        return TRANSFER_ENTRY
    if _HOW_MUCH.search(text):
        return AMOUNT_ENTRY
    if _HOW_LONG.search(text):
        return DURATION_ENTRY
    return ENTRY


def say_unemployment(dispatcher: CollectingDispatcher, lang: str, text: str, context: str = "") -> list[dict[str, Any]]:
    """The months for the years in `text`; circumstances (dismissed, rural hukou) also from `context`, the message
    that asked; without years the general answer for what was asked and the question for the years."""
    from rules_engine import ProfileError
    from rules_engine.api import unemployment_entitlement

    facts = unemployment_facts(f"{context} {text}" if context else text)
    facts["contribution_years"] = unemployment_facts(text)["contribution_years"]
    if facts["contribution_years"] is None:
        entry = general_entry(text)
        events = say_entry(dispatcher, entry, lang, steps=entry == ENTRY)
        return events + _ask_years(dispatcher)
    try:
        result = unemployment_entitlement(**facts)
    except ProfileError:
        events = say_entry(dispatcher, DURATION_ENTRY, lang, steps=False)
        return events + _ask_years(dispatcher)
    years = f"{facts['contribution_years']:g}"
    if result.kind == "one_off_subsidy":
        utter(dispatcher, "utter_unemployment_one_off", years=years,
              months=f"{result.one_off_subsidy_months_equivalent:g}")
    elif result.eligible:
        utter(dispatcher, "utter_unemployment_monthly", years=years, months=result.max_months)
    elif facts["involuntary"] is False:
        utter(dispatcher, "utter_unemployment_not_eligible_voluntary", years=years)
    else:
        utter(dispatcher, "utter_unemployment_not_eligible_years", years=years, min_years=f"{result.min_years:g}")
    if result.eligible and facts["involuntary"] is None and result.kind != "one_off_subsidy":
        utter(dispatcher, "utter_unemployment_if_involuntary")
    if result.local:
        utter(dispatcher, "utter_kb_local_variation")
    say_trace(dispatcher, result.trace, lang)
    return say_entry(dispatcher, SUBSIDY_ENTRY if result.kind == "one_off_subsidy" else ENTRY, lang,
                     steps=result.kind != "one_off_subsidy")


class ActionUnemployment(Action):
    def name(self) -> str:
        return "action_unemployment"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        answered = answer_pending(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        return say_unemployment(dispatcher, lang_of(tracker), answer_text(tracker))

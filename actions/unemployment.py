"""Unemployment benefit (`action_unemployment`): how many months, or the rural contract worker's one-off subsidy,
from the years and circumstances in the message ("交了6年半失业保险，厂子倒闭了"); without them the procedure."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import lang_of, never_fails, utter
from actions.kb_answers import say_entry
from actions.reading import answer_text
from actions.rules_answers import say_trace

ENTRY = "procedure-unemployment-claim"
SUBSIDY_ENTRY = "faq-unemployment-one-off-subsidy"
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


class ActionUnemployment(Action):
    def name(self) -> str:
        return "action_unemployment"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        from rules_engine import ProfileError
        from rules_engine.api import unemployment_entitlement

        lang = lang_of(tracker)
        facts = unemployment_facts(answer_text(tracker))
        if facts["contribution_years"] is None:
            events = say_entry(dispatcher, ENTRY, lang, steps=True)
            utter(dispatcher, "utter_unemployment_ask_years")
            return events
        try:
            result = unemployment_entitlement(**facts)
        except ProfileError:
            events = say_entry(dispatcher, ENTRY, lang, steps=True)
            utter(dispatcher, "utter_unemployment_ask_years")
            return events
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

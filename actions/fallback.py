"""Never a dead end (`action_fallback_search`): a message the assistant did not understand is searched in the
knowledge base; the best one to three entries are shown with their sources, or the user is asked to rephrase with
suggestions — and 12333 is always offered."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import knowledge_base, lang_of, latest_text, mask, never_fails, utter

MAX_HITS = 3
# hits scoring below this share of the best hit are noise
RELATIVE_CUTOFF = 0.5
# a best hit below this absolute score is no answer (scores are normalised to the best bm25 hit plus alias boosts)
MIN_SCORE = 0.9   # measured: real questions score >= 1, unrelated ones (weather, shopping) stay below 0.9
# glossary, contact and statistic entries answer only when nothing else does
LOW_PRIORITY_TYPES = {"statistic"}


def best_hits(query: str, lang: str) -> list:
    kb = knowledge_base()
    if kb is None or not query.strip() or query.lstrip().startswith("/"):
        return []
    hits = kb.search(query, lang=lang, limit=8)
    if not hits:
        return []
    preferred = [h for h in hits if h.type not in LOW_PRIORITY_TYPES] or hits
    top = preferred[0].score
    if top < MIN_SCORE:
        return []
    return [h for h in preferred if h.score >= top * RELATIVE_CUTOFF][:MAX_HITS]


def search_and_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> list[dict[str, Any]]:
    lang = lang_of(tracker)
    hits = best_hits(mask(latest_text(tracker)), lang)
    if knowledge_base() is None:
        utter(dispatcher, "utter_kb_unavailable")
        return []
    if not hits:
        utter(dispatcher, "utter_fallback_rephrase")
        utter(dispatcher, "utter_hotline_12333")
        return []
    utter(dispatcher, "utter_fallback_intro")
    for hit in hits:
        utter(dispatcher, "utter_kb_hit", title=hit.title, answer=hit.short, citation=hit.citation, entry_id=hit.id)
    utter(dispatcher, "utter_hotline_12333")
    return [SlotSet("last_entry_id", hits[0].id)]


class ActionFallbackSearch(Action):
    def name(self) -> str:
        return "action_fallback_search"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        return search_and_answer(dispatcher, tracker)

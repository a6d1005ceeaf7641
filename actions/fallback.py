"""Never a dead end (`action_fallback_search`): a message the assistant did not understand is searched in the
knowledge base; the best one to three entries are shown with their sources, or the user is asked to rephrase with
suggestions — and 12333 is always offered."""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import knowledge_base, lang_of, latest_intent, latest_text, mask, never_fails, utter
from actions.kb_answers import say_entry

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
    text = latest_text(tracker)
    if is_follow_up(text) and not text.lstrip().startswith("/"):   # "那医保呢" after an answer
        in_context = context_entry(text, tracker.get_slot("last_entry_id"), lang)
        if in_context:
            return say_entry(dispatcher, in_context, lang)
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
        answered = answer_pending(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        return search_and_answer(dispatcher, tracker)


# ---- the conversation's own context: what the bot asked last turn, what it said, what it answered ----
# A one-off question an action asks ("交了几年失业保险？") is remembered for exactly one turn in `pending_question`.
PENDING_SLOT = "pending_question"
UNEMPLOYMENT_YEARS, INJURY_DATE, RETIREMENT_DETAILS = "unemployment_years", "injury_date", "retirement_details"
# a question of its own, not an answer to ours
_QUESTION = re.compile(r"(吗|呢|么|嘛|怎么|咋|如何|多少钱|什么|啥|哪|能不能|可不可以|是不是|为什么|[?？]|"
                       r"\b(how|what|when|where|why|can|could|should|do|does|is|are)\b)", re.IGNORECASE)
# a short follow-up that leans on the last topic ("那医保呢", "农民工也能领吗", "what about medical")
_FOLLOW_UP = re.compile(r"^\s*(那|那么|那要是|要是|如果|假如|还有|另外|and\b|what about|how about|what if)|呢\s*[?？]*\s*$|"
                        r"^.{0,12}(也能|也可以|也要|也会|还能|还可以|接着)", re.IGNORECASE)
MAX_FOLLOW_UP_CHARS = 30
_MONTH_ONLY = re.compile(r"^\s*(?:(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月\s*(份|的|生的|出生)?|(?:in\s+)?(jan|feb|mar|apr|may|jun|"
                         r"jul|aug|sep|oct|nov|dec)[a-z]*)\s*[.!。]?\s*$", re.IGNORECASE)
_ENGLISH_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MAX_ANSWER_CHARS = 40
_BARE_NUMBER = re.compile(r"^\s*(\d{1,2}(\.\d)?|[一二两三四五六七八九十]{1,3})\s*$")
CONTEXT_SKIP_TYPES = {"glossary", "statistic"}
# bot lines that carry the reasons for an answer: rules with their basis, sources
REASON_RESPONSES = {"utter_rules_line", "utter_kb_citation", "utter_kb_hit"}
_REASON_MARK = re.compile(r"依据|basis|来源|source|📖", re.IGNORECASE)


def _turns(tracker: Tracker) -> list[list[dict]]:
    """The events split at user messages, latest turn first: [[latest user event, …], [previous user event, …], …]."""
    turns: list[list[dict]] = [[]]
    for event in tracker.events:
        if event.get("event") == "user":
            turns.append([])
        turns[-1].append(event)
    return list(reversed(turns))


def asked_last_turn(tracker: Tracker) -> str | None:
    """The one-off question the bot asked in reply to the previous user message, or None."""
    turns = _turns(tracker)
    if len(turns) < 2:
        return None
    asked = None
    for event in turns[1]:
        if event.get("event") == "slot" and event.get("name") == PENDING_SLOT:
            asked = event.get("value")
    return asked


def previous_user_text(tracker: Tracker) -> str:
    turns = _turns(tracker)
    if len(turns) < 2 or not turns[1] or turns[1][0].get("event") != "user":
        return ""
    return turns[1][0].get("text") or ""


def is_answer_shaped(text: str) -> bool:
    """A bare answer ("6年", "六年多", "上个月15号", "不知道"), not a question of its own."""
    from actions import parsing

    if parsing.is_skip(text) or _BARE_NUMBER.match(text):
        return True
    return len(text) <= MAX_ANSWER_CHARS and not _QUESTION.search(text) and bool(
        parsing.parse_duration(text) or parsing.parse_event_date(text) or parsing.parse_sex(text)
        or parsing.parse_job(text) or _MONTH_ONLY.match(text)
        or parsing.parse_birth(text).value or parsing.parse_birth(text).year)


def is_follow_up(text: str) -> bool:
    return len(text) <= MAX_FOLLOW_UP_CHARS and bool(_FOLLOW_UP.search(text))


def context_entry(text: str, last_entry_id: str | None, lang: str) -> str | None:
    """The entry that answers a follow-up in the context of the last one (never the last one again), or None."""
    kb = knowledge_base()
    if kb is None or not last_entry_id:
        return None
    last = kb.get(last_entry_id, lang)
    if last is None:
        return None
    hits = kb.search(f"{mask(text)} {last.title}", lang=lang, limit=8)
    for hit in hits:
        if hit.id != last_entry_id and hit.type not in CONTEXT_SKIP_TYPES and hit.score >= MIN_SCORE:
            return hit.id
    return None


def answer_pending(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list | None:
    """When the message answers the question the bot just asked, the next step for it; else None."""
    asked = asked_last_turn(tracker)
    text = latest_text(tracker)
    if asked is None or not is_answer_shaped(text):
        return None
    from actions import parsing

    lang = lang_of(tracker)
    if asked == UNEMPLOYMENT_YEARS:
        from actions.unemployment import say_unemployment

        if _BARE_NUMBER.match(text):   # "12", "六": the years asked for
            text = f"{text.strip()}年"
        if parsing.parse_duration(text):
            return say_unemployment(dispatcher, lang, text, context=previous_user_text(tracker))
        if parsing.is_skip(text):
            utter(dispatcher, "utter_follow_up_no_problem")
            events = say_entry(dispatcher, "faq-unemployment-duration", lang, steps=False)
            utter(dispatcher, "utter_unemployment_find_years")
            return events
    if asked == INJURY_DATE:
        from actions.injury import say_injury

        if parsing.parse_event_date(text):
            return say_injury(dispatcher, lang, parsing.parse_event_date(text))
        if parsing.is_skip(text):
            utter(dispatcher, "utter_follow_up_no_problem")
            events = say_entry(dispatcher, "procedure-injury-recognition", lang, steps=False)
            utter(dispatcher, "utter_injury_find_date")
            return events
    if asked == RETIREMENT_DETAILS:
        if parsing.is_skip(text):
            utter(dispatcher, "utter_follow_up_no_problem")
            utter(dispatcher, "utter_offer_checkup")
            return []
        from actions.retirement import answer_retirement

        # "6月的" after "born in 1975, which month?": the month with the year said before
        extra = ""
        year = parsing.parse_birth(previous_user_text(tracker)).year if _MONTH_ONLY.match(text) else None
        if year:
            found = _MONTH_ONLY.match(text)
            month = found.group(1) or str(_ENGLISH_MONTHS.index(found.group(3).lower()) + 1)
            extra = f"{year}年{month}月出生"
        return answer_retirement(dispatcher, tracker, lang, context=extra)
    return None


_INJURY = re.compile(r"工伤|受伤|摔伤|压伤|砸伤|烫伤|压了手|摔了|injur|hurt", re.IGNORECASE)
_UNEMPLOYMENT = re.compile(r"失业|unemploy|laid off", re.IGNORECASE)
# bot questions "anything else?" after which "no" means goodbye
ANYTHING_ELSE_RESPONSES = {"utter_anything_else", "utter_thank", "utter_feedback_thanks"}


def last_bot_response(tracker: Tracker) -> str | None:
    """The response name of the bot's last message before the latest user message."""
    turns = _turns(tracker)
    bots = [e for e in (turns[1] if len(turns) > 1 else []) if e.get("event") == "bot"]
    return (bots[-1].get("metadata") or {}).get("utter_action") if bots else None


def states_checkup_details(text: str) -> bool:
    """Whether a message states the person's own details (born…, male, paid 8 years in Dongguan)."""
    from actions import parsing

    return bool(parsing.parse_stated_birth(text).value or parsing.parse_sex(text)
                or parsing.find_places(text) and parsing.find_durations(text))


class ActionFollowUp(Action):
    """A message that is no question of its own (inform, yes, no, "不知道") outside the check-up: the answer to what
    the bot just asked, or — when it states the person's details — the check-up with them, else what else."""

    def name(self) -> str:
        return "action_follow_up"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        answered = answer_pending(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        text = latest_text(tracker)
        intent = latest_intent(tracker)
        lang = lang_of(tracker)
        from actions import parsing

        if intent == "inform" and _INJURY.search(text):   # "我11月20号在车间压了手"
            from actions.injury import say_injury

            return say_injury(dispatcher, lang, parsing.parse_event_date(text), text)
        if intent == "inform" and _UNEMPLOYMENT.search(text):   # "交了6年失业保险 被裁了"
            from actions.unemployment import say_unemployment

            return say_unemployment(dispatcher, lang, text)
        if intent == "deny" and last_bot_response(tracker) in ANYTHING_ELSE_RESPONSES:   # "没有了"
            utter(dispatcher, "utter_goodbye")
            return []
        if intent == "inform" and states_checkup_details(text):
            utter(dispatcher, "utter_checkup_intro")
            return [FollowupAction("checkup_form")]
        if intent == "inform":
            utter(dispatcher, "utter_offer_checkup")
            return []
        utter(dispatcher, "utter_anything_else")
        return []


MAX_WHY_CHARS = 400


def shortened(text: str, limit: int = MAX_WHY_CHARS) -> str:
    """At most `limit` characters, cut after a sentence."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in ("。", ". ", "；", "; "))
    return text[: cut + 1] if cut > 0 else text[:limit] + "…"


def reasons_of_last_answer(tracker: Tracker, max_turns: int = 3) -> list[str]:
    """The lines with a basis or source the bot said in its last answers (newest answer first that has any)."""
    for turn in _turns(tracker)[1:1 + max_turns]:
        lines = [event.get("text") for event in turn if event.get("event") == "bot" and event.get("text")
                 and (event.get("metadata") or {}).get("utter_action") in REASON_RESPONSES
                 and _REASON_MARK.search(event.get("text"))]
        if lines:
            return lines
    return []


class ActionExplainLast(Action):
    """"为什么" / "why": the reasons of the last answer — its rules with their basis, or its entry's explanation and
    source — never a "didn't understand"."""

    def name(self) -> str:
        return "action_explain_last"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        lang = lang_of(tracker)
        kb = knowledge_base()
        entry = kb.get(tracker.get_slot("last_entry_id"), lang) if kb and tracker.get_slot("last_entry_id") else None
        reasons = reasons_of_last_answer(tracker)
        if not reasons and entry is None:
            return search_and_answer(dispatcher, tracker)
        utter(dispatcher, "utter_why_intro")
        if entry is not None and entry.body:
            utter(dispatcher, "utter_why_entry", title=entry.title, body=shortened(entry.body))
        for line in reasons:
            utter(dispatcher, "utter_rules_line", line=line)
        if entry is not None and entry.citation and not any(entry.citation in line for line in reasons):
            utter(dispatcher, "utter_kb_citation", citation=entry.citation)
        utter(dispatcher, "utter_hotline_12333")
        return []

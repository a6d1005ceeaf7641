"""The personal check-up: `validate_checkup_form` reads colloquial answers, `action_checkup_result` asks the rules
engine and answers verdict → options → why, `action_reset_checkup` forgets the answers, `action_compare_options`
compares cash-out / suspend / transfer for the person's own case (or explains them in general)."""
from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import parsing
from actions.common import (CHECKUP_SLOTS, UNKNOWN, entity_values, format_months, lang_of, latest_intent,
                            latest_text, never_fails, province_label, utter)
from actions.kb_answers import say_entry
from actions.parsing.masks import without_first_year_month
from actions.profile import assess_slots, known
from actions.reading import ACCOUNT_NONE, answer_text, hukou_hint, hukou_place, parses_as
from actions.rules_answers import NOT_IN_WHY, say_options, say_options_chart, say_profile_error, say_trace

logger = logging.getLogger(__name__)

FORM = "checkup_form"
# intents that are questions or requests of their own: when the answer cannot be read, the form steps aside so the
# conversation can answer them (and the form resumes afterwards)
DIGRESSION_INTENTS = {
    "greet", "goodbye", "thank", "help", "stop", "switch_language", "out_of_scope", "feedback_positive",
    "feedback_negative", "human_handoff", "start_checkup", "compare_options", "employer_no_insurance",
}
SLOT_NAME_ALIASES = {
    "birth": "birth", "出生": "birth", "出生年月": "birth", "生日": "birth", "年龄": "birth",
    "sex": "sex", "性别": "sex", "female_category": "female_category", "job": "female_category", "工作": "female_category",
    "岗位": "female_category", "hukou_province": "hukou_province", "hukou": "hukou_province", "户口": "hukou_province",
    "户籍": "hukou_province", "periods": "periods", "period": "periods", "缴费": "periods", "年限": "periods",
    "wage": "wage", "工资": "wage", "base": "wage", "account_balance": "account_balance", "balance": "account_balance",
    "个人账户": "account_balance", "余额": "account_balance",
}
_BALANCE_WORDS = re.compile(r"个人账户|账户里|账户上|账户余额|余额|account balance|balance", re.IGNORECASE)
_BIRTH_WORDS = re.compile(r"生|born|birth|岁|years old", re.IGNORECASE)
# "我说错了，出生是1980年3月" is a correction even when NLU calls it inform
_CORRECTION = re.compile(r"(说错|搞错|写错|填错|弄错|选错|打错|记错|不对|改一下|改成|改为|更正|纠正|应该是|\bwrong\b|\bmistake\b|"
                         r"\bcorrect(?:ion)?\b|\bactually\b|\bi meant\b|\bchange my\b)", re.IGNORECASE)
WAGE_RANGE = (300, 200_000)
BALANCE_RANGE = (0, 5_000_000)
# the answer to "我理解的是：…，对吗？"
_AFFIRM = re.compile(r"^\s*(对|对的|对啊|对呀|是|是的|是啊|没错|没问题|正确|嗯|嗯嗯|好|好的|可以|确认|yes|yeah|yep|right|correct|ok|okay|"
                     r"that'?s right)\s*[。.!！]*\s*$", re.IGNORECASE)
_DENY = re.compile(r"^\s*(不对|不是|错了|不正确|no|nope|wrong|not right)\s*[。.!！]*\s*$", re.IGNORECASE)
# one-off texts of the check-up (sent through utter_rules_line, so they are data here, in both languages)
TEXTS = {
    "periods_confirm": {
        "zh": "我理解的是：{summary}。对吗？对就回“对”；不对请再说一遍，比如“2008年到2016年在东莞，2017年到现在在宁波”。",
        "en": "I understood: {summary}. Is that right? Reply \"yes\", or say it again, e.g. \"Dongguan 2008 to 2016, "
              "Ningbo 2017 to now\".",
    },
    "periods_future": {
        "zh": "我理解的是：{summary}。这里有还没到的年月，记不了。请再说一遍，比如“2017年到现在在宁波”。",
        "en": "I understood: {summary}. That includes months still to come, so I can't record it. Please say it "
              "again, e.g. \"Ningbo 2017 to now\".",
    },
    "periods_before_working_age": {
        "zh": "我理解的是：{summary}。按您的出生年月，那时还不满16岁，不可能交社保。请再说一遍，比如“2008年到2016年在东莞”。",
        "en": "I understood: {summary}. By your birth date you were under 16 then, so that can't be a period of "
              "insurance. Please say it again, e.g. \"Dongguan 2008 to 2016\".",
    },
    "birth_from_age": {
        "zh": "您今年{age}岁，应该是{earlier}年或{later}年出生。请告诉我出生年月，比如“{later}年3月”。",
        "en": "At {age} you were born in {earlier} or {later}. Which year and month? E.g. \"March {later}\".",
    },
}


def say_text(dispatcher: CollectingDispatcher, key: str, lang: str, **values: Any) -> None:
    utter(dispatcher, "utter_rules_line", line=TEXTS[key][lang].format(**values))


def periods_summary(periods: list[dict], lang: str) -> str:
    sep = "；" if lang == "zh" else "; "
    parts = []
    for p in periods:
        place = province_label(p["province"], lang)
        if p.get("city") and p["city"] not in place:
            place = f"{place}{p['city']}" if lang == "zh" else f"{p['city']}, {place}"
        span = f"{p['start']}—{p['end']}"
        parts.append(f"{place} {format_months(p['months'], lang, p.get('at_least', False))}（{span}）"
                     if lang == "zh" else f"{place} {format_months(p['months'], lang, p.get('at_least', False))} ({span})")
    return sep.join(parts)


class ValidateCheckupForm(FormValidationAction):
    def name(self) -> str:
        return "validate_checkup_form"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        requested = tracker.get_slot("requested_slot")
        events = await super().run(dispatcher, tracker, domain)
        # at activation (no requested slot yet) a correction was already acknowledged by action_reset_checkup
        if requested and self._is_correction(tracker) and any(
                e.get("event") == "slot" and e.get("name") in CHECKUP_SLOTS and e.get("name") != requested
                and e.get("value") is not None for e in events):
            utter(dispatcher, "utter_checkup_corrected")  # say so, then the form repeats its pending question
        return events

    # ---- extraction: which slots does this message answer? ----
    @staticmethod
    def _is_correction(tracker: Tracker) -> bool:
        return latest_intent(tracker) == "correct_answer" or bool(_CORRECTION.search(latest_text(tracker)))

    def _correction_target(self, tracker: Tracker) -> str | None:
        if not self._is_correction(tracker):
            return None
        for value in entity_values(tracker, "slot_name"):
            target = SLOT_NAME_ALIASES.get(str(value).strip().lower()) or SLOT_NAME_ALIASES.get(str(value).strip())
            if target:
                return target
        return None

    def _extract(self, slot: str, tracker: Tracker) -> dict[str, Any]:
        # Only the form calls this action. At activation Rasa's tracker has no active loop and no requested slot
        # yet: the message that started the check-up may still hold details ("帮我算算，我是女的，80年3月出生").
        text = answer_text(tracker)
        if not text.strip():
            return {}
        requested = tracker.get_slot("requested_slot")
        intent = latest_intent(tracker)
        correction = self._is_correction(tracker)
        target = self._correction_target(tracker)
        if target == slot:
            # "I got my birth month wrong": a value in the message replaces the old one; without one, ask again
            return {slot: text if parses_as(slot, text) else None}
        if correction and slot != requested:
            return {slot: text} if self._states(slot, text, tracker, overwrite=True) else {}
        if slot == requested:
            if correction and (target or self._states_any_other(slot, text, tracker)):
                return {}
            if not self._answers(slot, text, tracker) and self._states_any_other(slot, text, tracker):
                return {}  # an answer meant for another question ("五千左右" asked for the work history)
            if intent == "stop":
                return {}  # the conversation confirms before leaving the check-up
            if (intent in DIGRESSION_INTENTS or (intent or "").startswith("ask_")) and not parses_as(slot, text):
                return {}  # a question of its own: let the conversation answer it
            if (tracker.active_loop or {}).get("is_interrupted") and not parses_as(slot, text):
                return {}  # back from a digression ("不，继续"): the message was no answer, just ask again
            return {slot: text}
        # details volunteered on the way ("女的，1980年3月，在厂里上班", "河南户口，在广东交了12年"), never overwriting
        if not self._states(slot, text, tracker, overwrite=False):
            return {}
        if slot == "wage":
            return {slot: parsing.parse_stated_wage(text)}      # the wage phrase's sum, not the first number
        if slot == "account_balance":
            return {slot: parsing.parse_amount(text[_BALANCE_WORDS.search(text).end():])}
        if slot == "periods":
            return {slot: _work_history_part(text, tracker)}
        return {slot: text}

    @staticmethod
    def _answers(slot: str, text: str, tracker: Tracker) -> bool:
        """Whether the text answers this question (a skip or stop counts); years of work are no birth date."""
        if (slot == "birth" and not _BIRTH_WORDS.search(text) and not parsing.parse_birth(text).value
                and parsing.parse_periods(text).periods):
            return False
        if slot == "hukou_province" and not hukou_hint(text) and parsing.parse_periods(text).periods:
            return False   # "在东莞8年" asked for the hukou: a work history, the hukou is asked again
        if slot == "periods" and (_AFFIRM.match(text) or _DENY.match(text)):
            return True
        return parses_as(slot, text)

    def _states(self, slot: str, text: str, tracker: Tracker, overwrite: bool) -> bool:
        """Whether the text clearly states this slot's value (used for details the form did not ask for)."""
        if not overwrite and tracker.get_slot(slot) is not None:
            return False
        if slot == "birth":
            if parsing.parse_periods(text).periods and not _BIRTH_WORDS.search(text):
                return False   # "1995年3月开始在深圳": a period of work
            return parsing.parse_stated_birth(text).value is not None
        if slot == "periods":
            found = parsing.parse_periods(_work_history_part(text, tracker), birth=_known_birth(tracker))
            return bool(found.periods) and not found.unsure
        if slot == "wage":
            wage = parsing.parse_stated_wage(text)
            return wage is not None and WAGE_RANGE[0] <= wage <= WAGE_RANGE[1]
        if slot == "account_balance":
            match = _BALANCE_WORDS.search(text)
            return bool(match) and parsing.parse_amount(text[match.end():]) is not None
        if slot == "sex":
            return parsing.parse_sex(text) is not None
        if slot == "female_category":
            return parsing.parse_job(text) is not None and tracker.get_slot("sex") != "male"
        if slot == "hukou_province":
            return hukou_hint(text) is not None
        return False

    def _states_any_other(self, slot: str, text: str, tracker: Tracker) -> bool:
        return any(self._states(other, text, tracker, overwrite=True) for other in CHECKUP_SLOTS if other != slot)

    async def extract_birth(self, dispatcher, tracker, domain):
        return self._extract("birth", tracker)

    async def extract_sex(self, dispatcher, tracker, domain):
        return self._extract("sex", tracker)

    async def extract_female_category(self, dispatcher, tracker, domain):
        return self._extract("female_category", tracker)

    async def extract_hukou_province(self, dispatcher, tracker, domain):
        return self._extract("hukou_province", tracker)

    async def extract_periods(self, dispatcher, tracker, domain):
        return self._extract("periods", tracker)

    async def extract_wage(self, dispatcher, tracker, domain):
        return self._extract("wage", tracker)

    async def extract_account_balance(self, dispatcher, tracker, domain):
        return self._extract("account_balance", tracker)

    # ---- validation: colloquial answer → slot value, or a clear re-ask ----
    @staticmethod
    def _stop(slot: str, dispatcher: CollectingDispatcher) -> dict[str, Any]:
        utter(dispatcher, "utter_checkup_stopped")
        return {slot: None, "requested_slot": None}

    async def validate_birth(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if value is None:
            utter(dispatcher, "utter_invalid_birth")
            return {"birth": None}
        text = str(value)
        if text == UNKNOWN or re.fullmatch(r"\d{4}-\d{2}", text) and parsing.parse_birth(text).value == text:
            return {"birth": text}
        if parsing.is_stop(text):
            return self._stop("birth", dispatcher)
        if parsing.is_skip(text):
            return {"birth": UNKNOWN}
        result = parsing.parse_birth(text)
        if result.value:
            return {"birth": result.value}
        if result.age:
            later = date.today().year - result.age
            say_text(dispatcher, "birth_from_age", lang_of(tracker), age=result.age, earlier=later - 1, later=later)
            return {"birth": None}
        utter(dispatcher, {"need_month": "utter_invalid_birth_need_month",
                           "out_of_range": "utter_invalid_birth_range"}.get(result.problem, "utter_invalid_birth"))
        return {"birth": None}

    async def validate_sex(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        text = "" if value is None else str(value)
        if text in ("male", "female", UNKNOWN):
            sex = text
        elif parsing.is_stop(text):
            return self._stop("sex", dispatcher)
        elif parsing.is_skip(text):
            sex = UNKNOWN
        else:
            sex = parsing.parse_sex(text)
        if sex is None:
            utter(dispatcher, "utter_invalid_sex")
            return {"sex": None}
        result: dict[str, Any] = {"sex": sex}
        category = tracker.get_slot("female_category")
        if sex == "male":
            result["female_category"] = "n/a"  # the job category only sets a woman's original pension age
        elif category == "n/a":
            result["female_category"] = None
        if sex == "female" and category in (None, "n/a") and parsing.parse_job(text):
            result["female_category"] = parsing.parse_job(text)
        return result

    async def validate_female_category(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        if tracker.get_slot("sex") == "male":
            return {"female_category": "n/a"}
        text = "" if value is None else str(value)
        if text in ("worker", "cadre", "n/a", UNKNOWN):
            return {"female_category": text}
        if parsing.is_stop(text):
            return self._stop("female_category", dispatcher)
        if parsing.is_skip(text):
            return {"female_category": UNKNOWN}
        category = parsing.parse_job(text)
        if category is None:
            utter(dispatcher, "utter_invalid_female_category")
            return {"female_category": None}
        return {"female_category": category}

    async def validate_hukou_province(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        from rules_engine.provinces import CODES

        text = "" if value is None else str(value)
        if text in CODES or text == UNKNOWN:
            return {"hukou_province": text}
        if parsing.is_stop(text):
            return self._stop("hukou_province", dispatcher)
        if parsing.is_skip(text):
            return {"hukou_province": UNKNOWN}
        code = hukou_hint(text) or parsing.find_province(text)
        if code is None:
            utter(dispatcher, "utter_invalid_hukou_province")
            return {"hukou_province": None}
        return {"hukou_province": code}

    async def validate_periods(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        lang = lang_of(tracker)
        if isinstance(value, list):
            return {"periods": value}
        text = "" if value is None else str(value)
        if text == UNKNOWN:
            return {"periods": UNKNOWN}
        if parsing.is_stop(text):
            return self._stop("periods", dispatcher)
        if parsing.is_skip(text):
            return {"periods": UNKNOWN}
        birth = _known_birth(tracker)
        if _AFFIRM.match(text):
            confirmed = parsing.parse_periods(_previous_user_text(tracker), birth=birth)
            if confirmed.periods:   # "对" to "我理解的是：…，对吗？"
                utter(dispatcher, "utter_periods_understood", summary=periods_summary(confirmed.periods, lang))
                return {"periods": confirmed.periods}
        if _DENY.match(text):
            utter(dispatcher, "utter_invalid_periods")
            return {"periods": None}
        result = parsing.parse_periods(text, birth=birth)
        if not result.periods and result.problem in ("no_place", "no_duration", None):
            result = _completing_answer(tracker, text, birth) or result
        if result.problem in ("future", "before_working_age"):
            say_text(dispatcher, f"periods_{result.problem}", lang, summary=periods_summary(result.understood, lang))
            return {"periods": None}
        if result.periods and result.unsure:
            # a reading that could be wrong is shown and confirmed, never recorded silently
            say_text(dispatcher, "periods_confirm", lang, summary=periods_summary(result.periods, lang))
            return {"periods": None}
        if result.periods:
            utter(dispatcher, "utter_periods_understood", summary=periods_summary(result.periods, lang))
            if result.estimated:
                utter(dispatcher, "utter_periods_estimated")
            return {"periods": result.periods}
        if result.problem == "no_duration" and result.missing_duration_place:
            place = result.missing_duration_place
            utter(dispatcher, "utter_invalid_periods_no_duration",
                  place=place.city or province_label(place.province, lang))
        elif result.problem == "no_place":
            utter(dispatcher, "utter_invalid_periods_no_place")
        else:
            utter(dispatcher, "utter_invalid_periods")
        return {"periods": None}

    @staticmethod
    def _amount(slot: str, value: Any, dispatcher, allowed: tuple[int, int], invalid: str) -> dict[str, Any]:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return {slot: value}
        text = "" if value is None else str(value)
        if text == UNKNOWN:
            return {slot: UNKNOWN}
        if parsing.is_stop(text):
            return ValidateCheckupForm._stop(slot, dispatcher)
        if parsing.is_skip(text) or (slot == "account_balance" and ACCOUNT_NONE.match(text)):
            return {slot: UNKNOWN}
        amount = parsing.parse_amount(text)
        if amount is None or not allowed[0] <= amount <= allowed[1]:
            utter(dispatcher, invalid)
            return {slot: None}
        return {slot: amount}

    async def validate_wage(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._amount("wage", value, dispatcher, WAGE_RANGE, "utter_invalid_wage")

    async def validate_account_balance(self, value: Any, dispatcher, tracker, domain) -> dict[str, Any]:
        return self._amount("account_balance", value, dispatcher, BALANCE_RANGE, "utter_invalid_account_balance")


def _work_history_part(text: str, tracker: Tracker) -> str:
    """The message without the answer to the question asked, when that answer came first: "80年3月，在东莞干了10年"
    to the birth question, "四川，在东莞8年" to the hukou question."""
    requested = tracker.get_slot("requested_slot")
    if requested == "birth" and parsing.parse_birth(text).value:
        return without_first_year_month(text)
    if requested == "hukou_province" and not parsing.parse_periods(text).periods:
        place = hukou_place(text) or next(iter(parsing.find_places(text)), None)
        if place is not None:
            return text[:place.start] + " " * (place.end - place.start) + text[place.end:]
    return text


def _known_birth(tracker: Tracker) -> str | None:
    birth = tracker.get_slot("birth")
    return birth if isinstance(birth, str) and re.fullmatch(r"\d{4}-\d{2}", birth) else None


def _completing_answer(tracker: Tracker, text: str, birth: str | None):
    """The previous answer completed by this one: "六年" after "在浙江交了多久？", "东莞" after "哪个城市？" (the answer
    "8年" had no place); None when the two do not make one work history."""
    previous_text = _previous_user_text(tracker)
    previous = parsing.parse_periods(previous_text, birth=birth)
    place = previous.missing_duration_place
    current = parsing.parse_periods(text, birth=birth)
    if (previous.problem == "no_duration" and place is not None and current.problem in ("no_place", None)
            and parsing.find_durations(text)):
        combined_text = f"{previous_text}，{previous_text[place.start:place.end]}{text}"
    elif (previous.problem == "no_place" and current.problem == "no_duration"
          and parsing.find_durations(previous_text) and not parsing.parse_birth(previous_text).value):
        combined_text = f"{text}{previous_text}"
    else:
        return None
    combined = parsing.parse_periods(combined_text, birth=birth)
    return combined if combined.periods or combined.problem in ("future", "before_working_age") else None


def _previous_user_text(tracker: Tracker) -> str:
    """The user's message before this one (the answer the bot asked to confirm)."""
    texts = [e.get("text") or "" for e in tracker.events if e.get("event") == "user"]
    return texts[-2] if len(texts) >= 2 else ""


# ---------------------------------------------------------------------------------------------------------------
def _slots(tracker: Tracker) -> dict:
    return {slot: tracker.get_slot(slot) for slot in CHECKUP_SLOTS}


def say_missing(dispatcher: CollectingDispatcher, draft, tracker: Tracker, lang: str) -> list[dict[str, Any]]:
    """Birth, sex or hukou province skipped: answer what can be answered and say what is missing."""
    from rules_engine import ProfileError
    from rules_engine.api import retirement_for

    slots = _slots(tracker)
    if known(slots.get("birth")) and known(slots.get("sex")):
        category = slots.get("female_category") if slots.get("female_category") in ("worker", "cadre") else None
        try:
            answer = retirement_for(birth=slots["birth"], sex=slots["sex"], female_category=category)
        except ProfileError as error:
            return say_profile_error(dispatcher, error, lang)
        from actions.retirement import say_retirement

        say_retirement(dispatcher, answer, slots["sex"], category)
    for slot in draft.missing:
        utter(dispatcher, f"utter_checkup_missing_{slot}")
    utter(dispatcher, "utter_checkup_next_steps")
    return []


class ActionCheckupResult(Action):
    def name(self) -> str:
        return "action_checkup_result"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        from rules_engine import ProfileError, explain

        lang = lang_of(tracker)
        if parsing.is_stop(latest_text(tracker)):
            return []  # the form ended because the user said stop; that was already answered
        if any(value is None for value in _slots(tracker).values()):
            utter(dispatcher, "utter_checkup_incomplete")
            return []
        try:
            draft, result = assess_slots(_slots(tracker))
        except ProfileError as error:
            return say_profile_error(dispatcher, error, lang)
        if result is None:
            return say_missing(dispatcher, draft, tracker, lang)
        option_names = {o.get("option") for o in result.options}
        # 1. the verdict, short
        utter(dispatcher, "utter_checkup_verdict_intro")
        summary = explain.render_summary(result, lang)
        verdict = summary[: len(summary) - self._option_bubble_count(result, lang)]
        for line in verdict:
            utter(dispatcher, "utter_rules_line", line=line)
        if draft.estimated_periods:
            utter(dispatcher, "utter_checkup_periods_estimated")
        if draft.assumed_worker:
            utter(dispatcher, "utter_checkup_assumed_worker")
        # 2. the options in money and years, then the same figures as one chart
        say_options(dispatcher, result, lang)
        say_options_chart(dispatcher, result, lang)
        # 3. why: the rules applied, with their sources
        utter(dispatcher, "utter_checkup_why_intro")
        say_trace(dispatcher, result.trace, lang, skip=NOT_IN_WHY)
        for warning in result.warnings or []:
            utter(dispatcher, "utter_rules_line", line=warning.get(lang) or warning.get("zh"))
        utter(dispatcher, "utter_checkup_next_steps")
        logger.info("check-up result: options %s", sorted(n for n in option_names if n))
        return []

    @staticmethod
    def _option_bubble_count(result, lang: str) -> int:
        """The engine's summary ends with its own option bubbles; the options are said from data instead."""
        try:
            from rules_engine.explain.options_text import option_bubbles

            return len(option_bubbles(result.options, lang))
        except Exception:
            return 0


async def correction(dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict[str, Any]:
    """The slots a correction changes: the named slot (slot_name entity) or the ones the message states, set to the
    new value when the message holds one, else cleared so the form asks again; with neither, the last answer."""
    validator = ValidateCheckupForm()
    text = answer_text(tracker)
    target = validator._correction_target(tracker)
    slots = [target] if target else [s for s in CHECKUP_SLOTS if validator._states(s, text, tracker, overwrite=True)]
    changed: dict[str, Any] = {}
    for slot in slots:
        if parses_as(slot, text) and not parsing.is_skip(text) and not parsing.is_stop(text):
            validated = await getattr(validator, f"validate_{slot}")(text, dispatcher, tracker, domain)
            changed.update({k: v for k, v in validated.items() if k != "requested_slot"})
        else:
            changed[slot] = None
        if slot == "sex" and changed.get("sex") is None:
            changed["female_category"] = None
    if not slots:
        last = next((e.get("name") for e in reversed(tracker.events)
                     if e.get("event") == "slot" and e.get("name") in CHECKUP_SLOTS and e.get("value") is not None),
                    None)
        if last:
            changed[last] = None
    return changed


class ActionResetCheckup(Action):
    """Start the check-up afresh, or — for a correction ("出生年月说错了，是81年5月") — change just that answer."""

    def name(self) -> str:
        return "action_reset_checkup"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        if latest_intent(tracker) == "correct_answer":
            changed = await correction(dispatcher, tracker, domain)
            if changed:
                utter(dispatcher, "utter_checkup_corrected")
                return [SlotSet(slot, value) for slot, value in changed.items()]
        utter(dispatcher, "utter_checkup_reset")
        return [SlotSet(slot, None) for slot in CHECKUP_SLOTS] + [SlotSet("requested_slot", None)]


class ActionCompareOptions(Action):
    """Cash out vs suspend vs transfer: the person's own numbers when the check-up has them, else the general
    explanation from the knowledge base and an offer to work out their case."""

    def name(self) -> str:
        return "action_compare_options"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        from rules_engine import ProfileError

        lang = lang_of(tracker)
        try:
            draft, result = assess_slots(_slots(tracker))
        except ProfileError:
            draft, result = None, None
        if result is not None and result.options and draft.profile.get("periods"):
            say_options(dispatcher, result, lang)
            utter(dispatcher, "utter_checkup_next_steps")
            return []
        events = say_entry(dispatcher, "consequence-cash-out-vs-suspend-vs-transfer", lang, related=False)
        utter(dispatcher, "utter_offer_checkup")
        return events

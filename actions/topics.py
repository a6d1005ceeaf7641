"""Questions about a topic → one knowledge-base entry (`action_answer_topic`).

The table below is the only place that ties intents to entries; the answer text itself is the entry's.
"""
from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import entity_values, lang_of, latest_intent, latest_text, never_fails, utter
from actions.kb_answers import say_entry

SCHEME_ENTRIES = {
    "BPI-UE": "scheme-bpi-ue", "BPI-RUR": "scheme-bpi-rur", "BMCI-UE": "scheme-bmci-ue",
    "BMCI-RUR": "scheme-bmci-rur", "UI": "scheme-ui", "EII": "scheme-eii", "MI": "scheme-mi",
}
MEDICAL_SCHEMES = {"BMCI-UE", "BMCI-RUR", "MI"}

# intent → entry id (without a scheme entity, or when the scheme does not change the answer)
TOPIC_ENTRIES: dict[str, str] = {
    "ask_scheme_info": "scheme-bpi-ue",
    "ask_scheme_cost": "scheme-bpi-ue",
    "ask_scheme_benefits": "scheme-bpi-ue",
    "ask_transfer_pension": "procedure-pension-transfer",
    "ask_transfer_medical": "procedure-medical-transfer",
    "ask_transfer_time": "faq-transfer-time",
    "ask_transfer_documents": "faq-transfer-documents",
    "ask_cash_out": "consequence-cash-out-rules",
    "ask_stop_paying": "consequence-stop-paying",
    "compare_options": "faq-cash-out-or-suspend",
    "ask_pension_place": "faq-pension-paying-place",
    "ask_retirement_age": "faq-retirement-age",
    "ask_minimum_years": "faq-minimum-years",
    "ask_switch_residents": "procedure-switch-employee-resident",
    "ask_medical_other_province": "procedure-cross-province-medical",
    "ask_unemployment": "procedure-unemployment-claim",
    "ask_work_injury": "procedure-injury-recognition",
    "ask_maternity": "faq-maternity",
    "ask_hukou": "faq-hukou-limits",
    "ask_check_record": "procedure-check-record",
    "employer_no_insurance": "right-employer-must-insure",
    "ask_help_channels": "contact-12333",
    "ask_temporary_account": "faq-temporary-account",
    "ask_flexible_contribution": "procedure-flexible-contribution",
}
# words in the message that point to a more specific entry than the intent alone
REFINEMENTS: dict[str, list[tuple[re.Pattern, str]]] = {
    "employer_no_insurance": [
        (re.compile(r"协议|签字|签了|签个|自愿|放弃|承诺书|不要社保|waive|agreement|sign", re.IGNORECASE),
         "right-waiver-void"),
    ],
    "ask_transfer_pension": [
        (re.compile(r"回老家办|回去办|回原籍|跑回去|go back to", re.IGNORECASE), "myth-must-go-back-to-transfer"),
        (re.compile(r"(钱|养老金).{0,6}(丢|没了|少|亏)|lose (my )?money", re.IGNORECASE), "myth-money-lost-when-moving"),
    ],
    "ask_cash_out": [
        (re.compile(r"失去|损失|亏|吃亏|划算|lose|worth", re.IGNORECASE), "consequence-what-cash-out-loses"),
    ],
    "ask_stop_paying": [
        (re.compile(r"医保|看病|medical", re.IGNORECASE), "consequence-stop-medical"),
    ],
    "ask_minimum_years": [
        (re.compile(r"(15|十五)年.{0,8}(不用|不交|停|就行|就够)|stop (paying )?after 15", re.IGNORECASE),
         "myth-15-years-then-stop"),
    ],
    "ask_help_channels": [
        (re.compile(r"12393|医保", re.IGNORECASE), "contact-12393"),
        (re.compile(r"仲裁|arbitration", re.IGNORECASE), "contact-labour-arbitration"),
        (re.compile(r"监察|举报|投诉|inspection|complain", re.IGNORECASE), "contact-labour-inspection"),
        (re.compile(r"12345"), "contact-12345"),
    ],
}
# topics whose words are unmistakable whatever intent NLU chose ("养老金是怎么算出来的" read as a cash-out question)
TOPIC_WORDS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"(养老金|退休金|退休工资|pension).{0,10}(怎么算|咋算|如何算|如何计算|怎么计算|算出来|算法|公式|计发)|"
                r"how (is|do they|to) (calculate|work out).{0,20}pension|pension.{0,12}(calculated|formula)",
                re.IGNORECASE), "faq-pension-formula"),
    (re.compile(r"退休.{0,12}医保.{0,12}(多少年|几年|年限|满)|医保.{0,12}(多少年|几年|年限).{0,12}(退休|不用交|终身)|"
                r"medical.{0,30}(years|how long).{0,30}(retire|after retirement)|retire.{0,30}medical.{0,30}years",
                re.IGNORECASE), "faq-medical-years-retirement"),
    (re.compile(r"12333.{0,6}(是|干|做|什么|啥|管)|(什么|啥)是12333|what('s| is) 12333|12333.{0,6}(for|what)",
                re.IGNORECASE), "contact-12333"),
    (re.compile(r"(退保|取出来|取钱|cash).{0,10}(停保|停交|停缴|暂停|断交|suspend|stop)|"
                r"(停保|停交|停缴|暂停|suspend|stop).{0,10}(退保|取出来|cash)", re.IGNORECASE), "faq-cash-out-or-suspend"),
    (re.compile(r"失业(金|保险金).{0,10}(多少钱|领多少|发多少|一个月多少|每月多少|标准)|how much.{0,20}unemployment",
                re.IGNORECASE), "faq-unemployment-amount"),
    (re.compile(r"失业(金|保险金).{0,10}(多久|多长时间|几个月|最长)|how long.{0,20}unemployment", re.IGNORECASE),
     "faq-unemployment-duration"),
]
# the check-up slots that make a compare_options question the person's own (their numbers, not the general answer)
CASE_SLOTS = ("birth", "sex", "hukou_province", "periods")
# intents whose answer is the scheme's own entry when a scheme is named ("医保交多少")
SCHEME_INTENTS = {"ask_scheme_info", "ask_scheme_cost", "ask_scheme_benefits"}
# transfer questions about medical insurance go to the medical transfer procedure
TRANSFER_INTENTS = {"ask_transfer_pension", "ask_transfer_time", "ask_transfer_documents"}
# the procedure shows its steps only where steps are what the user asked for
NO_STEPS_INTENTS = {"ask_scheme_info", "ask_scheme_cost", "ask_scheme_benefits"}


def entry_for(intent: str | None, scheme: str | None = None, text: str = "") -> str | None:
    """The entry that answers an intent (and scheme entity, and telling words), or None for no topic question."""
    if intent is None:
        return None
    for pattern, entry in TOPIC_WORDS:
        if pattern.search(text or ""):
            return entry
    scheme = scheme.upper() if isinstance(scheme, str) else None
    if intent in TRANSFER_INTENTS and scheme in MEDICAL_SCHEMES:
        return "procedure-medical-transfer"  # how long and which documents are in the procedure's steps
    for pattern, entry in REFINEMENTS.get(intent, []):
        if pattern.search(text or ""):
            return entry
    if intent in SCHEME_INTENTS and scheme in SCHEME_ENTRIES:
        return SCHEME_ENTRIES[scheme]
    if intent == "ask_unemployment" and scheme == "UI":
        return "procedure-unemployment-claim"
    return TOPIC_ENTRIES.get(intent)


def intent_for_entry(entry_id: str) -> tuple[str, str | None] | None:
    """(intent, scheme) that leads to an entry — for related-topic buttons — or None."""
    for scheme, scheme_entry in SCHEME_ENTRIES.items():
        if scheme_entry == entry_id:
            return "ask_scheme_info", scheme
    for intent, topic_entry in TOPIC_ENTRIES.items():
        if topic_entry == entry_id and intent not in SCHEME_INTENTS:
            return intent, None
    return None


# knowledge search ranks within a topic: its best hit replaces the intent's default entry when it is clearly better
SEARCH_MIN_SCORE = 1.4
SEARCH_MARGIN = 0.25


def ranked_entry(text: str, entry_id: str, lang: str) -> str:
    """The intent's default entry, or the knowledge search's best hit for the message when that scores clearly
    higher ("五险一金是哪五险" is an ask_scheme_info question, but not about the pension scheme)."""
    from actions.common import knowledge_base, mask

    kb = knowledge_base()
    if kb is None or not text.strip() or text.lstrip().startswith("/"):
        return entry_id
    hits = kb.search(mask(text), lang=lang, limit=8)
    if not hits or hits[0].id == entry_id or hits[0].score < SEARCH_MIN_SCORE:
        return entry_id
    own = next((h.score for h in hits if h.id == entry_id), 0.0)
    return hits[0].id if hits[0].score - own >= SEARCH_MARGIN else entry_id


def is_default_entry(intent: str | None, scheme: str | None, text: str, entry_id: str | None) -> bool:
    """Whether the entry is only the intent's default (no scheme, refinement or topic words chose it)."""
    return entry_id is not None and entry_id == TOPIC_ENTRIES.get(intent or "") and entry_for(intent, None, text) \
        == entry_id and not (scheme and intent in SCHEME_INTENTS)


def has_own_case(tracker: Tracker) -> bool:
    from actions.profile import known

    return all(known(tracker.get_slot(slot)) for slot in CASE_SLOTS)


class ActionAnswerTopic(Action):
    """A topic question: its entry; a short follow-up ("那医保呢", "以后回老家还能接着交吗") is read in the context
    of the last answer and never gets the same answer again; an answer to the question the bot just asked goes
    there; cash-out versus suspend is answered first, then the check-up offered (or the person's own numbers)."""

    def name(self) -> str:
        return "action_answer_topic"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        from actions.fallback import answer_pending, context_entry, is_follow_up, search_and_answer

        answered = answer_pending(dispatcher, tracker, domain)
        if answered is not None:
            return answered
        intent = latest_intent(tracker)
        lang = lang_of(tracker)
        text = latest_text(tracker)
        if intent == "compare_options" and has_own_case(tracker):
            from actions.checkup import ActionCompareOptions

            return await ActionCompareOptions().run(dispatcher, tracker, domain)
        schemes = entity_values(tracker, "scheme")
        entry_id = entry_for(intent, schemes[0] if schemes else None, text)
        if is_default_entry(intent, schemes[0] if schemes else None, text, entry_id) and not is_follow_up(text):
            entry_id = ranked_entry(text, entry_id, lang)
        last_entry = tracker.get_slot("last_entry_id")
        if last_entry and not text.lstrip().startswith("/") and (entry_id == last_entry or is_follow_up(text)):
            entry_id = context_entry(text, last_entry, lang) or entry_id
        if entry_id is None:
            return search_and_answer(dispatcher, tracker)
        events = say_entry(dispatcher, entry_id, lang, steps=intent not in NO_STEPS_INTENTS)
        if intent == "compare_options" or entry_id == "faq-cash-out-or-suspend":
            utter(dispatcher, "utter_offer_checkup")
        return events

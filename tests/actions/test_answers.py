"""One-shot answers: retirement from the message itself, topics from the knowledge base, injury deadlines,
unemployment, pension place; and the never-a-dead-end fallback search."""
from __future__ import annotations

import re

import pytest

from actions.fallback import ActionFallbackSearch
from actions.injury import ActionInjuryDeadlines
from actions.pension_place import ActionPensionPlace
from actions.retirement import ActionRetirementAge
from actions.topics import TOPIC_ENTRIES, ActionAnswerTopic, entry_for
from actions.unemployment import ActionUnemployment
from tests.actions.helpers import responses, run, slot_events, tracker_from


def test_retirement_answered_directly_from_the_example_sentence():
    events, messages = run(ActionRetirementAge(), tracker_from("retirement_one_shot"))
    said = responses(messages)
    # the answer itself first, for a woman in a worker post; no question asked back
    assert said[0] == "utter_retirement_result_female_worker"
    assert messages[0]["date"] == "2032-11"
    assert (messages[0]["age_years"], messages[0]["age_months"]) == (52, 8)
    assert said[1] == "utter_retirement_minimum_years" and messages[1]["minimum"] == "16.5"
    # the rules applied, with their sources
    rules_lines = [m["line"] for m in messages if m["response"] == "utter_rules_line"]
    assert any("依据" in line for line in rules_lines)
    assert not any(name.startswith("utter_ask") or name == "utter_retirement_need_details" for name in said)
    # what was said is remembered for the check-up
    assert slot_events(events) == {"birth": "1980-03", "sex": "female", "female_category": "worker",
                                   "last_entry_id": "faq-retirement-age"}


def test_retirement_in_english_for_a_man():
    tracker = tracker_from("base", text="I'm a man born in March 1970, when can I retire?", intent="ask_retirement_age",
                           language="en")
    events, messages = run(ActionRetirementAge(), tracker)
    assert messages[0]["response"] == "utter_retirement_result_male" and messages[0]["date"] == "2031-07"
    assert any("basis" in m.get("line", "") for m in messages)
    assert slot_events(events)["female_category"] == "n/a"


def test_retirement_without_details_gives_the_general_entry_and_the_checkup():
    events, messages = run(ActionRetirementAge(), tracker_from("base", text="我什么时候能退休", intent="ask_retirement_age"))
    said = responses(messages)
    assert said[0] == "utter_kb_answer" and "utter_kb_citation" in said
    assert said[-1] == "utter_retirement_need_details"
    assert any(b["payload"] == "/start_checkup" for b in _buttons("utter_retirement_need_details"))
    # the question is remembered for one turn, so the next answer ("男的, 85年3月") is read as its answer
    assert slot_events(events) == {"last_entry_id": "faq-retirement-age", "pending_question": "retirement_details"}


def _buttons(response, language_en=False):
    from tests.actions.helpers import DOMAIN

    for variation in DOMAIN["responses"][response]:
        if bool(variation.get("condition")) == language_en:
            return variation.get("buttons", [])
    return []


@pytest.mark.parametrize("intent, text, entry", [
    ("employer_no_insurance", "老板让我签不交社保的协议", "right-waiver-void"),
    ("employer_no_insurance", "老板不给交社保", "right-employer-must-insure"),
    ("ask_help_channels", "医保问题打哪个电话", "contact-12393"),
    ("ask_help_channels", "去哪投诉单位", "contact-labour-inspection"),
    ("ask_transfer_pension", "转社保要回老家办吗", "myth-must-go-back-to-transfer"),
    ("ask_stop_paying", "医保断了会怎样", "consequence-stop-medical"),
    ("ask_minimum_years", "是不是交满15年就不用交了", "myth-15-years-then-stop"),
    ("ask_transfer_pension", "社保怎么转", "procedure-pension-transfer"),
])
def test_telling_words_pick_a_more_specific_entry(intent, text, entry):
    assert entry_for(intent, None, text) == entry


def test_medical_stop_paying_even_with_the_scheme_entity():
    assert entry_for("ask_stop_paying", "BMCI-UE", "医保断了会怎样") == "consequence-stop-medical"
    assert entry_for("ask_transfer_pension", "BMCI-UE", "医保要回老家办吗") == "procedure-medical-transfer"


@pytest.mark.parametrize("intent, scheme, entry", [
    ("ask_transfer_pension", None, "procedure-pension-transfer"),
    ("ask_transfer_pension", "BMCI-UE", "procedure-medical-transfer"),
    ("ask_transfer_time", None, "faq-transfer-time"),
    ("ask_transfer_time", "BMCI-UE", "procedure-medical-transfer"),
    ("ask_scheme_info", "UI", "scheme-ui"),
    ("ask_scheme_cost", None, "scheme-bpi-ue"),
    ("ask_cash_out", None, "consequence-cash-out-rules"),
    ("employer_no_insurance", None, "right-employer-must-insure"),
    ("greet", None, None),
])
def test_topic_table(intent, scheme, entry):
    assert entry_for(intent, scheme) == entry


def test_every_topic_entry_exists_in_the_knowledge_base(knowledge_db):
    from knowledge import KnowledgeBase
    from actions.topics import REFINEMENTS, SCHEME_ENTRIES

    kb = KnowledgeBase(knowledge_db)
    refined = {entry for rules in REFINEMENTS.values() for _, entry in rules}
    missing = {e for e in set(TOPIC_ENTRIES.values()) | set(SCHEME_ENTRIES.values()) | refined if kb.get(e) is None}
    assert not missing


@pytest.mark.parametrize("language", ["zh", "en"])
def test_topic_answer_with_steps_citation_and_related_buttons(language):
    tracker = tracker_from("base", text="社保怎么转" if language == "zh" else "how do I move my pension",
                           intent="ask_transfer_pension", language=language)
    events, messages = run(ActionAnswerTopic(), tracker)
    said = responses(messages)
    assert said[0] == "utter_kb_answer"
    steps = [m for m in messages if m["response"] == "utter_kb_step"]
    assert [m["number"] for m in steps] == list(range(1, len(steps) + 1)) and len(steps) >= 3
    citation = next(m["citation"] for m in messages if m["response"] == "utter_kb_citation")
    assert ("来源" in citation) if language == "zh" else ("Source" in citation)
    assert ("国办发〔2009〕66号" if language == "zh" else "Guobanfa [2009] No. 66") in citation
    related = next(m for m in messages if m["response"] == "utter_kb_related")
    assert 1 <= len(related["buttons"]) <= 3
    assert all(b["payload"] for b in related["buttons"])
    assert slot_events(events) == {"last_entry_id": "procedure-pension-transfer"}
    # the step texts are in the conversation's language
    assert bool(re.search(r"[\u4e00-\u9fff]", steps[0]["step"])) == (language == "zh")


def test_local_rules_say_so_and_give_12333():
    events, messages = run(ActionAnswerTopic(), tracker_from("base", text="户口不在这能参保吗", intent="ask_hukou"))
    assert "utter_kb_local_variation" in responses(messages)


def test_injury_deadlines_from_the_accident_date_in_the_message():
    from datetime import date, timedelta

    accident = date.today() - timedelta(days=3)
    tracker = tracker_from("base", text="3天前在厂里摔伤了，怎么办", intent="ask_work_injury")
    events, messages = run(ActionInjuryDeadlines(), tracker)
    said = responses(messages)
    assert said[:2] == ["utter_injury_employer_deadline", "utter_injury_worker_deadline"]
    assert messages[0]["accident_date"] == accident.isoformat()
    assert messages[0]["days_left"] == 27
    assert "utter_kb_citation" in said
    assert slot_events(events)["accident_date"] == accident.isoformat()


def test_injury_deadlines_passed():
    tracker = tracker_from("base", text="2024-01-05受的伤", intent="ask_work_injury")
    _, messages = run(ActionInjuryDeadlines(), tracker)
    said = responses(messages)
    assert said[:2] == ["utter_injury_employer_deadline_passed", "utter_injury_worker_deadline_passed"]


def test_injury_without_a_date_asks_for_it():
    _, messages = run(ActionInjuryDeadlines(), tracker_from("base", text="工伤怎么办", intent="ask_work_injury"))
    said = responses(messages)
    assert said[0] == "utter_kb_answer" and "utter_kb_step" in said and said[-1] == "utter_injury_ask_date"


@pytest.mark.parametrize("text, first, values", [
    ("交了6年半失业保险，厂子倒闭了", "utter_unemployment_monthly", {"months": 18}),
    ("农村户口，合同到期了，交了3年", "utter_unemployment_one_off", {"months": "2"}),
    ("我自己辞职的，交了5年", "utter_unemployment_not_eligible_voluntary", {}),
    ("才交了半年就被辞退了", "utter_unemployment_not_eligible_years", {}),
])
def test_unemployment(text, first, values):
    _, messages = run(ActionUnemployment(), tracker_from("base", text=text, intent="ask_unemployment"))
    assert messages[0]["response"] == first
    for key, value in values.items():
        assert messages[0][key] == value


def test_pension_place_from_the_message():
    tracker = tracker_from("base", text="我是男的，1975年6月生，户口在四川，在深圳交了12年，养老金在哪领？",
                           intent="ask_pension_place")
    events, messages = run(ActionPensionPlace(), tracker)
    assert messages[0]["response"] == "utter_pension_place_result"
    assert messages[0]["province"] == "广东"          # 10+ years in the current place
    assert any("依据" in m.get("line", "") for m in messages)
    assert slot_events(events)["hukou_province"] == "510000"


def test_pension_place_with_only_a_birth_year_when_the_month_cannot_matter():
    tracker = tracker_from("base", text="我户口江西，在东莞交了12年，男的，75年生的，养老金在哪领",
                           intent="ask_pension_place")
    events, messages = run(ActionPensionPlace(), tracker)
    assert messages[0]["response"] == "utter_pension_place_result"
    assert messages[0]["province"] == "广东"
    assert "birth" not in slot_events(events), "a guessed month is never stored as the person's birth"


def test_pension_place_with_only_a_birth_year_when_the_month_decides_explains_the_rule():
    # a man born in 1966, ten years in Hunan, then Guangdong from 2016-06: 50 there if born by June (a temporary
    # account: paid in Hunan), 49 if later (the record moves: paid in Guangdong) — the month decides
    tracker = tracker_from("base", text="户口四川，男的，66年生的，2000年1月到2009年12月在湖南交，2016年6月到2026年11月在广东交，"
                                        "养老金在哪领", intent="ask_pension_place")
    _, messages = run(ActionPensionPlace(), tracker)
    assert responses(messages)[0] == "utter_kb_answer"


def test_pension_place_without_facts_explains_the_rule():
    _, messages = run(ActionPensionPlace(), tracker_from("base", text="养老金在哪里领", intent="ask_pension_place"))
    said = responses(messages)
    assert said[0] == "utter_kb_answer" and said[-1] == "utter_offer_checkup"


@pytest.mark.parametrize("text, language, expected", [
    ("我不干了能把社保里的钱取出来吗", "zh", {"consequence-cash-out-vs-suspend-vs-transfer", "myth-cash-out-when-leaving",
                                            "consequence-cash-out-rules"}),
    ("老板不给交社保咋整", "zh", {"right-employer-must-insure"}),
    ("can I get my pension money back when I quit", "en", {"myth-cash-out-when-leaving", "consequence-cash-out-rules",
                                                            "consequence-cash-out-vs-suspend-vs-transfer"}),
])
def test_fallback_returns_entries_with_sources_and_12333(text, language, expected):
    tracker = tracker_from("base", text=text, intent="nlu_fallback", language=language)
    events, messages = run(ActionFallbackSearch(), tracker)
    said = responses(messages)
    hits = [m for m in messages if m["response"] == "utter_kb_hit"]
    assert said[0] == "utter_fallback_intro" and 1 <= len(hits) <= 3
    assert all(h["citation"] for h in hits)      # every entry shown names its source
    assert {h["entry_id"] for h in hits} & expected   # the ranking is the knowledge base's; the answer is among them
    assert slot_events(events)["last_entry_id"] == hits[0]["entry_id"]
    assert said[-1] == "utter_hotline_12333"


@pytest.mark.parametrize("text", ["asdfgh qwerty", "😀😀😀", "", "<script>alert(1)</script>"])
def test_fallback_without_results_asks_to_rephrase_with_suggestions_and_12333(text):
    _, messages = run(ActionFallbackSearch(), tracker_from("base", text=text, intent="nlu_fallback"))
    assert responses(messages) == ["utter_fallback_rephrase", "utter_hotline_12333"]
    assert len(_buttons("utter_fallback_rephrase")) >= 3


def test_an_action_that_fails_inside_says_sorry_and_gives_12333(monkeypatch):
    import rules_engine.api

    def broken(**kwargs):
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(rules_engine.api, "retirement_for", broken)
    events, messages = run(ActionRetirementAge(), tracker_from("retirement_one_shot"))
    assert responses(messages) == ["utter_error_sorry"] and events == []


def test_steps_are_never_cut_short(knowledge_db):
    from knowledge import KnowledgeBase

    entry = KnowledgeBase(knowledge_db).get("procedure-pension-transfer", "zh")
    _, messages = run(ActionAnswerTopic(), tracker_from("base", text="社保怎么转", intent="ask_transfer_pension"))
    said = " ".join(m.get("step", "") + m.get("details", "") for m in messages)
    for step in entry.steps:
        for part in (step.action, step.where, step.documents, step.deadline):
            assert not part or part in said
    assert all(len(m.get("step", "")) <= 120 or m.get("details") is None for m in messages)


def test_without_a_knowledge_base_the_answer_still_gives_12333(monkeypatch, tmp_path):
    monkeypatch.setenv("KNOWLEDGE_DB", str(tmp_path / "missing.db"))
    _, messages = run(ActionAnswerTopic(), tracker_from("base", text="社保怎么转", intent="ask_transfer_pension"))
    assert responses(messages) == ["utter_kb_unavailable"]
    _, messages = run(ActionFallbackSearch(), tracker_from("base", text="社保", intent="nlu_fallback"))
    assert responses(messages) == ["utter_kb_unavailable"]


def test_retirement_with_the_birth_year_only_gives_the_range_and_asks_the_month():
    tracker = tracker_from("base", text="我75年的，男的，啥时候退休", intent="ask_retirement_age")
    events, messages = run(ActionRetirementAge(), tracker)
    assert responses(messages) == ["utter_retirement_range_male", "utter_retirement_need_month"]
    # +1 month per 4 months of birth after 1964-12: born 1975-01 (121st month) → 62 y 7 m → 2037-08;
    # born 1975-12 (132nd month) → 62 y 9 m → 2038-09
    assert (messages[0]["first"], messages[0]["last"]) == ("2037-08", "2038-09")
    assert slot_events(events) == {"sex": "male", "female_category": "n/a", "pending_question": "retirement_details"}


# ---- answers to the bot's own questions, follow-ups in context, "why" ----
def _after(asked_by, first_text: str, first_intent: str, reply: str, reply_intent: str, *, language: str = "zh",
           entities: list | None = None):
    """A conversation: the user asks `first_text`, the action `asked_by` answers (its events and bot messages are
    stored as Rasa stores them), then the user replies `reply`. Returns the tracker for the reply."""
    from rasa_sdk import Tracker

    first = tracker_from("base", text=first_text, intent=first_intent, language=language)
    events, messages = run(asked_by, first)
    state = first.current_state()
    bot_events = [{"event": "bot", "text": f"<{m['response']}> {m.get('line', '')}{m.get('citation', '')}",
                   "metadata": {"utter_action": m["response"]}} for m in messages]
    state["events"] += [{"event": "action", "name": "x"}] + bot_events + events
    for event in events:
        if event.get("event") == "slot":
            state["slots"][event["name"]] = event["value"]
    state["latest_message"] = {"text": reply, "intent": {"name": reply_intent, "confidence": 0.9},
                               "entities": entities or []}
    state["events"].append({"event": "user", "text": reply, "parse_data": state["latest_message"]})
    return Tracker.from_dict(state)


@pytest.mark.parametrize("reply, intent, months", [
    ("我交了6年", "inform", 18), ("6年", "inform", 18), ("六年多", "inform", 18), ("12", "inform", 24),
    ("交了三年", "ask_minimum_years", 12), ("about 11 years", "inform", 24),
])
def test_years_of_unemployment_insurance_answer_the_question_the_bot_asked(reply, intent, months):
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionUnemployment(), "失业金能领多久", "ask_unemployment", reply, intent)
    action = ActionAnswerTopic() if intent.startswith("ask_") else ActionFollowUp()
    events, messages = run(action, tracker)
    monthly = [m for m in messages if m["response"] == "utter_unemployment_monthly"]
    assert monthly and monthly[0]["months"] == months
    assert any(m["response"] == "utter_kb_citation" for m in messages)   # cited
    assert "utter_offer_checkup" not in responses(messages)


def test_how_long_unemployment_gives_the_12_18_24_months_and_asks_the_years():
    events, messages = run(ActionUnemployment(), tracker_from("base", text="失业金最多能领几个月", intent="ask_unemployment"))
    assert messages[0]["response"] == "utter_kb_answer" and "12" in messages[0]["answer"] and "24" in messages[0]["answer"]
    assert responses(messages)[-1] == "utter_unemployment_ask_years"
    assert slot_events(events)["pending_question"] == "unemployment_years"


@pytest.mark.parametrize("reply", ["不知道", "忘了", "记不清了"])
def test_not_knowing_the_years_gets_the_general_rule_and_where_to_look(reply):
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionUnemployment(), "失业金能领多久", "ask_unemployment", reply, "deny")
    events, messages = run(ActionFollowUp(), tracker)
    said = responses(messages)
    assert said[0] == "utter_follow_up_no_problem" and "utter_unemployment_find_years" in said
    assert slot_events(events)["last_entry_id"] == "faq-unemployment-duration"


def test_a_new_question_instead_of_the_years_is_answered_as_a_question():
    tracker = _after(ActionUnemployment(), "失业金能领多久", "ask_unemployment", "社保怎么转到外省", "ask_transfer_pension")
    events, messages = run(ActionAnswerTopic(), tracker)
    assert slot_events(events)["last_entry_id"] == "procedure-pension-transfer"


def test_the_years_count_only_for_the_turn_right_after_the_question():
    """A bare number two turns later is not taken for the unemployment years."""
    from actions.fallback import asked_last_turn

    import copy

    from rasa_sdk import Tracker

    tracker = _after(ActionUnemployment(), "失业金能领多久", "ask_unemployment", "你好", "greet")
    assert asked_last_turn(tracker) == "unemployment_years"
    state = copy.deepcopy(tracker.current_state())
    state["events"] += [{"event": "bot", "text": "hi"}, {"event": "user", "text": "6年", "parse_data": {}}]
    assert asked_last_turn(Tracker.from_dict(state)) is None


@pytest.mark.parametrize("reply", ["上个月15号", "前天", "3天前"])
def test_the_injury_date_answers_the_question_the_bot_asked(reply):
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionInjuryDeadlines(), "在厂里受伤了怎么办", "ask_work_injury", reply, "inform")
    events, messages = run(ActionFollowUp(), tracker)
    said = responses(messages)
    assert said[0] in ("utter_injury_employer_deadline", "utter_injury_employer_deadline_passed")
    assert slot_events(events)["accident_date"]


def test_sex_then_birth_after_the_retirement_question_give_the_date():
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionRetirementAge(), "我什么时候能退休", "ask_retirement_age", "男的 85年3月", "inform")
    events, messages = run(ActionFollowUp(), tracker)
    assert messages[0]["response"] == "utter_retirement_result_male"


def test_details_stated_outside_the_checkup_start_it():
    from actions.fallback import ActionFollowUp

    tracker = tracker_from("base", text="born in March 1985", intent="inform", language="en")
    events, messages = run(ActionFollowUp(), tracker)
    assert responses(messages) == ["utter_checkup_intro"]
    assert any(e.get("event") == "followup" and e.get("name") == "checkup_form" for e in events)


def test_a_follow_up_after_the_stop_paying_answer_does_not_repeat_it():
    tracker = _after(ActionAnswerTopic(), "社保不交了会怎么样", "ask_stop_paying", "以后回老家还能接着交吗",
                     "ask_stop_paying")
    events, messages = run(ActionAnswerTopic(), tracker)
    entry = slot_events(events)["last_entry_id"]
    assert entry != "consequence-stop-paying"
    assert entry == "faq-going-home"


def test_what_about_medical_after_stop_paying_is_the_medical_consequence():
    tracker = _after(ActionAnswerTopic(), "社保不交了会怎么样", "ask_stop_paying", "那医保呢", "ask_scheme_info",
                     entities=[{"entity": "scheme", "value": "BMCI-UE"}])
    events, messages = run(ActionAnswerTopic(), tracker)
    assert slot_events(events)["last_entry_id"] == "consequence-stop-medical"


def test_rural_workers_after_unemployment_get_the_one_off_subsidy_rule():
    tracker = _after(ActionUnemployment(), "失业金怎么领", "ask_unemployment", "农民工也能领吗", "ask_unemployment")
    events, messages = run(ActionUnemployment(), tracker)
    assert slot_events(events)["last_entry_id"] == "faq-unemployment-one-off-subsidy"


@pytest.mark.parametrize("text, intent, entry", [
    ("养老金是怎么算出来的", "ask_cash_out", "faq-pension-formula"),
    ("退休后医保要交满多少年才不用交", "ask_minimum_years", "faq-medical-years-retirement"),
    ("12333是干什么的", "ask_help_channels", "contact-12333"),
    ("退保和停保哪个划算", "ask_cash_out", "faq-cash-out-or-suspend"),
    ("how is my pension calculated", "ask_scheme_benefits", "faq-pension-formula"),
])
def test_topic_words_pick_the_distinct_answer(text, intent, entry):
    assert entry_for(intent, None, text) == entry


def test_cash_out_or_suspend_is_answered_first_then_the_checkup_offered():
    events, messages = run(ActionAnswerTopic(), tracker_from("base", text="退了划算还是停着划算", intent="compare_options"))
    said = responses(messages)
    assert said[0] == "utter_kb_answer" and said[-1] == "utter_offer_checkup"
    assert slot_events(events)["last_entry_id"] == "faq-cash-out-or-suspend"


def test_why_after_an_answer_gives_its_reasons_with_sources():
    from actions.fallback import ActionExplainLast

    tracker = _after(ActionUnemployment(), "交了6年失业保险 被辞退了 能领多久", "ask_unemployment", "为什么", "ask_why")
    events, messages = run(ActionExplainLast(), tracker)
    said = responses(messages)
    assert said[0] == "utter_why_intro"
    assert "utter_fallback_rephrase" not in said
    assert any("依据" in m.get("line", "") or m["response"] == "utter_kb_citation" for m in messages)


def test_pension_place_from_hukou_and_years_alone_is_answered_with_its_assumption():
    tracker = tracker_from("base", text="湖北人 在深圳交了十一年社保 现在还在深圳 退休了在哪领钱", intent="ask_pension_place")
    events, messages = run(ActionPensionPlace(), tracker)
    assert messages[0]["response"] == "utter_pension_place_result" and messages[0]["province"] == "广东"
    assert "utter_pension_place_assumed_age" in responses(messages)
    assert any("依据" in m.get("line", "") for m in messages)


@pytest.mark.parametrize("text, entry", [
    ("公司没给我买工伤保险我受伤了谁赔", "right-injury-when-uninsured"),
    ("下班路上骑电动车被撞了算工伤吗", "faq-what-counts-as-injury"),
    ("工伤以后怎么评伤残等级", "procedure-disability-assessment"),
    ("跑外卖摔了平台管不管", "right-platform-injury-protection"),
])
def test_injury_questions_that_are_not_about_deadlines_get_their_own_entry(text, entry):
    events, messages = run(ActionInjuryDeadlines(), tracker_from("base", text=text, intent="ask_work_injury"))
    # no date asked, but a date said next still gets the deadlines
    assert slot_events(events) == {"last_entry_id": entry, "pending_question": "injury_date"}
    assert "utter_injury_ask_date" not in responses(messages)


def test_search_ranks_within_a_topic_when_its_best_hit_is_clearly_better():
    events, _ = run(ActionAnswerTopic(), tracker_from("base", text="交社保的人死了钱给谁", intent="ask_scheme_info"))
    assert slot_events(events)["last_entry_id"] == "right-inheritance-account"
    events, _ = run(ActionAnswerTopic(), tracker_from("base", text="社保怎么转到外省", intent="ask_transfer_pension"))
    assert slot_events(events)["last_entry_id"] == "procedure-pension-transfer"


@pytest.mark.parametrize("reply, date", [("6月的", "2038-02"), ("十一月份", "2038-08")])
def test_a_month_alone_completes_the_birth_year_said_before(reply, date):
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionRetirementAge(), "我75年的，男的，啥时候退休", "ask_retirement_age", reply, "inform")
    events, messages = run(ActionFollowUp(), tracker)
    assert messages[0]["response"] == "utter_retirement_result_male" and messages[0]["date"] == date


def test_no_after_anything_else_says_goodbye():
    from rasa_sdk import Tracker

    from actions.fallback import ActionFollowUp

    state = tracker_from("base").current_state()
    state["events"] += [{"event": "bot", "text": "还有别的想问吗？", "metadata": {"utter_action": "utter_anything_else"}},
                        {"event": "user", "text": "没有了", "parse_data": {}}]
    state["latest_message"] = {"text": "没有了", "intent": {"name": "deny", "confidence": 0.9}, "entities": []}
    events, messages = run(ActionFollowUp(), Tracker.from_dict(state))
    assert responses(messages) == ["utter_goodbye"]


def test_a_date_after_does_it_count_gets_the_deadlines():
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionInjuryDeadlines(), "从架子上摔下来 算工伤吗", "ask_work_injury", "三天前", "inform")
    events, messages = run(ActionFollowUp(), tracker)
    assert responses(messages)[0] == "utter_injury_employer_deadline"


def test_managerial_post_after_the_worker_assumption_changes_the_date():
    from actions.fallback import ActionFollowUp

    tracker = _after(ActionRetirementAge(), "女 1980年3月 什么时候退休", "ask_retirement_age", "我是管理岗的", "inform")
    events, messages = run(ActionFollowUp(), tracker)
    assert messages[0]["response"] == "utter_retirement_result_female_cadre"


@pytest.mark.parametrize("text, province", [
    ("河南户口在广东交了12年后来去浙江又交了3年 以后在哪领退休金", "广东"),   # the question clause is no work history
    ("我户口河南 广东交了12年 浙江交了3年", "广东"),
])
def test_pension_place_reads_the_history_not_the_question(text, province):
    events, messages = run(ActionPensionPlace(), tracker_from("base", text=text, intent="ask_pension_place"))
    assert messages[0]["response"] == "utter_pension_place_result" and messages[0]["province"] == province

"""`validate_checkup_form` on colloquial answers: each answer → slot values (skip → "unknown"), invalid answers → a
clear re-ask, "算了" → the form ends, questions of their own → the form steps aside."""
from __future__ import annotations

import pytest

from actions.checkup import ValidateCheckupForm
from tests.actions.helpers import DOMAIN, responses, run, slot_events, tracker_from

SEX_FEMALE = [{"entity": "sex", "value": "female"}]


def answer(requested, text, intent="inform", entities=None, slots=None, language="zh"):
    tracker = tracker_from("checkup_in_progress", text=text, intent=intent, entities=entities or [],
                           requested_slot=requested, slots=slots, language=language)
    events, messages = run(ValidateCheckupForm(), tracker)
    return slot_events(events), responses(messages)


@pytest.mark.parametrize("requested, text, intent, entities, slots, expected", [
    # birth
    ("birth", "80年3月", "inform", [], {}, {"birth": "1980-03"}),
    ("birth", "八零年三月", "inform", [], {}, {"birth": "1980-03"}),
    ("birth", "1980.3", "inform", [], {}, {"birth": "1980-03"}),
    ("birth", "我是女的，1980年3月出生，在工厂上班", "inform", SEX_FEMALE, {},
     {"birth": "1980-03", "sex": "female", "female_category": "worker"}),
    ("birth", "不知道", "inform", [], {}, {"birth": "unknown"}),
    ("birth", "I don't know", "inform", [], {}, {"birth": "unknown"}),
    # sex (buttons send /inform{"sex": ...})
    ("sex", '/inform{"sex":"female"}', "inform", SEX_FEMALE, {"birth": "1980-03"}, {"sex": "female"}),
    ("sex", "男的", "inform", [], {"birth": "1980-03"}, {"sex": "male", "female_category": "n/a"}),
    ("sex", "女的，厂里上班", "inform", [], {"birth": "1980-03"}, {"sex": "female", "female_category": "worker"}),
    ("sex", "woman", "inform", [], {"birth": "1980-03"}, {"sex": "female"}),
    # job category
    ("female_category", "管理岗", "inform", [], {"sex": "female"}, {"female_category": "cadre"}),
    ("female_category", "在厂里流水线上", "inform", [], {"sex": "female"}, {"female_category": "worker"}),
    ("female_category", '/inform{"job":"cadre"}', "inform", [{"entity": "job", "value": "cadre"}], {"sex": "female"},
     {"female_category": "cadre"}),
    ("female_category", "不清楚", "inform", [], {"sex": "female"}, {"female_category": "unknown"}),
    # hukou province: names, people's way of saying it, cities
    ("hukou_province", "江西", "inform", [], {}, {"hukou_province": "360000"}),
    ("hukou_province", "我是湖南人", "inform", [], {}, {"hukou_province": "430000"}),
    ("hukou_province", "四川省", "inform", [], {}, {"hukou_province": "510000"}),
    ("hukou_province", "Guangxi", "inform", [], {}, {"hukou_province": "450000"}),
    ("hukou_province", "老家在赣州", "inform", [], {}, {"hukou_province": "360000"}),
    # wage and account balance
    ("wage", "四千五", "inform", [], {}, {"wage": 4500}),
    ("wage", "5000左右", "inform", [], {}, {"wage": 5000}),
    ("wage", "4.5k", "inform", [], {}, {"wage": 4500}),
    ("wage", "不知道", "inform", [], {}, {"wage": "unknown"}),
    ("account_balance", "3万多", "inform", [], {}, {"account_balance": 30000}),
    ("account_balance", "没有", "inform", [], {}, {"account_balance": "unknown"}),
    ("account_balance", "skip", "inform", [], {}, {"account_balance": "unknown"}),
])
def test_colloquial_answers(requested, text, intent, entities, slots, expected):
    values, said = answer(requested, text, intent, entities, slots)
    for slot, value in expected.items():
        assert values.get(slot, "<not set>") == value, (slot, values)
    assert not any(name.startswith("utter_invalid") for name in said)


def test_several_places_in_one_answer():
    values, said = answer("periods", "广东东莞八年多，浙江三年")
    periods = values["periods"]
    assert [(p["province"], p["city"], p["months"]) for p in periods] == [("440000", "东莞", 96), ("330000", None, 36)]
    assert periods[-1]["estimated"] and periods[0]["at_least"]
    # the user is told what was understood and that durations were laid back to back ending now
    assert said == ["utter_periods_understood", "utter_periods_estimated"]


def test_dated_periods_are_not_estimated():
    values, said = answer("periods", "2008年到2016年在东莞，2017年至今在宁波")
    assert [(p["start"], p["end"]) for p in values["periods"]][0] == ("2008-01", "2016-12")
    assert said == ["utter_periods_understood"]


@pytest.mark.parametrize("requested, text, reask", [
    ("birth", "1980", "utter_invalid_birth_need_month"),
    ("birth", "2020年3月", "utter_invalid_birth_range"),
    ("birth", "嗯嗯", "utter_invalid_birth"),
    ("sex", "嗯", "utter_invalid_sex"),
    ("female_category", "还行吧", "utter_invalid_female_category"),
    ("hukou_province", "火星", "utter_invalid_hukou_province"),
    ("periods", "东莞", "utter_invalid_periods_no_duration"),
    ("periods", "8年", "utter_invalid_periods_no_place"),
    ("periods", "很久了", "utter_invalid_periods"),
    ("wage", "很多", "utter_invalid_wage"),
    ("wage", "50", "utter_invalid_wage"),
    ("account_balance", "好多钱", "utter_invalid_account_balance"),
])
def test_invalid_answers_are_asked_again(requested, text, reask):
    values, said = answer(requested, text)
    assert values[requested] is None        # the form asks the same question again
    assert said == [reask]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_reask_exists_in_both_languages(language):
    _, said = answer("birth", "hmm" if language == "en" else "嗯嗯", language=language)
    [name] = said
    variations = DOMAIN["responses"][name]
    assert any(v.get("condition") == [{"type": "slot", "name": "language", "value": "en"}] for v in variations)
    assert any(not v.get("condition") for v in variations)


def test_stop_word_ends_the_form():
    values, said = answer("periods", "算了")
    assert values["requested_slot"] is None
    assert said == ["utter_checkup_stopped"]


@pytest.mark.parametrize("text, intent", [
    ("算了", "stop"),                             # the conversation confirms before stopping
    ("社保怎么转到外省", "ask_transfer_pension"),  # a question of its own
    ("转人工", "human_handoff"),
    ("English please", "switch_language"),
])
def test_form_steps_aside_for_other_requests(text, intent):
    values, said = answer("wage", text, intent=intent)
    assert values == {} and said == []


def test_details_in_the_message_that_starts_the_checkup_are_used():
    # as at activation: Rasa's temporary tracker has neither the active loop nor a requested slot yet
    tracker = tracker_from("base", text="帮我算算，我是女的，80年3月出生，户口在江西", intent="start_checkup", entities=[])
    events, said = run(ValidateCheckupForm(), tracker)
    values = slot_events(events)
    assert values == {"birth": "1980-03", "sex": "female", "hukou_province": "360000"}
    assert said == []


def test_a_correction_changes_the_named_answer_and_keeps_the_question():
    values, said = answer("wage", "出生年月说错了，是1981年5月", intent="correct_answer",
                          entities=[{"entity": "slot_name", "value": "birth"}],
                          slots={"birth": "1980-03", "sex": "female"})
    assert values["birth"] == "1981-05"
    assert "wage" not in values       # 1981 is no wage
    assert said == ["utter_checkup_corrected"]


def test_a_correction_without_a_value_asks_again():
    values, _ = answer("wage", "户口填错了", intent="correct_answer",
                       entities=[{"entity": "slot_name", "value": "hukou_province"}],
                       slots={"hukou_province": "360000"})
    assert values["hukou_province"] is None


def test_form_slots_are_custom_mapped_in_the_form_only():
    form = DOMAIN["forms"]["checkup_form"]["required_slots"]
    assert form == ["birth", "sex", "female_category", "hukou_province", "periods", "wage", "account_balance"]
    for slot in form:
        assert DOMAIN["slots"][slot]["mappings"] == [{"type": "custom", "conditions": [{"active_loop": "checkup_form"}]}]
        assert f"utter_ask_checkup_form_{slot}" in DOMAIN["responses"]


def test_back_from_a_digression_the_form_just_asks_again():
    tracker = tracker_from("checkup_in_progress", text="不，继续", intent="deny", requested_slot="periods")
    tracker.active_loop["is_interrupted"] = True
    events, said = run(ValidateCheckupForm(), tracker)
    assert slot_events(events) == {} and said == []


@pytest.mark.parametrize("intent", ["correct_answer", "inform"])
def test_a_correction_is_recognised_by_its_words_too(intent):
    # NLU often calls this "inform": the words "说错了" and a stated birth month are enough
    values, said = answer("hukou_province", "我说错了，出生是1980年3月", intent=intent,
                          slots={"birth": "1979-05", "sex": "female", "female_category": "worker"})
    assert values == {"birth": "1980-03"}
    assert said == ["utter_checkup_corrected"]


# ---- work histories as people state them (issue 8) ----
def now_month():
    from datetime import date

    today = date.today()
    return f"{today.year:04d}-{today.month:02d}"


def spans(periods):
    return [(p["province"], p["city"], p["start"], p["end"]) for p in periods]


@pytest.mark.parametrize("text", [
    "08年到16年在东莞，17年到现在在宁波",
    "2008年到2016年在东莞，2017年开始在宁波一直到现在",
    "〇八年到一六年在东莞一七年到现在在宁波",
])
def test_two_dated_periods_are_recorded_without_a_further_question(text):
    values, said = answer("periods", text, slots={"birth": "1980-03"})
    assert spans(values["periods"]) == [("440000", "东莞", "2008-01", "2016-12"),
                                        ("330000", "宁波", "2017-01", now_month())]
    assert said == ["utter_periods_understood"]      # no "在宁波交了多久？"


def test_a_wage_given_when_asked_for_the_work_history_is_taken_as_the_wage():
    values, said = answer("periods", "五千左右")
    assert values.get("wage") == 5000 and "periods" not in values   # the form asks the work history again
    assert not any(name.startswith("utter_invalid_periods") for name in said)


def test_an_answer_for_the_work_history_is_no_birth_date():
    values, _ = answer("birth", "在东莞交了12年")
    assert "birth" not in values or values["birth"] is None
    assert [p["months"] for p in values["periods"]] == [144]


def test_hukou_and_years_per_province_from_one_sentence():
    values, said = answer("periods", "河南户口，在广东交了12年，后来去浙江又交了3年")
    assert values["hukou_province"] == "410000"
    assert [(p["province"], p["months"]) for p in values["periods"]] == [("440000", 144), ("330000", 36)]
    assert said == ["utter_periods_understood", "utter_periods_estimated"]


def test_the_wage_in_the_work_history_answer_is_kept():
    values, _ = answer("periods", "在东莞干了8年，工资五千左右")
    assert [p["months"] for p in values["periods"]] == [96]
    assert values["wage"] == 5000


def tracker_after(previous_text: str, text: str, requested: str, slots: dict, language: str = "zh"):
    """A check-up tracker whose previous user message was `previous_text` (the answer the bot asked to confirm)."""
    tracker = tracker_from("checkup_in_progress", text=text, intent="affirm", entities=[], requested_slot=requested,
                           slots=slots, language=language)
    tracker.events.insert(len(tracker.events) - 1, {"event": "user", "text": previous_text, "parse_data": {}})
    return tracker


def test_an_unsure_reading_is_shown_and_recorded_only_once_confirmed():
    text = "08年到16年在东莞，现在在宁波"          # when did Ningbo start? the bot's guess is shown
    values, said = answer("periods", text, slots={"birth": "1980-03"})
    assert values["periods"] is None and said == ["utter_rules_line"]
    events, messages = run(ValidateCheckupForm(), tracker_after(text, "对", "periods", {"birth": "1980-03"}))
    assert spans(slot_events(events)["periods"])[1] == ("330000", "宁波", "2017-01", now_month())
    assert responses(messages) == ["utter_periods_understood"]


def test_no_means_the_question_is_asked_again():
    events, messages = run(ValidateCheckupForm(), tracker_after("08年到16年在东莞，现在在宁波", "不对", "periods", {}))
    assert slot_events(events)["periods"] is None and responses(messages) == ["utter_invalid_periods"]


@pytest.mark.parametrize("text, birth, words", [
    ("2030年到现在在东莞", "1980-03", "还没到"),
    ("85年到95年在深圳", "1980-03", "不满16岁"),
])
def test_impossible_periods_are_refused_with_what_was_understood(text, birth, words):
    tracker = tracker_from("checkup_in_progress", text=text, intent="inform", entities=[], requested_slot="periods",
                           slots={"birth": birth})
    events, messages = run(ValidateCheckupForm(), tracker)
    assert slot_events(events)["periods"] is None
    [message] = messages
    assert words in message["line"] and "我理解的是" in message["line"]


def test_the_refusal_is_in_the_users_language():
    tracker = tracker_from("checkup_in_progress", text="Shenzhen 2030 to now", intent="inform", entities=[],
                           requested_slot="periods", language="en")
    _, messages = run(ValidateCheckupForm(), tracker)
    assert "months still to come" in messages[0]["line"] and "Shenzhen" in messages[0]["line"]


def test_english_work_history():
    values, said = answer("periods", "from 2010 to 2020 in Shenzhen, since 2021 in Hangzhou", language="en")
    assert [(p["province"], p["start"]) for p in values["periods"]] == [("440000", "2010-01"), ("330000", "2021-01")]


# ---- details in the message (issue 8 item 4) ----
@pytest.mark.parametrize("text, sex", [("我老公", "male"), ("是我老婆的", "female"), ("帮他算", "male"),
                                       ("my wife", "female"), ("my husband", "male")])
def test_sex_from_the_relative_named(text, sex):
    values, _ = answer("sex", text, slots={"birth": "1968-05"})
    assert values["sex"] == sex


def test_details_about_a_relative_in_the_first_message():
    tracker = tracker_from("base", text="帮我老公算算，他68年5月出生的，河南户口", intent="start_checkup", entities=[])
    events, _ = run(ValidateCheckupForm(), tracker)
    values = slot_events(events)
    assert (values["birth"], values["sex"], values["hukou_province"]) == ("1968-05", "male", "410000")


@pytest.mark.parametrize("text", ["1968.5", "68年5月", "一九六八年五月"])
def test_birth_forms(text):
    values, _ = answer("birth", text)
    assert values["birth"] == "1968-05"


def test_an_age_costs_one_short_question_with_the_two_possible_years():
    from datetime import date

    values, messages = answer("birth", "今年52岁")
    assert values["birth"] is None and messages == ["utter_rules_line"]
    tracker = tracker_from("checkup_in_progress", text="今年52岁", intent="inform", entities=[], requested_slot="birth")
    _, sent = run(ValidateCheckupForm(), tracker)
    later = date.today().year - 52
    assert f"{later - 1}年或{later}年" in sent[0]["line"]


@pytest.mark.parametrize("previous, reply, months", [
    ("户口湖南，在广东交了15年社保，现在去浙江打工了", "两年", [180, 24]),
    ("2008年到2016年在东莞，然后去了宁波", "六年多", [108, 72]),
])
def test_how_long_in_the_place_missing_costs_one_short_question(previous, reply, months):
    values, said = answer("periods", previous)
    assert values["periods"] is None and said == ["utter_invalid_periods_no_duration"]
    tracker = tracker_after(previous, reply, "periods", {})
    tracker.latest_message["intent"] = {"name": "inform", "confidence": 0.9}
    events, messages = run(ValidateCheckupForm(), tracker)
    assert [p["months"] for p in slot_events(events)["periods"]] == months
    assert responses(messages)[0] == "utter_periods_understood"


def test_the_place_given_after_a_bare_duration_completes_it():
    values, said = answer("periods", "8年")
    assert values["periods"] is None and said == ["utter_invalid_periods_no_place"]
    tracker = tracker_after("8年", "东莞", "periods", {})
    tracker.latest_message["intent"] = {"name": "inform", "confidence": 0.9}
    events, _ = run(ValidateCheckupForm(), tracker)
    assert [(p["city"], p["months"]) for p in slot_events(events)["periods"]] == [("东莞", 96)]


def test_wage_and_account_balance_in_one_answer_each_get_their_own_sum():
    values, _ = answer("periods", "东莞8年，个人账户有3万多，工资五千左右")
    assert (values["wage"], values["account_balance"]) == (5000, 30000)
    assert [p["months"] for p in values["periods"]] == [96]


def test_a_birth_answer_that_goes_on_about_work_gives_both():
    values, _ = answer("birth", "80年3月，在东莞干了10年")
    assert values["birth"] == "1980-03"
    [period] = values["periods"]
    assert (period["city"], period["months"], period["estimated"]) == ("东莞", 120, True)


def test_a_hukou_answer_that_goes_on_about_work_gives_both():
    values, _ = answer("hukou_province", "四川，在东莞8年")
    assert values["hukou_province"] == "510000"
    assert [(p["city"], p["months"]) for p in values["periods"]] == [("东莞", 96)]


def test_a_work_history_given_for_the_hukou_is_no_hukou():
    values, _ = answer("hukou_province", "在东莞8年")
    assert values.get("hukou_province") is None
    assert [(p["city"], p["months"]) for p in values["periods"]] == [("东莞", 96)]


def test_the_age_question_in_english():
    from datetime import date

    tracker = tracker_from("checkup_in_progress", text="I am 52", intent="inform", entities=[], requested_slot="birth",
                           language="en")
    events, messages = run(ValidateCheckupForm(), tracker)
    later = date.today().year - 52
    assert slot_events(events)["birth"] is None
    assert f"born in {later - 1} or {later}" in messages[0]["line"]


def test_every_check_up_text_exists_in_both_languages_with_the_same_placeholders():
    from actions.checkup import TEXTS
    from tests.actions.helpers import placeholders

    for key, texts in TEXTS.items():
        assert set(texts) == {"zh", "en"}, key
        assert placeholders(texts["zh"]) == placeholders(texts["en"]), key

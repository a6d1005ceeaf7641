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

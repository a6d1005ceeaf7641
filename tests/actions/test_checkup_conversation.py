"""A whole check-up replayed offline: the form loop of Rasa reduced to its rule (ask the first empty required slot),
the real validation action on each colloquial answer, then the result — in Chinese and in English."""
from __future__ import annotations

from actions.checkup import ActionCheckupResult, ValidateCheckupForm
from tests.actions.helpers import DOMAIN, responses, run, slot_events, tracker_from

REQUIRED = DOMAIN["forms"]["checkup_form"]["required_slots"]


def next_question(slots: dict) -> str | None:
    return next((slot for slot in REQUIRED if slots.get(slot) is None), None)


def converse(answers: list[tuple[str, str]], language: str = "zh") -> tuple[dict, list[list[str]]]:
    slots: dict = {"language": language}
    said_per_turn = []
    earlier: list[dict] = []     # the user's earlier messages, as the tracker keeps them
    for text, intent in answers:
        tracker = tracker_from("checkup_in_progress", text=text, intent=intent, entities=[], slots=dict(slots),
                               requested_slot=next_question(slots) or "", language=language)
        for event in earlier:
            tracker.events.insert(len(tracker.events) - 1, event)
        earlier.append({"event": "user", "text": text, "parse_data": {}})
        events, messages = run(ValidateCheckupForm(), tracker)
        slots.update({k: v for k, v in slot_events(events).items() if k != "requested_slot"})
        said_per_turn.append(responses(messages))
    return slots, said_per_turn


def test_chinese_checkup_with_colloquial_answers_an_invalid_answer_and_a_correction():
    slots, said = converse([
        ("七九年五月", "inform"),
        ("女的", "inform"),
        ("厂里上班", "inform"),
        ("我说错了，出生是1980年3月", "inform"),     # NLU often calls a correction "inform"
        ("火星", "inform"),                          # no province: asked again
        ("户口在江西", "ask_hukou"),                 # looks like a question, is an answer
        ("广东东莞干了八年多，浙江三年", "inform"),
        ("四千五左右", "inform"),
        ("不知道", "inform"),
    ])
    assert said[3] == ["utter_checkup_corrected"]
    assert said[4] == ["utter_invalid_hukou_province"]
    assert next_question(slots) is None
    assert (slots["birth"], slots["sex"], slots["female_category"], slots["hukou_province"]) == \
        ("1980-03", "female", "worker", "360000")
    assert [p["province"] for p in slots["periods"]] == ["440000", "330000"]
    assert (slots["wage"], slots["account_balance"]) == (4500, "unknown")
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", slots=slots))
    result = responses(messages)
    assert result[0] == "utter_checkup_verdict_intro" and "2032-11" in messages[1]["line"]
    assert "utter_option_cash_out_not_allowed" in result and "utter_checkup_periods_estimated" in result


def test_english_checkup():
    slots, said = converse([
        ("born in March 1985", "inform"), ("male", "inform"), ("Sichuan", "inform"),
        ("Guangdong 10 years", "inform"), ("6000", "inform"), ("don't know", "inform"),
    ], language="en")
    assert next_question(slots) is None and slots["female_category"] == "n/a"
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", slots=slots, language="en"))
    assert "2048-03" in messages[1]["line"]
    assert any("Guangdong" in m.get("line", "") for m in messages[1:5])


def test_the_conversation_from_the_issue_reaches_a_result():
    # "在宁波交了多久？" used to follow, and "五千左右" was then taken as the work history
    slots, said = converse([
        ("80年3月", "inform"), ("女的", "inform"), ("厂里上班", "inform"), ("江西", "inform"),
        ("2008年到2016年在东莞，2017年开始在宁波一直到现在", "inform"),
        ("五千左右", "inform"),
        ("不知道", "inform"),
    ])
    assert said[4] == ["utter_periods_understood"]
    assert [(p["city"], p["start"]) for p in slots["periods"]] == [("东莞", "2008-01"), ("宁波", "2017-01")]
    assert slots["wage"] == 5000 and next_question(slots) is None
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", slots=slots))
    assert responses(messages)[0] == "utter_checkup_verdict_intro"


def test_everything_in_one_message_then_one_short_question():
    slots, said = converse([
        ("我是女的，80年3月出生，江西户口，厂里上班，08年到16年在东莞，17年到现在在宁波，工资五千左右", "start_checkup"),
        ("没有", "inform"),
    ])
    assert (slots["birth"], slots["sex"], slots["female_category"], slots["hukou_province"], slots["wage"]) == \
        ("1980-03", "female", "worker", "360000", 5000)
    assert [p["city"] for p in slots["periods"]] == ["东莞", "宁波"]
    assert next_question(slots) is None      # only the account balance was asked


def test_an_unsure_work_history_is_confirmed_before_it_counts():
    slots, said = converse([
        ("80年3月", "inform"), ("男", "inform"), ("四川", "inform"),
        ("08年到16年在东莞，现在在宁波", "inform"),
        ("对", "affirm"),
    ])
    assert said[3] == ["utter_rules_line"] and said[4] == ["utter_periods_understood"]
    assert [p["start"] for p in slots["periods"]] == ["2008-01", "2017-01"]


def test_english_work_history_with_years():
    slots, _ = converse([
        ("born in March 1985", "inform"), ("my husband", "inform"), ("Sichuan", "inform"),
        ("Dongguan 2008 to 2016 then Ningbo since 2017", "inform"), ("6000", "inform"), ("skip", "inform"),
    ], language="en")
    assert slots["sex"] == "male" and next_question(slots) is None
    assert [(p["province"], p["start"]) for p in slots["periods"]] == [("440000", "2008-01"), ("330000", "2017-01")]

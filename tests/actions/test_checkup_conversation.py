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
    for text, intent in answers:
        tracker = tracker_from("checkup_in_progress", text=text, intent=intent, entities=[], slots=dict(slots),
                               requested_slot=next_question(slots) or "", language=language)
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

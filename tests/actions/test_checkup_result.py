"""`action_checkup_result` for a complete profile: verdict first, then the options in money and years (cash-out
not allowed before retirement age), then why with sources, and a way to a person; refused profiles are fixed in the
form; `action_reset_checkup` and corrections; `action_compare_options`."""
from __future__ import annotations

import pytest

from actions.checkup import ActionCheckupResult, ActionCompareOptions, ActionResetCheckup
from tests.actions.helpers import DOMAIN, responses, run, slot_events, tracker_from


@pytest.mark.parametrize("language", ["zh", "en"])
def test_complete_profile_verdict_options_why(language):
    events, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", language=language))
    said = responses(messages)
    # 1. verdict first: retirement date, years so far vs minimum, pension place
    assert said[0] == "utter_checkup_verdict_intro"
    verdict = [m["line"] for m in messages[1:4]]
    assert "2032-11" in verdict[0]
    assert "16.5" in verdict[1] and "14" in verdict[1]
    assert ("江西" if language == "zh" else "Jiangxi") in verdict[2]
    # 2. the options: all five, cash-out refused before retirement age, with the reason and its source
    intro = said.index("utter_options_intro")
    why = said.index("utter_checkup_why_intro")
    assert intro < why
    option_messages = [m for m in messages[intro:why] if m["response"].startswith("utter_option_")
                       and m["response"] != "utter_option_break_even"]
    assert {m["option"] for m in option_messages} == {"cash_out", "suspend", "transfer", "continue_to_minimum",
                                                       "switch_to_residents"}
    cash_out = next(m for m in option_messages if m["option"] == "cash_out")
    assert cash_out["response"] == "utter_option_cash_out_not_allowed" and cash_out["allowed"] is False
    position = messages.index(cash_out)
    source = cash_out["reason"] + messages[position + 1].get("line", "")   # long reasons give the basis its own bubble
    assert "国办发〔2009〕66号 第三条" in source
    continuing = next(m for m in option_messages if m["option"] == "continue_to_minimum")
    assert continuing["allowed"] and "23400" in continuing["reason"]      # money and months to pay
    assert "utter_option_break_even" in said
    # 3. why: the trace with citations, without repeating the options
    why_lines = [m["line"] for m in messages[why:] if m["response"] == "utter_rules_line"]
    assert any("国办发〔2009〕66号 第六条" in line for line in why_lines)
    assert not any(line.startswith(("选项", "Option")) for line in why_lines)
    # and a way to a person
    assert said[-1] == "utter_checkup_next_steps"
    assert {"title": "转人工", "payload": "/human_handoff"} in DOMAIN["responses"]["utter_checkup_next_steps"][1]["buttons"]
    assert events == []


def test_bubbles_are_short():
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete"))
    for message in messages:
        for key in ("line", "reason"):
            if key in message and not message[key].startswith("依据"):
                assert len(message[key]) <= 130, message[key]


def test_estimated_periods_are_said_to_be_estimated():
    periods = [{"province": "440000", "city": "东莞", "months": 96, "start": "2015-12", "end": "2023-11",
                "at_least": True, "estimated": True},
               {"province": "330000", "city": None, "months": 36, "start": "2023-12", "end": "2026-11",
                "at_least": False, "estimated": True}]
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", slots={"periods": periods}))
    assert "utter_checkup_periods_estimated" in responses(messages)


def test_refused_profile_names_the_answer_to_fix_and_keeps_the_form():
    # work before the age of 16 is impossible: the engine refuses the periods
    periods = [{"province": "440000", "city": "东莞", "months": 24, "start": "1985-01", "end": "1986-12",
                "at_least": False, "estimated": False}]
    events, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", slots={"periods": periods}))
    assert responses(messages)[0] == "utter_checkup_fix_answer"
    assert messages[0]["problem"]
    assert {"event": "slot", "name": "periods", "value": None, "timestamp": None} in events
    assert {"event": "followup", "name": "checkup_form", "timestamp": None} in events


def test_skipped_hukou_gives_the_retirement_part_and_says_what_is_missing():
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", slots={"hukou_province": "unknown"}))
    said = responses(messages)
    assert said[0] == "utter_retirement_result_female_worker"
    assert "utter_checkup_missing_hukou_province" in said


def test_reset_clears_every_answer():
    events, messages = run(ActionResetCheckup(), tracker_from("checkup_complete", text="重新来", intent="start_checkup"))
    assert responses(messages) == ["utter_checkup_reset"]
    cleared = slot_events(events)
    assert all(cleared[slot] is None for slot in DOMAIN["forms"]["checkup_form"]["required_slots"])


def test_correction_changes_only_that_answer():
    tracker = tracker_from("checkup_complete", text="户口写错了，是湖南", intent="correct_answer",
                           entities=[{"entity": "slot_name", "value": "hukou_province"}])
    events, messages = run(ActionResetCheckup(), tracker)
    assert slot_events(events) == {"hukou_province": "430000"}
    assert responses(messages) == ["utter_checkup_corrected"]


def test_correction_without_details_undoes_the_last_answer():
    tracker = tracker_from("checkup_complete", text="刚才说错了", intent="correct_answer", entities=[])
    events, _ = run(ActionResetCheckup(), tracker)
    assert slot_events(events) == {"account_balance": None}


def test_compare_options_with_the_persons_case():
    _, messages = run(ActionCompareOptions(), tracker_from("checkup_complete", text="退保和转移哪个划算",
                                                           intent="compare_options"))
    said = responses(messages)
    assert said[0] == "utter_options_intro" and "utter_option_cash_out_not_allowed" in said


def test_compare_options_without_a_case_explains_and_offers_the_checkup():
    _, messages = run(ActionCompareOptions(), tracker_from("base", text="退保和转移哪个划算", intent="compare_options"))
    said = responses(messages)
    assert said[0] == "utter_kb_answer" and said[-1] == "utter_offer_checkup"


def test_no_result_after_the_user_stopped_the_form():
    tracker = tracker_from("checkup_complete", text="算了", intent="inform", slots={"wage": None, "account_balance": None})
    events, messages = run(ActionCheckupResult(), tracker)
    assert events == [] and messages == []


def test_unfinished_checkup_offers_to_continue():
    tracker = tracker_from("checkup_complete", slots={"account_balance": None})
    _, messages = run(ActionCheckupResult(), tracker)
    assert responses(messages) == ["utter_checkup_incomplete"]

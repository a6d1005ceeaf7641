"""The `language` slot on every message: explicit switches win, then the script of the message, else no change."""
from __future__ import annotations

import pytest

from actions.language import ValidateSlotMappings
from actions.switch_language import ActionSwitchLanguage
from tests.actions.helpers import DOMAIN, responses, run, slot_events, tracker_from


def language_after(text, previous, intent="inform", entities=None):
    tracker = tracker_from("base", text=text, intent=intent, entities=entities or [], language=previous)
    events, messages = run(ValidateSlotMappings(), tracker)
    assert messages == []
    return slot_events(events).get("language", previous)


@pytest.mark.parametrize("text, previous, intent, entities, expected", [
    # explicit switches win over the script of the message
    ("English please", "zh", "switch_language", [], "en"),
    ("说中文", "en", "switch_language", [], "zh"),
    ("能不能用英文", "zh", "switch_language", [], "en"),
    ('/switch_language{"language":"en"}', "zh", "switch_language", [{"entity": "language", "value": "en"}], "en"),
    ('/switch_language{"language":"zh"}', "en", "switch_language", [{"entity": "language", "value": "zh"}], "zh"),
    ("Chinese please", "en", "switch_language", [], "zh"),
    # the script of the message
    ("社保怎么转", "en", "ask_transfer_pension", [], "zh"),
    ("How do I move my pension?", "zh", "ask_transfer_pension", [], "en"),
    ("BPI-UE 是什么", "en", "ask_scheme_info", [], "zh"),      # mixed: Chinese characters decide
    ("what is BPI-UE", "zh", "ask_scheme_info", [], "en"),
    # nothing to go by: keep the language the conversation has
    ("4500", "en", "inform", [], "en"),
    ("4500", "zh", "inform", [], "zh"),
    ("😀👍", "en", "inform", [], "en"),
    ("/start_checkup", "en", "start_checkup", [], "en"),
    ("ok", "zh", "affirm", [], "zh"),
    ("BPI-UE", "zh", "ask_scheme_info", [], "zh"),
])
def test_language_detection(text, previous, intent, entities, expected):
    assert language_after(text, previous, intent, entities) == expected


def test_default_is_chinese_when_nothing_says_otherwise():
    tracker = tracker_from("base", text="12333", intent="inform", slots={"language": None})
    events, _ = run(ValidateSlotMappings(), tracker)
    assert slot_events(events)["language"] == "zh"


def test_no_event_when_the_language_does_not_change():
    tracker = tracker_from("base", text="你好", intent="greet", language="zh")
    events, _ = run(ValidateSlotMappings(), tracker)
    assert "language" not in slot_events(events)


def test_language_slot_is_global_and_custom_mapped():
    slot = DOMAIN["slots"]["language"]
    assert slot["type"] == "categorical" and slot["values"] == ["zh", "en"]
    assert slot["influence_conversation"] is False
    assert slot["mappings"] == [{"type": "custom"}]


@pytest.mark.parametrize("text, previous, entities, expected", [
    ("English please", "zh", [], "en"),
    ("说中文", "en", [], "zh"),
    ("switch language", "zh", [], "en"),         # no target named: the other language
    ("换语言", "en", [], "zh"),
])
def test_switch_language_action(text, previous, entities, expected):
    tracker = tracker_from("base", text=text, intent="switch_language", entities=entities, language=previous)
    events, messages = run(ActionSwitchLanguage(), tracker)
    assert slot_events(events)["language"] == expected
    assert responses(messages) == [f"utter_language_switched_{expected}"]


def _first_message(text: str, intent: str = "greet"):
    """A new conversation whose first message is `text` (the stored tracker's greeting removed)."""
    import copy

    from rasa_sdk import Tracker

    state = copy.deepcopy(tracker_from("base").current_state())
    state["events"] = [e for e in state["events"] if e.get("event") != "user"]
    state["latest_message"] = {"text": text, "intent": {"name": intent, "confidence": 0.9}, "entities": []}
    state["events"].append({"event": "user", "text": text, "parse_data": state["latest_message"]})
    return Tracker.from_dict(state)


@pytest.mark.parametrize("text, expected", [("hi", "en"), ("Hi!", "en"), ("hello", "en"), ("你好", "zh"),
                                            ("hi 你好", "zh"), ("12333", "zh")])
def test_a_new_conversation_answers_in_the_language_of_its_first_message(text, expected):
    events, _ = run(ValidateSlotMappings(), _first_message(text))
    assert slot_events(events).get("language", "zh") == expected


def test_hi_in_a_chinese_conversation_keeps_chinese():
    assert language_after("hi", "zh", intent="greet") == "zh"


@pytest.mark.parametrize("text, expected", [("how to transfer my 养老保险 to hunan", "en"), ("工伤 deadline pls", "en"),
                                            ("我想问 pension 怎么转", "zh"), ("BPI-UE 是什么", "zh")])
def test_mostly_english_with_a_chinese_term_is_english(text, expected):
    assert language_after(text, "zh" if expected == "en" else "en") == expected

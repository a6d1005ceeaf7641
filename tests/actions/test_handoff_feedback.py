"""Hand-over to a person: 12333 and the local channel, and a case file for the hotline console with no identifiers;
feedback stored with the entry it was about."""
from __future__ import annotations

import json
import re
import sqlite3
from pathlib import Path

from actions.feedback import ActionFeedback
from actions.handoff import ActionHandoff
from tests.actions.helpers import responses, run, tracker_from

IDENTIFIERS = ["11010519491231002X", "110105", "1949123", "13812345678", "138 1234 5678", "1234 5678",
               "6222 0212 3456 7890 123", "6222", "7890", "wx-openid", "oAbC123456789"]


def only_case(cases_dir: Path) -> dict:
    [path] = list(cases_dir.glob("*.json"))
    return json.loads(path.read_text(encoding="utf-8"))


def test_handoff_gives_12333_and_the_local_channel(tmp_path):
    _, messages = run(ActionHandoff(), tracker_from("handoff_with_identifiers"))
    said = responses(messages)
    assert said[:2] == ["utter_handoff_12333", "utter_handoff_local"]
    assert messages[1]["province"] == "广东"           # where the person works now
    assert said[-1] == "utter_handoff_case_saved"


def test_case_file_has_facts_result_question_and_no_identifiers(tmp_path):
    _, messages = run(ActionHandoff(), tracker_from("handoff_with_identifiers"))
    cases_dir = tmp_path / "cases"
    text = "".join(p.read_text(encoding="utf-8") for p in cases_dir.glob("*.json"))
    for identifier in IDENTIFIERS:
        assert identifier not in text, identifier
    without_case_ids = re.sub(r"\d{8}-\d{6}-[0-9a-f]{6}", "", text)
    assert not re.search(r"\d{7,}", without_case_ids)      # no long number of any kind survives
    case = only_case(cases_dir)
    assert case["case_id"] == messages[-1]["case_id"]
    assert case["language"] == "zh" and case["created"].endswith("+00:00")
    assert case["facts"]["birth"] == "1975-06" and case["facts"]["hukou_province"]["code"] == "510000"
    assert case["facts"]["periods"][0]["city"] == "深圳"
    assert case["rules_result"]["pension_place"]["province"] == "440000"
    assert case["rules_result"]["summary"]
    # the open question is kept, masked: what the person asked before asking for a person
    question = " ".join(case["open_question"])
    assert "社保转不过来怎么办" in question and "深圳那边说要回老家办" in question
    assert "***" in question
    assert "sender" not in json.dumps(case)
    # and the console's index lists it
    with sqlite3.connect(cases_dir / "index.db") as db:
        rows = db.execute("SELECT case_id, status, province FROM cases").fetchall()
    assert rows == [(case["case_id"], "new", "440000")]


def test_handoff_without_facts_still_saves_the_question(tmp_path):
    tracker = tracker_from("base", text="我的问题很复杂，电话13912345678，转人工", intent="human_handoff")
    _, messages = run(ActionHandoff(), tracker)
    assert responses(messages) == ["utter_handoff_12333", "utter_handoff_local_unknown", "utter_handoff_case_saved"]
    case = only_case(tmp_path / "cases")
    assert case["rules_result"] == {"missing": ["birth", "sex", "hukou_province"]}
    assert "13912345678" not in json.dumps(case) and "5678" not in json.dumps(case)


def test_feedback_is_stored_with_the_entry(tmp_path):
    tracker = tracker_from("base", text="没用", intent="feedback_negative",
                           slots={"last_entry_id": "procedure-pension-transfer"})
    _, messages = run(ActionFeedback(), tracker)
    assert responses(messages) == ["utter_feedback_sorry"]
    _, messages = run(ActionFeedback(), tracker_from("base", text="有用", intent="feedback_positive",
                                                     slots={"last_entry_id": "faq-retirement-age"}))
    assert responses(messages) == ["utter_feedback_thanks"]
    with sqlite3.connect(tmp_path / "feedback.db") as db:
        rows = db.execute("SELECT entry_id, helpful, language FROM feedback ORDER BY rowid").fetchall()
    assert rows == [("procedure-pension-transfer", 0, "zh"), ("faq-retirement-age", 1, "zh")]


def test_a_conversation_leaves_at_most_three_open_cases(tmp_path):
    said = [responses(run(ActionHandoff(), tracker_from("handoff_with_identifiers"))[1])[-1] for _ in range(4)]
    assert said == ["utter_handoff_case_saved"] * 3 + ["utter_handoff_not_saved"]
    assert len(list((tmp_path / "cases").glob("*.json"))) == 3


def test_every_string_of_a_case_is_scrubbed_even_inside_odd_values(tmp_path):
    from suixing import cases

    case = {"case_id": "20261204-100000-abcdef", "created": "2026-12-04T10:00:00+00:00", "language": "zh",
            "open_question": ["电话１３７.００１１.２２４４", "ID440301198512319873"],
            "facts": {"wage": {"note": ["座机0755.8888.6666", {"deep": "卡 6222-0212-3456-7890"}]}, "n": 12}}
    path = cases.save(case, tmp_path / "cases", sender_id="someone")
    text = path.read_text(encoding="utf-8")
    for secret in ("0011", "１３７", "19851231", "8888", "0212", "6666"):
        assert secret not in text, secret
    assert json.loads(text)["facts"]["n"] == 12
    with sqlite3.connect(tmp_path / "cases/index.db") as db:
        [(key,)] = db.execute("SELECT sender_key FROM cases").fetchall()
    assert key and "someone" not in key

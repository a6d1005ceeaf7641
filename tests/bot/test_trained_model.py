"""Behaviour of the trained model (models/suixing.tar.gz) on messages the issue names.

Skipped when no model has been trained (scripts/setup.sh trains it). These are examples from
the issue, not from the training data; the held-out evaluation is scripts/evaluate_nlu.py."""
import asyncio
import os

import pytest

MODEL = "models/suixing.tar.gz"
pytestmark = pytest.mark.skipif(not os.path.isfile(MODEL), reason=f"no trained model at {MODEL}")


@pytest.fixture(scope="module")
def parse():
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    from rasa.core.agent import Agent

    agent = Agent.load(MODEL)
    loop = asyncio.new_event_loop()
    yield lambda text: loop.run_until_complete(agent.parse_message(text))
    loop.close()


def entities(parsed, name):
    return [e["value"] for e in parsed["entities"] if e["entity"] == name]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("社保 transfer 怎么弄", "ask_transfer_pension"),
        ("养老金能取出来吗", "ask_cash_out"),
        ("社保断了咋整", "ask_stop_paying"),
        ("换厂了社保咋弄", "ask_transfer_pension"),
        ("厂里不给交社保", "employer_no_insurance"),
        ("干活摔伤了怎么办", "ask_work_injury"),
        ("在外地住院能报吗", "ask_medical_other_province"),
        ("can i withdraw my pension", "ask_cash_out"),
        ("my boss wont pay social insurance", "employer_no_insurance"),
        ("转人工", "human_handoff"),
        ("English please", "switch_language"),
        ("说中文", "switch_language"),
    ],
)
def test_messages_from_the_issue(parse, text, intent):
    assert parse(text)["intent"]["name"] == intent


def test_mixed_scheme_question_gets_the_canonical_scheme(parse):
    parsed = parse("BPI-UE 是什么")
    assert parsed["intent"]["name"] == "ask_scheme_info"
    assert entities(parsed, "scheme") == ["BPI-UE"]


def test_details_in_a_retirement_question_are_extracted(parse):
    parsed = parse("我是女的，1980年3月出生，在工厂上班，什么时候能退休？")
    assert parsed["intent"]["name"] == "ask_retirement_age"
    assert entities(parsed, "sex") == ["female"]
    assert entities(parsed, "job") == ["worker"]
    assert entities(parsed, "date") == ["1980年3月"]


def test_form_answers(parse):
    parsed = parse("广东东莞干了八年多")
    assert parsed["intent"]["name"] == "inform"
    assert entities(parsed, "province") == ["广东"]
    assert entities(parsed, "city") == ["东莞"]
    assert entities(parsed, "duration") == ["八年多"]
    assert entities(parse("女的"), "sex") == ["female"]


def test_language_switch_carries_the_language_code(parse):
    assert entities(parse("English please"), "language") == ["en"]
    assert entities(parse("说中文"), "language") == ["zh"]


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "<script>alert(1)</script>", "社保" * 1000])
def test_odd_messages_do_not_break_nlu(parse, text):
    parsed = parse(text)
    assert parsed["intent"]["name"]

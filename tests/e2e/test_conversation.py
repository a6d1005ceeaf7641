"""End to end: the action server and Rasa with the trained model, talked to over the REST channel as a phone would."""
from __future__ import annotations

import json
import re
import uuid

import pytest
import requests

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

CJK = re.compile(r"[\u4e00-\u9fff]")


def texts(messages: list[dict]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def is_chinese(text: str) -> bool:
    return len(CJK.findall(text)) > len(re.findall(r"[A-Za-z]", text)) / 4


def new_sender() -> str:
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_chinese_question_gets_a_cited_chinese_answer(stack):
    reply = texts(stack.say("我换工作了 能把养老保险退了拿钱吗", new_sender()))
    assert is_chinese(reply), reply
    assert "2010" in reply, "the answer must say cash-out ended in 2010: " + reply
    assert "来源" in reply, "every factual answer names its source: " + reply


def test_english_question_gets_a_cited_english_answer(stack):
    reply = texts(stack.say("How do I move my pension to Sichuan when I change jobs?", new_sender()))
    assert not is_chinese(reply), reply
    assert "Source" in reply, reply


def test_details_in_the_question_are_used_directly(stack):
    # women in worker posts born 1980-03: 50 years + 32 months under the 2025 reform -> 2032-11
    reply = texts(stack.say("我是女的，1980年3月出生，在工厂上班，什么时候能退休？", new_sender()))
    assert "2032" in reply, reply
    assert "52" in reply, "the retirement age (52 years 8 months) is stated: " + reply


def answer_until_done(stack, sender: str, answers: list[str]) -> list[str]:
    replies = []
    for answer in answers:
        replies.append(texts(stack.say(answer, sender)))
    return replies


def test_checkup_in_chinese_with_colloquial_answers_and_a_correction(stack):
    sender = new_sender()
    start = texts(stack.say("/start_checkup", sender))
    assert is_chinese(start) and start.strip()
    replies = answer_until_done(stack, sender, [
        "七九年五月",                        # birth, corrected below
        "女的",
        "厂里上班",
        "我说错了，出生是1980年3月",          # the correction
        "户口在江西",
        "广东东莞干了八年多，浙江三年",
        "四千五左右",
        "不知道",
    ])
    slots = stack.tracker(sender)["slots"]
    assert slots["birth"] == "1980-03", slots
    assert slots["sex"] == "female" and slots["female_category"] == "worker", slots
    result = replies[-1]
    assert "2032" in result, "verdict with the retirement date: " + result
    assert "来源" in result, result
    assert re.search(r"退保|取出|cash", result), "the options compared include cashing out: " + result


def test_checkup_in_english(stack):
    sender = new_sender()
    stack.say('/switch_language{"language":"en"}', sender)
    stack.say("/start_checkup", sender)
    replies = answer_until_done(stack, sender, [
        "born in March 1985", "male", "Sichuan", "Guangdong 10 years", "6000", "don't know",
    ])
    result = replies[-1]
    assert not is_chinese(result), result
    # men born 1985 reach 63 under the 2025 reform: 2048
    assert "2048" in result, result


ODD_MESSAGES = ["", " ", "x" * 10_000, "😀😀😀", "<script>alert('x')</script><b>社保</b>", "\x00\x07社保\x1b[31m",
                "社保" * 3000]


@pytest.mark.parametrize("odd", ODD_MESSAGES, ids=["empty", "space", "10k-latin", "emoji", "html", "control",
                                                  "12k-chinese"])
def test_odd_messages_get_a_polite_reply_and_the_conversation_goes_on(stack, odd):
    sender = new_sender()
    reply = stack.say(odd, sender)
    assert texts(reply).strip(), f"no reply to {odd[:30]!r}"
    assert "<script>" not in texts(reply)
    follow_up = texts(stack.say("社保断缴了会怎么样", sender))
    assert is_chinese(follow_up) and "来源" in follow_up, follow_up


def test_identifiers_typed_by_the_user_are_masked_before_storage(stack):
    sender = new_sender()
    stack.say("我身份证110101199003071234 手机13812345678 卡号6222021234567890123 想查社保", sender)
    stored = json.dumps(stack.tracker(sender), ensure_ascii=False)
    for secret in ("110101199003071234", "13812345678", "6222021234567890123"):
        assert secret not in stored


def test_handoff_gives_12333_and_leaves_a_case_without_identifiers(stack):
    sender = new_sender()
    stack.say("我是女的，1980年3月出生，在工厂上班，什么时候能退休？", sender)
    reply = texts(stack.say("转人工 我电话13812345678", sender))
    assert "12333" in reply, reply
    cases = list(stack.cases_dir.rglob("*.json"))
    assert cases, "a case summary is stored for the hotline"
    stored = "\n".join(p.read_text(encoding="utf-8") for p in cases)
    assert "1980-03" in stored, "the facts collected travel with the case"
    assert "13812345678" not in stored


def test_greeting_offers_a_language_button_that_rasa_sends_intact(stack):
    messages = stack.say("你好", new_sender())
    payloads = [b.get("payload") for m in messages for b in m.get("buttons", [])]
    assert '/switch_language{"language":"en"}' in payloads, payloads


def test_checkup_result_has_a_chart_image_the_web_page_can_load(stack):
    sender = new_sender()
    stack.say("/start_checkup", sender)
    messages = []
    for answer in ["七九年五月", "女的", "厂里上班", "我说错了，出生是1980年3月", "户口在江西",
                   "广东东莞干了八年多，浙江三年", "四千五左右", "不知道"]:
        messages = stack.say(answer, sender)
    images = [m["image"] for m in messages if m.get("image")]
    assert len(images) == 1, f"one chart with the result: {messages}"
    url = images[0]
    assert re.fullmatch(r"/charts/[0-9a-f]{16,64}\.png", url), url      # relative: same origin as the page
    assert "以社保机构为准" in texts(messages), "the chart's caption says it is an estimate"
    chart = requests.get(stack.web_url + url, timeout=10)
    assert chart.status_code == 200
    assert chart.headers["Content-Type"] == "image/png"
    assert chart.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert (stack.charts_dir / url.rsplit("/", 1)[1]).is_file(), "drawn into the stack's CHARTS_DIR"


def test_the_bots_own_question_can_be_answered_with_a_bare_number(stack):
    """"失业金能领多久" asks for the years; "交了6年" then gets 18 months with its source, not the check-up offer."""
    sender = new_sender()
    first = texts(stack.say("失业金最长能领多长时间", sender))
    assert re.search(r"12个月|12 months", first) and "24" in first, first
    reply = texts(stack.say("交了6年", sender))
    assert "18个月" in reply, reply
    assert "来源" in reply or "依据" in reply, reply


def test_why_after_an_answer_gives_its_reasons(stack):
    sender = new_sender()
    stack.say("外出打工能把养老保险退了吗", sender)
    reply = texts(stack.say("为啥不能退", sender))
    assert "没太明白" not in reply, reply
    assert re.search(r"依据|来源", reply), reply


def test_a_new_conversation_that_says_hi_is_answered_in_english(stack):
    reply = texts(stack.say("hi", new_sender()))
    assert not is_chinese(reply), reply

"""The REST channel masks identifiers before the message reaches Rasa (NLU, tracker, logs)."""
import asyncio
import json

import pytest

from rasa.core.channels.channel import UserMessage

from bot.channels.rest import MAX_MESSAGE_CHARS, MaskingRestInput, clean_message


class FakeRequest:
    """What the blueprint handler reads from a sanic Request."""

    def __init__(self, body, args=None):
        self.json = body
        self.args = args or {}


def webhook_handler(channel, on_new_message):
    blueprint = channel.blueprint(on_new_message)
    for route in blueprint._future_routes:
        if route.uri == "/webhook":
            return route.handler
    raise AssertionError("no /webhook route")


def post(body, reply="好的"):
    """POST `body` to the channel's webhook; return (messages Rasa received, JSON response)."""
    received = []

    async def on_new_message(message: UserMessage):
        received.append(message)
        await message.output_channel.send_text_message(message.sender_id, reply)

    handler = webhook_handler(MaskingRestInput(), on_new_message)
    response = asyncio.run(handler(FakeRequest(body)))
    return received, json.loads(response.body)


def test_channel_keeps_the_rest_name_and_url():
    assert MaskingRestInput.name() == "rest"


def test_phone_and_id_numbers_are_masked_before_rasa_sees_them():
    received, answer = post(
        {"sender": "u1", "message": "我电话13812345678 身份证44030419800312123X 怎么转社保"}
    )
    text = received[0].text
    assert "13812345678" not in text and "19800312" not in text
    assert "138****5678" in text
    assert "怎么转社保" in text
    assert answer == [{"recipient_id": "u1", "text": "好的"}]


def test_metadata_and_sender_are_passed_through():
    received, _ = post({"sender": "abc", "message": "你好", "metadata": {"language": "en", "page": "web"}})
    assert received[0].sender_id == "abc"
    assert received[0].metadata == {"language": "en", "page": "web"}
    assert received[0].input_channel == "rest"


def test_intent_payloads_from_buttons_are_untouched():
    received, _ = post({"sender": "u", "message": '/switch_language{"language":"en"}'})
    assert received[0].text == '/switch_language{"language":"en"}'


def post_many(sender, texts, on_new_message):
    handler = webhook_handler(MaskingRestInput(), on_new_message)
    return [json.loads(asyncio.run(handler(FakeRequest({"sender": sender, "message": t}))).body) for t in texts]


def test_typed_intent_syntax_is_text_but_offered_buttons_stay_intents():
    received = []

    async def offers_a_button(message: UserMessage):
        received.append(message.text)
        await message.output_channel.send_text_with_buttons(
            message.sender_id, "男还是女？", [{"title": "女", "payload": '/inform{"sex":"female"}'}])

    post_many("typer", ['/inform{"birth":"1800-01"}', '/inform{"sex":"female"}'], offers_a_button)
    assert received == ['inform{"birth":"1800-01"}', '/inform{"sex":"female"}']


def test_a_turn_without_any_reply_gets_didnt_get_that_with_topic_buttons(monkeypatch):
    from bot.channels import guard

    monkeypatch.setattr(guard, "action_server_up", lambda: True)

    async def silent(message: UserMessage):
        return None

    [answer] = post_many("quiet", ["asdfgh"], silent)
    assert "没听懂" in answer[0]["text"] and "didn't get that" in answer[0]["text"]
    assert "/start_checkup" in [b["payload"] for b in answer[0]["buttons"]]


@pytest.mark.parametrize("failure", ["raises", "slow", "action server down"])
def test_a_failed_turn_says_sorry_and_12333(monkeypatch, failure):
    from bot.channels import guard

    monkeypatch.setenv("TURN_TIMEOUT", "0.2")
    monkeypatch.setattr(guard, "action_server_up", lambda: failure != "action server down")

    async def failing(message: UserMessage):
        if failure == "raises":
            raise RuntimeError("boom")
        if failure == "slow":
            await asyncio.sleep(2)

    [answer] = post_many("unlucky", ["退保"], failing)
    assert answer[0]["text"] == guard.SORRY and "12333" in answer[0]["text"]


def test_delete_my_data_asks_first_then_deletes_only_on_confirmation(monkeypatch):
    from bot.channels import guard

    forgotten, received = [], []
    monkeypatch.setattr(guard.retention, "forget_sender", forgotten.append)

    async def bot(message: UserMessage):
        received.append(message.text)
        await message.output_channel.send_text_message(message.sender_id, "好的")

    ask, kept, ask_again, done = post_many("me", ["删除我的记录", guard.FORGET_CANCEL, "delete my data",
                                                  guard.FORGET_CONFIRM], bot)
    assert [b["payload"] for b in ask[0]["buttons"]] == [guard.FORGET_CONFIRM, guard.FORGET_CANCEL]
    assert kept[0]["text"] == guard.FORGET_KEPT and ask_again[0]["text"] == guard.FORGET_ASK
    assert done[0]["text"] == guard.FORGET_DONE
    assert forgotten == ["me"] and received == []   # none of it reached NLU


@pytest.mark.parametrize(
    "message, expected",
    [
        (None, ""),
        ("", ""),
        ("  \x00\x07退保\u200b吗\x1b ", "退保 吗"),
        (12333, "12333"),
        ("😀😀", "😀😀"),
    ],
)
def test_odd_messages_become_safe_text(message, expected):
    assert clean_message(message) == expected


def test_very_long_messages_are_cut():
    received, _ = post({"sender": "u", "message": "社保" * 5000})
    assert len(received[0].text) == MAX_MESSAGE_CHARS


def test_non_dict_metadata_is_dropped():
    received, _ = post({"sender": "u", "message": "hi", "metadata": "oops"})
    assert received[0].metadata is None

"""The responses of bot/domain (except actions.yml, owned by the actions engineer):
both languages, phone-sized bubbles, 12333 on every dead-end answer, buttons that send real intents."""
import glob
import json
import re

import pytest
import yaml
from rasa.core.nlg.interpolator import interpolate_text

MY_DOMAIN_FILES = [p for p in sorted(glob.glob("bot/domain/*.yml")) if not p.endswith("actions.yml")]


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.safe_load(f) or {}


def intents():
    names = set(load("bot/domain/intents.yml")["intents"])
    return names


RESPONSES = {name: variations for path in MY_DOMAIN_FILES for name, variations in (load(path).get("responses") or {}).items()}


def is_english(variation):
    return any(c.get("name") == "language" and c.get("value") == "en" for c in variation.get("condition") or [])


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_every_response_has_a_chinese_default_and_an_english_variation(name):
    variations = RESPONSES[name]
    chinese = [v for v in variations if not v.get("condition")]
    english = [v for v in variations if is_english(v)]
    assert chinese and english
    assert all(re.search(r"[\u4e00-\u9fff]", v["text"]) for v in chinese)
    assert all(not re.search(r"[\u4e00-\u9fff]", v["text"]) for v in english)


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_chinese_bubbles_fit_a_phone_screen(name):
    for variation in RESPONSES[name]:
        if not variation.get("condition"):
            assert len(variation["text"]) <= 120, variation["text"]


@pytest.mark.parametrize("name", ["utter_out_of_scope", "utter_ask_rephrase", "utter_goodbye", "utter_bot_challenge"])
def test_answers_that_could_be_a_dead_end_offer_12333(name):
    for variation in RESPONSES[name]:
        assert "12333" in variation["text"]


@pytest.mark.parametrize("name", sorted(RESPONSES))
def test_buttons_send_intents_that_exist(name):
    known = intents()
    for variation in RESPONSES[name]:
        for button in variation.get("buttons") or []:
            # what the user's client receives: Rasa fills {placeholders} in buttons, so JSON braces are doubled
            payload = interpolate_text(button["payload"], {"language": "zh"})
            match = re.fullmatch(r"/(\w+)(\{.*\})?", payload)
            assert match, button
            assert match.group(1) in known, button
            if match.group(2):
                json.loads(match.group(2))


def test_no_response_asks_for_id_phone_or_bank_numbers():
    asking = re.compile(r"(请|告诉我|提供|输入|发).{0,6}(身份证|手机号|电话号码|银行卡|卡号)|your (id|phone|bank|card) number", re.I)
    for name, variations in RESPONSES.items():
        for variation in variations:
            assert not asking.search(variation["text"]), (name, variation["text"])


def test_every_contract_intent_is_in_the_domain():
    contracts = open("docs/CONTRACTS.md", encoding="utf-8").read()
    block = contracts.split("Intents (one model, both languages):")[1].split("Entities:")[0]
    contract_intents = {w for w in re.findall(r"\b([a-z_]+)\b", block) if "_" in w or w in {
        "greet", "goodbye", "thank", "help", "affirm", "deny", "stop", "inform"}}
    contract_intents -= {"nlu_fallback", "slot_name", "scheme", "language", "form", "answers", "earlier", "answer"}
    missing = contract_intents - intents()
    assert not missing

"""Domain, actions and responses agree (STYLE.md): every custom action in the domain exists in actions/ and the
other way round, every response an action can utter exists in the domain, and every response in
bot/domain/actions.yml has a Chinese default and an English variation with the same placeholders."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml
from rasa_sdk.executor import ActionExecutor

from tests.actions.helpers import DOMAIN, ROOT, placeholders

ACTIONS_DIR = ROOT / "actions"
OWN_DOMAIN = yaml.safe_load((ROOT / "bot/domain/actions.yml").read_text(encoding="utf-8"))
EN_CONDITION = [{"type": "slot", "name": "language", "value": "en"}]
CONTRACT_ACTIONS = {
    "action_validate_slot_mappings", "validate_checkup_form", "action_answer_topic", "action_retirement_age",
    "action_pension_place", "action_compare_options", "action_checkup_result", "action_injury_deadlines",
    "action_unemployment", "action_fallback_search", "action_handoff", "action_feedback", "action_switch_language",
    "action_reset_checkup",
}
# the values that fill the response names actions build with f-strings
FSTRING_VALUES = {
    "slot": ["birth", "sex", "hukou_province"],
    "wanted": ["zh", "en"],
    "name": ["cash_out", "suspend", "transfer", "continue_to_minimum", "switch_to_residents"],
    "suffix": ["allowed", "not_allowed"],
    "group": ["male", "female_worker", "female_cadre"],
}


def registered_actions() -> set[str]:
    executor = ActionExecutor()
    executor.register_package("actions")
    return set(executor.actions)


def custom_actions_in_domain() -> set[str]:
    return {a for a in DOMAIN["actions"] if a.startswith(("action_", "validate_"))}


def test_every_domain_action_exists_in_actions():
    assert custom_actions_in_domain() - registered_actions() == set()


def test_every_action_is_in_the_domain():
    assert registered_actions() - custom_actions_in_domain() == set()


def test_the_contract_actions_are_all_there():
    assert CONTRACT_ACTIONS <= registered_actions()
    assert CONTRACT_ACTIONS <= set(OWN_DOMAIN["actions"])


def uttered_responses() -> set[str]:
    """Every response name in actions/: string literals, and f-strings expanded with their known values."""
    names: set[str] = set()
    for path in ACTIONS_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside_fstrings = {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
        for node in ast.walk(tree):
            if id(node) in inside_fstrings:
                continue
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and re.fullmatch(r"utter_\w+", node.value):
                names.add(node.value)
            elif isinstance(node, ast.JoinedStr):
                parts = []
                for value in node.values:
                    if isinstance(value, ast.Constant):
                        parts.append([value.value])
                    elif isinstance(value, ast.FormattedValue) and isinstance(value.value, ast.Name):
                        parts.append(FSTRING_VALUES.get(value.value.id, ["<unknown>"]))
                    else:
                        parts.append(["<unknown>"])
                if parts and str(parts[0][0]).startswith("utter_"):
                    expanded = [""]
                    for options in parts:
                        expanded = [e + str(o) for e in expanded for o in options]
                    names.update(expanded)
    return names


# strings shaped like response names that are not: Rasa's metadata key naming the response of a bot message
NOT_RESPONSES = {"utter_action"}


def test_every_uttered_response_exists_in_the_domain():
    missing = {name for name in uttered_responses() if name not in DOMAIN["responses"] and name not in NOT_RESPONSES}
    assert not missing, f"responses uttered by actions but missing from the domain: {sorted(missing)}"


def test_form_questions_exist_for_every_required_slot():
    for slot in OWN_DOMAIN["forms"]["checkup_form"]["required_slots"]:
        assert f"utter_ask_checkup_form_{slot}" in OWN_DOMAIN["responses"]


def test_own_responses_are_not_defined_twice():
    others = {}
    for path in (ROOT / "bot/domain").glob("*.yml"):
        if path.name != "actions.yml":
            others.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    assert set(OWN_DOMAIN["responses"]) & set(others) == set()


@pytest.mark.parametrize("name", sorted(OWN_DOMAIN["responses"]))
def test_response_has_chinese_default_and_english_variation(name):
    variations = OWN_DOMAIN["responses"][name]
    english = [v for v in variations if v.get("condition") == EN_CONDITION]
    default = [v for v in variations if not v.get("condition")]
    assert len(english) == 1 and len(default) == 1
    zh, en = default[0]["text"], english[0]["text"]
    assert re.search(r"[\u4e00-\u9fff]", zh) or zh.strip("{}").isidentifier() or placeholders(zh), name
    assert placeholders(zh) == placeholders(en), name
    assert len(re.sub(r"{\w+}", "", zh)) <= 120, f"{name}: a bubble of at most ~120 characters"
    assert bool(default[0].get("buttons")) == bool(english[0].get("buttons"))
    # no question for an identifier, ever
    assert not re.search(r"身份证号|手机号码?是|银行卡号|ID number\?|phone number\?", zh + en)


def test_slots_of_the_contract():
    slots = OWN_DOMAIN["slots"]
    for slot in ("language", "birth", "sex", "female_category", "hukou_province", "periods", "wage",
                 "account_balance", "accident_date", "last_entry_id", "requested_slot"):
        assert slot in slots
        assert slots[slot]["influence_conversation"] is False


def test_action_modules_never_import_rasa():
    for path in ACTIONS_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                assert not any(alias.name == "rasa" or alias.name.startswith("rasa.") for alias in node.names), path
            elif isinstance(node, ast.ImportFrom):
                assert not (node.module or "").split(".")[0] == "rasa", path

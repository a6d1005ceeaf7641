"""Helpers for the action tests: stored trackers, the merged domain, a runner that checks every response an action
sends against the domain."""
from __future__ import annotations

import asyncio
import copy
import json
import re
from pathlib import Path

import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parents[2]
TRACKERS = Path(__file__).parent / "trackers"
DOMAIN_DIR = ROOT / "bot/domain"


def load_domain() -> dict:
    """All domain files merged, as the action server receives the domain (a plain dict)."""
    merged: dict = {"actions": [], "forms": {}, "slots": {}, "responses": {}, "intents": [], "entities": []}
    for path in sorted(DOMAIN_DIR.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for key in ("actions", "intents", "entities"):
            merged[key] += data.get(key) or []
        for key in ("forms", "slots", "responses"):
            merged[key].update(data.get(key) or {})
    return merged


DOMAIN = load_domain()


def tracker_from(name: str, *, text: str | None = None, intent: str | None = None, entities: list | None = None,
                 slots: dict | None = None, requested_slot: str | None = None, language: str | None = None) -> Tracker:
    """A stored tracker (tests/actions/trackers/<name>.json), with the latest message and slots overridden."""
    state = json.loads((TRACKERS / f"{name}.json").read_text(encoding="utf-8"))
    state = copy.deepcopy(state)
    if text is not None or intent is not None or entities is not None:
        message = state["latest_message"]
        if text is not None:
            message["text"] = text
        if intent is not None:
            message["intent"] = {"name": intent, "confidence": 0.9}
        if entities is not None:
            message["entities"] = entities
        state["events"].append({"event": "user", "text": message["text"],
                                "parse_data": {"intent": message["intent"], "entities": message["entities"]}})
    state["slots"].update(slots or {})
    if requested_slot is not None:
        state["slots"]["requested_slot"] = requested_slot
    if language is not None:
        state["slots"]["language"] = language
    return Tracker.from_dict(state)


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text or ""))


def check_message(message: dict) -> None:
    """A message an action sends names a domain response and fills all its placeholders."""
    name = message.get("response")
    assert name, f"an action sent raw text instead of a domain response: {message}"
    assert name in DOMAIN["responses"], f"response {name} is not in the domain"
    for variation in DOMAIN["responses"][name]:
        missing = placeholders(variation.get("text", "")) - set(message)
        assert not missing, f"{name}: placeholders {missing} not filled"


def run(action, tracker: Tracker, domain: dict | None = None):
    """Run an action; returns (events, messages) after checking every message against the domain."""
    dispatcher = CollectingDispatcher()
    events = asyncio.run(action.run(dispatcher, tracker, domain or DOMAIN))
    for message in dispatcher.messages:
        check_message(message)
    return events, dispatcher.messages


def responses(messages: list[dict]) -> list[str]:
    return [m.get("response") for m in messages]


def slot_events(events: list[dict]) -> dict:
    return {e["name"]: e["value"] for e in events if e.get("event") == "slot"}



"""Switch the conversation language on request (`action_switch_language`): "English please", "说中文", or the
language button. The slot itself is also kept up to date on every message by `action_validate_slot_mappings`."""
from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import entity_values, latest_intent, latest_text, never_fails, utter
from actions.language import explicit_switch


class ActionSwitchLanguage(Action):
    def name(self) -> str:
        return "action_switch_language"

    @never_fails
    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> list[dict[str, Any]]:
        current = tracker.get_slot("language") if tracker.get_slot("language") in ("zh", "en") else "zh"
        wanted = explicit_switch(latest_text(tracker), latest_intent(tracker), entity_values(tracker, "language"))
        if wanted is None:  # "switch language" without saying which: the other one
            wanted = "en" if current == "zh" else "zh"
        # Rasa fills responses before it applies this action's events, so the response is named after the
        # language it announces rather than chosen by the slot
        utter(dispatcher, f"utter_language_switched_{wanted}")
        return [SlotSet("language", wanted)]

"""SQL tracker store that masks identifiers in every event before it is written.

The input channels already mask user text (`bot.channels.rest`); this is defence in depth
for messages that arrive another way (HTTP API `/conversations/<id>/messages`, a channel
that forgot, a slot filled from raw text). Rasa builds `UserUttered(message.text, ...,
parse_data)` in `MessageProcessor._handle_message_with_tracker`, so both `text` and
`parse_data.text` carry the user's words; slot values and metadata may too.

Endpoint configuration (`bot/endpoints.yml`):
    tracker_store:
      type: bot.stores.MaskingSQLTrackerStore
      dialect: sqlite
      db: var/tracker.db
"""
import json
import logging
import os
from typing import Any, List, Text

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import Event
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY

from bot.privacy import mask_identifiers

logger = logging.getLogger(__name__)

# Keys whose values are machine identifiers or names, never user text.
_KEEP_KEYS = {"event", "timestamp", "message_id", "sender_id", "name", "policy",
              "input_channel", "intent_ranking", "response_selector", "action_text"}


def mask_data(value: Any, key: Text = "") -> Any:
    """Recursively mask identifiers in every string of an event dict."""
    if key in _KEEP_KEYS:
        return value
    if isinstance(value, str):
        return mask_identifiers(value)
    if isinstance(value, dict):
        return {k: mask_data(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [mask_data(v, key) for v in value]
    return value


class MaskingSQLTrackerStore(SQLTrackerStore):
    """`SQLTrackerStore` that masks identifiers; creates the SQLite folder if needed."""

    def __init__(self, dialect: Text = "sqlite", db: Text = "var/tracker.db", **kwargs: Any) -> None:
        if dialect == "sqlite" and db and not kwargs.get("host"):
            folder = os.path.dirname(os.path.abspath(db))
            os.makedirs(folder, exist_ok=True)
        super().__init__(dialect=dialect, db=db, **kwargs)

    async def _stream_new_events(self, event_broker: Any, new_events: List[Event], sender_id: Text) -> None:
        """Events published to an event broker (if one is configured) are masked too."""
        for event in new_events:
            body = {"sender_id": sender_id}
            body.update(mask_data(event.as_dict()))
            event_broker.publish(body)

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Same as `SQLTrackerStore.save`, with every event dict masked first."""
        await self.stream_events(tracker)

        with self.session_scope() as session:
            for event in self._additional_events(session, tracker):
                data = mask_data(event.as_dict())
                intent = data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY)
                session.add(
                    self.SQLEvent(
                        sender_id=tracker.sender_id,
                        type_name=event.type_name,
                        timestamp=data.get("timestamp"),
                        intent_name=intent,
                        action_name=data.get("name"),
                        data=json.dumps(data),
                    )
                )
            session.commit()
        logger.debug(f"Tracker '{tracker.sender_id}' stored with identifiers masked.")

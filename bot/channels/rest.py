"""REST channel (`POST /webhooks/rest/webhook`) that masks identifiers before NLU.

Configured in `bot/credentials.yml` as `bot.channels.rest.MaskingRestInput:`; it keeps the
name "rest", so the URL and the request/response format are those of Rasa's RestInput:
``{"sender": "...", "message": "...", "metadata": {...}}`` -> list of bot messages.
"""
import logging
import re
import unicodedata
from typing import Any, Dict, Optional, Text

from sanic.request import Request

from rasa.core.channels.rest import RestInput

from bot.channels.guard import guard
from bot.privacy import mask_identifiers

logger = logging.getLogger(__name__)

# Longer messages are cut: nobody types more on a phone, and it keeps NLU time bounded.
MAX_MESSAGE_CHARS = 2000
# C0/C1 control characters except tab and newline, plus zero-width and bidi controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean_message(text: Any) -> Text:
    """Normalise what a client sent into safe text for NLU: str, no control characters,
    bounded length, identifiers masked. Intent payloads ("/start_checkup") pass unchanged
    except for masking."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    text = unicodedata.normalize("NFC", text)
    text = _CONTROL.sub(" ", text)
    text = mask_identifiers(text)
    if len(text) > MAX_MESSAGE_CHARS:
        text = text[:MAX_MESSAGE_CHARS]
    return text.strip()


class MaskingRestInput(RestInput):
    """Rasa's REST channel with identifier masking, input clean-up and a guarded turn."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message):
        """Rasa's REST routes around a guarded turn (bot/channels/guard.py: never silent, typed intents are text,
        "删除我的记录")."""
        return super().blueprint(guard(on_new_message))

    async def _extract_sender(self, req: Request) -> Optional[Text]:
        body = req.json if isinstance(req.json, dict) else {}
        sender = body.get("sender")
        return str(sender) if sender is not None else None

    def _extract_message(self, req: Request) -> Optional[Text]:
        body = req.json if isinstance(req.json, dict) else {}
        return clean_message(body.get("message"))

    def _extract_input_channel(self, req: Request) -> Text:
        body = req.json if isinstance(req.json, dict) else {}
        return body.get("input_channel") or self.name()

    def get_metadata(self, request: Request) -> Optional[Dict[Text, Any]]:
        body = request.json if isinstance(request.json, dict) else {}
        metadata = body.get("metadata")
        return metadata if isinstance(metadata, dict) else None

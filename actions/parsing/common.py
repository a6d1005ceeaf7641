"""Answers that are not values: "don't know" (skip the question) and "stop" (leave the check-up)."""
from __future__ import annotations

import re

SKIP = "skip"
# An answer to a question is short; longer messages are read only this far (keeps odd inputs cheap and safe).
MAX_ANSWER_CHARS = 300


def clip(text: str | None) -> str:
    return (text or "")[:MAX_ANSWER_CHARS]

_SKIP = re.compile(
    r"(不知道|不清楚|不记得|记不清|忘了|忘记了|不确定|说不准|不晓得|不懂|跳过|没数|不太清楚|搞不清|"
    r"\bskip\b|don'?t know|do not know|not sure|no idea|\bunknown\b|can'?t remember|i forgot|\bpass\b)",
    re.IGNORECASE,
)
_STOP = re.compile(
    r"^\s*(算了|不问了|不查了|不测了|不弄了|不做了|退出|停止|停|取消|结束|不要了|不想答了|不想回答|"
    r"stop|quit|cancel|exit|enough|forget it|never ?mind)\s*(吧|了|啦|算了)?\s*[。.!！]*\s*$",
    re.IGNORECASE,
)


def is_skip(text: str | None) -> bool:
    return bool(text and _SKIP.search(clip(text)))


def is_stop(text: str | None) -> bool:
    return bool(text and _STOP.search(clip(text)))

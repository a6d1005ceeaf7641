"""Bubbles comparing the options (filled in once the options rule exists)."""
from __future__ import annotations


def option_bubbles(options: list[dict], lang: str) -> list[str]:
    return []

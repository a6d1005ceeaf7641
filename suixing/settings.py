"""Path settings shared by the action server, the web server and the Rasa side, read from environment variables.

A relative path is relative to the repository root.
    KNOWLEDGE_DB   the knowledge base built by `python -m knowledge build`   (default var/knowledge.db)
    CASES_DIR      hand-over cases for the hotline console                    (default var/cases)
    FEEDBACK_DB    answer feedback                                            (default var/feedback.db)
    CHARTS_DIR     the check-up's option charts (PNG), served at /charts/     (default var/charts)
    TRACKER_DB     the SQLite tracker store of Rasa                           (default var/tracker.db)
    RETENTION_DAYS how long conversations, cases and charts are kept         (default 90)
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_RETENTION_DAYS = 90


def path_setting(name: str, default: str) -> Path:
    path = Path(os.environ.get(name) or default)
    return path if path.is_absolute() else ROOT / path


def knowledge_db() -> Path:
    return path_setting("KNOWLEDGE_DB", "var/knowledge.db")


def cases_dir() -> Path:
    return path_setting("CASES_DIR", "var/cases")


def feedback_db() -> Path:
    return path_setting("FEEDBACK_DB", "var/feedback.db")


def charts_dir() -> Path:
    return path_setting("CHARTS_DIR", "var/charts")


def tracker_db() -> Path:
    return path_setting("TRACKER_DB", "var/tracker.db")


def retention_days() -> int:
    """RETENTION_DAYS as a whole number of days ≥ 1; the default when unset or not a number."""
    try:
        days = int(os.environ.get("RETENTION_DAYS") or DEFAULT_RETENTION_DAYS)
    except ValueError:
        return DEFAULT_RETENTION_DAYS
    return max(days, 1)

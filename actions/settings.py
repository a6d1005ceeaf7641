"""Settings of the action server, read from environment variables (the paths are suixing/settings.py's).

Local mode (the default) needs no network: the knowledge base is a SQLite file and cases are JSON files on disk.

    KNOWLEDGE_DB   path of the knowledge base built by `python -m knowledge build`   (default var/knowledge.db)
    CASES_DIR      where hand-over cases for the hotline console are written         (default var/cases)
    FEEDBACK_DB    where answer feedback is stored                                     (default var/feedback.db)
    HOTLINE        the national hotline offered in every dead end                     (default 12333)
    CHARTS_DIR     where the check-up's option charts (PNG) are written; web/serve.py serves them at /charts/
                                                                                      (default var/charts)
    CHARTS_BASE_URL  public address put before /charts/<name>.png (default empty: a relative URL, right for the
                   web page; WeChat and Telegram need the public https address, see docs/channels.md)
"""
from __future__ import annotations

import logging
import os
from functools import lru_cache
from pathlib import Path

from suixing import settings as shared

logger = logging.getLogger(__name__)

ROOT = shared.ROOT
knowledge_db = shared.knowledge_db
cases_dir = shared.cases_dir
feedback_db = shared.feedback_db
charts_dir = shared.charts_dir


def charts_base_url() -> str:
    return (os.environ.get("CHARTS_BASE_URL") or "").rstrip("/")


HOTLINE = os.environ.get("HOTLINE", "12333")


@lru_cache(maxsize=None)
def _knowledge_base_at(path: str):
    from knowledge import KnowledgeBase

    return KnowledgeBase(path)


def knowledge_base():
    """The knowledge base, opened once per process and path; None when it is not built (answers then offer 12333)."""
    path = knowledge_db()
    if not path.exists():
        logger.error("knowledge base %s is missing: run `python -m knowledge build`", path)
        return None
    try:
        return _knowledge_base_at(str(path))
    except Exception:  # a broken database must not break the conversation
        logger.exception("cannot open the knowledge base %s", path)
        return None

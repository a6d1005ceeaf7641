"""Load what the actions need once, when the server starts, so the first user does not wait for it:
the knowledge base (if built), the spaCy place matcher, jieba and the rules-engine parameters.
Set SUIXING_WARMUP=0 to skip (tests that do not need it)."""
from __future__ import annotations

import logging
import os
import time

logger = logging.getLogger(__name__)


def warm_up() -> None:
    if os.environ.get("SUIXING_WARMUP", "1") == "0":
        return
    started = time.monotonic()
    try:
        from actions import settings
        from actions.parsing import find_places

        if settings.knowledge_db().exists():
            settings.knowledge_base()
        find_places("广东东莞")
        from rules_engine.api import retirement_for

        retirement_for(birth="1980-03", sex="female", female_category="worker")
    except Exception:  # a failed warm-up only means a slower first answer
        logger.exception("warm-up failed")
    logger.info("actions warmed up in %.1f s", time.monotonic() - started)

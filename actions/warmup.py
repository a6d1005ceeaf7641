"""Load what the actions need once, when the action server starts (rasa_sdk_plugins/ calls warm_up() before the
server accepts requests), so the first person does not wait: the knowledge base (if built), the spaCy place matcher,
jieba, the rules-engine parameters, matplotlib and the charts' CJK font. Importing this module does none of it.
Set SUIXING_WARMUP=0 to skip."""
from __future__ import annotations

import logging
import os
import time

from actions import charts, settings
from actions.parsing import find_places
from rules_engine.api import retirement_for

logger = logging.getLogger(__name__)


def warm_up() -> bool:
    """Fill the caches; False when skipped (SUIXING_WARMUP=0). A failure is logged and only costs a slower first
    answer."""
    if os.environ.get("SUIXING_WARMUP", "1") == "0":
        return False
    started = time.monotonic()
    try:
        if settings.knowledge_db().exists():
            settings.knowledge_base()
        find_places("广东东莞")
        retirement_for(birth="1980-03", sex="female", female_category="worker")
    except Exception:  # a failed warm-up only means a slower first answer
        logger.exception("warm-up failed")
    charts.warm_up()
    logger.info("actions warmed up in %.1f s", time.monotonic() - started)
    return True

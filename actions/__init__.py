"""The Suixing action server (rasa-sdk): thin actions over `rules_engine` and `knowledge`; never imports rasa.

Run from the repository root:  PYTHONPATH=. .venv/app/bin/python -m rasa_sdk --actions actions --port 5055
Every action module is imported here so that the server registers all actions. Importing does no work: the caches
are warmed when the server starts (actions/warmup.py, called from rasa_sdk_plugins/).
"""
from actions import (  # noqa: F401  (imported for registration)
    checkup,
    fallback,
    feedback,
    handoff,
    injury,
    language,
    pension_place,
    retirement,
    switch_language,
    topics,
    unemployment,
)

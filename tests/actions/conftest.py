"""Fixtures for the action tests: the real knowledge base (built once into a temporary file) and per-test
directories for hand-over cases and feedback."""
from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def knowledge_db(tmp_path_factory) -> Path:
    """The real knowledge base, built from knowledge/content into a temporary file."""
    from knowledge.build import build

    path = tmp_path_factory.mktemp("kb") / "knowledge.db"
    build(db_path=path, progress=False)
    return path


@pytest.fixture(autouse=True)
def local_settings(monkeypatch, tmp_path, knowledge_db):
    """Every test uses the freshly built knowledge base and its own cases and feedback directories."""
    from actions import settings

    monkeypatch.setenv("KNOWLEDGE_DB", str(knowledge_db))
    monkeypatch.setenv("CASES_DIR", str(tmp_path / "cases"))
    monkeypatch.setenv("FEEDBACK_DB", str(tmp_path / "feedback.db"))
    yield
    settings._knowledge_base_at.cache_clear()

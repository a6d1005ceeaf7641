"""Shared fixtures for the knowledge tests.

`fixture_content` is a small, hand-written content tree (tests/knowledge/fixtures/); `real_db` is the REAL content
under knowledge/content built into a temporary database — if the real content does not build, every test that
uses it fails with the list of problems (nothing is skipped)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.build import BuildFailed, build

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
REPO = HERE.parent.parent
REAL_CONTENT = REPO / "knowledge" / "content"
REAL_SOURCES = REPO / "knowledge" / "sources.yml"


@pytest.fixture
def fixture_content(tmp_path: Path) -> Path:
    """A writable copy of the good fixture content plus its sources.yml; returns the content folder."""
    shutil.copytree(FIXTURES / "content", tmp_path / "content")
    shutil.copy(FIXTURES / "sources.yml", tmp_path / "sources.yml")
    return tmp_path / "content"


@pytest.fixture
def fixture_db(fixture_content: Path, tmp_path: Path) -> Path:
    db = tmp_path / "var" / "knowledge.db"
    build(fixture_content, db, progress=False)
    return db


@pytest.fixture
def fixture_kb(fixture_db: Path):
    kb = KnowledgeBase(fixture_db)
    yield kb
    kb.close()


@pytest.fixture(scope="session")
def real_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("real") / "knowledge.db"
    try:
        build(REAL_CONTENT, db, REAL_SOURCES, progress=False)
    except BuildFailed as exc:
        pytest.fail("the real content under knowledge/content does not build:\n"
                    + "\n".join(str(p) for p in exc.problems if p.level == "error"), pytrace=False)
    return db


@pytest.fixture(scope="session")
def real_kb(real_db: Path):
    kb = KnowledgeBase(real_db)
    yield kb
    kb.close()

"""The build writes every table, is atomic (a failed build keeps the old database) and idempotent."""
from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge import KnowledgeBase
from knowledge.build import BuildFailed, build

from .conftest import REPO

TABLES = ("entries", "steps", "sources", "entry_sources", "aliases", "statistics", "entries_fts", "meta",
          "head_terms", "term_df")


def _dump(db: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db)
    try:
        return {t: sorted(conn.execute(f"SELECT * FROM [{t}]").fetchall(), key=repr) for t in TABLES}
    finally:
        conn.close()


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_writes_all_tables(fixture_db):
    rows = _dump(fixture_db)
    assert {r[0] for r in rows["entries"]} == {
        "scheme-bpi-ue", "procedure-pension-transfer", "statistic-coverage", "contact-12333",
        "myth-cash-out-when-leaving", "faq-retirement-age"}
    assert len(rows["steps"]) == 2
    assert len(rows["sources"]) == 6
    assert len(rows["statistics"]) == 9          # 3 rows x 3 columns
    assert ("procedure-pension-transfer", "zh", "转社保", "转社保") in rows["aliases"]


def test_rebuild_is_idempotent(fixture_content, tmp_path):
    first, second = tmp_path / "a.db", tmp_path / "b.db"
    build(fixture_content, first, progress=False)
    build(fixture_content, second, progress=False)
    assert _dump(first) == _dump(second)
    build(fixture_content, first, progress=False)   # rebuilding over an existing base
    assert _dump(first) == _dump(second)


def test_failed_build_leaves_previous_database_untouched(fixture_content, fixture_db):
    before = _sha(fixture_db)
    bad = fixture_content / "faq" / "faq-broken.yml"
    bad.write_text("id: faq-broken\ntype: faq\ntitle: {zh: 坏, en: [broken}\n", encoding="utf-8")
    with pytest.raises(BuildFailed):
        build(fixture_content, fixture_db, progress=False)
    assert _sha(fixture_db) == before
    assert [p.name for p in fixture_db.parent.iterdir()] == [fixture_db.name], "no temporary files left behind"
    with KnowledgeBase(fixture_db) as kb:
        assert kb.get("faq-retirement-age") is not None


def test_crash_while_writing_leaves_previous_database_untouched(fixture_content, fixture_db, monkeypatch):
    before = _sha(fixture_db)
    import knowledge.build as build_module

    def explode(db):
        raise RuntimeError("disk full")
    monkeypatch.setattr(build_module, "finish_indexes", explode)
    with pytest.raises(RuntimeError):
        build(fixture_content, fixture_db, progress=False)
    assert _sha(fixture_db) == before
    assert [p.name for p in fixture_db.parent.iterdir()] == [fixture_db.name]


def test_open_knowledge_base_sees_a_rebuild(fixture_content, fixture_db):
    kb = KnowledgeBase(fixture_db)
    assert kb.get("faq-retirement-age", "en").title == "When can I retire?"
    path = fixture_content / "faq" / "faq-retirement-age.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("When can I retire?", "At what age do I retire?"),
                    encoding="utf-8")
    build(fixture_content, fixture_db, progress=False)
    assert kb.get("faq-retirement-age", "en").title == "At what age do I retire?"
    kb.close()


def test_cli_build_and_stats(fixture_content, tmp_path):
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    db = tmp_path / "out" / "knowledge.db"
    result = subprocess.run([sys.executable, "-m", "knowledge", "build", "--content", str(fixture_content),
                             "--db", str(db), "--quiet"], capture_output=True, text=True, env=env, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert "6 entries" in result.stdout and "6 个条目" in result.stdout
    stats = subprocess.run([sys.executable, "-m", "knowledge", "stats", "--db", str(db)],
                           capture_output=True, text=True, env=env, cwd=REPO)
    assert stats.returncode == 0
    assert "entries 6" in stats.stdout and "procedure 1" in stats.stdout


def test_missing_database_is_a_clear_bilingual_error(tmp_path):
    from knowledge import KnowledgeBaseMissing
    with pytest.raises(KnowledgeBaseMissing) as error:
        KnowledgeBase(tmp_path / "nope.db")
    assert "python -m knowledge build" in str(error.value) and "知识库" in str(error.value)
    result = subprocess.run([sys.executable, "-m", "knowledge", "search", "社保", "--db", str(tmp_path / "nope.db")],
                            capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)
    assert result.returncode == 2 and "Traceback" not in result.stderr

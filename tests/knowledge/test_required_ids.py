"""The entries the assistant relies on exist in the real content, and the list matches docs/CONTRACTS.md."""
from __future__ import annotations

import re

from knowledge.check import REQUIRED_IDS

from .conftest import REPO


def _contract_ids() -> list[str]:
    text = (REPO / "docs" / "CONTRACTS.md").read_text(encoding="utf-8")
    block = text.split("Entry ids the assistant relies on", 1)[1]
    block = block.split("\n\n", 1)[0].split(":", 1)[1]
    return re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)+", block)


def test_required_ids_equal_the_contract():
    assert sorted(REQUIRED_IDS) == sorted(_contract_ids())


def test_required_entries_exist_in_real_content(real_kb):
    missing = [entry_id for entry_id in REQUIRED_IDS if real_kb.get(entry_id) is None]
    assert missing == [], f"entries the assistant relies on are missing: {missing}"


def test_required_entries_are_complete_in_both_languages(real_kb):
    for entry_id in REQUIRED_IDS:
        for lang in ("zh", "en"):
            entry = real_kb.get(entry_id, lang)
            assert entry is not None, entry_id
            assert entry.title and entry.short and entry.body, (entry_id, lang)
            if entry.type not in ("contact", "glossary"):
                assert entry.citation.startswith("来源：" if lang == "zh" else "Source"), (entry_id, lang)
            if entry.type == "procedure":
                assert entry.steps and all(s.who and s.action and s.where for s in entry.steps), entry_id


def test_real_content_has_every_type_and_enough_entries(real_kb):
    stats = real_kb.stats()
    assert stats["tables"]["entries"] >= 120, stats["tables"]
    assert set(stats["by_type"]) == {"scheme", "right", "procedure", "consequence", "myth", "faq", "glossary",
                                     "statistic", "contact", "policy"}, stats["by_type"]


def test_real_content_passes_the_editorial_check():
    """Code health: every real file loads through the schema, cites registered sources, is translated, and every
    `related` id exists (a dangling one is only a warning for the build, but an error for the product)."""
    from knowledge.check import run_checks
    from .conftest import REAL_CONTENT, REAL_SOURCES
    report = run_checks(REAL_CONTENT, REAL_SOURCES)
    assert [str(p) for p in report.errors] == []
    assert [str(p) for p in report.warnings if p.field.startswith("related")] == []


def test_every_real_citation_reads_in_its_language(real_kb):
    """English citations contain no Chinese (an article the translator did not understand needs `article_en`),
    Chinese ones start with 来源：, and no citation shows a missing value."""
    import re
    for entry_id in real_kb.ids():
        zh, en = real_kb.citation(entry_id, "zh"), real_kb.citation(entry_id, "en")
        entry = real_kb.get(entry_id)
        if not entry.sources:
            assert zh == en == "", entry_id
            continue
        assert zh.startswith("来源：") and en.startswith("Source"), entry_id
        assert not re.search(r"[\u4e00-\u9fff]", en), (entry_id, en)
        assert "None" not in zh + en, entry_id

"""KnowledgeBase.search/get/citation behave as docs/CONTRACTS.md promises, on the fixture content."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from knowledge import Entry, Hit

from .conftest import REPO


def ids(hits):
    return [h.id for h in hits]


@pytest.mark.parametrize("query, expected", [
    ("社保", "scheme-bpi-ue"),
    ("退保", "myth-cash-out-when-leaving"),
    ("我想退保", "myth-cash-out-when-leaving"),
    ("换城市了社保咋办", "procedure-pension-transfer"),
    ("我几岁能退休", "faq-retirement-age"),
    ("transfer my pension", "procedure-pension-transfer"),
    ("RETIREMENT AGE", "faq-retirement-age"),
    ("社保电话多少", "contact-12333"),
])
def test_short_and_colloquial_queries_find_the_entry(fixture_kb, query, expected):
    assert ids(fixture_kb.search(query))[0] == expected


@pytest.mark.parametrize("query", [
    "", "   ", "？？！！", "😀😀😀", "<b></b>", "<script>alert('x')</script>", "\x00\x01", "AND OR NOT",
    '"unbalanced', "社保 OR", "NEAR(a b)", "*", "x" * 10000, "社" * 3000, None,
])
def test_odd_input_never_raises(fixture_kb, query):
    hits = fixture_kb.search(query)
    assert isinstance(hits, list)


def test_empty_query_has_no_results(fixture_kb):
    assert fixture_kb.search("") == []
    assert fixture_kb.search("   \n") == []
    assert fixture_kb.search("😀") == []


def test_html_emoji_and_full_width_are_ignored(fixture_kb):
    plain = ids(fixture_kb.search("退保"))
    assert ids(fixture_kb.search("<p>退保</p>😭😭！！")) == plain
    assert ids(fixture_kb.search("ＲＥＴＩＲＥＭＥＮＴ　ＡＧＥ"))[0] == "faq-retirement-age"


def test_typo_still_finds_via_other_words(fixture_kb):
    # "pention" is misspelt, "transfer" still carries the query
    assert "procedure-pension-transfer" in ids(fixture_kb.search("pention transfer"))


def test_type_filter_and_limit(fixture_kb):
    hits = fixture_kb.search("社保", type="procedure")
    assert hits and all(h.type == "procedure" for h in hits)
    assert len(fixture_kb.search("社保", limit=1)) == 1
    with pytest.raises(ValueError):
        fixture_kb.search("社保", type="nonsense")


def test_hits_are_in_the_requested_language(fixture_kb):
    zh = fixture_kb.search("转社保", lang="zh")[0]
    en = fixture_kb.search("转社保", lang="en")[0]
    assert isinstance(zh, Hit)
    assert zh.id == en.id == "procedure-pension-transfer"
    assert zh.title == "跨省转移养老保险" and en.title == "Transferring your pension between provinces"
    assert zh.citation.startswith("来源：") and en.citation.startswith("Sources: ")
    assert zh.score >= fixture_kb.search("转社保")[-1].score


def test_citation_format(fixture_kb):
    assert fixture_kb.citation("procedure-pension-transfer", "zh") == \
        "来源：国办发〔2009〕66号 第四条（2010-01-01起施行）；国家社会保险公共服务平台（si.12333.gov.cn）"
    assert fixture_kb.citation("procedure-pension-transfer", "en") == \
        "Sources: Guobanfa [2009] No. 66, art. 4 (in force 2010-01-01); " \
        "National Social Insurance Public Service Platform (si.12333.gov.cn)"
    assert fixture_kb.citation("scheme-bpi-ue", "zh") == "来源：《社会保险法》 第十条（2011-07-01起施行，2018-12-29修正）"
    assert fixture_kb.citation("scheme-bpi-ue", "en") == \
        "Source: Social Insurance Law, art. 10 (in force 2011-07-01, amended 2018-12-29)"
    assert fixture_kb.citation("contact-12333", "zh") == ""        # no sources
    assert fixture_kb.citation("does-not-exist", "en") == ""


def test_unverified_source_is_marked_in_the_citation(fixture_kb):
    assert "人社部发〔2025〕24号（2025-07-01起施行，待核实）" in fixture_kb.citation("myth-cash-out-when-leaving", "zh")
    assert "Renshebufa [2025] No. 24 (in force 2025-07-01, to be verified)" in \
        fixture_kb.citation("myth-cash-out-when-leaving", "en")


def test_get_returns_everything_in_one_language(fixture_kb):
    entry = fixture_kb.get("procedure-pension-transfer", "en")
    assert isinstance(entry, Entry)
    assert entry.title == "Transferring your pension between provinces"
    assert [s.who for s in entry.steps] == ["You or your new employer", "The new place's agency"]
    assert entry.steps[1].deadline == "within 15 working days" and entry.steps[1].documents is None
    assert entry.sources[0].citation == "Guobanfa [2009] No. 66, art. 4 (in force 2010-01-01)"
    assert entry.sources[0].article == "art. 4"
    assert entry.confidence == "verified" and entry.local_variation is False
    assert entry.related == ["scheme-bpi-ue"]
    zh = fixture_kb.get("procedure-pension-transfer", "zh")
    assert zh.steps[0].where == "国家社会保险公共服务平台“关系转移”" and zh.sources[0].article == "第四条"
    assert fixture_kb.get("nope") is None
    with pytest.raises(ValueError):
        fixture_kb.get("scheme-bpi-ue", "fr")


def test_get_statistic_table_in_language(fixture_kb):
    table = fixture_kb.get("statistic-coverage", "en").table
    assert [c["label"] for c in table["columns"]][0] == "Scheme"
    assert table["rows"][1] == {"scheme": "UI", "migrants": "48.97", "share": 17}
    assert table["year"] == 2017 and table["source_line"] == "Source: NBS (report Table 1)"
    assert fixture_kb.get("statistic-coverage", "zh").table["rows"][1]["scheme"] == "失业保险"


def test_local_variation_flag(fixture_kb):
    assert fixture_kb.get("contact-12333").local_variation is True


def _cli(*args, db):
    return subprocess.run([sys.executable, "-m", "knowledge", *args, "--db", str(db)], capture_output=True,
                          text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)


def test_cli_search_and_show(fixture_db):
    result = _cli("search", "转社保", "--lang", "en", "--json", db=fixture_db)
    assert result.returncode == 0
    hits = json.loads(result.stdout)
    assert hits[0]["id"] == "procedure-pension-transfer" and set(hits[0]) == {
        "id", "type", "title", "short", "score", "citation"}
    text = _cli("search", "转社保", db=fixture_db).stdout
    assert "跨省转移养老保险" in text and "来源：" in text
    nothing = _cli("search", "😀", db=fixture_db)
    assert nothing.returncode == 0 and "12333" in nothing.stdout
    shown = _cli("show", "procedure-pension-transfer", "--lang", "en", db=fixture_db)
    assert shown.returncode == 0 and "Steps:" in shown.stdout and "within 15 working days" in shown.stdout
    data = json.loads(_cli("show", "procedure-pension-transfer", "--json", db=fixture_db).stdout)
    assert data["steps"][0]["who"] == "本人或新单位"
    missing = _cli("show", "procedure-pension-transfr", db=fixture_db)
    assert missing.returncode == 1 and "procedure-pension-transfer" in missing.stderr


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=80), st.sampled_from(["zh", "en"]), st.sampled_from([None, "faq", "procedure"]))
def test_any_text_returns_a_list_of_hits(fixture_kb, query, lang, entry_type):
    hits = fixture_kb.search(query, lang=lang, type=entry_type, limit=3)
    assert isinstance(hits, list) and len(hits) <= 3
    assert all(entry_type is None or h.type == entry_type for h in hits)


def test_default_path_is_the_repository_var_folder():
    from knowledge.search import DEFAULT_DB
    assert DEFAULT_DB == REPO / "var" / "knowledge.db"


def test_large_base_pruning_still_finds_entries(fixture_kb, monkeypatch):
    """The large-base path (common words left out / ranked from aliases+titles) is exercised on the fixture by
    pretending it is large and every word common."""
    import knowledge.search as search_module
    monkeypatch.setattr(search_module, "PRUNE_FROM_ENTRIES", 1)
    monkeypatch.setattr(search_module, "COMMON_SHARE", 0.0)
    fixture_kb._count_stamp = None
    # every word is "common": ranked from head_terms (aliases + title)
    assert ids(fixture_kb.search("转社保"))[0] == "procedure-pension-transfer"
    assert ids(fixture_kb.search("退休年龄", type="faq")) == ["faq-retirement-age"]
    monkeypatch.setattr(search_module, "COMMON_SHARE", 0.5)   # 社保 is common (2 of 6), 退保 is rare
    fixture_kb._count_stamp = None
    assert ids(fixture_kb.search("社保退保"))[0] == "myth-cash-out-when-leaving"


@pytest.mark.parametrize("typed, meant", [
    ("社宝", "社保"), ("社保段了", "社保断了"), ("工商了怎么办", "工伤了怎么办"), ("失业今", "失业金"),
    ("工商局电话", "工商局电话"),   # the real 工商局 is left alone
])
def test_pinyin_homophone_typos_are_corrected(typed, meant):
    from knowledge.textproc import fix_typos
    assert fix_typos(typed) == meant


def test_typo_query_finds_the_same_entry(fixture_kb):
    assert ids(fixture_kb.search("社宝"))[0] == ids(fixture_kb.search("社保"))[0]


def test_one_knowledge_base_shared_by_threads(fixture_kb):
    """The action server shares one KnowledgeBase; concurrent calls must neither fail nor mix results."""
    from concurrent.futures import ThreadPoolExecutor
    queries = ["社保", "退保", "转社保", "retirement age", "社保电话多少"] * 20
    expected = {q: ids(fixture_kb.search(q)) for q in set(queries)}
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(lambda q: (q, ids(fixture_kb.search(q))), queries))
    assert all(found == expected[q] for q, found in results)

"""The accuracy corpus is complete and well formed: sizes per language, unique ids, every intent, every question the
bot asks and every knowledge topic workers ask about are covered, and every turn states what the reply must hold.
Also checks the harness's own judgement of a reply (offline: no server)."""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
import yaml

from tests.corpus.harness import ROOT, load_play_corpus

MINIMUM = {("single", "zh"): 300, ("single", "en"): 100, ("conversation", "zh"): 60, ("conversation", "en"): 20}
DOMAIN = ROOT / "bot/domain"


@pytest.fixture(scope="module")
def play_corpus():
    return load_play_corpus()


@pytest.fixture(scope="module")
def cases(play_corpus):
    return play_corpus.load_corpus()


def domain_responses() -> dict:
    responses = {}
    for path in sorted(DOMAIN.glob("*.yml")):
        responses.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {})
    return responses


def bot_questions() -> set[str]:
    """Responses that ask the user something: form questions, one-off follow-ups, re-asks with a question mark."""
    asking = set()
    for name, variants in domain_responses().items():
        chinese = next((v.get("text", "") for v in variants if not v.get("condition")), "")
        if name.startswith("utter_ask_") or "_ask_" in name or "need_" in name or "？" in chinese:
            asking.add(name)
    return asking


def test_corpus_is_big_enough_in_each_language(cases):
    counts = Counter((case.kind, case.lang) for case in cases)
    short = {key: (counts[key], need) for key, need in MINIMUM.items() if counts[key] < need}
    assert not short, f"(kind, lang): (have, need) {short}"


def test_case_ids_are_unique_and_languages_known(cases):
    duplicates = [i for i, n in Counter(c.id for c in cases).items() if n > 1]
    assert not duplicates, duplicates
    assert {c.lang for c in cases} <= {"zh", "en"}
    assert all(c.topic for c in cases), [c.id for c in cases if not c.topic]


def test_every_turn_says_what_the_reply_must_hold(cases):
    empty = [f"{c.id} turn {n}" for c in cases for n, t in enumerate(c.turns, 1) if not (t.must or t.cite)]
    assert not empty, empty


def test_every_intent_is_exercised(cases):
    intents = set(yaml.safe_load((DOMAIN / "intents.yml").read_text(encoding="utf-8"))["intents"])
    used = {t.intent for c in cases for t in c.turns} | {c.intent for c in cases}
    assert intents - used == set(), f"intents with no corpus case: {sorted(intents - used)}"


def test_every_question_the_bot_asks_has_answers_in_the_corpus(cases):
    answered = {t.answers for c in cases for t in c.turns if t.answers}
    missing = bot_questions() - answered
    assert not missing, f"bot questions no corpus turn answers (add a turn with answers: NAME): {sorted(missing)}"


def test_every_worker_topic_has_questions_in_both_languages(cases):
    by_topic = {}
    for case in cases:
        by_topic.setdefault(case.topic, set()).add(case.lang)
    core = ["cash_out", "cash_out_vs_suspend", "stop_paying", "transfer_pension", "transfer_time", "transfer_documents",
            "transfer_medical", "pension_place", "temporary_account", "retirement_age", "minimum_years",
            "pension_formula", "flexible_contribution", "medical_other_province", "medical_years_retirement",
            "residents_medical", "unemployment_duration", "unemployment_amount", "unemployment_rural", "work_injury",
            "maternity", "hukou", "check_record", "employer_no_insurance", "help_channels", "switch_residents",
            "scheme_info", "scheme_cost", "scheme_benefits", "checkup"]
    missing = {t: sorted({"zh", "en"} - by_topic.get(t, set())) for t in core if by_topic.get(t) != {"zh", "en"}}
    assert not missing, f"topics missing a language: {missing}"


def test_a_reply_is_judged_on_facts_language_source_and_breakage(play_corpus):
    turn = play_corpus.Turn(say="失业金能领多久", must=["12个月", "24个月"], must_not=["退保"], cite=True)
    good = "最长12个月、18个月或24个月。\n📖 来源：失业保险条例 第十七条"
    assert play_corpus.check_turn(turn, good, "zh") == []
    assert "missing /24个月/" in play_corpus.check_turn(turn, "最长12个月。来源：条例", "zh")
    assert "no source named" in play_corpus.check_turn(turn, "最长12个月、24个月", "zh")
    assert any("must not" in p for p in play_corpus.check_turn(turn, good + " 退保", "zh"))
    assert any("answered in zh" in p for p in play_corpus.check_turn(turn, good, "en"))
    assert any("broken" in p for p in play_corpus.check_turn(turn, good + " {months}", "zh"))
    assert play_corpus.check_turn(turn, "", "zh") == ["no reply"]


def test_an_english_reply_quoting_chinese_is_still_english(play_corpus):
    assert play_corpus.reply_language("OK, I'll answer in English from now on. (想用中文就说“说中文”。)") == "en"
    assert play_corpus.reply_language("可以在掌上12333 App或si.12333.gov.cn查询缴费记录") == "zh"


def test_buttons_are_part_of_what_the_user_sees(play_corpus):
    messages = [{"text": "点一个话题："}, {"text": "", "buttons": [{"title": "我哪年退休", "payload": "/ask"}]}]
    assert "我哪年退休" in play_corpus.reply_text(messages)


def test_accuracy_is_counted_per_kind_language_and_topic(play_corpus):
    result = play_corpus.CaseResult
    results = [result("a", "single", "zh", "cash_out", True, []), result("b", "single", "zh", "cash_out", False, []),
               result("c", "conversation", "en", "checkup", True, [])]
    summary = play_corpus.accuracy(results)
    assert summary["single"]["zh"] == {"passed": 1, "total": 2, "accuracy": 0.5}
    assert summary["conversation"]["en"]["accuracy"] == 1.0
    assert summary["topics"]["cash_out"]["single/zh"]["total"] == 2


def test_only_selects_by_field_and_substring(play_corpus, cases):
    english = play_corpus.select(cases, "lang:en,kind:conversation")
    assert english and all(c.lang == "en" and c.kind == "conversation" for c in english)
    either = play_corpus.select(cases, "zh-cash-001,en-cash-001")
    assert sorted(c.id for c in either) == ["en-cash-001", "zh-cash-001"]


def test_a_broken_corpus_file_is_reported_by_name(play_corpus, tmp_path: Path):
    (tmp_path / "bad.yml").write_text("lang: zh\ncases:\n- {id: x, topic: t, say: 你好, must: ['(']}\n",
                                      encoding="utf-8")
    with pytest.raises(play_corpus.CorpusError, match="bad.yml"):
        play_corpus.load_corpus(tmp_path)


def test_figures_render_as_markdown_tables_for_the_docs(play_corpus):
    result = play_corpus.CaseResult
    table = play_corpus.markdown([result("a", "single", "en", "cash_out", False, []),
                                  result("b", "single", "en", "cash_out", True, [])])
    assert "| single | en | 1 | 2 | 50.0% |" in table
    assert "| cash_out |  | 1/2 |  |  |" in table


def test_relative_years_in_expectations_follow_the_day_of_the_run(play_corpus):
    from datetime import date
    turn = play_corpus.Turn(say="去年开始在佛山", must=["{year-1}"], must_not=["{year+1}"])
    assert play_corpus.check_turn(turn, "佛山 2025-01 起", "zh", today=date(2026, 12, 4)) == []
    assert play_corpus.check_turn(turn, "佛山 2025-01 起", "zh", today=date(2027, 3, 1)) == ["missing /2026/"]

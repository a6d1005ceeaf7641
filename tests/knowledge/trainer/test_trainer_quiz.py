"""Quiz: answers correct per kind of entry (checked against the entries themselves), cited, reproducible by seed."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import asdict
from html.parser import HTMLParser

import pytest

from knowledge.trainer.cli import main
from knowledge.trainer.common import msg
from knowledge.trainer.quiz import KINDS, all_questions, make_quiz, to_html, to_json, to_text


@pytest.fixture(scope="module", params=["zh", "en"])
def questions(request, real_kb):
    return request.param, all_questions(real_kb, request.param, seed=5)


def test_every_kind_is_generated(questions):
    _, qs = questions
    counts = Counter(q.kind for q in qs)
    assert set(counts) == set(KINDS), counts


def test_shape_of_every_question(questions, real_kb):
    lang, qs = questions
    for q in qs:
        assert q.lang == lang
        assert 0 <= q.answer < len(q.options)
        assert len(set(q.options)) == len(q.options), q
        if q.style == "true_false":
            assert q.options == [msg("answer_true", lang), msg("answer_false", lang)]
        else:
            assert len(q.options) >= 3
        assert q.citation == (real_kb.citation(q.entry_id, lang) or msg("no_source", lang, id=q.entry_id))
        assert q.citation and q.explanation


def test_myths_are_false(questions, real_kb):
    lang, qs = questions
    myths = [q for q in qs if q.kind == "myth"]
    myth_ids = [i for i in real_kb.ids() if real_kb.get(i, lang).type == "myth"]
    assert sorted(q.entry_id for q in myths) == sorted(myth_ids)
    for q in myths:
        entry = real_kb.get(q.entry_id, lang)
        assert q.answer_text == msg("answer_false", lang)
        assert q.explanation == entry.short
        belief = entry.title.split(msg("myth_label", lang).strip(), 1)[-1].strip()
        assert belief[1:] in q.prompt


def test_abbreviation_answers_name_the_glossary_entry(questions, real_kb):
    lang, qs = questions
    for q in [q for q in qs if q.kind == "abbreviation"]:
        entry = real_kb.get(q.entry_id, lang)
        assert entry.type == "glossary" and q.key in entry.title and q.key in q.prompt
        assert q.answer_text in entry.title
        for i, wrong in enumerate(q.options):
            if i != q.answer:
                assert wrong not in entry.title
    scheme = [q for q in qs if q.kind == "abbreviation" and q.key == "BPI-UE"]
    assert scheme, "the report's abbreviation BPI-UE is asked"


def test_abbreviation_true_false_matches_the_title(questions, real_kb):
    lang, qs = questions
    tf = [q for q in qs if q.kind == "abbreviation_tf"]
    assert {q.answer for q in tf} == {0, 1}, "both true and false statements occur"
    for q in tf:
        title = real_kb.get(q.entry_id, lang).title
        # the statement quotes a name; it is true exactly when that name is the entry's own
        named = [n for n in _quoted(q.prompt) if n != q.key]
        assert len(named) == 1
        assert (q.answer == 0) == (named[0] in title), q.prompt


def _quoted(text):
    out, start = [], None
    for i, ch in enumerate(text):
        if ch == "“":
            start = i + 1
        elif ch == "”" and start is not None:
            out.append(text[start:i])
            start = None
    return out


def test_procedure_answers_are_the_steps(questions, real_kb):
    lang, qs = questions
    steps = [q for q in qs if q.kind in ("step_who", "step_deadline")]
    assert steps
    for q in steps:
        entry_id, n = q.key.split("#")
        step = real_kb.get(entry_id, lang).steps[int(n) - 1]
        right = step.who if q.kind == "step_who" else step.deadline
        assert q.answer_text == right
        assert step.action in q.prompt
        other_answers = [o for i, o in enumerate(q.options) if i != q.answer]
        assert right not in other_answers


def test_faq_answers_match_the_question(questions, real_kb):
    lang, qs = questions
    for q in [q for q in qs if q.kind == "faq"]:
        entry = real_kb.get(q.entry_id, lang)
        assert entry.type == "faq" and entry.short in q.prompt and q.answer_text == entry.title


def test_reproducible_by_seed(real_kb):
    first = [asdict(q) for q in make_quiz(real_kb, "zh", count=12, seed=42)]
    again = [asdict(q) for q in make_quiz(real_kb, "zh", count=12, seed=42)]
    other = [asdict(q) for q in make_quiz(real_kb, "zh", count=12, seed=43)]
    assert first == again
    assert first != other
    english = make_quiz(real_kb, "en", count=12, seed=42)
    assert [q["key"] for q in first] == [q.key for q in english]       # the same quiz in the other language
    assert [q["answer"] for q in first] == [q.answer for q in english]


def test_count_and_mix(real_kb):
    quiz = make_quiz(real_kb, "zh", count=12, seed=1)
    assert len(quiz) == 12
    assert len({q.kind for q in quiz}) >= 5
    assert len({(q.kind, q.key) for q in quiz}) == 12
    assert len(make_quiz(real_kb, "zh", count=3, seed=1)) == 3


def test_formats(real_kb, real_db, capsys, tmp_path):
    quiz = make_quiz(real_kb, "en", count=6, seed=9)
    data = json.loads(to_json(quiz, "en", 9))
    assert data["seed"] == 9 and len(data["questions"]) == 6
    assert all(item["answer_text"] == item["options"][item["answer"]] for item in data["questions"])
    text = to_text(quiz, "en", 9)
    for q in quiz:
        assert q.prompt.split("\n")[0] in text and q.citation in text
    html = to_html(quiz, "en", 9)

    class Tags(HTMLParser):
        tags = []

        def handle_starttag(self, tag, attrs):
            self.tags.append(tag)
    parser = Tags()
    parser.feed(html)
    assert "script" not in parser.tags and parser.tags.count("li") >= 6
    assert main(["quiz", "--db", str(real_db), "--count", "4", "--seed", "3", "--format", "json"]) == 0
    assert len(json.loads(capsys.readouterr().out)["questions"]) == 4
    out = tmp_path / "q.html"
    assert main(["quiz", "--db", str(real_db), "--lang", "zh", "--format", "html", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# -- the worker quiz: decisions, not acronyms (issue 9, finding 15) -------------------------------------------------
def test_worker_quiz_has_no_acronym_trivia(real_kb):
    for lang in ("zh", "en"):
        quiz = make_quiz(real_kb, lang, count=200, seed=2)
        assert quiz and not {q.kind for q in quiz} & {"abbreviation", "abbreviation_tf"}
        assert not any("BPI-" in q.prompt or "BMCI-" in q.prompt for q in quiz)
    policy = make_quiz(real_kb, "en", count=200, seed=2, audience="policy")
    assert {"abbreviation", "abbreviation_tf"} <= {q.kind for q in policy}
    with pytest.raises(ValueError):
        make_quiz(real_kb, "en", audience="everyone")


def test_worker_quiz_starts_with_decisions_and_has_at_least_40(real_kb):
    decisions = [q for q in all_questions(real_kb, "zh", seed=1) if q.kind == "decision"]
    assert len(decisions) >= 40 and len({q.key for q in decisions}) == len(decisions)
    assert make_quiz(real_kb, "zh", count=3, seed=1)[0].kind == "decision"


def test_decisions_cover_the_questions_workers_face():
    from knowledge.trainer.quiz import decision_items
    entries = {item["entry"] for item in decision_items()}
    for needed in ("myth-cash-out-when-leaving", "consequence-stop-paying", "faq-pension-paying-place",
                   "procedure-injury-recognition", "right-waiver-void"):
        assert needed in entries, needed


def test_decision_answers_are_backed_by_their_entry(real_kb):
    from knowledge.trainer.quiz import decision_items
    for item in decision_items():
        for lang in ("zh", "en"):
            entry = real_kb.get(item["entry"], lang)
            assert entry is not None, item["key"]
            assert item["evidence"][lang] in entry.short + "\n" + entry.body, (item["key"], lang)
            texts = [item["prompt"][lang], item["right"][lang], item["explanation"][lang]] + [w[lang] for w in item["wrong"]]
            assert all(t.strip() for t in texts) and len(item["wrong"]) == 3
            assert item["right"][lang] not in [w[lang] for w in item["wrong"]]
        assert item["prompt"]["zh"] != item["prompt"]["en"]


def test_decision_question_shape(real_kb):
    from knowledge.trainer.quiz import decision_items
    items = {i["key"]: i for i in decision_items()}
    for lang in ("zh", "en"):
        for q in [q for q in all_questions(real_kb, lang, seed=4) if q.kind == "decision"]:
            item = items[q.key]
            assert q.answer_text == item["right"][lang] and q.prompt == item["prompt"][lang]
            assert q.explanation == item["explanation"][lang] and q.citation == real_kb.citation(q.entry_id, lang)
    injury = next(q for q in all_questions(real_kb, "zh", seed=4) if q.key == "injury-30-days")
    assert injury.answer_text == "单位" and "30" in injury.prompt

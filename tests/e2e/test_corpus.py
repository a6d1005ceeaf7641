"""End to end: the answer-accuracy corpus (tests/corpus/) played against the running assistant over REST.

Fails when accuracy in a language falls below the floor kept in tests/corpus/thresholds.yml; the report printed on
failure lists every case that missed, with what was missing and what the bot said.
"""
from __future__ import annotations

import io

import pytest
import yaml

from tests.corpus.harness import ROOT, load_play_corpus

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

THRESHOLDS = ROOT / "tests/corpus/thresholds.yml"


@pytest.fixture(scope="module")
def corpus_results(stack):
    play_corpus = load_play_corpus()
    return play_corpus.play(stack.rasa_url, play_corpus.load_corpus(), workers=4)


def test_corpus_accuracy_stays_above_the_floors(corpus_results):
    play_corpus = load_play_corpus()
    floors = yaml.safe_load(THRESHOLDS.read_text(encoding="utf-8"))
    summary = play_corpus.accuracy(corpus_results)
    printed = io.StringIO()
    play_corpus.report(corpus_results, out=printed)
    below = [f"{kind} {lang}: {summary[kind][lang]['accuracy']:.1%} < floor {floor:.0%}"
             for kind, langs in floors.items() for lang, floor in langs.items()
             if summary.get(kind, {}).get(lang, {}).get("accuracy", 0.0) < floor]
    assert not below, "\n".join(below) + "\n\n" + printed.getvalue()

"""Checks on the NLU training data that Rasa only reports as warnings during training."""
import glob
from collections import defaultdict

import pytest

from rasa.shared.nlu.training_data.loading import load_data
from rasa.shared.nlu.training_data.message import Message

from bot.components.tokenizer import load_userdict, split_places

NLU_FILES = sorted(glob.glob("bot/data/nlu/*.yml"))


@pytest.fixture(scope="module")
def training_data():
    return load_data("bot/data/nlu")


@pytest.fixture(scope="module")
def tokenize():
    import jieba

    load_userdict("bot/jieba_userdict.txt")

    def _tokenize(text):
        spans = []
        for word, start, _ in jieba.tokenize(text):
            if word.strip():
                for part in split_places(word):
                    spans.append((start, start + len(part)))
                    start += len(part)
        return spans

    return _tokenize


@pytest.mark.parametrize("path", ["bot/data/nlu", "tests/nlu/heldout.yml"])
def test_every_annotated_entity_starts_and_ends_on_a_token_boundary(path, tokenize):
    """DIET can only learn (and be scored on) entities whose boundaries are token boundaries."""
    misaligned = []
    for example in load_data(path).entity_examples:
        spans = tokenize(example.get("text"))
        starts = {s for s, _ in spans}
        ends = {e for _, e in spans}
        for entity in example.get("entities", []):
            if entity["start"] not in starts or entity["end"] not in ends:
                misaligned.append((example.get("text"), entity["entity"], entity["value"]))
    assert not misaligned, "entity boundaries inside a jieba token: %s" % misaligned


def test_no_example_is_labelled_with_two_intents(training_data):
    intents_by_text = defaultdict(set)
    for example in training_data.intent_examples:
        intents_by_text[example.get("text").strip().lower()].add(example.get("intent"))
    duplicates = {t: i for t, i in intents_by_text.items() if len(i) > 1}
    assert not duplicates


def test_every_contract_intent_has_chinese_and_english_examples(training_data):
    import re

    by_intent = defaultdict(lambda: {"zh": 0, "en": 0})
    for example in training_data.intent_examples:
        lang = "zh" if re.search(r"[\u4e00-\u9fff]", example.get("text")) else "en"
        by_intent[example.get("intent")][lang] += 1
    thin = {i: c for i, c in by_intent.items() if c["zh"] < 8 or c["en"] < 5}
    assert not thin, f"intents with too few examples in one language: {thin}"


def test_heldout_examples_are_not_in_the_training_data(training_data):
    heldout = load_data("tests/nlu/heldout.yml")
    train_texts = {e.get("text").strip().lower() for e in training_data.intent_examples}
    leaked = [e.get("text") for e in heldout.intent_examples if e.get("text").strip().lower() in train_texts]
    assert not leaked, f"held-out examples also used for training: {leaked}"
    assert len(heldout.intent_examples) >= 200

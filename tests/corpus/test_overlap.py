"""The accuracy corpus stays independent of the NLU training data: no corpus message equals a training example after
normalisation, and none is a near copy (character 3-gram Jaccard similarity >= 0.8)."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml

from tests.corpus.harness import load_play_corpus

ROOT = Path(__file__).resolve().parents[2]
NLU_DIR = ROOT / "bot/data/nlu"
NEAR_COPY = 0.8
ANNOTATION = re.compile(r"\[([^\]]*)\](?:\{[^}]*\}|\([^)]*\))")      # [text]{"entity": ...} or [text](entity)


def normalise(text: str) -> str:
    """NFKC, lower case, no punctuation, symbols or spaces."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if not unicodedata.category(ch)[0] in "PZSC")


def trigrams(text: str) -> frozenset:
    return frozenset(text[i:i + 3] for i in range(len(text) - 2)) if len(text) >= 3 else frozenset([text])


def jaccard(a: frozenset, b: frozenset) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def training_examples() -> list[str]:
    examples = []
    for path in sorted(NLU_DIR.rglob("*.yml")):
        for block in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("nlu") or []:
            if "intent" in block:
                for line in str(block.get("examples") or "").splitlines():
                    line = line.strip()
                    if line.startswith("- "):
                        examples.append(ANNOTATION.sub(r"\1", line[2:]).strip())
    return examples


def corpus_messages() -> list[tuple[str, str]]:
    """(case id, message) for every typed message; intent payloads (/start_checkup) and button clicks are the bot's."""
    play_corpus = load_play_corpus()
    return [(case.id, turn.say) for case in play_corpus.load_corpus() for turn in case.turns
            if turn.say and not turn.say.startswith("/")]


def overlaps(messages: list[tuple[str, str]], examples: list[str]) -> list[str]:
    exact = {normalise(e): e for e in examples}
    grams = [(normalise(e), trigrams(normalise(e)), e) for e in examples]
    found = []
    for case_id, message in messages:
        key = normalise(message)
        if key in exact:
            found.append(f"{case_id}: {message!r} equals training example {exact[key]!r}")
            continue
        mine = trigrams(key)
        for other_key, other, example in grams:
            # Jaccard >= 0.8 is impossible when one set is more than 1.25 times the other
            if NEAR_COPY * len(other) <= len(mine) <= len(other) / NEAR_COPY and jaccard(mine, other) >= NEAR_COPY:
                found.append(f"{case_id}: {message!r} is a near copy of {example!r} ({jaccard(mine, other):.2f})")
                break
    return found


def test_the_checks_catch_a_copy_and_a_near_copy():
    examples = ["社保能退吗", "我在广东东莞交了八年多的社保现在想转到浙江去"]
    messages = [("copy", "社保，能退吗？"), ("near", "我在广东东莞交了八年多的社保现在想转到浙江"),
                ("own", "俺在东莞干了八年 社保咋弄去宁波")]
    found = overlaps(messages, examples)
    assert [line.split(":")[0] for line in found] == ["copy", "near"], found


def test_training_data_is_read():
    examples = training_examples()
    assert len(examples) > 200, "the NLU files were not read: " + str(examples[:5])
    assert not any("{" in e or "](" in e for e in examples), "entity annotations are stripped"


def test_no_corpus_message_equals_or_nearly_copies_a_training_example():
    found = overlaps(corpus_messages(), training_examples())
    if found:
        pytest.fail(f"{len(found)} corpus messages overlap the NLU training data (reword them):\n" + "\n".join(found))

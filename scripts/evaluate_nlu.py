#!/usr/bin/env python
"""Evaluate the trained NLU model on the held-out file and print F1 per language.

Usage (from the repository root, in .venv/rasa):
    PYTHONPATH=. .venv/rasa/bin/python scripts/evaluate_nlu.py
    PYTHONPATH=. .venv/rasa/bin/python scripts/evaluate_nlu.py --model models/suixing.tar.gz \
        --data tests/nlu/heldout.yml --report results/nlu_eval.json --min-intent-f1 0.8

The held-out file is never used for training (tests/bot/test_nlu_data.py checks it).
Intent F1 is the support-weighted F1 over intents (a prediction of `nlu_fallback` counts
as wrong); entity F1 is micro F1 over entities matched on type, start and end.
"""
import argparse
import asyncio
import json
import logging
import os
import re
import sys
from collections import defaultdict

os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

CJK = re.compile(r"[\u4e00-\u9fff]")


def language_of(text):
    return "zh" if CJK.search(text) else "en"


def intent_f1(pairs):
    """Support-weighted F1 over gold intents, like Rasa's intent report."""
    from sklearn.metrics import f1_score, accuracy_score

    if not pairs:
        return {"f1": None, "accuracy": None, "n": 0}
    gold = [g for g, _ in pairs]
    pred = [p for _, p in pairs]
    return {
        "f1": round(f1_score(gold, pred, average="weighted", labels=sorted(set(gold)), zero_division=0), 4),
        "accuracy": round(accuracy_score(gold, pred), 4),
        "n": len(pairs),
    }


def entity_f1(items):
    tp = fp = fn = 0
    value_ok = 0
    for gold, pred in items:
        gold_keys = {(e["entity"], e["start"], e["end"]): e for e in gold}
        pred_keys = {(e["entity"], e["start"], e["end"]): e for e in pred}
        matched = gold_keys.keys() & pred_keys.keys()
        tp += len(matched)
        fp += len(pred_keys.keys() - gold_keys.keys())
        fn += len(gold_keys.keys() - pred_keys.keys())
        value_ok += sum(1 for k in matched if str(gold_keys[k]["value"]).lower() == str(pred_keys[k]["value"]).lower())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "f1": round(f1, 4), "precision": round(precision, 4), "recall": round(recall, 4),
        "gold_entities": tp + fn, "value_accuracy_on_matches": round(value_ok / tp, 4) if tp else None,
    }


async def predict(model_path, examples):
    from rasa.core.agent import Agent
    from tqdm import tqdm

    agent = Agent.load(model_path)
    results = []
    for example in tqdm(examples, desc="NLU held-out", unit="msg"):
        parsed = await agent.parse_message(example.get("text"))
        results.append(parsed)
    return results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="models/suixing.tar.gz")
    parser.add_argument("--data", default="tests/nlu/heldout.yml")
    parser.add_argument("--report", default="results/nlu_eval.json", help="JSON report with every error")
    parser.add_argument("--min-intent-f1", type=float, default=None, help="exit 1 if overall intent F1 is lower")
    args = parser.parse_args(argv)

    logging.basicConfig(level=logging.ERROR)
    for noisy in ("rasa", "tensorflow", "absl", "jieba"):
        logging.getLogger(noisy).setLevel(logging.ERROR)

    if not os.path.isfile(args.model):
        print(f"Model not found: {args.model} — train first / 找不到模型，请先训练：\n"
              "  PYTHONPATH=. .venv/rasa/bin/rasa train --config config.yml --domain bot/domain "
              "--data bot/data --out models --fixed-model-name suixing", file=sys.stderr)
        return 2

    from rasa.shared.nlu.training_data.loading import load_data

    examples = load_data(args.data).intent_examples
    predictions = asyncio.run(predict(args.model, examples))

    by_lang_intents = defaultdict(list)
    by_lang_entities = defaultdict(list)
    errors = []
    for example, parsed in zip(examples, predictions):
        text = example.get("text")
        lang = language_of(text)
        gold_intent = example.get("intent")
        pred_intent = (parsed.get("intent") or {}).get("name")
        gold_entities = example.get("entities") or []
        pred_entities = [e for e in parsed.get("entities") or [] if e.get("extractor") != "RegexEntityExtractor"]
        for key in (lang, "all"):
            by_lang_intents[key].append((gold_intent, pred_intent))
            by_lang_entities[key].append((gold_entities, pred_entities))
        if gold_intent != pred_intent:
            errors.append({"text": text, "gold": gold_intent, "predicted": pred_intent,
                           "confidence": round((parsed.get("intent") or {}).get("confidence") or 0, 3)})

    report = {}
    print()
    print(f"{'':6} {'n':>5} {'intent F1':>10} {'intent acc':>11} {'entity F1':>10} {'entity P':>9} {'entity R':>9}")
    for lang in ("zh", "en", "all"):
        i = intent_f1(by_lang_intents[lang])
        e = entity_f1(by_lang_entities[lang])
        report[lang] = {"intent": i, "entity": e}
        if i["n"]:
            print(f"{lang:6} {i['n']:>5} {i['f1']:>10.3f} {i['accuracy']:>11.3f} {e['f1']:>10.3f} "
                  f"{e['precision']:>9.3f} {e['recall']:>9.3f}")
    fallback = sum(1 for _, p in by_lang_intents["all"] if p == "nlu_fallback")
    print(f"\nnlu_fallback predicted for {fallback} of {len(examples)} held-out messages")
    print(f"{len(errors)} intent errors (first 15):")
    for err in errors[:15]:
        print(f"  {err['text']!r}: {err['gold']} -> {err['predicted']} ({err['confidence']})")

    report["errors"] = errors
    if args.report:
        os.makedirs(os.path.dirname(args.report) or ".", exist_ok=True)
        with open(args.report, "w", encoding="utf-8") as f:
            json.dump(report, f, ensure_ascii=False, indent=2)
        print(f"\nfull report: {args.report}")

    if args.min_intent_f1 is not None and report["all"]["intent"]["f1"] < args.min_intent_f1:
        print(f"intent F1 {report['all']['intent']['f1']} < {args.min_intent_f1}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

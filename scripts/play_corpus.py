"""Plays the answer-accuracy corpus (tests/corpus/) against a running assistant over the REST channel.

Each single question and each conversation gets a fresh sender id. A turn passes when the bot's reply contains every
`must` regex, none of the `must_not` regexes, and is in the case's language. A conversation passes when all its turns
pass. Prints accuracy per kind, language and topic, then every failure with what was missing.

    .venv/app/bin/python scripts/play_corpus.py --url http://localhost:5005
    .venv/app/bin/python scripts/play_corpus.py --only unemployment --json var/corpus-result.json
    .venv/app/bin/python scripts/play_corpus.py --only lang:en,kind:conversation --markdown /tmp/figures.md
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPUS_DIR = ROOT / "tests/corpus"
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]")
CITATION = r"来源|依据|Source|Basis"
BROKEN = r"Traceback|Exception|\{[a-z_]+\}"      # a crash or an unfilled template placeholder


@dataclass
class Turn:
    say: str | None = None          # what the user types
    click: str | None = None        # or: a regex on a button title of the previous reply; its payload is sent
    must: list[str] = field(default_factory=list)
    must_not: list[str] = field(default_factory=list)
    cite: bool = False              # the reply names its source
    answers: str | None = None      # the bot question (response name) this turn answers, for coverage
    intent: str | None = None       # the intent this turn exercises, for coverage
    lang: str | None = None         # the reply's language when it differs from the case's (after a language switch)


@dataclass
class Case:
    id: str
    kind: str                       # single | conversation
    lang: str                       # zh | en
    topic: str
    turns: list[Turn]
    intent: str | None = None
    note: str = ""


@dataclass
class TurnResult:
    sent: str
    reply: str
    problems: list[str]


@dataclass
class CaseResult:
    id: str
    kind: str
    lang: str
    topic: str
    passed: bool
    turns: list[TurnResult]


class CorpusError(ValueError):
    """A corpus file that cannot be read: names the file and the case."""


def _turn(raw: dict, where: str) -> Turn:
    if not isinstance(raw, dict) or not (raw.get("say") or raw.get("click")):
        raise CorpusError(f"{where}: a turn needs `say` or `click` / 每一轮要有 say 或 click")
    turn = Turn(say=None if raw.get("say") is None else str(raw["say"]),   # a bare 7000 is typed text
                click=raw.get("click"), must=list(raw.get("must") or []),
                must_not=list(raw.get("must_not") or []), cite=bool(raw.get("cite", False)),
                answers=raw.get("answers"), intent=raw.get("intent"), lang=raw.get("lang"))
    for pattern in turn.must + turn.must_not + ([turn.click] if turn.click else []):
        try:
            re.compile(pattern)
        except re.error as error:
            raise CorpusError(f"{where}: bad regex {pattern!r}: {error} / 正则写错了") from error
    return turn


def load_file(path: Path) -> list[Case]:
    """One corpus file: `lang`, `kind` and optional `topic` defaults, then `cases`."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise CorpusError(f"{path.name}: not valid YAML / YAML 格式错误: {error}") from error
    cases = []
    for index, raw in enumerate(data.get("cases") or []):
        where = f"{path.name} case {index + 1} ({raw.get('id', '?')})"
        kind = raw.get("kind", data.get("kind", "single"))
        if kind == "single":
            turns = [_turn(raw, where)]
        else:
            turns = [_turn(t, f"{where} turn {n + 1}") for n, t in enumerate(raw.get("turns") or [])]
        if not turns:
            raise CorpusError(f"{where}: no turns / 没有对话轮次")
        try:
            cases.append(Case(id=raw["id"], kind=kind, lang=raw.get("lang", data.get("lang")),
                              topic=raw.get("topic", data.get("topic")), turns=turns, intent=raw.get("intent"),
                              note=raw.get("note", "")))
        except KeyError as error:
            raise CorpusError(f"{where}: missing {error} / 缺少字段") from error
    return cases


def load_corpus(directory: Path = CORPUS_DIR) -> list[Case]:
    cases = []
    for path in sorted(directory.rglob("*.yml")):
        if path.name != "thresholds.yml":
            cases.extend(load_file(path))
    return cases


def select(cases: list[Case], only: str | None) -> list[Case]:
    """`--only`, comma-separated: lang:en, kind:conversation, topic:NAME (all must hold) and substrings of the id
    or topic (any may match)."""
    if not only:
        return cases
    fields, substrings = [], []
    for term in only.split(","):
        key, _, value = term.partition(":")
        (fields if value and key in ("lang", "kind", "topic") else substrings).append((key, value or term))
    chosen = [c for c in cases if all(getattr(c, key) == value for key, value in fields)]
    if substrings:
        chosen = [c for c in chosen if any(text in c.id or text in c.topic for _, text in substrings)]
    return chosen


def reply_language(text: str) -> str:
    """zh when Chinese characters carry most of the text (one character weighs about three Latin letters), so an
    English reply quoting a Chinese document name or a "说中文" hint still counts as English."""
    return "zh" if len(CJK.findall(text)) * 3 > len(LATIN.findall(text)) else "en"


def reply_text(messages: list[dict]) -> str:
    """What the user sees: every text, and the titles of the buttons under it."""
    lines = []
    for message in messages:
        lines.append(message.get("text") or "")
        titles = [b.get("title", "") for b in message.get("buttons") or []]
        if titles:
            lines.append("[" + " | ".join(titles) + "]")
    return "\n".join(lines).strip()


def with_dates(pattern: str, today: date | None = None) -> str:
    """Fills {year}, {year-1}, {year-2}, {year+1} so that "去年" or "三天前" keep their meaning on any day."""
    year = (today or date.today()).year
    for token, value in (("{year-2}", year - 2), ("{year-1}", year - 1), ("{year+1}", year + 1), ("{year}", year)):
        pattern = pattern.replace(token, str(value))
    return pattern


def check_turn(turn: Turn, text: str, lang: str, today: date | None = None) -> list[str]:
    """What is wrong with this reply to this turn, in words; empty when it passes."""
    if not text:
        return ["no reply"]
    turn = replace(turn, must=[with_dates(p, today) for p in turn.must],
                   must_not=[with_dates(p, today) for p in turn.must_not])
    problems = [f"missing /{p}/" for p in turn.must if not re.search(p, text, re.IGNORECASE)]
    problems += [f"must not say /{p}/" for p in turn.must_not if re.search(p, text, re.IGNORECASE)]
    if turn.cite and not re.search(CITATION, text, re.IGNORECASE):
        problems.append("no source named")
    if re.search(BROKEN, text):
        problems.append("broken reply (traceback or unfilled placeholder)")
    if reply_language(text) != lang:
        problems.append(f"answered in {reply_language(text)}, asked in {lang}")
    return problems


def _button_payload(messages: list[dict], title_pattern: str) -> str | None:
    for message in messages:
        for button in message.get("buttons") or []:
            if re.search(title_pattern, button.get("title", ""), re.IGNORECASE):
                return button.get("payload")
    return None


def play_case(url: str, case: Case, timeout: float = 60) -> CaseResult:
    sender = f"corpus-{case.id}-{uuid.uuid4().hex[:8]}"
    previous: list[dict] = []
    results = []
    for turn in case.turns:
        sent = turn.say
        if turn.click:
            sent = _button_payload(previous, turn.click)
            if sent is None:
                results.append(TurnResult(f"[button /{turn.click}/]", reply_text(previous), ["no such button"]))
                break
        try:
            response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": sent},
                                     timeout=timeout)
            response.raise_for_status()
            previous = response.json()
        except (requests.RequestException, ValueError) as error:
            results.append(TurnResult(sent, "", [f"request failed: {error}"]))
            break
        text = reply_text(previous)
        results.append(TurnResult(sent, text, check_turn(turn, text, turn.lang or case.lang)))
    passed = len(results) == len(case.turns) and not any(r.problems for r in results)
    return CaseResult(case.id, case.kind, case.lang, case.topic, passed, results)


def play(url: str, cases: list[Case], workers: int = 4) -> list[CaseResult]:
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        return list(pool.map(lambda case: play_case(url, case), cases))


def accuracy(results: list[CaseResult]) -> dict:
    """{"single": {"zh": {"passed", "total", "accuracy"}, ...}, "conversation": ..., "topics": {...}}."""
    def bucket():
        return {"passed": 0, "total": 0}
    by_lang: dict = defaultdict(lambda: defaultdict(bucket))
    by_topic: dict = defaultdict(lambda: defaultdict(bucket))
    for result in results:
        for table, key in ((by_lang[result.kind], result.lang), (by_topic[result.topic], f"{result.kind}/{result.lang}")):
            table[key]["total"] += 1
            table[key]["passed"] += int(result.passed)
    def finish(table):
        return {k: {**v, "accuracy": round(v["passed"] / v["total"], 3)} for k, v in sorted(table.items())}
    summary = {kind: finish(langs) for kind, langs in by_lang.items()}
    summary["topics"] = {topic: finish(groups) for topic, groups in sorted(by_topic.items())}
    return summary


def report(results: list[CaseResult], out=sys.stdout) -> None:
    summary = accuracy(results)
    print("== accuracy ==", file=out)
    for kind in ("single", "conversation"):
        for lang, figures in summary.get(kind, {}).items():
            print(f"{kind:13} {lang}: {figures['passed']:4}/{figures['total']:<4} {figures['accuracy']:.1%}", file=out)
    print("== per topic ==", file=out)
    for topic, groups in summary["topics"].items():
        cells = "  ".join(f"{k} {v['passed']}/{v['total']}" for k, v in groups.items())
        print(f"{topic:28} {cells}", file=out)
    failures = [r for r in results if not r.passed]
    print(f"== failures ({len(failures)}) ==", file=out)
    for result in failures:
        print(f"--- {result.id} [{result.kind} {result.lang} {result.topic}]", file=out)
        for number, turn in enumerate(result.turns, 1):
            mark = "FAIL" if turn.problems else "ok"
            print(f"  {number}. {mark} > {turn.sent}", file=out)
            if turn.problems:
                print(f"     {'; '.join(turn.problems)}", file=out)
                print("     < " + turn.reply[:300].replace("\n", " / "), file=out)


def markdown(results: list[CaseResult]) -> str:
    """The figures as Markdown tables (per kind and language, then per topic), for docs/accuracy.md."""
    summary = accuracy(results)
    lines = ["| kind | language | passed | total | accuracy |", "|---|---|---:|---:|---:|"]
    for kind in ("single", "conversation"):
        for lang, f in summary.get(kind, {}).items():
            lines.append(f"| {kind} | {lang} | {f['passed']} | {f['total']} | {f['accuracy']:.1%} |")
    columns = ["single/zh", "single/en", "conversation/zh", "conversation/en"]
    lines += ["", "| topic | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for topic, groups in summary["topics"].items():
        cells = [f"{groups[c]['passed']}/{groups[c]['total']}" if c in groups else "" for c in columns]
        lines.append(f"| {topic} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Play the answer-accuracy corpus against a running assistant "
                                                 "(example: --url http://localhost:5005 --only lang:en)")
    parser.add_argument("--url", default="http://localhost:5005", help="Rasa's base URL (REST channel)")
    parser.add_argument("--only", help="lang:zh|en, kind:single|conversation, topic:NAME, or a substring of id/topic")
    parser.add_argument("--json", dest="json_out", type=Path, help="write every result and the summary as JSON here")
    parser.add_argument("--markdown", type=Path, help="write the figures as Markdown tables here (for docs)")
    parser.add_argument("--workers", type=int, default=4, help="cases played at once (default 4)")
    parser.add_argument("--corpus", type=Path, default=CORPUS_DIR, help="corpus directory (default tests/corpus)")
    args = parser.parse_args(argv)
    try:
        cases = select(load_corpus(args.corpus), args.only)
    except CorpusError as error:
        print(error, file=sys.stderr)
        return 2
    if not cases:
        print(f"No case matches --only {args.only!r} / 没有符合条件的用例", file=sys.stderr)
        return 2
    results = play(args.url.rstrip("/"), cases, args.workers)
    report(results)
    if args.json_out:
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps({"summary": accuracy(results), "results": [asdict(r) for r in results]},
                                            ensure_ascii=False, indent=1), encoding="utf-8")
    if args.markdown:
        args.markdown.write_text(markdown(results), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Quizzes generated from the knowledge base, reproducible by seed.

Kinds of question (each answer cites the entry it came from):
- ``decision``: hand-written situations a worker faces (decisions.yml: cash out when leaving? where is my pension
  paid if ...? what to do within 30 days of an injury? can the boss pay me instead of insuring me?), each tied to the
  entry that answers it; the right option and three wrong ones, shuffled by the seed.
- ``myth``: every myth entry -> "true or false?" on the belief (its title without the "Myth:" label); the answer is
  always "false" (that is what a myth entry is), explained by the entry's short answer.
- ``abbreviation`` / ``abbreviation_tf``: glossary entries whose titles in both languages start with the same
  abbreviation (BPI-UE, UI, MoHRSS ...) -> "what does X stand for?" (the other abbreviations' names are the wrong
  options) and "true or false: X stands for Y" (Y right or wrong, chosen by the seed).
- ``step_who`` / ``step_deadline``: procedure steps -> who does this step / what is its time limit; wrong options are
  other steps' answers that share no words (who) or no numbers (deadline) with the right one, so no wrong option
  is half right.
- ``faq``: an FAQ's short answer -> which question does it answer (the other FAQs' questions are the wrong options).

Audiences: the ``worker`` quiz (default) has no acronym trivia — decisions, myths, procedure steps and FAQs; the
``policy`` quiz (staff, officials, researchers reading the ILO/IOM report) adds the report's abbreviations.

    from knowledge.trainer.quiz import make_quiz
    questions = make_quiz(kb, lang="zh", count=10, seed=1)                 # worker
    questions = make_quiz(kb, lang="en", count=10, seed=1, audience="policy")
"""
from __future__ import annotations

import json
import random
import re
from dataclasses import asdict, dataclass
from html import escape
from typing import Optional

from knowledge.schema import SCHEMES
from knowledge.search import Entry, KnowledgeBase

from .common import TrainerError, check_lang, entries_of_type, load_yaml, msg

KINDS = ("decision", "myth", "abbreviation", "abbreviation_tf", "step_who", "step_deadline", "faq")
AUDIENCES = {
    "worker": ("decision", "myth", "step_who", "step_deadline", "faq"),
    "policy": KINDS,
}
ABBREVIATION = re.compile(r"^([A-Za-z][A-Za-z-]*[A-Z][A-Za-z-]*)\s*(?:[—–-]\s*)?(.+)$")
OPTION_LETTERS = "ABCDEFGH"
DISTRACTORS = 3


@dataclass
class Question:
    kind: str
    style: str              # true_false | multiple_choice
    entry_id: str
    lang: str
    prompt: str
    options: list[str]
    answer: int             # index of the right option
    explanation: str
    citation: str
    key: str = ""           # what the question is about (abbreviation, procedure#step), language-independent

    @property
    def answer_text(self) -> str:
        return self.options[self.answer]


# -- building blocks ----------------------------------------------------------------------------------------
def _citation(entry: Entry) -> str:
    return entry.citation or msg("no_source", entry.lang, id=entry.id)


def _true_false(lang: str) -> list[str]:
    return [msg("answer_true", lang), msg("answer_false", lang)]


def _strip_myth_label(title: str, lang: str) -> str:
    label = msg("myth_label", lang)
    statement = title[len(label):].strip() if title.startswith(label) else title
    return statement[:1].upper() + statement[1:]


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if not c.isspace()]
    return {a + b for a, b in zip(chars, chars[1:])}


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", text.lower()) if len(w) > 3}


def _numbers(text: str) -> set[str]:
    return set(re.findall(r"\d+", text or ""))


def split_abbreviation(title: str) -> Optional[tuple[str, str]]:
    """("BPI-UE", "城镇职工基本养老保险") from "BPI-UE 城镇职工基本养老保险"; None if the title has no leading
    abbreviation (at least two capitals)."""
    match = ABBREVIATION.match(title.strip())
    if not match:
        return None
    abbr, name = match.group(1), match.group(2).strip()
    if sum(c.isupper() for c in abbr) < 2 or not name:
        return None
    return abbr, name


def abbreviations(kb: KnowledgeBase) -> list[dict]:
    """[{abbr, id, zh, en, scheme}] from glossary entries whose zh and en titles start with the same abbreviation."""
    found = []
    for zh in entries_of_type(kb, "glossary", "zh"):
        en = kb.get(zh.id, "en")
        a, b = split_abbreviation(zh.title), split_abbreviation(en.title)
        if a and b and a[0] == b[0]:
            found.append({"abbr": a[0], "id": zh.id, "zh": a[1], "en": b[1], "scheme": a[0] in SCHEMES})
    return found


# -- generators: each returns candidates in a fixed order; the seed picks and shuffles -----------------------
def _shuffled_options(rng: random.Random, right: str, wrong: list[str]) -> tuple[list[str], int]:
    options = [right] + wrong
    rng.shuffle(options)
    return options, options.index(right)


def _step_line(step, lang: str) -> str:
    """"who: action (where, deadline)" — the whole step as the explanation of a step question."""
    extra = msg("sep_list", lang).join(x for x in (step.where, step.deadline) if x)
    return f"{step.who}{msg('sep_field', lang)}{step.action}" + (f" ({extra})" if extra else "")


def _pick_disjoint(rng: random.Random, pool: dict[str, str], conflict) -> list[str]:
    """Up to DISTRACTORS keys of `pool`, chosen by the seed, no two of which conflict."""
    chosen: list[str] = []
    for candidate in rng.sample(sorted(pool), len(pool)):
        if all(not conflict(candidate, c) for c in chosen):
            chosen.append(candidate)
        if len(chosen) == DISTRACTORS:
            break
    return chosen


def myth_questions(kb: KnowledgeBase, lang: str, rng: random.Random) -> list[Question]:
    out = []
    for entry in entries_of_type(kb, "myth", lang):
        statement = _strip_myth_label(entry.title, lang)
        out.append(Question("myth", "true_false", entry.id, lang, msg("tf_prompt", lang, statement=statement),
                            _true_false(lang), 1, entry.short, _citation(entry), key=entry.id))
    return out


def decision_items() -> list[dict]:
    """The hand-written decision items (decisions.yml), in file order."""
    return load_yaml("decisions.yml") or []


def decision_questions(kb: KnowledgeBase, lang: str, rng: random.Random) -> list[Question]:
    out = []
    for item in decision_items():
        entry = kb.get(item["entry"], lang)
        if entry is None:   # the content lost the entry that answers this item: say so, never ask it uncited
            raise TrainerError(both_missing(item))
        options, answer = _shuffled_options(rng, item["right"][lang], [w[lang] for w in item["wrong"]])
        out.append(Question("decision", "multiple_choice", entry.id, lang, item["prompt"][lang], options, answer,
                            item["explanation"][lang], _citation(entry), key=item["key"]))
    return out


def both_missing(item: dict) -> str:
    return (f"{msg('decision_entry_missing', 'zh', key=item['key'], id=item['entry'])} / "
            f"{msg('decision_entry_missing', 'en', key=item['key'], id=item['entry'])}")


def abbreviation_questions(kb: KnowledgeBase, lang: str, rng: random.Random) -> list[Question]:
    items = abbreviations(kb)
    out = []
    for item in items:
        pool = [o for o in items if o["abbr"] != item["abbr"] and o[lang] != item[lang]]
        same_kind = [o for o in pool if o["scheme"] == item["scheme"]]
        pool = same_kind if len(same_kind) >= DISTRACTORS else pool
        if len(pool) < 2:
            continue
        wrong = [o[lang] for o in rng.sample(pool, min(DISTRACTORS, len(pool)))]
        options, answer = _shuffled_options(rng, item[lang], wrong)
        entry = kb.get(item["id"], lang)
        out.append(Question("abbreviation", "multiple_choice", item["id"], lang,
                            msg("abbr_mc_prompt", lang, abbr=item["abbr"]), options, answer, entry.short,
                            _citation(entry), key=item["abbr"]))
        named = item if rng.random() < 0.5 else rng.choice(pool)
        statement = msg("abbr_tf_statement", lang, abbr=item["abbr"], name=named[lang])
        out.append(Question("abbreviation_tf", "true_false", item["id"], lang,
                            msg("tf_prompt", lang, statement=statement), _true_false(lang),
                            0 if named is item else 1, entry.short, _citation(entry), key=item["abbr"]))
    return out


def _procedure_steps(kb: KnowledgeBase) -> list[tuple[Entry, Entry, int]]:
    """(zh entry, en entry, step index) for every procedure step."""
    out = []
    for zh in entries_of_type(kb, "procedure", "zh"):
        en = kb.get(zh.id, "en")
        for index in range(len(zh.steps)):
            out.append((zh, en, index))
    return out


def step_questions(kb: KnowledgeBase, lang: str, rng: random.Random) -> list[Question]:
    steps = _procedure_steps(kb)
    out = []
    for zh, en, index in steps:
        entry = zh if lang == "zh" else en
        step = entry.steps[index]
        # who does it: wrong options share no words (en) and no character pairs (zh) with the right one
        right_zh, right_en = zh.steps[index].who, en.steps[index].who
        pool: dict[str, str] = {}
        for ozh, oen, oi in steps:
            wzh, wen = ozh.steps[oi].who, oen.steps[oi].who
            if _bigrams(wzh) & _bigrams(right_zh) or _words(wen) & _words(right_en):
                continue
            pool.setdefault(wzh, wen)
        picks = _pick_disjoint(rng, pool, lambda a, b: bool(_bigrams(a) & _bigrams(b)
                                                            or _words(pool[a]) & _words(pool[b])))
        if len(picks) >= 2:
            wrong = [p if lang == "zh" else pool[p] for p in picks]
            options, answer = _shuffled_options(rng, step.who, wrong)
            out.append(Question("step_who", "multiple_choice", entry.id, lang,
                                msg("step_who_prompt", lang, procedure=entry.title, n=index + 1, action=step.action),
                                options, answer, _step_line(step, lang), _citation(entry), key=f"{entry.id}#{index + 1}"))
        # the time limit: wrong options are deadlines with none of the right one's numbers
        if step.deadline and _numbers(zh.steps[index].deadline):
            numbers = _numbers(zh.steps[index].deadline)
            pool_d: dict[str, str] = {}
            for ozh, oen, oi in steps:
                dzh = ozh.steps[oi].deadline
                if not dzh or not _numbers(dzh) or _numbers(dzh) & numbers:
                    continue
                pool_d.setdefault(dzh, oen.steps[oi].deadline)
            chosen = _pick_disjoint(rng, pool_d, lambda a, b: bool(_numbers(a) & _numbers(b)))
            if len(chosen) >= 2:
                wrong = [c if lang == "zh" else pool_d[c] for c in chosen]
                options, answer = _shuffled_options(rng, step.deadline, wrong)
                out.append(Question("step_deadline", "multiple_choice", entry.id, lang,
                                    msg("step_deadline_prompt", lang, procedure=entry.title, n=index + 1,
                                        action=step.action),
                                    options, answer, _step_line(step, lang),
                                    _citation(entry), key=f"{entry.id}#{index + 1}"))
    return out


def faq_questions(kb: KnowledgeBase, lang: str, rng: random.Random) -> list[Question]:
    faqs = entries_of_type(kb, "faq", lang)
    out = []
    for entry in faqs:
        pool = [f.title for f in faqs if f.id != entry.id]
        if len(pool) < 2:
            continue
        options, answer = _shuffled_options(rng, entry.title, rng.sample(pool, min(DISTRACTORS, len(pool))))
        out.append(Question("faq", "multiple_choice", entry.id, lang, msg("faq_match_prompt", lang, answer=entry.short),
                            options, answer, entry.short, _citation(entry), key=entry.id))
    return out


GENERATORS = {
    "decision": decision_questions,
    "myth": myth_questions,
    "abbreviation": abbreviation_questions,
    "step": step_questions,
    "faq": faq_questions,
}


def all_questions(kb: KnowledgeBase, lang: str = "zh", seed: int = 0) -> list[Question]:
    """Every question the knowledge base yields, in a fixed order (options shuffled by the seed)."""
    check_lang(lang)
    rng = random.Random(seed)
    out: list[Question] = []
    for generator in GENERATORS.values():
        out.extend(generator(kb, lang, rng))
    return out


def make_quiz(kb: KnowledgeBase, lang: str = "zh", count: int = 10, seed: int = 0,
              kinds: Optional[list[str]] = None, audience: str = "worker") -> list[Question]:
    """`count` questions for `audience` (worker: no acronym items; policy: all kinds), mixed across kinds (round
    robin, decisions first), the same for the same seed and content."""
    check_lang(lang)
    if audience not in AUDIENCES:
        raise ValueError(f"对象只能是 {'/'.join(AUDIENCES)} / audience must be one of {tuple(AUDIENCES)}, not {audience!r}")
    questions = [q for q in all_questions(kb, lang, seed) if q.kind in AUDIENCES[audience]]
    if kinds:
        questions = [q for q in questions if q.kind in kinds]
    rng = random.Random(f"pick-{seed}")
    by_kind: dict[str, list[Question]] = {}
    for q in questions:
        by_kind.setdefault(q.kind, []).append(q)
    for group in by_kind.values():
        rng.shuffle(group)
    picked: list[Question] = []
    order = [k for k in KINDS if k in by_kind]
    while len(picked) < count and any(by_kind[k] for k in order):
        for kind in order:
            if by_kind[kind] and len(picked) < count:
                picked.append(by_kind[kind].pop())
    return picked


# -- output -------------------------------------------------------------------------------------------------
def to_text(questions: list[Question], lang: str, seed: int) -> str:
    lines = [msg("quiz_title", lang), msg("quiz_seed", lang, seed=seed), ""]
    for n, q in enumerate(questions, 1):
        lines.append(f"{n}. {q.prompt}")
        for i, option in enumerate(q.options):
            lines.append(f"   {OPTION_LETTERS[i]}. {option}")
        lines.append("")
    lines += ["=" * 40, msg("quiz_answers", lang), ""]
    for n, q in enumerate(questions, 1):
        answer = f"{OPTION_LETTERS[q.answer]}. {q.answer_text}"
        lines.append(f"{n}. {msg('answer', lang, answer=answer)}")
        lines.append(f"   {q.explanation}")
        lines.append(f"   {q.citation}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def to_json(questions: list[Question], lang: str, seed: int) -> str:
    items = []
    for q in questions:
        item = asdict(q)
        item["answer_text"] = q.answer_text
        items.append(item)
    return json.dumps({"lang": lang, "seed": seed, "questions": items}, ensure_ascii=False, indent=2) + "\n"


def to_html(questions: list[Question], lang: str, seed: int) -> str:
    from .handout import CSS, HTML_LANG
    e = lambda s: escape(str(s), quote=True)  # noqa: E731
    qs, ans = [], []
    for n, q in enumerate(questions, 1):
        options = "".join(f"<li>{e(o)}</li>" for o in q.options)
        prompt = "<br>".join(e(line) for line in q.prompt.split("\n"))
        qs.append(f"<li class=\"question\"><p>{prompt}</p><ol type=\"A\">{options}</ol></li>")
        answer = f"{OPTION_LETTERS[q.answer]}. {q.answer_text}"
        ans.append(f"<li><p><strong>{e(msg('answer', lang, answer=answer))}</strong></p><p>{e(q.explanation)}</p>"
                   f"<p class=\"reviewed\">{e(q.citation)}</p></li>")
    return ("<!DOCTYPE html>\n"
            f"<html lang=\"{HTML_LANG[lang]}\"><head><meta charset=\"utf-8\"><title>{e(msg('quiz_title', lang))}</title>"
            f"<style>{CSS}\n.answers {{ page-break-before: always; }} li.question {{ margin-bottom: 3mm; }}</style>"
            f"</head><body><h1>{e(msg('quiz_title', lang))}</h1><p class=\"meta\">{e(msg('quiz_seed', lang, seed=seed))}</p>"
            f"<ol>{''.join(qs)}</ol><section class=\"answers\"><h2>{e(msg('quiz_answers', lang))}</h2>"
            f"<ol>{''.join(ans)}</ol></section></body></html>\n")


FORMATTERS = {"text": to_text, "json": to_json, "html": to_html}

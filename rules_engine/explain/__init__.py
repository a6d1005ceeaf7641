"""Render a trace or a result in Chinese or English from the templates in this folder (no prose in rule code).

``render_trace(trace, lang)`` -> one line per step with its citations.
``render_summary(result, lang)`` -> a few short bubbles (<= 120 Chinese characters each): verdict first, then the
options compared in money and years. Templates: ``templates.yml`` (trace) and ``summary.yml`` (bubbles).
"""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

_HERE = Path(__file__).parent
LANGS = ("zh", "en")


@functools.lru_cache(maxsize=None)
def _load(name: str) -> dict:
    import yaml
    with open(_HERE / name, encoding="utf-8") as fh:
        return yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def templates() -> dict:
    return _load("templates.yml")


def summary_templates() -> dict:
    return _load("summary.yml")


def _check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}, not {lang!r}")
    return lang


class _Values(dict):
    """Format values for people: province codes become names, floats lose trailing zeros, lists are joined."""

    def __init__(self, values: dict, lang: str):
        super().__init__()
        self.lang = lang
        for k, v in values.items():
            self[k] = _humanize(v, lang)

    def __missing__(self, key):
        return "?"


def _humanize(value: Any, lang: str) -> Any:
    from rules_engine.provinces import CODES, province_name
    if isinstance(value, bool):
        return ("是" if value else "否") if lang == "zh" else ("yes" if value else "no")
    if isinstance(value, str) and value in CODES:
        return province_name(value, lang)
    if isinstance(value, float):
        return Num(value)
    if isinstance(value, (list, tuple)):
        sep = "、" if lang == "zh" else ", "
        return sep.join(str(_humanize(v, lang)) for v in value) or ("无" if lang == "zh" else "none")
    if value is None:
        return "—"
    return value


class Num(float):
    """A float that prints without a trailing .0 and honours format specs like {x:,.0f}."""

    def __str__(self) -> str:
        return f"{self:.2f}".rstrip("0").rstrip(".") if self != int(self) else str(int(self))

    def __format__(self, spec: str) -> str:
        return str(self) if not spec else float.__format__(self, spec)


def fill(template: str, values: dict, lang: str) -> str:
    return template.format_map(_Values(values, lang))


def _citations(step: dict, lang: str) -> str:
    t = templates()
    marks = t["confidence_marks"]
    seen: list[str] = []
    for p in step.get("parameters", []):
        cite = p.get("citation") or p.get("name")
        mark = marks.get(p.get("confidence"), {}).get(lang, "")
        text = t["cites"][lang].format(citation=cite, effective=p.get("effective", "?")) + mark
        if text not in seen:
            seen.append(text)
    return ("；" if lang == "zh" else "; ").join(seen)


def render_step(step: dict, lang: str = "zh") -> str:
    lang = _check_lang(lang)
    t = templates()
    title = t["rules"].get(step["rule"], {}).get(lang, step["rule"])
    conclusion = t["conclusions"].get(step["conclusion_key"])
    text = fill(conclusion[lang], step.get("values", {}), lang) if conclusion else step["conclusion_key"]
    cites = _citations(step, lang)
    line = t["line"][lang].format(title=title, conclusion=text)
    if cites:
        line += t["basis"][lang].format(citations=cites)
    return line


def render_trace(trace: list[dict], lang: str = "zh") -> list[str]:
    """One line per trace step: the rule, its conclusion and the documents it relied on."""
    return [render_step(step, lang) for step in trace]


def render_summary(result, lang: str = "zh") -> list[str]:
    """A few short bubbles for a chat: verdict first, then options compared in money and years."""
    from rules_engine.explain.summary import summary_bubbles
    return summary_bubbles(result, _check_lang(lang))


def text(key: str, lang: str, **values: Any) -> str:
    """A phrase from summary.yml's `phrases` (also used for option reasons)."""
    return fill(summary_templates()["phrases"][key][lang], values, lang)


def warning(key: str, values: dict) -> dict:
    """{key, zh, en} for a warning in summary.yml `warnings` (memoised: few distinct warnings exist)."""
    return dict(_warning(key, tuple(sorted(values.items()))))


@functools.lru_cache(maxsize=4096)
def _warning(key: str, items: tuple) -> tuple:
    tpl = summary_templates()["warnings"][key]
    values = dict(items)
    return (("key", key), ("zh", fill(tpl["zh"], values, "zh")), ("en", fill(tpl["en"], values, "en")))


OPTION_RULES = ("options.suspend", "options.transfer", "options.continue_to_minimum", "options.switch_to_residents",
                "options.cash_out")


def render_options(trace: list[dict], lang: str = "zh") -> list[str]:
    """One line per option (allowed or not, why, with its citation), from the trace."""
    return [render_step(step, lang) for step in trace if step["rule"] in OPTION_RULES]

"""What every trainer command shares: the frame texts (messages.yml), opening the knowledge base, language checks.

Content comes from the knowledge base (`knowledge.KnowledgeBase`); only headings, labels and prompts live in
`messages.yml` next to this file, in Chinese and English."""
from __future__ import annotations

import functools
from difflib import get_close_matches
from pathlib import Path
from typing import Any, Optional

import yaml

from knowledge.search import DEFAULT_DB, KnowledgeBase, KnowledgeBaseMissing

HERE = Path(__file__).resolve().parent
LANGS = ("zh", "en")


class TrainerError(Exception):
    """A problem a trainer can fix (unknown id, missing knowledge base); str() is bilingual."""


@functools.lru_cache(maxsize=None)
def load_yaml(name: str) -> Any:
    with open(HERE / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def messages() -> dict:
    return load_yaml("messages.yml")


def msg(key: str, lang: str, **values: Any) -> str:
    """The frame text `key` in `lang`, with {placeholders} filled."""
    entry = messages()[key]
    text = entry[lang]
    return text.format(**values) if values else text


def both(key: str, **values: Any) -> str:
    """'中文 / English' for messages printed to a terminal (errors, warnings)."""
    return f"{msg(key, 'zh', **values)} / {msg(key, 'en', **values)}"


def check_lang(lang: str, allow_both: bool = False) -> str:
    allowed = LANGS + (("both",) if allow_both else ())
    if lang not in allowed:
        raise ValueError(f"语言只能是 {'/'.join(allowed)} / lang must be one of {allowed}, not {lang!r}")
    return lang


def open_kb(path: Optional[Path] = None) -> KnowledgeBase:
    """The built knowledge base (default var/knowledge.db); a TrainerError that says how to build it if missing."""
    path = Path(path or DEFAULT_DB)
    if not path.exists():
        raise TrainerError(both("kb_missing", path=path))
    try:
        return KnowledgeBase(path)
    except KnowledgeBaseMissing:
        raise TrainerError(both("kb_missing", path=path)) from None


def entries_of_type(kb: KnowledgeBase, entry_type: str, lang: str = "zh") -> list:
    """All entries of one type (in `lang`), sorted by id, through the public API."""
    found = []
    for entry_id in kb.ids():
        entry = kb.get(entry_id, lang)
        if entry is not None and entry.type == entry_type:
            found.append(entry)
    return found


def get_entry(kb: KnowledgeBase, entry_id: str, lang: str):
    """kb.get, or a TrainerError naming close ids."""
    entry = kb.get(entry_id, lang)
    if entry is None:
        close = get_close_matches(entry_id, kb.ids(), n=3, cutoff=0.5)
        suggest_zh = msg("did_you_mean", "zh", ids=", ".join(close)) if close else ""
        suggest_en = msg("did_you_mean", "en", ids=", ".join(close)) if close else ""
        raise TrainerError(f"{msg('unknown_entry', 'zh', id=entry_id, suggest=suggest_zh)} / "
                           f"{msg('unknown_entry', 'en', id=entry_id, suggest=suggest_en)}".strip())
    return entry

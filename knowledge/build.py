"""Validate every content file and write the SQLite knowledge base atomically.

    python -m knowledge build [--content DIR] [--sources FILE] [--db PATH]

All files are checked before anything is written; every bad file is reported (path, field, reason in Chinese
and English). The database is built in a temporary file next to the target and moved into place with
os.replace, so a failed build leaves the previous database untouched and readers never see half a base.
"""
from __future__ import annotations

import json
import os
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Optional

import sqlite_utils
from tqdm import tqdm

from . import textproc
from .citation import article_to_english, cite_many, cite_one, split_article
from .schema import KnowledgeEntry, Problem, Source, load_entry, load_sources

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_CONTENT = PACKAGE_DIR / "content"
DEFAULT_SOURCES = PACKAGE_DIR / "sources.yml"
# var/knowledge.db of the repository (not of the current directory), so every caller finds the same base
DEFAULT_DB = PACKAGE_DIR.parent / "var" / "knowledge.db"
SCHEMA_VERSION = "1"

# bm25 weights of the full-text columns: entry_id, type (unindexed), aliases, title, short, body, grams.
FTS_COLUMNS = ("aliases", "title", "short", "body", "grams")


class BuildFailed(Exception):
    """Raised when content is invalid; `.problems` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.level == "error"]
        super().__init__(f"知识库构建失败：{len(errors)} 个问题 / knowledge build failed: {len(errors)} problem(s)\n"
                         + "\n".join(str(p) for p in errors))


@dataclass
class BuildReport:
    db_path: Path
    entries: int
    sources: int
    warnings: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def content_files(content_dir: Path) -> list[Path]:
    """Entry files, sorted; folders and files starting with '_' or '.' (fixtures, drafts) are skipped."""
    files = []
    for path in sorted(content_dir.rglob("*")):
        rel = path.relative_to(content_dir)
        if any(part.startswith(("_", ".")) for part in rel.parts):
            continue
        if path.is_file() and path.suffix in (".yml", ".yaml"):
            files.append(path)
    return files


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def validate(content_dir: Path = DEFAULT_CONTENT, sources_path: Optional[Path] = None,
             progress: bool = True) -> tuple[list[KnowledgeEntry], dict[str, Source], list[Problem]]:
    """Load and check everything. Returns (entries, sources, problems incl. warnings)."""
    content_dir = Path(content_dir)
    sources_path = Path(sources_path) if sources_path else _default_sources(content_dir)
    problems: list[Problem] = []
    if not sources_path.exists():
        problems.append(Problem(_display(sources_path), "", "找不到来源登记表", "sources registry not found"))
        sources: dict[str, Source] = {}
    else:
        sources, source_problems = load_sources(sources_path, _display(sources_path))
        problems.extend(source_problems)
    if not content_dir.is_dir():
        problems.append(Problem(_display(content_dir), "", "找不到内容文件夹", "content folder not found"))
        return [], sources, problems
    files = content_files(content_dir)
    if not files:
        problems.append(Problem(_display(content_dir), "", "内容文件夹里没有条目（*.yml）",
                                "no entries (*.yml) in the content folder"))
    entries: list[KnowledgeEntry] = []
    seen: dict[str, str] = {}
    for path in tqdm(files, desc="检查条目 / validating", unit="file", disable=not progress, leave=False):
        display = _display(path)
        entry, entry_problems = load_entry(path, display, set(sources))
        problems.extend(entry_problems)
        if entry is None:
            continue
        if entry.id in seen:
            problems.append(Problem(display, "id", f"id 重复，已在 {seen[entry.id]} 中使用",
                                    f"duplicate id, already used in {seen[entry.id]}"))
            continue
        seen[entry.id] = display
        entries.append(entry)
    known = set(seen)
    for entry in entries:
        for index, related in enumerate(entry.related):
            if related not in known:
                problems.append(Problem(seen[entry.id], f"related[{index}]",
                                        f"相关条目“{related}”不存在", f"related entry '{related}' does not exist",
                                        level="warning"))
    return entries, sources, problems


def _default_sources(content_dir: Path) -> Path:
    candidate = Path(content_dir).parent / "sources.yml"
    return candidate if candidate.exists() else DEFAULT_SOURCES


def _cell(value) -> tuple[Optional[str], Optional[str], Optional[float]]:
    """A table cell as (zh text, en text, number or None)."""
    if value is None:
        return None, None, None
    if hasattr(value, "zh"):
        return value.zh, value.en, _number(value.en)
    if isinstance(value, bool):
        return str(value).lower(), str(value).lower(), None
    if isinstance(value, (int, float)):
        return str(value), str(value), float(value)
    return str(value), str(value), _number(str(value))


def _number(text: str) -> Optional[float]:
    cleaned = text.replace(",", "").replace(" ", "").replace("\u202f", "").replace("\u00a0", "").rstrip("%")
    try:
        return float(cleaned)
    except ValueError:
        return None


def _entry_rows(entry: KnowledgeEntry, sources: dict[str, Source]) -> dict[str, list[dict]]:
    parts = {"zh": [], "en": []}
    source_rows = []
    for position, ref in enumerate(entry.sources):
        source = sources[ref.id]
        zh, en = cite_one(source, ref, "zh"), cite_one(source, ref, "en")
        parts["zh"].append(zh)
        parts["en"].append(en)
        source_rows.append({
            "entry_id": entry.id, "position": position, "source_id": ref.id, "article": split_article(ref.article)[0],
            "article_en": _article_en(ref),
            "citation_zh": zh, "citation_en": en,
        })
    table = entry.table.model_dump(mode="json") if entry.table else None
    row = {
        "id": entry.id, "type": entry.type,
        "title_zh": entry.title.zh, "title_en": entry.title.en,
        "short_zh": entry.short.zh, "short_en": entry.short.en,
        "body_zh": entry.body.zh, "body_en": entry.body.en,
        "applies_to": json.dumps(entry.applies_to.model_dump(mode="json"), ensure_ascii=False),
        "reviewed": entry.reviewed.isoformat(),
        "valid_from": entry.valid_from.isoformat() if entry.valid_from else None,
        "valid_until": entry.valid_until.isoformat() if entry.valid_until else None,
        "confidence": entry.confidence, "local_variation": int(entry.local_variation),
        "related": json.dumps(entry.related, ensure_ascii=False),
        "aliases_zh": json.dumps(entry.aliases.zh, ensure_ascii=False),
        "aliases_en": json.dumps(entry.aliases.en, ensure_ascii=False),
        # canonical words of each alias, computed once here so a search does not run jieba per alias
        "alias_features": json.dumps([" ".join(sorted(textproc.word_features(a)))
                                      for a in entry.aliases.zh + entry.aliases.en], ensure_ascii=False),
        # canonical words of title, short answer and aliases: how much of a query an entry is about
        "head_features": " ".join(sorted(set().union(
            *(textproc.word_features(t) for t in [entry.title.zh, entry.title.en, entry.short.zh, entry.short.en]
              + entry.aliases.zh + entry.aliases.en)))),
        "table_json": json.dumps(table, ensure_ascii=False) if table else None,
        "citation_zh": cite_many(parts["zh"], "zh"), "citation_en": cite_many(parts["en"], "en"),
    }
    steps = []
    for position, step in enumerate(entry.steps):
        step_row = {"entry_id": entry.id, "position": position}
        for name in ("who", "action", "where", "documents", "deadline"):
            value = getattr(step, name)
            step_row[f"{name}_zh"] = value.zh if value else None
            step_row[f"{name}_en"] = value.en if value else None
        steps.append(step_row)
    aliases = []
    seen_alias: set[tuple[str, str]] = set()
    for lang in ("zh", "en"):
        for alias in getattr(entry.aliases, lang):
            norm = textproc.compact(alias)
            if not norm or (lang, norm) in seen_alias:
                continue
            seen_alias.add((lang, norm))
            aliases.append({"entry_id": entry.id, "lang": lang, "alias": alias, "alias_norm": norm})
    statistics = []
    if entry.table:
        for row_index, table_row in enumerate(entry.table.rows):
            for column in entry.table.columns:
                zh, en, number = _cell(table_row.get(column.key))
                statistics.append({"entry_id": entry.id, "row_index": row_index, "column_key": column.key,
                                   "column_zh": column.zh, "column_en": column.en,
                                   "value_zh": zh, "value_en": en, "value_num": number})
    fts = {
        "entry_id": entry.id, "type": entry.type,
        # the aliases as written plus their canonical words, so colloquial variants of an alias find it
        "aliases": index_text(entry.aliases.zh + entry.aliases.en) + " " + " ".join(
            sorted(set().union(*(textproc.word_features(a) for a in entry.aliases.zh + entry.aliases.en)))),
        "title": index_text([entry.title.zh, entry.title.en]),
        "short": index_text([entry.short.zh, entry.short.en]),
        "body": index_text([entry.body.zh, entry.body.en] + _step_texts(entry) + _table_texts(entry)),
        "grams": textproc.bigrams(" ".join([entry.title.zh, entry.short.zh, " ".join(entry.aliases.zh)])),
    }
    head_words = (fts["aliases"] + " " + fts["title"]).split()
    head_terms = [{"term": term, "entry_id": entry.id, "type": entry.type, "size": len(head_words)}
                  for term in sorted(set(w.lower() for w in head_words))]
    return {"entries": [row], "steps": steps, "entry_sources": source_rows, "aliases": aliases,
            "statistics": statistics, "entries_fts": [fts], "head_terms": head_terms}


def _article_en(ref) -> Optional[str]:
    zh, en = split_article(ref.article)
    return ref.article_en or en or (article_to_english(zh) if zh else None)


def _step_texts(entry: KnowledgeEntry) -> list[str]:
    texts = []
    for step in entry.steps:
        for name in ("who", "action", "where", "documents", "deadline"):
            value = getattr(step, name)
            if value:
                texts.extend([value.zh, value.en])
    return texts


def _table_texts(entry: KnowledgeEntry) -> list[str]:
    if not entry.table:
        return []
    texts = [entry.table.source_line.zh, entry.table.source_line.en]
    texts.extend(c.zh + " " + c.en for c in entry.table.columns)
    return texts


def index_text(texts: Iterable[str]) -> str:
    """Chinese segmented by jieba (search mode) plus English words, as one space-separated string."""
    return " ".join(textproc.segmented(t) for t in texts if t)


def source_row(source: Source) -> dict:
    return {
        "id": source.id, "kind": source.kind,
        "title_zh": source.title.zh, "title_en": source.title.en,
        "cite_zh": cite_one(source, None, "zh"), "cite_en": cite_one(source, None, "en"),
        "number": source.number, "number_en": source.number_en,
        "issuer_zh": source.issuer.zh, "issuer_en": source.issuer.en,
        "effective": source.effective.isoformat() if source.effective else None,
        "amended": json.dumps([d.isoformat() for d in source.amended]),
        "url": source.url, "confidence": source.confidence,
        "note_zh": source.note.zh if source.note else None, "note_en": source.note.en if source.note else None,
    }


def create_schema(db: sqlite_utils.Database) -> None:
    db["meta"].create({"key": str, "value": str}, pk="key")
    db["sources"].create({
        "id": str, "kind": str, "title_zh": str, "title_en": str, "cite_zh": str, "cite_en": str,
        "number": str, "number_en": str, "issuer_zh": str, "issuer_en": str, "effective": str, "amended": str,
        "url": str, "confidence": str, "note_zh": str, "note_en": str}, pk="id")
    db["entries"].create({
        "id": str, "type": str, "title_zh": str, "title_en": str, "short_zh": str, "short_en": str,
        "body_zh": str, "body_en": str, "applies_to": str, "reviewed": str, "valid_from": str,
        "valid_until": str, "confidence": str, "local_variation": int, "related": str, "aliases_zh": str,
        "aliases_en": str, "alias_features": str, "head_features": str, "table_json": str, "citation_zh": str, "citation_en": str},
        pk="id")
    db["steps"].create({"entry_id": str, "position": int, **{f"{n}_{l}": str for n in
                        ("who", "action", "where", "documents", "deadline") for l in ("zh", "en")}},
                       pk=("entry_id", "position"), foreign_keys=[("entry_id", "entries", "id")])
    db["entry_sources"].create({"entry_id": str, "position": int, "source_id": str, "article": str,
                                "article_en": str, "citation_zh": str, "citation_en": str},
                               pk=("entry_id", "position"),
                               foreign_keys=[("entry_id", "entries", "id"), ("source_id", "sources", "id")])
    db["aliases"].create({"entry_id": str, "lang": str, "alias": str, "alias_norm": str},
                         pk=("entry_id", "lang", "alias_norm"), foreign_keys=[("entry_id", "entries", "id")])
    db["statistics"].create({"entry_id": str, "row_index": int, "column_key": str, "column_zh": str,
                             "column_en": str, "value_zh": str, "value_en": str, "value_num": float},
                            pk=("entry_id", "row_index", "column_key"), foreign_keys=[("entry_id", "entries", "id")])
    # words of the aliases and title of each entry, with the size of that text: on a very large base a query
    # made only of common words is ranked from here (shortest aliases+title containing the words first)
    db["head_terms"].create({"term": str, "entry_id": str, "type": str, "size": int}, pk=("term", "entry_id"))
    db.execute("CREATE VIRTUAL TABLE entries_fts USING fts5(entry_id UNINDEXED, type UNINDEXED, "
               + ", ".join(FTS_COLUMNS) + ", tokenize='unicode61 remove_diacritics 2')")
    # document frequency per word, so a search on a very large base can tell common words from rare ones
    db.execute("CREATE VIRTUAL TABLE entries_vocab USING fts5vocab(entries_fts, row)")


def finish_indexes(db: sqlite_utils.Database) -> None:
    db["aliases"].create_index(["alias_norm"])
    db["entries"].create_index(["type"])
    db["entry_sources"].create_index(["source_id"])
    db["head_terms"].create_index(["term", "size", "entry_id"])
    db["head_terms"].create_index(["term", "type", "size", "entry_id"])
    db.execute("INSERT INTO entries_fts(entries_fts) VALUES('optimize')")
    refresh_term_df(db.conn)


def refresh_term_df(conn: sqlite3.Connection) -> None:
    """Copy the document frequency of every indexed word into a plain table: reading it from fts5vocab at
    search time scans the word's whole posting list (milliseconds on a large base)."""
    conn.execute("CREATE TABLE IF NOT EXISTS term_df (term TEXT PRIMARY KEY, df INTEGER) WITHOUT ROWID")
    conn.execute("DELETE FROM term_df")
    conn.execute("INSERT INTO term_df (term, df) SELECT term, doc FROM entries_vocab")


def write_database(db_path: Path, entries: list[KnowledgeEntry], sources: dict[str, Source],
                   progress: bool = True) -> dict[str, int]:
    """Write a fresh database to a temporary file beside db_path, then move it into place."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{db_path.name}.", suffix=".tmp", dir=db_path.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()   # sqlite creates it; an empty file is fine too but be explicit
        conn = sqlite3.connect(str(tmp))
        db = sqlite_utils.Database(conn)
        with conn:
            create_schema(db)
            db["sources"].insert_all((source_row(s) for s in sources.values()))
            buffers: dict[str, list[dict]] = {}
            for entry in tqdm(entries, desc="写入 / writing", unit="entry", disable=not progress, leave=False):
                for table, rows in _entry_rows(entry, sources).items():
                    buffers.setdefault(table, []).extend(rows)
            for table in ("entries", "steps", "entry_sources", "aliases", "statistics", "entries_fts", "head_terms"):
                rows = buffers.get(table, [])
                if rows:
                    db[table].insert_all(rows, batch_size=500)
            counts = {t: len(buffers.get(t, [])) for t in
                      ("entries", "steps", "entry_sources", "aliases", "statistics")}
            counts["sources"] = len(sources)
            db["meta"].insert_all([{"key": "schema_version", "value": SCHEMA_VERSION},
                                   *({"key": f"count_{k}", "value": str(v)} for k, v in sorted(counts.items()))])
            finish_indexes(db)
        verdict = conn.execute("PRAGMA integrity_check").fetchone()[0]
        conn.close()
        if verdict != "ok":
            raise sqlite3.DatabaseError(f"integrity check of the new database failed: {verdict}")
        os.replace(tmp, db_path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return counts


def build(content_dir: Path = DEFAULT_CONTENT, db_path: Path = DEFAULT_DB, sources_path: Optional[Path] = None,
          progress: bool = True) -> BuildReport:
    """Validate everything; raise BuildFailed with all problems, or write the database and report."""
    entries, sources, problems = validate(content_dir, sources_path, progress)
    errors = [p for p in problems if p.level == "error"]
    if errors:
        raise BuildFailed(problems)
    counts = write_database(Path(db_path), entries, sources, progress)
    return BuildReport(Path(db_path), len(entries), len(sources),
                       [p for p in problems if p.level == "warning"], counts)

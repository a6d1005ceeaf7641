"""Read-only access to the built knowledge base: search, get, citation.

    from knowledge import KnowledgeBase
    kb = KnowledgeBase()                       # var/knowledge.db
    kb.search("社保断了怎么办", lang="zh")      # -> [Hit(id, type, title, short, score, citation), ...]
    kb.get("procedure-pension-transfer", "en") # -> Entry with every string in English
    kb.citation("procedure-pension-transfer", "zh")

Ranking: the query is normalised (HTML, emoji, punctuation, full-width removed), cut by jieba with the domain
dictionary, stop words dropped and colloquial words expanded with synonyms; the words are OR'ed in an FTS5
query ranked by bm25 with column weights (aliases > title > short > body > character bigrams). Entries whose
aliases occur verbatim in the query get a boost — the colloquial words people type are the strongest signal.
"""
from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Optional

from . import textproc
from .schema import ENTRY_TYPES

DEFAULT_DB = Path(__file__).resolve().parent.parent / "var" / "knowledge.db"   # the repository's var/
# bm25 weights for: entry_id, type, aliases, title, short, body, grams
BM25_WEIGHTS = (0.0, 0.0, 6.0, 4.0, 2.0, 1.0, 0.5)
CANDIDATES = 40
# On a large base (PRUNE_FROM_ENTRIES or more), words found in more than COMMON_SHARE of all entries (社保 …)
# are left out of the full-text query when the query has rarer words (they still count in the alias match),
# and a query made only of such words is ranked from head_terms (aliases + title): ranking every entry that
# mentions 社保 with bm25 would cost tens of milliseconds and add little (their bm25 weight is tiny anyway).
PRUNE_FROM_ENTRIES = 2000
ALIAS_MAX_ENTRIES = 50
META_CACHE_SIZE = 20000
COMMON_SHARE = 0.02
COVERAGE_FLOOR = 0.3        # share of the bm25 score kept when title/short/aliases share no word with the query
ALIAS_WEIGHT = 1.2         # how much a matching alias (the words people type) adds to the normalised bm25
WHOLE_ALIAS_BOOST = 0.5    # the query is exactly one of the entry's aliases
# Workers want an answer they can act on; definitions and figures come after it unless asked for.
TYPE_PRIOR = {"glossary": 0.8, "statistic": 0.8, "policy": 0.9}
_DEFINITION_CUE = re.compile(r"是什么|什么意思|啥意思|是啥|什么是|含义|\bwhat is\b|\bwhat are\b|\bmean|\bdefinition\b")
LANGS = ("zh", "en")
_FEATURES = textproc.word_features


class KnowledgeBaseMissing(FileNotFoundError):
    def __init__(self, path: Path):
        super().__init__(f"知识库文件不存在：{path}，请先运行 `python -m knowledge build` / "
                         f"knowledge base not found: {path}; run `python -m knowledge build` first")
        self.path = path


@dataclass(frozen=True)
class Hit:
    id: str
    type: str
    title: str
    short: str
    score: float
    citation: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Step:
    who: str
    action: str
    where: str
    documents: Optional[str] = None
    deadline: Optional[str] = None


@dataclass(frozen=True)
class SourceInfo:
    id: str
    kind: str
    title: str
    number: Optional[str]
    issuer: str
    effective: Optional[str]
    url: Optional[str]
    article: Optional[str]
    confidence: str
    citation: str


@dataclass(frozen=True)
class Entry:
    id: str
    type: str
    lang: str
    title: str
    short: str
    body: str
    steps: list[Step]
    sources: list[SourceInfo]
    citation: str
    confidence: str
    local_variation: bool
    related: list[str]
    aliases: list[str]
    applies_to: dict[str, list[str]]
    reviewed: str
    valid_from: Optional[str]
    valid_until: Optional[str]
    table: Optional[dict[str, Any]] = None   # statistics: {columns:[{key,label}], rows:[{key: text}], source_line, year, unit, note}

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _lang(lang: Optional[str]) -> str:
    lang = (lang or "zh").lower()
    if lang.startswith("zh") or lang.startswith("cn"):
        return "zh"
    if lang.startswith("en"):
        return "en"
    raise ValueError(f"不支持的语言：{lang}（只支持 zh 或 en） / unsupported language: {lang} (zh or en only)")


def _alias_match(aliases: list[frozenset[str]], query_features: set[str]) -> float:
    """0..1: the best alias, by how much of it occurs in the query (word order free) and how much of the
    query it explains. "退休在哪领" matches "退休了养老金在哪里领" partly; "社保" alone explains little."""
    if not query_features:
        return 0.0
    best = 0.0
    for alias_features in aliases:
        if not alias_features:
            continue
        shared = len(alias_features & query_features)
        of_alias = shared / len(alias_features)
        if of_alias < 0.5:
            continue
        of_query = shared / len(query_features)
        best = max(best, of_alias * of_alias * (0.35 + 0.65 * of_query))
    return best


def _fts_quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


class KnowledgeBase:
    """One read-only SQLite connection per instance; reopened automatically when the file is rebuilt."""

    def __init__(self, path: str | os.PathLike = DEFAULT_DB):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn: Optional[sqlite3.Connection] = None
        self._stamp: Optional[tuple[int, int]] = None
        self._count, self._count_stamp = 0, None
        self._meta_cache: dict[str, tuple[str, list[frozenset[str]], frozenset[str], frozenset[str]]] = {}
        self._meta_stamp: Optional[tuple[int, int]] = None
        self._open()
        textproc.tokenizer()   # load jieba once, now rather than on the first message

    # -- connection ----------------------------------------------------------------------------
    def _file_stamp(self) -> Optional[tuple[int, int]]:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_ino, st.st_mtime_ns)

    def _open(self) -> None:
        stamp = self._file_stamp()
        if stamp is None:
            raise KnowledgeBaseMissing(self.path)
        conn = sqlite3.connect(f"file:{self.path.resolve()}?mode=ro", uri=True, check_same_thread=False)
        conn.row_factory = sqlite3.Row
        if self._conn is not None:
            self._conn.close()
        self._conn, self._stamp = conn, stamp

    @property
    def conn(self) -> sqlite3.Connection:
        stamp = self._file_stamp()
        if stamp is not None and stamp != self._stamp:
            self._open()   # the base was rebuilt (os.replace gives a new inode): read the new one
        assert self._conn is not None
        return self._conn

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "KnowledgeBase":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- search --------------------------------------------------------------------------------
    def search(self, query: str, lang: str = "zh", type: Optional[str] = None, limit: int = 5) -> list[Hit]:
        """Ranked hits for a free-text query; [] for an empty or meaningless query, never an exception."""
        lang = _lang(lang)
        if type is not None and type not in ENTRY_TYPES:
            raise ValueError(f"未知类型：{type}（可选：{', '.join(ENTRY_TYPES)}） / "
                             f"unknown type: {type} (one of: {', '.join(ENTRY_TYPES)})")
        if not isinstance(query, str) or limit <= 0:
            return []
        query = textproc.with_context(textproc.fix_typos(query[:500]))   # nobody types more than 500 characters
        query_features = _FEATURES(query)
        terms = list(dict.fromkeys(textproc.query_terms(query) + sorted(query_features)))
        ngrams = textproc.query_ngrams(query)
        if not terms and not ngrams:
            return []
        with self._lock:
            conn = self.conn
            scores = self._bm25_scores(conn, terms, type)
            alias_hits = self._alias_hits(conn, ngrams, type)
        if not scores and not alias_hits:
            return []
        best = max(scores.values(), default=0.0) or 1.0
        whole = textproc.compact(query)
        candidates = set(scores) | set(alias_hits)
        definitional = bool(_DEFINITION_CUE.search(textproc.normalize(query)))
        with self._lock:
            meta = self._candidate_meta(candidates)
        combined: dict[str, float] = {}
        for entry_id in candidates:
            if entry_id not in meta:
                continue
            entry_type, aliases, alias_words, head_words = meta[entry_id]
            # bm25 is relative to the best hit; scale it by how much of the query the entry's title, short answer
            # and aliases are about, so an entry matching only a stray word ("今天") scores low in absolute terms
            coverage = len(head_words & query_features) / len(query_features) if query_features else 1.0
            score = scores.get(entry_id, 0.0) / best * (COVERAGE_FLOOR + (1 - COVERAGE_FLOOR) * coverage)
            if not alias_words.isdisjoint(query_features):
                score += ALIAS_WEIGHT * _alias_match(aliases, query_features)
            if entry_id in alias_hits and whole in alias_hits[entry_id]:
                score += WHOLE_ALIAS_BOOST
            if not type:
                score *= TYPE_PRIOR.get(entry_type, 1.0) if not (definitional and entry_type == "glossary") else 1.1
            combined[entry_id] = score
        ranked = sorted(combined.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        return self._hits(ranked, lang)

    def _entry_count(self, conn: sqlite3.Connection) -> int:
        if self._count_stamp != self._stamp:
            self._count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            self._count_stamp = self._stamp
        return self._count

    def _document_frequencies(self, conn: sqlite3.Connection, terms: list[str]) -> dict[str, int]:
        marks = ",".join("?" for _ in terms)
        try:
            rows = conn.execute(f"SELECT term, df FROM term_df WHERE term IN ({marks})",
                                [t.lower() for t in terms]).fetchall()
        except sqlite3.OperationalError:
            return {}
        return {row["term"]: row["df"] for row in rows}

    def _common_terms(self, conn: sqlite3.Connection, terms: list[str]) -> set[str]:
        total = self._entry_count(conn)
        if total < PRUNE_FROM_ENTRIES:
            return set()
        return {t for t, df in self._document_frequencies(conn, terms).items() if df > COMMON_SHARE * total}

    def _bm25_scores(self, conn: sqlite3.Connection, terms: list[str], type: Optional[str]) -> dict[str, float]:
        if not terms:
            return {}
        common = self._common_terms(conn, terms)
        rare = [t for t in terms if t.lower() not in common]
        # Character-pair phrases rescue words jieba cut differently; on a large base their common pairs
        # (养老, 保险) cost more than they rescue, so they are used on small bases only.
        # ... and only for words the index does not know as a word (a known word already matches as itself).
        use_grams = self._entry_count(conn) < PRUNE_FROM_ENTRIES
        known = self._document_frequencies(conn, rare) if use_grams else {}
        parts = []
        for term in rare:
            parts.append(_fts_quote(term))
            if use_grams and term.lower() not in known and re.search(r"[\u4e00-\u9fff]", term) and len(term) >= 2:
                grams = " ".join(term[i:i + 2] for i in range(len(term) - 1))
                parts.append("grams:" + _fts_quote(grams))
        if not rare:   # only common words on a large base: rank from the aliases and titles
            return self._head_scores(conn, [t.lower() for t in terms], type)
        match = " OR ".join(parts)
        weights = ", ".join(str(w) for w in BM25_WEIGHTS)
        sql = (f"SELECT entry_id, bm25(entries_fts, {weights}) AS rank FROM entries_fts "
               f"WHERE entries_fts MATCH ? {'AND type = ?' if type else ''} ORDER BY rank LIMIT {CANDIDATES}")
        params: list[Any] = [match] + ([type] if type else [])
        try:
            rows = conn.execute(sql, params).fetchall()
        except sqlite3.OperationalError:
            return {}   # a query FTS5 cannot parse is a query with no results
        return {row["entry_id"]: -row["rank"] for row in rows}

    def _head_scores(self, conn: sqlite3.Connection, terms: list[str], type: Optional[str]) -> dict[str, float]:
        """For queries made only of common words: entries whose aliases+title contain the words, the shortest
        (most focused) first. Each word is an index range scan, so this stays fast however big the base is."""
        scores: dict[str, float] = {}
        sql = ("SELECT entry_id, size FROM head_terms WHERE term = ? " + ("AND type = ? " if type else "")
               + f"ORDER BY size LIMIT {CANDIDATES}")
        for term in terms:
            for row in conn.execute(sql, [term] + ([type] if type else [])):
                scores[row["entry_id"]] = scores.get(row["entry_id"], 0.0) + 1.0 / (1.0 + 0.1 * row["size"])
        return dict(sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:CANDIDATES])

    def _alias_hits(self, conn: sqlite3.Connection, ngrams: list[str], type: Optional[str]) -> dict[str, set[str]]:
        """Entries having an alias that occurs verbatim in the query. Aliases shared by very many entries are
        left to the ranking (they would only add random candidates)."""
        if not ngrams:
            return {}
        ngrams = ngrams[:400]
        marks = ",".join("?" for _ in ngrams)
        counts = conn.execute(f"SELECT alias_norm, count(*) FROM aliases WHERE alias_norm IN ({marks}) "
                              "GROUP BY alias_norm", ngrams).fetchall()
        ngrams = [alias for alias, count in counts if count <= ALIAS_MAX_ENTRIES]
        if not ngrams:
            return {}
        marks = ",".join("?" for _ in ngrams)
        sql = f"SELECT a.entry_id, a.alias_norm FROM aliases a"
        if type:
            sql += " JOIN entries e ON e.id = a.entry_id"
        sql += f" WHERE a.alias_norm IN ({marks})" + (" AND e.type = ?" if type else "") + " LIMIT 200"
        hits: dict[str, set[str]] = {}
        for row in conn.execute(sql, ngrams + ([type] if type else [])):
            hits.setdefault(row["entry_id"], set()).add(row["alias_norm"])
        return hits

    def _candidate_meta(self, ids: set[str]) -> dict[str, tuple[str, list[frozenset[str]], frozenset[str], frozenset[str]]]:
        """Type and alias words of candidate entries, parsed once per entry and kept until the base changes."""
        if self._meta_stamp != self._stamp or len(self._meta_cache) > META_CACHE_SIZE:
            self._meta_cache, self._meta_stamp = {}, self._stamp
        cache = self._meta_cache
        missing = sorted(i for i in ids if i not in cache)
        if missing:
            marks = ",".join("?" for _ in missing)
            for r in self.conn.execute(f"SELECT id, type, alias_features, head_features FROM entries "
                                       f"WHERE id IN ({marks})", missing):
                aliases = [frozenset(f.split()) for f in json.loads(r["alias_features"] or "[]")]
                cache[r["id"]] = (r["type"], aliases, frozenset().union(*aliases),
                                  frozenset((r["head_features"] or "").split()))
        return {i: cache[i] for i in ids if i in cache}

    def _hits(self, ranked: list[tuple[str, float]], lang: str) -> list[Hit]:
        if not ranked:
            return []
        ids = [entry_id for entry_id, _ in ranked]
        marks = ",".join("?" for _ in ids)
        with self._lock:
            rows = {row["id"]: row for row in self.conn.execute(
                f"SELECT id, type, title_{lang} AS title, short_{lang} AS short, citation_{lang} AS citation "
                f"FROM entries WHERE id IN ({marks})", ids)}
        return [Hit(entry_id, rows[entry_id]["type"], rows[entry_id]["title"], rows[entry_id]["short"],
                    round(score, 4), rows[entry_id]["citation"] or "")
                for entry_id, score in ranked if entry_id in rows]

    # -- single entries --------------------------------------------------------------------------
    def get(self, entry_id: str, lang: str = "zh") -> Optional[Entry]:
        lang = _lang(lang)
        with self._lock:
            conn = self.conn
            row = conn.execute("SELECT * FROM entries WHERE id = ?", [entry_id]).fetchone()
            if row is None:
                return None
            steps = [Step(s[f"who_{lang}"], s[f"action_{lang}"], s[f"where_{lang}"], s[f"documents_{lang}"],
                          s[f"deadline_{lang}"])
                     for s in conn.execute("SELECT * FROM steps WHERE entry_id = ? ORDER BY position", [entry_id])]
            sources = [SourceInfo(s["source_id"], s["kind"], s[f"title_{lang}"], s["number"] if lang == "zh"
                                  else (s["number_en"] or s["number"]), s[f"issuer_{lang}"], s["effective"], s["url"],
                                  s["article"] if lang == "zh" else s["article_en"], s["confidence"],
                                  s[f"citation_{lang}"])
                       for s in conn.execute(
                           "SELECT es.*, src.kind, src.title_zh, src.title_en, src.number, src.number_en, "
                           "src.issuer_zh, src.issuer_en, src.effective, src.url, src.confidence "
                           "FROM entry_sources es JOIN sources src ON src.id = es.source_id "
                           "WHERE es.entry_id = ? ORDER BY es.position", [entry_id])]
        table = None
        if row["table_json"]:
            raw = json.loads(row["table_json"])
            table = {
                "columns": [{"key": c["key"], "label": c[lang]} for c in raw["columns"]],
                "rows": [{k: (v[lang] if isinstance(v, dict) else v) for k, v in r.items()} for r in raw["rows"]],
                "source_line": raw["source_line"][lang],
                "year": raw["year"],
                "unit": raw["unit"][lang] if raw.get("unit") else None,
                "note": raw["note"][lang] if raw.get("note") else None,
            }
        return Entry(
            id=row["id"], type=row["type"], lang=lang, title=row[f"title_{lang}"], short=row[f"short_{lang}"],
            body=row[f"body_{lang}"], steps=steps, sources=sources, citation=row[f"citation_{lang}"] or "",
            confidence=row["confidence"], local_variation=bool(row["local_variation"]),
            related=json.loads(row["related"]), aliases=json.loads(row[f"aliases_{lang}"]),
            applies_to=json.loads(row["applies_to"]), reviewed=row["reviewed"], valid_from=row["valid_from"],
            valid_until=row["valid_until"], table=table)

    def citation(self, entry_id: str, lang: str = "zh") -> str:
        """"来源：…" / "Source: …" for an entry; "" if the entry has no sources or does not exist."""
        lang = _lang(lang)
        with self._lock:
            row = self.conn.execute(f"SELECT citation_{lang} AS c FROM entries WHERE id = ?", [entry_id]).fetchone()
        return (row["c"] or "") if row else ""

    # -- helpers for the CLI and the checks ---------------------------------------------------------
    def ids(self) -> list[str]:
        with self._lock:
            return [r[0] for r in self.conn.execute("SELECT id FROM entries ORDER BY id")]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            conn = self.conn
            by_type = {r[0]: r[1] for r in conn.execute("SELECT type, count(*) FROM entries GROUP BY type ORDER BY type")}
            by_conf = {r[0]: r[1] for r in conn.execute(
                "SELECT confidence, count(*) FROM entries GROUP BY confidence ORDER BY confidence")}
            counts = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                      for t in ("entries", "steps", "sources", "entry_sources", "aliases", "statistics")}
            local = conn.execute("SELECT count(*) FROM entries WHERE local_variation = 1").fetchone()[0]
            oldest = conn.execute("SELECT min(reviewed) FROM entries").fetchone()[0]
        return {"tables": counts, "by_type": by_type, "by_confidence": by_conf, "local_variation": local,
                "oldest_review": oldest}

"""The one store of hand-over cases: a JSON file per case under CASES_DIR and an index (CASES_DIR/index.db, SQLite).

Written by actions/handoff.py, read and updated by web/console_api.py, pruned by suixing/retention.py. Every string
of a case is scrubbed (suixing/privacy.scrub) before it is written, so no ID, phone or bank-card number, nor any run
of seven or more digits, reaches the disk. The sender is kept only as a salted hash (`sender_key`), so a person's
cases can be capped and deleted on request without storing who they are.
"""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any, Iterable, Optional

from suixing import settings
from suixing.privacy import scrub

SCHEMA = ("CREATE TABLE IF NOT EXISTS cases (case_id TEXT PRIMARY KEY, created TEXT, language TEXT, "
          "province TEXT, question TEXT, file TEXT, status TEXT DEFAULT 'new', sender_key TEXT DEFAULT '')")
MACHINE_FIELDS = frozenset({"case_id", "created", "language", "status", "local_province", "sender_key", "code",
                            "province", "start", "end"})
MAX_CASES_PER_SENDER = 3     # open cases one conversation may leave in the queue
MAX_QUESTION_CHARS = 500


class TooManyCases(Exception):
    """The sender already has MAX_CASES_PER_SENDER open cases."""


def sender_key(sender_id: str) -> str:
    salt = os.environ.get("CASES_SENDER_SALT", "suixing-cases")
    return hashlib.sha256(f"{salt}:{sender_id}".encode("utf-8")).hexdigest()[:32]


def connect(folder: Optional[Path] = None) -> sqlite3.Connection:
    folder = folder or settings.cases_dir()
    folder.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(folder / "index.db", timeout=10)
    db.execute(SCHEMA)
    columns = {row[1] for row in db.execute("PRAGMA table_info(cases)")}
    if "sender_key" not in columns:   # an index written before the sender key existed
        db.execute("ALTER TABLE cases ADD COLUMN sender_key TEXT DEFAULT ''")
    return db


def question_line(case: dict) -> str:
    question = case.get("open_question") or []
    return " / ".join(map(str, question))[:MAX_QUESTION_CHARS] if isinstance(question, list) else ""


def save(case: dict[str, Any], folder: Optional[Path] = None, sender_id: Optional[str] = None) -> Path:
    """Scrub and write `case` (atomically) and its index row; raises TooManyCases past the per-sender cap."""
    folder = folder or settings.cases_dir()
    case = scrub(case, keep=MACHINE_FIELDS)
    key = sender_key(sender_id) if sender_id else ""
    with closing(connect(folder)) as db, db:
        if key:
            open_cases = db.execute("SELECT COUNT(*) FROM cases WHERE sender_key = ? AND status = 'new'",
                                    (key,)).fetchone()[0]
            if open_cases >= MAX_CASES_PER_SENDER:
                raise TooManyCases(key)
        path = folder / f"{case['case_id']}.json"
        tmp = path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(case, ensure_ascii=False, indent=2), encoding="utf-8")
        os.replace(tmp, path)  # the console never sees a half-written case
        db.execute("INSERT OR REPLACE INTO cases (case_id, created, language, province, question, file, status, "
                   "sender_key) VALUES (?, ?, ?, ?, ?, ?, 'new', ?)",
                   (case["case_id"], case["created"], case["language"], case.get("local_province") or "",
                    question_line(case), path.name, key))
    return path


def statuses(folder: Optional[Path] = None) -> dict[str, str]:
    """{case_id: 'new' | 'done'}; empty when no case was ever saved (nothing is created then)."""
    folder = folder or settings.cases_dir()
    if not (folder / "index.db").exists():
        return {}
    with closing(connect(folder)) as db:
        return {row[0]: row[1] or "new" for row in db.execute("SELECT case_id, status FROM cases")}


def set_status(case: dict, status: str, folder: Optional[Path] = None) -> None:
    folder = folder or settings.cases_dir()
    with closing(connect(folder)) as db, db:
        updated = db.execute("UPDATE cases SET status = ? WHERE case_id = ?", (status, case["case_id"])).rowcount
        if not updated:   # a case file written without its index row
            db.execute("INSERT INTO cases (case_id, created, language, province, question, file, status) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)",
                       (case["case_id"], case.get("created"), case.get("language"), case.get("local_province") or "",
                        question_line(case), f"{case['case_id']}.json", status))


def delete(case_ids: Iterable[str], folder: Optional[Path] = None) -> int:
    """Remove cases (file and index row); returns how many files were removed."""
    folder = folder or settings.cases_dir()
    removed = 0
    ids = list(case_ids)
    for case_id in ids:
        path = folder / f"{case_id}.json"
        if path.parent == folder and path.exists():
            path.unlink()
            removed += 1
    if ids and (folder / "index.db").exists():
        with closing(connect(folder)) as db, db:
            db.executemany("DELETE FROM cases WHERE case_id = ?", [(i,) for i in ids])
    return removed


def of_sender(sender_id: str, folder: Optional[Path] = None) -> list[str]:
    folder = folder or settings.cases_dir()
    if not (folder / "index.db").exists():
        return []
    with closing(connect(folder)) as db:
        return [row[0] for row in db.execute("SELECT case_id FROM cases WHERE sender_key = ?",
                                             (sender_key(sender_id),))]


def older_than(created_before: str, folder: Optional[Path] = None) -> list[str]:
    """Ids of cases created before the ISO timestamp `created_before` (files without an index row included)."""
    folder = folder or settings.cases_dir()
    old = []
    for path in folder.glob("*.json") if folder.is_dir() else []:
        try:
            created = json.loads(path.read_text(encoding="utf-8")).get("created") or ""
        except (OSError, ValueError, AttributeError):
            created = ""
        if str(created) < created_before:
            old.append(path.stem)
    return old

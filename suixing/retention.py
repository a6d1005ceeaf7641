"""Data kept only as long as needed: delete conversations, hand-over cases and charts older than RETENTION_DAYS.

    python -m suixing.retention [--days N] [--dry-run]

Run by scripts/run.sh at start-up and daily. A conversation is deleted whole when its latest event is older than the
cut-off. The tracker store is the SQLite file TRACKER_DB (default var/tracker.db) or, when TRACKER_DB_URL is set
(e.g. postgresql://user:pass@host/db), that database through SQLAlchemy. `forget_sender` deletes one person's
conversation and cases at their request ("删除我的记录", bot/channels/rest.py).
"""
from __future__ import annotations

import argparse
import datetime as dt
import logging
import os
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from suixing import cases, settings

logger = logging.getLogger(__name__)

OLD_SENDERS = "SELECT sender_id FROM events GROUP BY sender_id HAVING MAX(timestamp) < :cutoff"


@dataclass
class Removed:
    conversations: int = 0
    cases: int = 0
    charts: int = 0

    def __str__(self) -> str:
        return f"{self.conversations} conversations, {self.cases} cases, {self.charts} charts"


def _sql_engine():
    url = os.environ.get("TRACKER_DB_URL")
    if not url:
        return None
    import sqlalchemy   # only needed for PostgreSQL; installed with rasa and in the app environment

    return sqlalchemy.create_engine(url)


def _run_sql(statement: str, params: dict, fetch: bool) -> list:
    engine = _sql_engine()
    if engine is not None:
        import sqlalchemy

        with engine.begin() as connection:
            result = connection.execute(sqlalchemy.text(statement), params)
            return [tuple(row) for row in result] if fetch else []
    path = settings.tracker_db()
    if not path.exists():
        return []
    with closing(sqlite3.connect(path, timeout=30)) as db, db:
        if not db.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='events'").fetchone():
            return []
        rows = db.execute(statement, params)
        return rows.fetchall() if fetch else []


def delete_conversation(sender_id: str) -> None:
    _run_sql("DELETE FROM events WHERE sender_id = :sender", {"sender": sender_id}, fetch=False)


def forget_sender(sender_id: str) -> Removed:
    """Delete one person's conversation (tracker events) and hand-over cases."""
    own_cases = cases.of_sender(sender_id)
    removed = Removed(cases=cases.delete(own_cases))
    delete_conversation(sender_id)
    removed.conversations = 1
    return removed


def delete_charts(folder: Path, older_than: float) -> int:
    removed = 0
    for path in folder.glob("*.png") if folder.is_dir() else []:
        try:
            if path.stat().st_mtime < older_than:
                path.unlink()
                removed += 1
        except OSError:
            logger.warning("cannot remove chart %s", path.name)
    return removed


def run(days: Optional[int] = None, dry_run: bool = False, now: Optional[float] = None) -> Removed:
    days = days or settings.retention_days()
    now = time.time() if now is None else now
    cutoff = now - days * 86400
    senders = [row[0] for row in _run_sql(OLD_SENDERS, {"cutoff": cutoff}, fetch=True)]
    old_cases = cases.older_than(dt.datetime.fromtimestamp(cutoff, dt.timezone.utc).isoformat(timespec="seconds"))
    if dry_run:
        return Removed(len(senders), len(old_cases), 0)
    for sender in senders:
        delete_conversation(sender)
    return Removed(len(senders), cases.delete(old_cases), delete_charts(settings.charts_dir(), cutoff))


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description="Delete conversations, cases and charts older than the retention "
                                                 "period (RETENTION_DAYS, default 90).")
    parser.add_argument("--days", type=int, help="keep this many days instead of RETENTION_DAYS")
    parser.add_argument("--dry-run", action="store_true", help="count only, delete nothing")
    args = parser.parse_args(argv)
    if args.days is not None and args.days < 1:
        print("--days must be at least 1 / 保留天数至少为 1", file=sys.stderr)
        return 2
    try:
        removed = run(args.days, args.dry_run)
    except Exception as error:   # a clear line, not a traceback
        print(f"retention failed / 清理失败: {error}", file=sys.stderr)
        return 1
    print(("would remove " if args.dry_run else "removed ") + str(removed))
    return 0


if __name__ == "__main__":
    sys.exit(main())

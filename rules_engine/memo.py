"""The engine's one cache layer: memo tables for pure functions of (parameters, inputs).

Parameters never change while the process runs, so a value computed from them can be kept. Every table is made
with :func:`memo_table` so that :func:`clear_all` empties them all (tests run an assessment cold and warm and
compare the traces). A table holding a value derived from parameters must also hold the trace records of the
parameters it read, and the caller adds them to its step on every hit (see ``Step.scratch``): a cache never drops
a citation. Each table is emptied when it reaches ``CACHE_LIMIT`` entries (a memory bound).
"""
from __future__ import annotations

from typing import Any

CACHE_LIMIT = 100_000

_TABLES: list[dict] = []


def memo_table() -> dict:
    """A new, registered memo table."""
    table: dict = {}
    _TABLES.append(table)
    return table


def remember(table: dict, key: Any, value: Any) -> Any:
    """Store ``value`` under ``key`` (emptying the table first when full) and return it."""
    if len(table) >= CACHE_LIMIT:
        table.clear()
    table[key] = value
    return value


def clear_all() -> None:
    """Empty every memo table (parameters stay loaded)."""
    for table in _TABLES:
        table.clear()

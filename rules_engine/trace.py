"""Trace steps: which rule ran, on what inputs, which parameters it read (value, effective date, citation)
and what it concluded. Steps are plain dicts (JSON-ready); the explain package renders them in zh/en.

A rule reads a parameter only through its step (``param``, ``table``, ``reference``), which records it. A rule
that memoises a value derived from parameters computes it on a ``scratch()`` step and keeps the scratch's
``records`` with the value, adding them to its own step on every use (``add_records``): so the "why" of an
answer always lists every number it used (tests/rules_engine/test_trace_completeness.py checks this).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Iterable

from rules_engine.memo import memo_table, remember
from rules_engine.params import parameters

_RECORDS = memo_table()  # (name, effective, row key) -> trace record (shared, read-only)
_PARAMS = memo_table()   # (name, date, province, allow_null[, row key, kind]) -> (value, trace record)


class Step:
    """One trace step under construction. Rules read parameters through it so that every number used is recorded."""

    __slots__ = ("data", "_params", "_used", "_added")

    def __init__(self, params, rule: str, inputs: dict):
        self._params = params
        self._used = []
        self._added: set[int] | None = None  # ids of the records add_records has put in
        self.data = {"rule": rule, "inputs": inputs, "parameters": self._used, "conclusion_key": "", "values": {}}

    def param(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False) -> Any:
        """Value of parameter ``name`` on ``on`` (the province's own value when it sets one), recorded in the trace."""
        key = (name, on, province, allow_null)
        hit = _PARAMS.get(key)
        if hit is None:
            full, e = self._params.lookup(name, on, province, allow_null)
            hit = remember(_PARAMS, key, (e.value, _record_of(full, e, e.value)))
        self._used.append(hit[1])
        return hit[0]

    def table(self, name: str, on: _dt.date, key: float, province: str | None = None) -> Any:
        """Row ``key`` of a step-table parameter (greatest threshold <= key); only that row is recorded."""
        memo_key = (name, on, province, False, key, "row")
        hit = _PARAMS.get(memo_key)
        if hit is None:
            full, e = self._params.lookup(name, on, province, False)
            value = e.row(key)
            hit = remember(_PARAMS, memo_key, (value, _record_of(full, e, value, key)))
        self._used.append(hit[1])
        return hit[0]

    def reference(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False):
        """The whole entry (value and reference) of a parameter, recorded in the trace."""
        memo_key = (name, on, province, allow_null, "entry")
        hit = _PARAMS.get(memo_key)
        if hit is None:
            full, e = self._params.lookup(name, on, province, allow_null)
            hit = remember(_PARAMS, memo_key, (e, _record_of(full, e, e.value)))
        self._used.append(hit[1])
        return hit[0]

    def change_dates(self, name: str) -> list[_dt.date]:
        """The dates on which parameter ``name`` takes a new value (no value is read: nothing to record)."""
        return [e.start for e in self._params[name].entries]

    def scratch(self) -> "Step":
        """A step outside the trace, for a memoised computation: keep its ``records`` with the value."""
        return Step(self._params, "scratch", {})

    @property
    def records(self) -> tuple:
        """The parameter records read so far (shared dicts: read-only)."""
        return tuple(self._used)

    def add_records(self, records: Iterable[dict]) -> None:
        """Add records kept from a scratch step, each once per step (a record ``param`` already added may
        appear twice: harmless, and cheaper than searching the list)."""
        added = self._added
        if added is None:
            added = self._added = set()
        used = self._used
        for r in records:
            key = id(r)
            if key not in added:
                added.add(key)
                used.append(r)

    def conclude(self, key: str, **values: Any) -> None:
        data = self.data
        data["conclusion_key"] = key
        data["values"] = values


def _record_of(full: str, e, value: Any, key: Any = None) -> dict:
    # Records are shared between traces (treat them as read-only): building a fresh dict for each of the
    # ~50 parameters an assessment reads was a third of its time.
    cache_key = (full, e.effective, key)
    rec = _RECORDS.get(cache_key)
    if rec is None:
        rec = {"name": full, "value": value, "effective": e.effective, "citation": e.citation,
               "confidence": e.confidence}
        if key is not None:
            rec["key"] = key
        remember(_RECORDS, cache_key, rec)
    return rec


class Tracer:
    """Collects the ordered steps of one computation."""

    __slots__ = ("steps", "P")

    def __init__(self):
        self.steps: list[dict] = []
        self.P = parameters()

    def step(self, rule: str, **inputs: Any) -> Step:
        s = Step(self.P, rule, inputs)
        self.steps.append(s.data)
        return s

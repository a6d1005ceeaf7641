"""Trace steps: which rule ran, on what inputs, which parameters it read (value, effective date, citation)
and what it concluded. Steps are plain dicts (JSON-ready); the explain package renders them in zh/en."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from rules_engine.params import CACHE_LIMIT, parameters


_RECORDS: dict[tuple, dict] = {}


class Step:
    """One trace step under construction. Rules read parameters through it so that every number used is recorded."""

    __slots__ = ("data", "_P")

    def __init__(self, P, rule: str, inputs: dict):
        self._P = P
        self.data = {"rule": rule, "inputs": inputs, "parameters": [], "conclusion_key": "", "values": {}}

    def _entry(self, name: str, on: _dt.date, province: str | None, allow_null: bool):
        return self._P.lookup(name, on, province, allow_null)

    def param(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False) -> Any:
        """Value of parameter ``name`` on ``on`` (the province's own value when it sets one), recorded in the trace."""
        full, e = self._entry(name, on, province, allow_null)
        self._record(full, e, e.value)
        return e.value

    def table(self, name: str, on: _dt.date, key: float, province: str | None = None) -> Any:
        """Row ``key`` of a step-table parameter (greatest threshold <= key); only that row is recorded."""
        full, e = self._entry(name, on, province, False)
        value = e.row(key)
        self._record(full, e, value, key=key)
        return value

    def reference(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False):
        """The whole entry (value and reference) of a parameter, recorded in the trace."""
        full, e = self._entry(name, on, province, allow_null)
        self._record(full, e, e.value)
        return e

    def _record(self, full: str, e, value: Any, key: Any = None) -> None:
        # Records are shared between traces (treat them as read-only): building a fresh dict for each of the
        # ~60 parameters an assessment reads was a third of its time.
        cache_key = (full, e.effective, key)
        rec = _RECORDS.get(cache_key)
        if rec is None:
            rec = {"name": full, "value": value, "effective": e.effective, "citation": e.citation,
                   "confidence": e.confidence}
            if key is not None:
                rec["key"] = key
            if len(_RECORDS) > CACHE_LIMIT:
                _RECORDS.clear()
            _RECORDS[cache_key] = rec
        self.data["parameters"].append(rec)

    def conclude(self, key: str, **values: Any) -> None:
        self.data["conclusion_key"] = key
        self.data["values"] = values


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

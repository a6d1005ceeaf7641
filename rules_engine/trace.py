"""Trace steps: which rule ran, on what inputs, which parameters it read (value, effective date, citation)
and what it concluded. Steps are plain dicts (JSON-ready); the explain package renders them in zh/en."""
from __future__ import annotations

import datetime as _dt
from typing import Any

from rules_engine.params import CACHE_LIMIT, parameters


_RECORDS: dict[tuple, dict] = {}
_PARAMS: dict[tuple, tuple] = {}  # (name, date, province, allow_null) -> (value, trace record)


class Step:
    """One trace step under construction. Rules read parameters through it so that every number used is recorded."""

    __slots__ = ("data", "_P", "_used")

    def __init__(self, P, rule: str, inputs: dict):
        self._P = P
        self._used = used = []
        self.data = {"rule": rule, "inputs": inputs, "parameters": used, "conclusion_key": "", "values": {}}

    def _entry(self, name: str, on: _dt.date, province: str | None, allow_null: bool):
        return self._P.lookup(name, on, province, allow_null)

    def param(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False) -> Any:
        """Value of parameter ``name`` on ``on`` (the province's own value when it sets one), recorded in the trace."""
        key = (name, on, province, allow_null)
        hit = _PARAMS.get(key)
        if hit is None:
            full, e = self._entry(name, on, province, allow_null)
            hit = (e.value, self._record_of(full, e, e.value))
            if len(_PARAMS) > CACHE_LIMIT:
                _PARAMS.clear()
            _PARAMS[key] = hit
        value, record = hit
        self._used.append(record)
        return value

    def table(self, name: str, on: _dt.date, key: float, province: str | None = None) -> Any:
        """Row ``key`` of a step-table parameter (greatest threshold <= key); only that row is recorded."""
        hit = _PARAMS.get((name, on, province, key, "row"))
        if hit is None:
            full, e = self._entry(name, on, province, False)
            value = e.row(key)
            hit = (value, self._record_of(full, e, value, key))
            _PARAMS[(name, on, province, key, "row")] = hit
        self._used.append(hit[1])
        return hit[0]

    def reference(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False):
        """The whole entry (value and reference) of a parameter, recorded in the trace."""
        hit = _PARAMS.get((name, on, province, allow_null, "entry"))
        if hit is None:
            full, e = self._entry(name, on, province, allow_null)
            hit = (e, self._record_of(full, e, e.value))
            _PARAMS[(name, on, province, allow_null, "entry")] = hit
        self._used.append(hit[1])
        return hit[0]

    def _record(self, full: str, e, value: Any, key: Any = None) -> None:
        self._used.append(self._record_of(full, e, value, key))

    @staticmethod
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
            if len(_RECORDS) > CACHE_LIMIT:
                _RECORDS.clear()
            _RECORDS[cache_key] = rec
        return rec

    def conclude(self, key: str, **values: Any) -> None:
        data = self.data
        data["conclusion_key"] = key
        data["values"] = values


class Tracer:
    """Collects the ordered steps of one computation."""

    __slots__ = ("steps", "P")

    def __init__(self):
        self.steps: list[dict] = []
        self.P = parameters()

    def step(self, rule: str, **inputs: Any) -> Step:
        # Step.__init__ inlined (one call fewer for each of the ~20 steps of an assessment)
        s = _new_step(Step)
        s._P = self.P
        s._used = used = []
        s.data = data = {"rule": rule, "inputs": inputs, "parameters": used, "conclusion_key": "", "values": {}}
        self.steps.append(data)
        return s


_new_step = object.__new__

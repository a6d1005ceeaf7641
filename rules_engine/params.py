"""Parameters as data: one YAML file per parameter, values keyed by start date, a reference on every value.

Layout (mirrors the law): ``parameters/national/<area>/<name>.yaml`` and
``parameters/provinces/<GB code>/<area>/<name>.yaml`` for values a province sets itself.
A parameter's name is its path without ``.yaml``, dots for slashes, and without the leading
``national.`` (``pension.minimum_years``); a provincial one is found with :func:`local`.

Lookup takes the value with the latest start date on or before the query date; a date before the
first value raises :class:`ParameterNotInForce` (never a silent fallback), and so does an explicit
``null`` (the rule ended) unless the caller asks for it with ``allow_null``.
Parameters are parsed once, on first use, and cached for the life of the process.
"""
from __future__ import annotations

import datetime as _dt
import os
from bisect import bisect_right
from pathlib import Path
from typing import Any

import yaml

from rules_engine.memo import CACHE_LIMIT, memo_table, remember

PARAMETERS_DIR = Path(__file__).parent / "parameters"

PARAMETER_KEYS = {"description", "description_en", "unit", "values", "documentation", "value_type"}
REQUIRED_PARAMETER_KEYS = {"description", "unit", "values"}
VALUE_KEYS = {"value", "reference", "note"}
REFERENCE_KEYS = {"title", "title_en", "number", "issuer", "article", "effective", "url", "confidence", "note"}
REQUIRED_REFERENCE_KEYS = {"title", "number", "issuer", "article", "effective", "confidence"}
CONFIDENCES = {"verified", "to_verify", "local"}
VALUE_TYPES = {"number", "boolean", "month", "date", "table"}


class ParameterError(Exception):
    """A parameter file breaks the schema (raised when the parameters are loaded)."""


class ParameterNotInForce(LookupError):
    """The parameter has no value on the date asked about."""

    def __init__(self, name: str, on: _dt.date, first: _dt.date | None):
        self.name, self.on, self.first = name, on, first
        super().__init__(f"parameter {name!r} has no value on {on.isoformat()}"
                         + (f" (first value starts {first.isoformat()})" if first else ""))


def citation_of(reference: dict) -> str:
    """Short, language-neutral citation: '国办发〔2009〕66号 第四条'."""
    parts = [reference.get("number") or reference.get("title"), reference.get("article")]
    return " ".join(p for p in parts if p and p not in ("—", "-"))


class Entry:
    """One dated value of a parameter. Table values also keep their keys sorted for bisection."""

    __slots__ = ("start", "value", "reference", "note", "citation", "effective", "keys", "confidence")

    def __init__(self, start: _dt.date, value: Any, reference: dict, note: str | None):
        self.start = start
        self.value = value
        self.reference = reference
        self.note = note
        self.citation = citation_of(reference)
        self.effective = start.isoformat()
        self.confidence = reference.get("confidence")
        self.keys = sorted(value) if isinstance(value, dict) else None

    def row(self, key: float):
        """Row of a step table: the value of the greatest threshold <= key (None below the first)."""
        i = bisect_right(self.keys, key) - 1
        return self.value[self.keys[i]] if i >= 0 else None


class Parameter:
    __slots__ = ("name", "description", "description_en", "unit", "value_type", "entries", "_ordinals", "path")

    def __init__(self, name: str, data: dict, path: Path):
        self.name = name
        self.path = path
        self.description = data["description"]
        self.description_en = data.get("description_en")
        self.unit = data["unit"]
        self.value_type = data.get("value_type", "number")
        entries = []
        for start, item in sorted(data["values"].items(), key=lambda kv: _as_date(kv[0], name)):
            entries.append(Entry(_as_date(start, name), item.get("value"), item["reference"], item.get("note")))
        self.entries = entries
        self._ordinals = [e.start.toordinal() for e in entries]

    def entry(self, on: _dt.date, allow_null: bool = False) -> Entry:
        i = bisect_right(self._ordinals, on.toordinal()) - 1
        if i < 0:
            raise ParameterNotInForce(self.name, on, self.entries[0].start if self.entries else None)
        e = self.entries[i]
        if e.value is None and not allow_null:
            raise ParameterNotInForce(self.name, on, None)
        return e

    def value(self, on: _dt.date):
        return self.entry(on).value


def _as_date(key: Any, name: str) -> _dt.date:
    if isinstance(key, _dt.date):
        return key
    try:
        return _dt.date.fromisoformat(str(key))
    except ValueError as exc:
        raise ParameterError(f"{name}: value key {key!r} is not a date YYYY-MM-DD") from exc


def validate_parameter_data(name: str, data: Any) -> list[str]:
    """Schema check of one parameter file; returns a list of problems (empty when the file is healthy)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return [f"{name}: top level must be a mapping"]
    for key in set(data) - PARAMETER_KEYS:
        problems.append(f"{name}: unknown key {key!r}")
    for key in REQUIRED_PARAMETER_KEYS - set(data):
        problems.append(f"{name}: missing {key!r}")
    if data.get("value_type", "number") not in VALUE_TYPES:
        problems.append(f"{name}: value_type must be one of {sorted(VALUE_TYPES)}")
    values = data.get("values")
    if not isinstance(values, dict) or not values:
        problems.append(f"{name}: 'values' must be a non-empty mapping of start date -> {{value, reference}}")
        return problems
    for start, item in values.items():
        where = f"{name} @ {start}"
        try:
            _as_date(start, name)
        except ParameterError as exc:
            problems.append(str(exc))
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a mapping with 'value' and 'reference'")
            continue
        for key in set(item) - VALUE_KEYS:
            problems.append(f"{where}: unknown key {key!r}")
        if "value" not in item:
            problems.append(f"{where}: missing 'value' (write null where a rule ends)")
        ref = item.get("reference")
        if not isinstance(ref, dict):
            problems.append(f"{where}: missing 'reference'")
            continue
        for key in set(ref) - REFERENCE_KEYS:
            problems.append(f"{where}: unknown reference key {key!r}")
        for key in REQUIRED_REFERENCE_KEYS - set(ref):
            problems.append(f"{where}: reference lacks {key!r}")
        if ref.get("confidence") not in CONFIDENCES:
            problems.append(f"{where}: confidence must be one of {sorted(CONFIDENCES)}")
    return problems


class ParameterSet:
    """All parameters, parsed once."""

    def __init__(self, root: Path = PARAMETERS_DIR):
        self.root = root
        self.parameters: dict[str, Parameter] = {}
        self._cache: dict[tuple, tuple] = memo_table()
        problems: list[str] = []
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        for dirpath, _dirs, files in os.walk(root):
            for fname in sorted(files):
                if not fname.endswith(".yaml"):
                    continue
                path = Path(dirpath) / fname
                rel = path.relative_to(root).with_suffix("")
                parts = rel.parts[1:] if rel.parts[0] == "national" else rel.parts
                name = ".".join(parts)
                with open(path, encoding="utf-8") as fh:
                    data = yaml.load(fh, Loader=loader)
                found = validate_parameter_data(name, data)
                if found:
                    problems.extend(f"{path}: {p}" for p in found)
                    continue
                self.parameters[name] = Parameter(name, data, path)
        if problems:
            raise ParameterError("invalid parameter files:\n  " + "\n  ".join(problems))

    def lookup(self, name: str, on: _dt.date, province: str | None = None, allow_null: bool = False):
        """(full name, entry) for a parameter on a date, memoised: an assessment reads the same few dates again and
        again, and parameters never change while the process runs."""
        key = (name, on, province, allow_null)
        hit = self._cache.get(key)
        if hit is None:
            full = self.local_name(province, name) if province else name
            hit = remember(self._cache, key, (full, self[full].entry(on, allow_null)))
        return hit

    def __getitem__(self, name: str) -> Parameter:
        try:
            return self.parameters[name]
        except KeyError:
            raise KeyError(f"no parameter named {name!r} under {self.root}") from None

    def __contains__(self, name: str) -> bool:
        return name in self.parameters

    def local_name(self, province: str | None, name: str) -> str:
        """The provincial parameter's name when that province sets one, else the national name."""
        if province:
            local = f"provinces.{province}.{name}"
            if local in self.parameters:
                return local
        return name


_PARAMETERS: ParameterSet | None = None


def parameters() -> ParameterSet:
    """The process-wide parameter set, loaded on first use."""
    global _PARAMETERS
    if _PARAMETERS is None:
        _PARAMETERS = ParameterSet()
    return _PARAMETERS


def table_lookup(table: dict, key: float):
    """Value of a step table {threshold: value}: the entry with the greatest threshold <= key (None if below)."""
    keys = sorted(table)
    i = bisect_right(keys, key) - 1
    return table[keys[i]] if i >= 0 else None

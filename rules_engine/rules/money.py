"""Contribution money: which base applies to each month, and what the individual account and the employer paid.

These helpers price periods month by month in segments between parameter change dates (few per period), so
that a rate change (e.g. employer 20% -> 16% on 2019-05-01) applies exactly from its month.
When a period has no ``base``, the base is assumed to be ``contribution_base_floor_ratio`` x the province's
average wage, scaled back to the year with the national average-wage series: an estimate, flagged as such.
"""
from __future__ import annotations

import datetime as _dt
from bisect import bisect_right

from rules_engine import months as M
from rules_engine.memo import memo_table, remember
from rules_engine.params import ParameterNotInForce
from rules_engine.trace import Step


def average_wage(step: Step, province: str, on: _dt.date, override: float | None = None) -> dict:
    """The province's average monthly wage (pension calculation base) in force on ``on``, or the user's figure."""
    if override:
        return {"value": float(override), "source": "user", "confidence": "user", "year": None}
    try:
        entry = step.reference("pension.average_wage", on, province=province)
    except (ParameterNotInForce, KeyError):
        return {"value": None, "source": "missing", "confidence": "missing", "year": None}
    year = step.param("pension.average_wage_reference_year", on)
    return {"value": float(entry.value), "source": "parameter", "confidence": entry.reference["confidence"],
            "year": year}


_SCALES = memo_table()  # (year, reference year, date) -> (scale, trace records)


def wage_scale(step: Step, year: int, reference_year: int, on: _dt.date) -> float:
    """National average wage of ``year`` relative to ``reference_year`` (1.0 when either is outside the series);
    the two rows read are recorded in ``step``."""
    key = (year, reference_year, on)
    hit = _SCALES.get(key)
    if hit is None:
        scratch = step.scratch()
        hit = remember(_SCALES, key, (_wage_scale(scratch, year, reference_year, on), scratch.records))
    step.add_records(hit[1])
    return hit[0]


def _wage_scale(step: Step, year: int, reference_year: int, on: _dt.date) -> float:
    try:
        a = step.table("pension.national_average_wage", on, year)
        b = step.table("pension.national_average_wage", on, reference_year)
    except ParameterNotInForce:
        return 1.0
    if not a or not b:
        return 1.0
    return min(1.0, a / b)


_CHANGE_MONTHS = memo_table()  # parameter names -> sorted months in which one of them changes


def _change_months(step: Step, names: tuple[str, ...]) -> list[int]:
    """Months in which one of the parameters takes a new value (a rate applies to a month when it is in force on
    the month's first day)."""
    months = _CHANGE_MONTHS.get(names)
    if months is None:
        found = set()
        for name in names:
            for start in step.change_dates(name):
                found.add(M.of_date(start) + (0 if start.day == 1 else 1))
        months = remember(_CHANGE_MONTHS, names, sorted(found))
    return months


RATE_NAMES = ("pension.individual_account_rate", "pension.employer_rate")


_RATES = memo_table()  # month index -> (account rate, employer rate, trace records) or None
_MISSING = object()


def _rates_in_month(step: Step, month: int):
    """(account rate, employer rate, their trace records) in force on the first day of ``month``, or None.
    Historical rates depend only on the month, so they are looked up once per month for the whole process."""
    hit = _RATES.get(month, _MISSING)
    if hit is _MISSING:
        day = M.first_day(month)
        scratch = step.scratch()
        try:
            account_rate = scratch.param(RATE_NAMES[0], day)
            employer_rate = scratch.param(RATE_NAMES[1], day)
            hit = (account_rate, employer_rate, scratch.records)
        except ParameterNotInForce:
            hit = None
        remember(_RATES, month, hit)
    return hit


def price_period(step: Step, period: dict, since_month: int | None, pooled_rate: float | None,
                 assumed_base: float | None) -> dict:
    """Money for one employees' pension period: account credits, employer money paid, pooled part transferable
    (``pooled_rate`` x base for months from ``since_month``). Records the rates it used in ``step``.
    Without a base, ``assumed_base`` is scaled to each calendar year with ``period["scale"]``."""
    s, e = period["s"], period["e"]
    base = period.get("base")
    estimated = base is None
    out = {"account": 0.0, "employer": 0.0, "transferable": 0.0, "months": e - s + 1, "months_unpriced": 0,
           "estimated": estimated and assumed_base is not None}
    if base is None and assumed_base is None:
        out["months_unpriced"] = e - s + 1
        return out
    changes = _change_months(step, RATE_NAMES)
    inner = changes[bisect_right(changes, s):bisect_right(changes, e)]  # sorted, distinct, all after s
    if estimated or (since_month is not None and s < since_month <= e):
        points = {s}
        points.update(inner)
        if since_month is not None and s < since_month <= e:
            points.add(since_month)
        if estimated:
            points.update(range((s // 12 + 1) * 12, e // 12 * 12 + 1, 12))
            scale = period["scale"]
        points = sorted(points)
        points.append(e + 1)
    else:
        points = [s, *inner, e + 1]
    recorded: set[int] = set()
    account = employer = transferable = 0.0
    unpriced = 0
    transfer_from = since_month if pooled_rate is not None and since_month is not None else None
    a = points[0]
    for b in points[1:]:
        n = b - a
        rates = _rates_in_month(step, a)
        if rates is None:
            unpriced += n
            a = b
            continue
        account_rate, employer_rate, records = rates
        if id(records) not in recorded:
            recorded.add(id(records))
            step.add_records(records)
        month_base = base if base is not None else assumed_base * scale.get(a // 12, 1.0)
        account += month_base * account_rate * n
        employer += month_base * employer_rate * n
        if transfer_from is not None and a >= transfer_from:
            transferable += month_base * pooled_rate * n
        a = b
    out["account"] += account
    out["employer"] += employer
    out["transferable"] += transferable
    out["months_unpriced"] += unpriced
    return out


def assumed_base_for(step: Step, province: str, on: _dt.date, index: float | None = None) -> tuple[float | None, int | None]:
    """Base assumed when a period has none: index (default: the floor ratio) x the province's average wage."""
    wage = average_wage(step, province, on)
    if wage["value"] is None:
        return None, None
    ratio = index if index is not None else step.param("pension.contribution_base_floor_ratio", on)
    return wage["value"] * ratio, wage["year"]


def attach_scales(step: Step, periods: list[dict], reference_year: int | None, on: _dt.date) -> None:
    """For periods without a base: per-year factor scaling today's wage back to the year of each month."""
    for p in periods:
        if p.get("base") is None and "scale" not in p:
            years = range(p["s"] // 12, p["e"] // 12 + 1)
            if reference_year:
                p["scale"] = {y: wage_scale(step, y, reference_year, on) for y in years}
            else:
                p["scale"] = {y: 1.0 for y in years}

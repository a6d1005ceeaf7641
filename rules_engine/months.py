"""Year-month arithmetic. A month is an int index: year * 12 + (month - 1)."""
from __future__ import annotations

import datetime as _dt
import re

from rules_engine.memo import memo_table, remember

_MONTH_RE = re.compile(r"^\s*(\d{4})\s*(?:[-/.年])\s*(\d{1,2})\s*(?:月)?(?:\s*[-/.]\s*\d{1,2}\s*日?)?\s*$")


def parse_month(value) -> str | None:
    """'1980-03', '1980-3', '1980/03', '1980年3月', a date or '1980-03-15' -> '1980-03'; None when not a month."""
    if isinstance(value, _dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    if not isinstance(value, str):
        return None
    m = _MONTH_RE.match(value)
    if not m:
        return None
    year, month = int(m.group(1)), int(m.group(2))
    if not 1 <= month <= 12:
        return None
    return f"{year:04d}-{month:02d}"


def index(month: str) -> int:
    """'1980-03' -> month index."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def of_date(d: _dt.date) -> int:
    return d.year * 12 + d.month - 1


_LABELS = memo_table()  # month index -> 'YYYY-MM'


def label(idx: int) -> str:
    """Month index -> 'YYYY-MM' (memoised: a pure function of the index)."""
    hit = _LABELS.get(idx)
    if hit is None:
        hit = remember(_LABELS, idx, f"{idx // 12:04d}-{idx % 12 + 1:02d}")
    return hit


def first_day(idx: int) -> _dt.date:
    return _dt.date(idx // 12, idx % 12 + 1, 1)


_YEARS = memo_table()  # months -> years, two decimals


def years(months: int) -> float:
    """round(months / 12, 2), memoised by the (whole) number of months."""
    hit = _YEARS.get(months)
    if hit is None:
        hit = remember(_YEARS, months, round(months / 12, 2))
    return hit


_ISO = memo_table()  # date -> ISO string


def iso(d: _dt.date) -> str:
    """d.isoformat(), memoised (an assessment writes its date into many trace steps)."""
    hit = _ISO.get(d)
    if hit is None:
        hit = remember(_ISO, d, d.isoformat())
    return hit


def years_months(months: int) -> dict:
    return {"years": months // 12, "months": months % 12}


def add_days(d: _dt.date, days: int) -> _dt.date:
    return d + _dt.timedelta(days=days)


def add_years(d: _dt.date, years: int) -> _dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)

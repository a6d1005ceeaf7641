"""How long someone contributed: "八年多" → 8 years (at least), "三年半" → 42 months, "两年零三个月" → 27 months,
"18个月", "5 years", and year ranges ("2008年到2016年", "2019年至今")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .numbers import normalize


@dataclass(frozen=True)
class Duration:
    months: int
    at_least: bool = False      # "八年多", "十来年": the person said "more than"
    start: str | None = None    # "YYYY-MM" when given as a range
    end: str | None = None      # "YYYY-MM" (inclusive) when given as a range
    span: tuple[int, int] = (0, 0)   # character span in the normalized text


_MORE = r"(多|来|出头|余|以上|左右|几个月|\+|plus|or so|or more|something)?"
_YEARS_MONTHS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:年|个年头|years?|yrs?)\s*(半|多|来|出头|余)?\s*(?:零|又|and)?\s*(\d+)\s*(?:个)?\s*(?:多)?\s*(?:月|months?)(?!份)",
    re.IGNORECASE,
)
_YEARS = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:个)?\s*(多|来)?\s*(?:年|个年头|years?|yrs?)(?!\s*\d{1,2}\s*月)\s*(半)?" + _MORE,
    re.IGNORECASE,
)
_HALF_YEAR = re.compile(r"(?<!\d)半年|half a year|six months", re.IGNORECASE)
_MONTHS = re.compile(r"(\d+)\s*(?:个\s*(多)?\s*月|months?)" + _MORE, re.IGNORECASE)
_RANGE = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*(?:年)?\s*(?:(\d{1,2})\s*月)?\s*(?:"
    r"(?:到|至|-|~|—|–|to|until|till)\s*(?:((?:19|20)\d{2})\s*(?:年)?\s*(?:(\d{1,2})\s*月)?|(现在|今年|今天|now|today|present))"
    r"|(至今|到现在|到今天|以来|到今年))",
    re.IGNORECASE,
)
_SINCE = re.compile(r"(?<!\d)(?:从|since\s+|from\s+)((?:19|20)\d{2})\s*年?\s*(?:(\d{1,2})\s*月)?\s*(?:开始|起|以来|到现在|至今)?",
                    re.IGNORECASE)


def _year_month(year: str, month: str | None, default_month: int) -> tuple[int, int]:
    return int(year), int(month) if month else default_month


def _months_between(start: tuple[int, int], end: tuple[int, int]) -> int:
    return (end[0] - start[0]) * 12 + end[1] - start[1] + 1


def find_durations(text: str, today: date | None = None, *, normalized: bool = False) -> list[Duration]:
    """All durations and year ranges in the order they appear (spans refer to the normalized text)."""
    today = today or date.today()
    norm = text if normalized else normalize(text)
    found: list[Duration] = []
    taken: list[tuple[int, int]] = []

    def free(span: tuple[int, int]) -> bool:
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    def add(duration: Duration) -> None:
        if duration.months > 0 and free(duration.span):
            found.append(duration)
            taken.append(duration.span)

    for match in _RANGE.finditer(norm):
        start = _year_month(match.group(1), match.group(2), 1)
        if match.group(5) or match.group(6):
            end = (today.year, today.month)
        else:
            end = _year_month(match.group(3), match.group(4), 12)
        if end < start or end > (today.year, today.month):
            continue
        add(Duration(_months_between(start, end), False, f"{start[0]:04d}-{start[1]:02d}",
                     f"{end[0]:04d}-{end[1]:02d}", match.span()))
    for match in _SINCE.finditer(norm):
        start = _year_month(match.group(1), match.group(2), 1)
        end = (today.year, today.month)
        if start <= end:
            add(Duration(_months_between(start, end), False, f"{start[0]:04d}-{start[1]:02d}",
                         f"{end[0]:04d}-{end[1]:02d}", match.span()))
    for match in _YEARS_MONTHS.finditer(norm):
        years = float(match.group(1))
        if years > 60:  # "2019年3月" is a date
            continue
        months = round(years * 12) + int(match.group(3)) + (6 if match.group(2) == "半" else 0)
        add(Duration(months, False, span=match.span()))
    for match in _YEARS.finditer(norm):
        years = float(match.group(1))
        if years > 60:  # "1980年" is a year, not a duration
            continue
        months = round(years * 12) + (6 if match.group(3) else 0)
        at_least = bool(match.group(2) or match.group(4)) and match.group(4) not in ("左右", "or so")
        add(Duration(months, at_least, span=match.span()))
    for match in _MONTHS.finditer(norm):
        months = int(match.group(1))
        if months > 720:
            continue
        add(Duration(months, bool(match.group(2) or match.group(3)) and match.group(3) not in ("左右", "or so"),
                     span=match.span()))
    for match in _HALF_YEAR.finditer(norm):
        add(Duration(6, False, span=match.span()))
    return sorted(found, key=lambda d: d.span[0])


def parse_duration(text: str | None, today: date | None = None) -> Duration | None:
    """The total of all durations in the answer, or None ("八年多" → 96 months, at least)."""
    durations = find_durations(text or "", today)
    if not durations:
        return None
    return Duration(sum(d.months for d in durations), any(d.at_least for d in durations))

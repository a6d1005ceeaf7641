"""Where and how long someone contributed: "广东东莞八年多，浙江三年" → two insured periods.

Periods given as durations are laid back to back ending in the current month, in the order given (the last one
named is the most recent); each such period is marked `estimated` so the answer can say so. Year ranges
("2008年到2016年在东莞") keep their own dates.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .common import clip
from .durations import Duration, find_durations
from .places import Place, find_places


@dataclass
class PeriodsParse:
    periods: list[dict] = field(default_factory=list)
    problem: str | None = None     # "no_place" | "no_duration" | None (nothing recognised when periods is empty)
    estimated: bool = False        # True when some dates were laid back to back from durations
    missing_duration_place: Place | None = None


def _merge_city_with_province(places: list[Place], text: str) -> list[Place]:
    """"广东东莞", "广东省东莞市", "广东的东莞" are one place."""
    merged: list[Place] = []
    for place in places:
        if merged:
            last = merged[-1]
            gap = text[last.end:place.start]
            if (last.province == place.province and re.fullmatch(r"[\s,，的省市]{0,2}", gap)
                    and (last.city is None or place.city is None)):
                merged[-1] = Place(last.province, last.city or place.city, last.start, place.end)
                continue
        merged.append(place)
    return merged


def _month_index(year_month: str) -> int:
    year, month = year_month.split("-")
    return int(year) * 12 + int(month) - 1


def _year_month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _total(durations: list[Duration]) -> Duration | None:
    if not durations:
        return None
    ranged = [d for d in durations if d.start]
    if len(durations) == 1 or ranged:
        return ranged[0] if ranged else durations[0]
    return Duration(sum(d.months for d in durations), any(d.at_least for d in durations))


def parse_periods(text: str | None, today: date | None = None) -> PeriodsParse:
    today = today or date.today()
    text = clip(text)
    places = _merge_city_with_province(find_places(text), text)
    if not places:
        return PeriodsParse(problem="no_place" if find_durations(text, today) else None)

    # Durations are searched between place names only, so "六安" or "十堰" never read as numbers.
    gaps = [text[:places[0].start]]
    gaps += [text[places[i].end:places[i + 1].start] for i in range(len(places) - 1)]
    gaps.append(text[places[-1].end:])
    found = [find_durations(gap, today) for gap in gaps]
    durations_first = bool(found[0])   # "8年在东莞，3年在苏州": the duration comes before its place
    assigned = []
    used: set[int] = set()
    for i, place in enumerate(places):
        # the gap before the place when durations come first, else the gap after; the other one if that is empty
        order = (i, i + 1) if durations_first else (i + 1, i)
        gap = next((g for g in order if found[g] and g not in used), None)
        if gap is not None:
            used.add(gap)
        assigned.append((place, _total(found[gap]) if gap is not None else None))

    for place, duration in assigned:
        if duration is None:
            return PeriodsParse(problem="no_duration", missing_duration_place=place)

    now = today.year * 12 + today.month - 1
    ranged_starts = [_month_index(d.start) for _, d in assigned if d.start]
    # the block of durations ends this month, or just before the earliest dated period when they were named first
    first_range_position = next((i for i, (_, d) in enumerate(assigned) if d.start), None)
    end = now
    if first_range_position is not None and first_range_position > 0 and ranged_starts:
        end = min(ranged_starts) - 1
    periods: list[dict] = [{} for _ in assigned]
    estimated = False
    for i in range(len(assigned) - 1, -1, -1):
        place, duration = assigned[i]
        if duration.start:
            start_index, end_index = _month_index(duration.start), _month_index(duration.end)
        else:
            if first_range_position is not None and i > first_range_position:
                continue  # laid after the dated periods below
            start_index, end_index = end - duration.months + 1, end
            end = start_index - 1
            estimated = True
        periods[i] = _period(place, duration, start_index, end_index, not duration.start)
    if first_range_position is not None:
        # durations named after a dated period follow one another up to this month
        tail = [i for i in range(first_range_position + 1, len(assigned)) if not assigned[i][1].start]
        end = now
        for i in reversed(tail):
            place, duration = assigned[i]
            periods[i] = _period(place, duration, end - duration.months + 1, end, True)
            end -= duration.months
            estimated = True
    return PeriodsParse(periods=periods, estimated=estimated)


def _period(place: Place, duration: Duration, start_index: int, end_index: int, estimated: bool) -> dict:
    return {
        "province": place.province,
        "city": place.city,
        "months": end_index - start_index + 1,
        "start": _year_month(start_index),
        "end": _year_month(end_index),
        "at_least": duration.at_least,
        "estimated": estimated,
    }

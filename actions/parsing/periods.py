"""Where and when someone contributed: "08年到16年在东莞，17年到现在在宁波" → two insured periods.

Each place named (not the hukou, not a birthplace) gets the time expressions around it: the stretch before it when
the answer puts times first ("8年在东莞，3年在苏州"), else the stretch after; a comma or a word such as 后来/然后/
then splits the stretch between two places. Dated periods keep their dates; a start alone runs to the next period
or to now; durations alone are laid back to back ending in the current month (the last one named is the most
recent) and marked `estimated`. Readings that could be wrong are marked unsure (the form shows them and asks), and
impossible ones (in the future, before 16) are refused with what was understood.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from .common import clip
from .masks import without_other_facts
from .places import DISTRICTS, Place, find_places, is_hukou_mention
from .timeline import TimeToken, find_time_tokens, month_index

MIN_WORKING_AGE = 16
_DISTRICT_NAMES = {name for names in DISTRICTS.values() for name in names}

_SEPARATOR = re.compile(
    r"[,，。;；、!！?？\n]+|(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff\d])(?![年月个])|"
    r"后来|然后|接着|再后来|之后又|又去|再去|又到|又跑|换到|转到|跳槽|(?<![到至])现在|(?<![到至])目前|(?<![到至])如今|"
    r"\bthen\b|\bafter that\b|\blater\b|(?<!\d)\s+and\s+(?!\d)|\bnow\b|\bcurrently\b",
    re.IGNORECASE,
)


@dataclass
class PeriodsParse:
    periods: list[dict] = field(default_factory=list)
    problem: str | None = None     # "no_place" | "no_duration" | "future" | "before_working_age" | "unreadable"
    estimated: bool = False        # True when some dates were laid back to back from durations
    missing_duration_place: Place | None = None
    unsure: list[str] = field(default_factory=list)   # why the reading could be wrong: ask before recording
    understood: list[dict] = field(default_factory=list)  # the reading refused for `problem`, to show the user
    known: list[dict] = field(default_factory=list)   # with "no_duration": the periods of the other places


@dataclass
class _Item:
    place: Place
    tokens: list[TimeToken]
    start: int | None = None
    end: int | None = None
    months: int = 0
    at_least: bool = False
    estimated: bool = False
    unsure: bool = False
    bare_year: bool = False     # "去年在东莞": a year without 开始/到, so how long is not said


def _merge_city_with_province(places: list[Place], text: str) -> list[Place]:
    """"广东东莞", "广东省东莞市", "广东的东莞", "深圳宝安" are one place."""
    merged: list[Place] = []
    for place in places:
        if merged:
            last = merged[-1]
            gap = text[last.end:place.start]
            if (last.province == place.province and re.fullmatch(r"[\s,，的省市]{0,2}", gap)
                    and (last.city is None or place.city is None or place.city in _DISTRICT_NAMES)):
                merged[-1] = Place(last.province, last.city or place.city, last.start, place.end)
                continue
        merged.append(place)
    return merged


def _year_month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


_BIRTHPLACE = re.compile(r"(出生在|出生于|生在|born in)\s*$", re.IGNORECASE)


def work_places(text: str) -> list[Place]:
    """Places of work in the text: the hukou, the birthplace and places inside a birth or wage phrase are left out."""
    cleaned = without_other_facts(text)
    places = _merge_city_with_province(find_places(text), text)
    return [p for p in places if not is_hukou_mention(text, p) and cleaned[p.start:p.end].strip()
            and not _BIRTHPLACE.search(text[max(0, p.start - 8):p.start])]


def _split(mid: str, times_first: bool, today: date) -> tuple[list[TimeToken], list[TimeToken]]:
    """The stretch between two places → (tokens about the place before, tokens about the place after)."""
    stripped = mid.strip()
    offset = mid.find(stripped) if stripped else 0
    separators = list(_SEPARATOR.finditer(stripped))
    if separators:
        cut = offset + (separators[0] if times_first else separators[-1]).start()
        return find_time_tokens(mid[:cut], today), find_time_tokens(mid[cut:], today)
    tokens = find_time_tokens(mid, today)
    if times_first:
        return [], tokens
    # no separator ("在上海09年到15年交的社保16年开始在苏州"): the place before takes one description
    for k in range(1, len(tokens)):
        if _complete(tokens[:k]) and tokens[k].kind in ("range", "start", "point", "maybe", "duration"):
            return tokens[:k], tokens[k:]
    return tokens, []


def _complete(tokens: list[TimeToken]) -> bool:
    kinds = [t.kind for t in tokens]
    return ("range" in kinds or "duration" in kinds
            or (any(k in ("start", "point", "maybe") for k in kinds) and "end" in kinds))


def parse_periods(text: str | None, today: date | None = None, birth: str | None = None) -> PeriodsParse:
    """The insured periods in an answer; `birth` ("YYYY-MM") enables the working-age check."""
    today = today or date.today()
    text = clip(text)
    cleaned = without_other_facts(text)
    places = work_places(text)
    if not places:
        return PeriodsParse(problem="no_place" if find_time_tokens(cleaned, today) else None)

    head_tokens = find_time_tokens(cleaned[:places[0].start], today)
    times_first = bool(head_tokens)
    found: list[list[TimeToken]] = [[] for _ in places]
    found[0] += head_tokens
    for i in range(len(places) - 1):
        before, after = _split(cleaned[places[i].end:places[i + 1].start], times_first, today)
        found[i] += before
        found[i + 1] += after
    found[-1] += find_time_tokens(cleaned[places[-1].end:], today)
    places, found = _same_place_once(places, found)

    dated = any(t.kind in ("range", "start", "point") or (t.kind == "end" and t.end != _now(today))
                for tokens in found for t in tokens)
    sequence = any(tokens and all(t.kind == "end" for t in tokens) for tokens in found)
    items = []
    for place, tokens in zip(places, found):
        resolved = []
        for token in tokens:
            if token.kind != "maybe":
                resolved.append(token)
            elif dated or sequence:   # "16年在东莞" among dated periods: the year 2016, to be confirmed
                resolved.append(TimeToken("point", token.span, start=token.start, unsure=True))
            elif token.months <= 50 * 12:
                resolved.append(TimeToken("duration", token.span, months=token.months))
        items.extend(_items_for(place, resolved))
    return _lay_out(items, today, birth)


def _same_place_once(places: list[Place], found: list[list[TimeToken]]):
    """"换到杭州，现在还在杭州": a place named twice in a row is one period."""
    kept_places, kept_found = [], []
    for place, tokens in zip(places, found):
        if kept_places and (kept_places[-1].province, kept_places[-1].city) == (place.province, place.city):
            kept_found[-1] = kept_found[-1] + tokens
            continue
        kept_places.append(place)
        kept_found.append(list(tokens))
    return kept_places, kept_found


def _now(today: date) -> int:
    return month_index(today.year, today.month)


def _items_for(place: Place, tokens: list[TimeToken]) -> list[_Item]:
    """One item per dated range; otherwise one item from the start, end and durations said about the place."""
    ranges = [t for t in tokens if t.kind == "range"]
    if ranges:
        return [_Item(place, [t], start=t.start, end=t.end) for t in ranges]
    starts = [t for t in tokens if t.kind in ("start", "point")]
    ends = [t for t in tokens if t.kind == "end"]
    durations = [t for t in tokens if t.kind == "duration"]
    item = _Item(place, tokens)
    item.months = sum(t.months for t in durations)
    item.at_least = any(t.at_least for t in durations)
    item.unsure = any(t.unsure for t in starts)
    if starts:
        item.start = starts[0].start
        item.bare_year = starts[0].kind == "point"
    dated_ends = [t for t in ends if t.end is not None]
    if dated_ends:
        # an explicit year wins over "现在" said in the same stretch
        item.end = min(dated_ends, key=lambda t: (t.span[0] if t.kind == "end" else 0)).end
    if item.start is not None and item.end is None and item.months:
        item.end = item.start + item.months - 1
    elif item.end is not None and item.start is None and item.months:
        item.start = item.end - item.months + 1
        item.estimated = True
    return [item]


def _lay_out(items: list[_Item], today: date, birth: str | None) -> PeriodsParse:
    now = _now(today)
    reasons: list[str] = []
    # an end alone ("现在在宁波") starts after the period before it
    for i, item in enumerate(items):
        if item.start is None and item.end is not None and not item.months:
            previous = items[i - 1] if i else None
            if previous and previous.end is not None:
                item.start = previous.end + 1
                item.unsure = True
                reasons.append("start_after_previous")
    missing = [item for item in items if item.start is None and not item.months]
    if missing:
        rest = _lay_out([item for item in items if item not in missing], today, birth) if len(missing) < len(items) \
            else PeriodsParse()
        return PeriodsParse(problem="no_duration", missing_duration_place=missing[0].place, known=rest.periods)
    # from the most recent backwards: open ends reach the next period (or now), durations are laid back to back
    cursor = now
    estimated = False
    for item in reversed(items):
        if item.start is not None and item.end is not None:
            cursor = min(cursor, item.start - 1)
            continue
        if item.start is not None:                     # a start alone
            if item.bare_year and cursor == now and item.start // 12 < now // 12:
                item.unsure = True                     # "去年在东莞": still there, or only that year?
                reasons.append("open_end")
            item.end = max(cursor, item.start) if cursor >= item.start else item.start
            if cursor < item.start:
                item.unsure = True
                reasons.append("overlap")
            cursor = item.start - 1
            continue
        item.end = cursor                              # a duration alone
        item.start = cursor - item.months + 1
        item.estimated = estimated = True
        cursor = item.start - 1
    if any(item.unsure for item in items) and "unsure_year" not in reasons and not reasons:
        reasons.append("unsure_year")
    if any(item.end < item.start for item in items):
        if any(item.start > now for item in items):
            for item in items:
                item.end = max(item.end, item.start)    # shown as said: from the (future) start
            return PeriodsParse(problem="future", understood=[_period(i) for i in items])
        return PeriodsParse(problem="unreadable")      # "去年在深圳到08年": ends before it starts
    reasons += _overlaps(items)
    periods = [_period(item) for item in items]
    problem = _impossible(items, now, birth)
    if problem:
        return PeriodsParse(problem=problem, understood=periods)
    return PeriodsParse(periods=periods, estimated=estimated, unsure=reasons)


def _overlaps(items: list[_Item]) -> list[str]:
    """Two periods in the same months ("08年到16年在东莞，16年到现在在宁波"): the later one is taken to start after
    the earlier one ends, and the reading is marked unsure."""
    reasons = []
    ordered = sorted(items, key=lambda item: item.start)
    for earlier, later in zip(ordered, ordered[1:]):
        if later.start <= earlier.end:
            if later.end > earlier.end:
                later.start = earlier.end + 1
            reasons.append("overlap")
    return reasons


def _impossible(items: list[_Item], now: int, birth: str | None) -> str | None:
    if any(item.end > now or item.start > now for item in items):
        return "future"
    if birth and re.fullmatch(r"\d{4}-\d{2}", birth):
        year = int(birth[:4])
        # by year: a period said as "1996年开始" may well start after the 16th birthday in that year
        if any(item.start // 12 < year + MIN_WORKING_AGE for item in items):
            return "before_working_age"
    return None


def _period(item: _Item) -> dict:
    return {
        "province": item.place.province,
        "city": item.place.city,
        "months": item.end - item.start + 1,
        "start": _year_month(item.start),
        "end": _year_month(item.end),
        "at_least": item.at_least,
        "estimated": item.estimated,
    }

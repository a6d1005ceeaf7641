"""Time expressions in one stretch of a work-history answer: ranges ("08年到16年", "2010-2020", "from 2010 to 2020"),
starts ("2017年开始", "since 2021", "去年起"), ends ("到现在", "至今", "一直", "现在还在", "until 2016"), bare years
("08年在东莞") and durations ("八年多", "半年", "18个月", "3 years").

Months are counted as one index, year * 12 + month - 1. A two-digit year ("08年", "〇八年", "零八年") is the most
recent such year that is not in the future; a bare "16年" with nothing around it that says "year" is a duration
("在东莞16年") unless the answer dates its other periods, then it is a year and marked unsure.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .durations import find_durations
from .numbers import normalize

_CN_DIGIT = {"〇": "0", "零": "0", "一": "1", "二": "2", "三": "3", "四": "4", "五": "5", "六": "6", "七": "7",
             "八": "8", "九": "9"}
# "〇八年", "一六年": a year written digit by digit. Adjacent pairs such as "七八年" (seven or eight years) are left
# to the numeral reader, except in a range or with a start word, where they are years ("一二年到一六年").
_CN_YEAR_PAIR = re.compile(r"(?<![〇零一二三四五六七八九十百千万两\d])([〇零一二三四五六七八九]{2})(?=\s*年)")
_YEAR_CONTEXT_AFTER = re.compile(r"\s*年\s*(?:\S{0,4}?月份?)?\s*(?:到|至|-|—|~|～|开始|起|以来|以后|之后|底|初)")
_ASCENDING = {a + b for a, b in zip("一二三四五六七八", "二三四五六七八九")}
_RELATIVE_YEARS = (("大前年", 3), ("前年", 2), ("去年", 1), ("今年", 0), ("this year", 0), ("last year", 1))
# words the numeral reader would change ("一直" → "1直")
_PROTECT = (("一直", "始终"), ("一共", "共"), ("一起", "同时"), ("一下", "下"), ("一样", "同样"),
            # typos of voice input and quick typing
            ("现再", "现在"), ("开使", "开始"), ("至金", "至今"), ("一值", "始终"), ("以直", "始终"), ("到先在", "到现在"))
_DOTTED_YEAR_MONTH = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s*[./]\s*(\d{1,2})(?![\d.])")
_EN_AND_A_HALF = re.compile(r"(\d+)\s*(years?)\s+and\s+a\s+half", re.IGNORECASE)
_SOME = re.compile(r"(\d+)几(?=\s*(?:年|个月))")
_EN_MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
              "nov": 11, "dec": 12}
_EN_MONTH_YEAR = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*,?\s*((?:19|20)\d{2})\b",
                            re.IGNORECASE)

_Y = r"(?:19|20)\d{2}|\d{1,2}"
_NOT_A_YEAR_AFTER = r"(?!\s*(?:岁|个|万|千|百|块|元|号|日|%|k\b|多|来|半|yuan|years?\s+old))"
_MONTH = r"(?:\s*(?P<{0}>\d{{1,2}})\s*月份?)?(?P<{0}x>底|初|末)?"
_NOW = r"现在|目前|如今|今天|今(?![年天])|now|today|present|the present|date"
_RANGE = re.compile(
    rf"(?P<from>从|自|打|由|from\s+|between\s+)?(?<![\d.])(?P<y1>{_Y})(?![\d.])\s*(?P<n1>年)?{_MONTH.format('m1')}\s*"
    rf"(?:的时候)?(?:(?:始终|就)?(?:干|做|交|待|呆|在那|打工|上班|干活)?(?:到|至|直到)|~|～|-|—|–|－|\bto\b|\buntil\b|"
    rf"\btill\b|\bthrough\b|\band\b)\s*"
    rf"(?:(?P<y2>{_Y})(?![\d.])\s*(?P<n2>年)?{_MONTH.format('m2')}{_NOT_A_YEAR_AFTER}|(?P<now>{_NOW}))",
    re.IGNORECASE,
)
_START = re.compile(
    rf"(?P<from>从|自|打|since\s+|starting\s+(?:in\s+|from\s+)?|from\s+|in\s+)?(?<![\d.])(?P<y>{_Y})(?![\d.])\s*"
    rf"(?P<n>年)?{_MONTH.format('m')}\s*(?:的时候)?\s*(?:才|就|刚|又|再)?\s*(?P<cue>开始|起|以来|以后|之后|后|至今|过来|过去|进厂|进的|去的|来的|去了|去(?!年)|"
    rf"on\b|onwards?\b)?{_NOT_A_YEAR_AFTER}",
    re.IGNORECASE,
)
_END = re.compile(
    rf"(?:始终|就)?(?:干|做|交|待|呆|在那)?(?:到|至|直到|until\s+|till\s+|up to\s+)(?<![\d.])(?P<y>{_Y})(?![\d.])\s*"
    rf"(?P<n>年)?{_MONTH.format('m')}{_NOT_A_YEAR_AFTER}",
    re.IGNORECASE,
)
_END_NOW = re.compile(
    r"始终到现在|始终到今天|到现在|至今|到今天|到目前|到如今|现在还在|现在也在|现在仍在|现在依然|还在交|还在那|还在这|始终在交|"
    r"始终交着|始终|现在|目前|如今|until now|till now|to date|up to now|so far|still|currently|now\b",
    re.IGNORECASE,
)
# a bare year followed by words that make it a duration ("16年了", "12年多") or preceded by them ("交了16年")
_DURATION_BEFORE = re.compile(r"(交|干|做|待|呆|打|上|了|共|有|满|近|快|约|大概|差不多|将近|总共)\s*$")


@dataclass(frozen=True)
class TimeToken:
    kind: str                    # "range" | "start" | "end" | "point" | "duration"
    span: tuple[int, int]
    start: int | None = None     # month index
    end: int | None = None       # month index, inclusive
    months: int = 0              # for durations
    at_least: bool = False       # "八年多"
    unsure: bool = False         # a reading that could be wrong: show it and ask


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def full_work_year(digits: str, today: date) -> int:
    """'08' → 2008, '95' → 1995, '8' (only in a range) → 2008: the most recent such year not in the future."""
    number = int(digits)
    if len(digits) == 4:
        return number
    return 2000 + number if number <= today.year % 100 else 1900 + number


def prepare(text: str, today: date) -> str:
    """Digit-by-digit and relative years to digits, then the numeral reader (keeps no character offsets)."""
    for word, replacement in _PROTECT:
        text = text.replace(word, replacement)
    for word, back in _RELATIVE_YEARS:
        text = re.sub(re.escape(word), f"{today.year - back}年" if word[0] not in "tl" else f"{today.year - back}",
                      text, flags=re.IGNORECASE)

    def pair(match: re.Match) -> str:
        digits = match.group(1)
        if digits in _ASCENDING and not _YEAR_CONTEXT_AFTER.match(text, match.end()) \
                and not re.search(r"(从|到|至|自)\s*$", text[:match.start()]):
            return digits
        return "".join(_CN_DIGIT[c] for c in digits)

    text = _CN_YEAR_PAIR.sub(pair, text)
    text = _EN_MONTH_YEAR.sub(lambda m: f"{m.group(2)}年{_EN_MONTHS[m.group(1)[:3].lower()]}月", text)
    text = _DOTTED_YEAR_MONTH.sub(lambda m: f"{m.group(1)}年{m.group(2)}月", text)
    text = _EN_AND_A_HALF.sub(lambda m: f"{m.group(1)}.5 {m.group(2)}", text)
    return _SOME.sub(lambda m: m.group(1) + "多", normalize(text))


def _month(value: str | None, edge: str | None, default: int) -> int | None:
    if value:
        month = int(value)
        return month if 1 <= month <= 12 else None
    if edge in ("底", "末"):
        return 12
    return 1 if edge == "初" else default


def _end_index(year: int, month: str | None, edge: str | None, today: date) -> int | None:
    default = today.month if year == today.year else 12
    found = _month(month, edge, default)
    return None if found is None else month_index(year, found)


def _plausible_year(year: int, today: date) -> bool:
    return 1950 <= year <= today.year + 5   # future years are caught by the sanity check, with a clear message


def find_time_tokens(text: str, today: date, *, prepared: bool = False) -> list[TimeToken]:
    """The time tokens of a stretch in order; bare two-digit years that may be durations are of kind "maybe"
    (with both readings: `months` as a duration, `start` as a year)."""
    norm = text if prepared else prepare(text, today)
    now = month_index(today.year, today.month)
    tokens: list[TimeToken] = []
    taken: list[tuple[int, int]] = []

    def free(span):
        return all(span[1] <= a or span[0] >= b for a, b in taken)

    def add(token: TimeToken):
        tokens.append(token)
        taken.append(token.span)

    for match in _RANGE.finditer(norm):
        y1, y2 = match.group("y1"), match.group("y2")
        word_and = norm[match.start():match.end()].lower()
        if " and " in word_and and not (match.group("from") or "").lower().startswith("between"):
            continue
        four = len(y1) == 4 and (y2 is None or len(y2) == 4)
        said_year = match.group("n1") or match.group("n2") or match.group("m1") or match.group("from")
        if not four:
            if y2 is not None and len(y2) == 1 and len(y1) <= 2:
                continue          # "3到5年": a duration, not years
            two_digit_years = len(y1) == 2 and (match.group("now") or (y2 and len(y2) == 2))
            if not said_year and not two_digit_years:
                continue
        start_year = full_work_year(y1, today)
        start_month = _month(match.group("m1"), match.group("m1x"), 1)
        if match.group("now"):
            end = now
        else:
            end_year = full_work_year(y2, today)
            if len(y2) == 2 and len(y1) == 4 and end_year < start_year:
                continue
            end = _end_index(end_year, match.group("m2"), match.group("m2x"), today)
        if start_month is None or end is None or not _plausible_year(start_year, today):
            continue
        start = month_index(start_year, start_month)
        if end < start:
            continue
        add(TimeToken("range", match.span(), start=start, end=end))

    for match in _END.finditer(norm):
        if not free(match.span()):
            continue
        year = match.group("y")
        if not (len(year) == 4 or match.group("n") or match.group("m")):
            continue
        end = _end_index(full_work_year(year, today), match.group("m"), match.group("mx"), today)
        if end is not None and _plausible_year(full_work_year(year, today), today):
            add(TimeToken("end", match.span(), end=end))

    for match in _START.finditer(norm):
        if not free(match.span()) or not match.group("y"):
            continue
        year, cue, prefix = match.group("y"), match.group("cue"), (match.group("from") or "").strip().lower()
        said_year = len(year) == 4 or match.group("n") or match.group("m")
        if not said_year:
            continue
        after = norm[match.end("n") if match.group("n") else match.end("y"):]
        if len(year) <= 2 and not match.group("m") and not cue and (re.match(r"\s*(多|半|了|来|左右|出头|以上|的社保|社保)", after)):
            continue              # "16年了", "12年多": a duration
        if len(year) <= 2 and _DURATION_BEFORE.search(norm[:match.start()]) and not prefix and not cue:
            continue              # "交了16年"
        if len(year) == 1 and not (prefix or cue):
            continue              # "8年在东莞": a duration
        full = full_work_year(year, today)
        month = _month(match.group("m"), match.group("mx"), 1)
        if month is None or not _plausible_year(full, today):
            continue
        start = month_index(full, month)
        if cue == "至今":
            add(TimeToken("range", match.span(), start=start, end=now))
        elif prefix not in ("", "in") or cue:
            add(TimeToken("start", match.span(), start=start))
        elif len(year) == 4 or year.startswith("0") or match.group("m") or int(year) > today.year % 100:
            add(TimeToken("point", match.span(), start=start))
        else:
            # "16年在东莞": a year or sixteen years; decided by the rest of the answer
            add(TimeToken("maybe", match.span(), start=start, months=int(year) * 12))

    for match in _END_NOW.finditer(norm):
        if free(match.span()):
            add(TimeToken("end", match.span(), end=now))

    blanked = list(norm)
    for a, b in taken:
        blanked[a:b] = " " * (b - a)
    for duration in find_durations("".join(blanked), today, normalized=True):
        if duration.start:
            continue               # dated ranges were read above
        add(TimeToken("duration", duration.span, months=duration.months, at_least=duration.at_least))
    return sorted(tokens, key=lambda t: t.span[0])

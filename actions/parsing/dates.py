"""Birth year-month and event dates from colloquial answers ("80年3月", "一九八零年三月", "1980.3", "上个月15号")."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from .numbers import normalize

MIN_BIRTH_YEAR = 1930
MIN_WORKING_AGE = 14

_MONTHS_EN = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}
_EN_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

# year (2 or 4 digits) and month, in the many ways people write them
_YEAR_MONTH_PATTERNS = [
    re.compile(r"(?<!\d)(\d{4}|\d{2})\s*年\s*(\d{1,2})\s*月"),                 # 1980年3月, 80年3月
    re.compile(r"(?<![\d.])(\d{4})\s*[.\-/／_]\s*(\d{1,2})(?![\d.])"),          # 1980.3 1980-03 1980/3
    re.compile(r"(?<!\d)(\d{4})(0[1-9]|1[0-2])(?!\d)"),                          # 198003
    re.compile(r"(?<![\d.])(\d{2})\s*[.\-/]\s*(\d{1,2})(?![\d.])"),             # 80.3
]
# the year and the month a few words apart: "80后，3月份生的", "80年的，3月"
_LOOSE_YEAR_MONTH = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*(?:年|后)[^\d月]{0,8}?(?<!\d)(\d{1,2})\s*月")
_AGE = re.compile(r"(?<!\d)(\d{2})\s*(?:岁|周岁|years? old)|\b(?:i'?m|i am|aged?)\s+(\d{2})\b(?!\s*(?:years?(?! old)|yrs|months?))",
                  re.IGNORECASE)
_MONTH_YEAR_PATTERNS = [
    re.compile(r"(?<![\d./])(\d{1,2})\s*[/\-.]\s*(\d{4})(?!\d)"),              # 3/1980
]
_EN_MONTH_YEAR = re.compile(_EN_MONTH + r"\.?\s*,?\s*(\d{4})", re.IGNORECASE)   # March 1980
_EN_YEAR_MONTH = re.compile(r"(\d{4})\s*,?\s*" + _EN_MONTH, re.IGNORECASE)       # 1980 March
_YEAR_ONLY = re.compile(r"(?<!\d)(\d{4}|\d{2})\s*(年|后)(?!\s*\d{1,2}\s*月)|(?<!\d)(19\d{2}|20\d{2})(?!\d)")


@dataclass(frozen=True)
class BirthParse:
    value: str | None = None      # "YYYY-MM"
    problem: str | None = None    # "need_month" | "out_of_range" | None (nothing recognised)
    year: int | None = None       # the year when only the year was given
    age: int | None = None        # the age when only an age was given ("今年52岁"): born in one of two years


def _full_year(two_or_four: str, today: date) -> int:
    year = int(two_or_four)
    if len(two_or_four) == 4:
        return year
    # "80年" is 1980, "05年" is 2005: a two-digit year is the most recent one that leaves a working-age person
    century = 2000 if year <= (today.year - MIN_WORKING_AGE) % 100 else 1900
    return century + year


def _check(year: int, month: int, today: date) -> BirthParse:
    if not 1 <= month <= 12:
        return BirthParse(problem="out_of_range")
    if not (MIN_BIRTH_YEAR <= year <= today.year - MIN_WORKING_AGE):
        return BirthParse(problem="out_of_range")
    return BirthParse(value=f"{year:04d}-{month:02d}")


def parse_birth(text: str | None, today: date | None = None) -> BirthParse:
    """Birth year and month; a year alone asks for the month; impossible dates are out of range."""
    today = today or date.today()
    raw = text or ""
    norm = normalize(raw)
    for pattern in _YEAR_MONTH_PATTERNS:
        match = pattern.search(norm)
        if match:
            return _check(_full_year(match.group(1), today), int(match.group(2)), today)
    for pattern in _MONTH_YEAR_PATTERNS:
        match = pattern.search(norm)
        if match:
            return _check(int(match.group(2)), int(match.group(1)), today)
    match = _EN_MONTH_YEAR.search(norm)
    if match:
        return _check(int(match.group(2)), _MONTHS_EN[match.group(1)[:3].lower()], today)
    match = _EN_YEAR_MONTH.search(norm)
    if match:
        return _check(int(match.group(1)), _MONTHS_EN[match.group(2)[:3].lower()], today)
    match = _LOOSE_YEAR_MONTH.search(norm)
    if match:
        return _check(_full_year(match.group(1), today), int(match.group(2)), today)
    match = _YEAR_ONLY.search(norm)
    if match:
        year = _full_year(match.group(1) or match.group(3), today)
        if MIN_BIRTH_YEAR <= year <= today.year - MIN_WORKING_AGE:
            return BirthParse(problem="need_month", year=year)
        return BirthParse(problem="out_of_range")
    if match := _AGE.search(norm):
        age = int(match.group(1) or match.group(2))
        if MIN_WORKING_AGE <= age <= today.year - MIN_BIRTH_YEAR:
            return BirthParse(problem="need_month", age=age)   # born in today.year - age or the year before
        return BirthParse(problem="out_of_range")
    return BirthParse()


_CLAUSE_SPLIT = re.compile(r"[，,。;；!！?？\n]+")
_BIRTH_WORDS = re.compile(r"生|born|birth", re.IGNORECASE)
# "2000年1月到2009年12月在湖南交": a span of insured work, never a birth date
_DATE_RANGE = re.compile(r"\d{2,4}\s*年(?:\s*\d{1,2}\s*月)?\s*(?:到|至|~|～|-|—)\s*\d{2,4}\s*年(?:\s*\d{1,2}\s*月)?"
                         r"|\d{4}\s*(?:-|–|to)\s*\d{4}", re.IGNORECASE)


def parse_stated_birth(text: str | None, today: date | None = None) -> BirthParse:
    """The birth in a message that may also name years of work ("男的，75年生的，在东莞交了12年"): the clause that says
    born (生/born) decides; without one, the message with its date ranges (periods of work) left out."""
    raw = text or ""
    for clause in _CLAUSE_SPLIT.split(raw):
        if _BIRTH_WORDS.search(clause):
            found = parse_birth(clause, today)
            if found.value or found.year or found.problem == "out_of_range":
                return found
    return parse_birth(_DATE_RANGE.sub(" ", raw), today)


# ---- dates of events (an accident): absolute or relative to today ----
_FULL_DATE = re.compile(r"(?<!\d)(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})\s*[日号]?")
_MONTH_DAY = re.compile(r"(?<!\d)(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")
_DAY_ONLY = re.compile(r"(?<!\d)(\d{1,2})\s*[日号]")
_DAYS_AGO = re.compile(r"(\d+)\s*(天|日)(之?前)|(\d+)\s*days?\s+ago", re.IGNORECASE)
_WEEKS_AGO = re.compile(r"(\d+)\s*(个)?(星期|周|礼拜)(之?前)|(\d+)\s*weeks?\s+ago", re.IGNORECASE)
_MONTHS_AGO = re.compile(r"(\d+)\s*个月(之?前)|(\d+)\s*months?\s+ago", re.IGNORECASE)
_EN_DATE = re.compile(r"(\d{1,2})\s+" + _EN_MONTH + r"\.?,?\s*(\d{4})?|" + _EN_MONTH + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s*(\d{4})?",
                      re.IGNORECASE)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    for candidate_day in (day.day, 30, 29, 28):
        found = _safe_date(year, month + 1, candidate_day)
        if found:
            return found
    raise ValueError(day)


def parse_event_date(text: str | None, today: date | None = None) -> str | None:
    """A past date ("2026-11-01", "11月1号", "上个月15号", "昨天", "3天前", "2 weeks ago") as "YYYY-MM-DD", else None.

    A date without a year that would lie in the future is taken from last year.
    """
    today = today or date.today()
    norm = normalize(text or "")
    found: date | None = None
    if match := _FULL_DATE.search(norm):
        found = _safe_date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    elif match := _MONTH_DAY.search(norm):
        month, day = int(match.group(1)), int(match.group(2))
        if "去年" in norm:
            found = _safe_date(today.year - 1, month, day)
        else:
            found = _safe_date(today.year, month, day)
            if found and found > today:
                found = _safe_date(today.year - 1, month, day)
    elif re.search(r"今天|today", norm, re.IGNORECASE):
        found = today
    elif re.search(r"大前天", norm):
        found = today - timedelta(days=3)
    elif re.search(r"前天|day before yesterday", norm, re.IGNORECASE):
        found = today - timedelta(days=2)
    elif re.search(r"昨天|昨日|yesterday", norm, re.IGNORECASE):
        found = today - timedelta(days=1)
    elif match := _DAYS_AGO.search(norm):
        found = today - timedelta(days=int(match.group(1) or match.group(4)))
    elif match := _WEEKS_AGO.search(norm):
        found = today - timedelta(weeks=int(match.group(1) or match.group(5)))
    elif match := _MONTHS_AGO.search(norm):
        found = _add_months(today, -int(match.group(1) or match.group(3)))
    elif match := _EN_DATE.search(norm):
        if match.group(1):
            day, month_name, year = int(match.group(1)), match.group(2), match.group(3)
        else:
            month_name, day, year = match.group(4), int(match.group(5)), match.group(6)
        month = _MONTHS_EN[month_name[:3].lower()]
        found = _safe_date(int(year) if year else today.year, month, day)
        if found and not year and found > today:
            found = _safe_date(today.year - 1, month, day)
    elif match := _DAY_ONLY.search(norm):
        day = int(match.group(1))
        if re.search(r"上个?月|last month", norm, re.IGNORECASE):
            base = _add_months(today.replace(day=1), -1)
        else:
            base = today
        found = _safe_date(base.year, base.month, day)
        if found and found > today:
            base = _add_months(today.replace(day=1), -1)
            found = _safe_date(base.year, base.month, day)
    if found is None or found > today or found.year < today.year - 30:
        return None
    return found.isoformat()

"""Parsers for colloquial answers, shared by the check-up form and the one-shot actions.

Each returns a plain value (or None when nothing was recognised); nothing here raises on odd input.
"""
from .amounts import parse_amount, parse_stated_wage
from .common import SKIP, is_skip, is_stop
from .dates import BirthParse, parse_birth, parse_event_date, parse_stated_birth
from .durations import Duration, find_durations, parse_duration
from .numbers import normalize
from .periods import PeriodsParse, parse_periods
from .person import parse_job, parse_sex
from .places import Place, find_places, find_province

__all__ = [
    "SKIP", "BirthParse", "Duration", "Place", "PeriodsParse", "find_durations", "find_places", "find_province",
    "is_skip", "is_stop", "normalize", "parse_amount", "parse_birth", "parse_duration", "parse_event_date",
    "parse_job", "parse_periods", "parse_sex", "parse_stated_birth", "parse_stated_wage",
]

"""Partial questions that need no full profile. Each returns a pydantic model with the answer and ``.trace``.

    from rules_engine.api import retirement_for, minimum_years_for, injury_deadlines, unemployment_entitlement
    retirement_for(birth="1980-03", sex="female", female_category="worker", on=None)
    minimum_years_for(retirement_year=2031)
    injury_deadlines(accident_date="2026-11-01", on=None)
    unemployment_entitlement(contribution_years=6.5, rural_contract_worker=False, involuntary=True)

Bad input raises :class:`rules_engine.ProfileError` (bilingual, names the argument).
"""
from __future__ import annotations

import datetime as _dt
from typing import Any, Optional

from pydantic import BaseModel

from rules_engine import months as M
from rules_engine.errors import ProfileError
from rules_engine.params import ParameterNotInForce
from rules_engine.profile import CATEGORY_ALIASES, SEX_ALIASES, message, parse_date
from rules_engine.results import Retirement, TraceStep
from rules_engine.trace import Tracer


class RetirementAnswer(BaseModel):
    retirement: Retirement
    minimum_years: float
    trace: list[TraceStep]


class MinimumYearsAnswer(BaseModel):
    retirement_year: int
    minimum_years: float
    trace: list[TraceStep]


class InjuryDeadlines(BaseModel):
    accident_date: str
    employer_deadline: str
    employer_days_left: int
    employer_open: bool
    worker_deadline: str
    worker_days_left: int
    worker_open: bool
    decision_days: int
    simple_decision_days: Optional[int]
    assessment_days: int
    assessment_extension_days: int
    appeal_days: int
    trace: list[TraceStep]


class UnemploymentEntitlement(BaseModel):
    kind: str
    eligible: bool
    max_months: int
    one_off_subsidy_months_equivalent: float
    min_years: float
    period_restarts: bool
    local: bool
    conditions: list[str]
    trace: list[TraceStep]


def _date(value: Any, field: str, default_today: bool = True) -> _dt.date:
    return parse_date(value, field, _dt.date.today() if default_today else None)


def _not_covered(exc: ParameterNotInForce, on: _dt.date, field: str = "on") -> ProfileError:
    first = exc.first.isoformat() if exc.first else "?"
    return ProfileError([message(field, "date_not_covered", {"first": first, "on": on.isoformat()})])


def category_of(sex: Any, female_category: Any) -> str:
    errors = []
    s = SEX_ALIASES.get(sex.strip().lower()) if isinstance(sex, str) else None
    if s is None:
        errors.append(message("sex", "unknown_sex", {"value": str(sex)}))
    key = female_category.strip().lower() if isinstance(female_category, str) else female_category
    if key is not None and key not in CATEGORY_ALIASES:
        errors.append(message("female_category", "unknown_category", {"value": str(female_category)}))
    elif s == "male" and CATEGORY_ALIASES.get(key) is not None:
        errors.append(message("female_category", "category_for_man", {"value": str(female_category)}))
    if errors:
        raise ProfileError(errors)
    if s == "male":
        return "men"
    return "women_cadre" if CATEGORY_ALIASES.get(key) == "cadre" else "women_worker"


def retirement_for(birth: str, sex: str, female_category: Optional[str] = None, on=None) -> RetirementAnswer:
    """Statutory retirement date and age, flexible windows and the minimum years for that year."""
    from rules_engine.engine import _retirement_and_minimum
    b = M.parse_month(birth)
    if b is None:
        raise ProfileError([message("birth", "bad_month", {"value": str(birth)})])
    category = category_of(sex, female_category)
    on_date = _date(on, "on")
    tracer = Tracer()
    try:
        ret, minimum = _retirement_and_minimum(tracer, b, category, on_date)
    except ParameterNotInForce as exc:
        raise _not_covered(exc, on_date) from None
    return RetirementAnswer.model_construct(retirement=ret, minimum_years=minimum, trace=tracer.steps)


def minimum_years_for(retirement_year: int, on=None) -> MinimumYearsAnswer:
    """Minimum contribution years for someone reaching statutory retirement age in ``retirement_year``.
    The law in force on ``on`` (default today) decides."""
    from rules_engine.rules import minimum_years as R2
    if isinstance(retirement_year, bool) or not isinstance(retirement_year, int) or not 1900 <= retirement_year <= 2200:
        raise ProfileError([message("retirement_year", "int_parsing", {"value": str(retirement_year)})])
    on_date = _date(on, "on")
    tracer = Tracer()
    try:
        years = R2.minimum_contribution_years(tracer, retirement_year, on_date)
    except ParameterNotInForce as exc:
        raise _not_covered(exc, on_date) from None
    return MinimumYearsAnswer.model_construct(retirement_year=retirement_year, minimum_years=years, trace=tracer.steps)


def injury_deadlines(accident_date, on=None) -> InjuryDeadlines:
    """Recognition deadlines (employer 30 days, worker 1 year) and assessment timelines from an accident date."""
    from rules_engine.rules import work_injury as R10
    accident = _date(accident_date, "accident_date", default_today=False)
    on_date = _date(on, "on")
    tracer = Tracer()
    try:
        result = R10.injury_deadlines(tracer, accident, on_date)
    except ParameterNotInForce as exc:
        raise _not_covered(exc, accident, "accident_date") from None
    return InjuryDeadlines.model_construct(**result, trace=tracer.steps)


def unemployment_entitlement(contribution_years: float, rural_contract_worker: bool = False,
                             involuntary: Optional[bool] = True, on=None,
                             continuous_years: Optional[float] = None) -> UnemploymentEntitlement:
    """Eligibility and maximum benefit months (12/18/24), or the rural contract worker's one-off subsidy."""
    from rules_engine.rules import unemployment as R9
    if isinstance(contribution_years, bool) or not isinstance(contribution_years, (int, float)) or contribution_years < 0:
        raise ProfileError([message("contribution_years", "negative_amount", {"value": str(contribution_years)})])
    on_date = _date(on, "on")
    tracer = Tracer()
    try:
        result = R9.unemployment_benefit(tracer, float(contribution_years), involuntary, bool(rural_contract_worker),
                                         on_date, continuous_years)
    except ParameterNotInForce as exc:
        raise _not_covered(exc, on_date) from None
    return UnemploymentEntitlement.model_construct(**result, trace=tracer.steps)

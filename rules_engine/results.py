"""Output models. Sections are TypedDicts (JSON-ready dicts with a documented shape); the top-level models are
pydantic so that ``result.model_dump(mode="json")`` and ``python -m rules_engine schema`` work. The engine builds
them with ``model_construct`` or its equivalent ``engine._construct`` (the rules already guarantee the shape;
re-validating would cost more than the rules)."""
from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field
from typing_extensions import TypedDict


class YearsMonths(TypedDict):
    years: int
    months: int


class TraceParameter(TypedDict, total=False):
    name: str
    value: Any
    effective: str
    citation: str
    confidence: str
    key: Any


class TraceStep(TypedDict):
    rule: str
    inputs: dict[str, Any]
    parameters: list[TraceParameter]
    conclusion_key: str
    values: dict[str, Any]


class Window(TypedDict, total=False):
    date: str
    age: YearsMonths
    requires_minimum_years: bool
    requires_employer_agreement: bool


class Retirement(TypedDict):
    date: str
    age: YearsMonths
    age_months: int
    original_age: YearsMonths
    delay_months: int
    reached: bool
    flexible_in_force: bool
    early: Optional[Window]
    late: Optional[Window]


class ProvinceYears(TypedDict):
    province: str
    months: int
    years: float


class Contribution(TypedDict):
    months: int
    years: float
    by_province: list[ProvinceYears]
    duplicate_months: int
    ongoing: bool
    years_at_retirement_if_continuing: float
    years_short_now: float
    years_short_at_retirement_if_continuing: float


class PensionPlace(TypedDict):
    province: str
    name: dict[str, str]
    rule: str
    article: str
    relationship_place: Optional[str]
    years_in_place: float
    places: list[ProvinceYears]


class TemporaryAccount(TypedDict):
    province: str
    start: str
    end: str
    months: int
    relationship_place: Optional[str]
    age_at_start: int


Transfer = TypedDict("Transfer", {
    "from": str, "to": str, "date": str, "kind": str, "months_moved": int,
    "individual_account": Optional[float], "pooled_transferred": Optional[float],
    "pooled_left_behind": Optional[float], "months_unpriced": int, "working_days": Optional[int],
    "estimated": bool,
})


class PensionEstimate(TypedDict, total=False):
    eligible: bool
    province: str
    years: float
    minimum_years: float
    average_wage: Optional[float]
    average_wage_year: Optional[int]
    average_wage_source: str
    average_wage_confidence: str
    contribution_index: float
    contribution_index_source: str
    basic_pension: float
    account_balance: float
    account_balance_source: str
    divisor: float
    account_pension: float
    monthly_total: float
    retirement_date: str
    assumptions: list[str]


class Option(TypedDict, total=False):
    option: str
    allowed: bool
    reason: str
    reason_text: dict[str, str]
    citation: str
    money_now: Optional[float]
    monthly_pension: Optional[float]
    pension_from: Optional[str]
    value_to_age: Optional[float]
    horizon_age: int
    break_even_age: Optional[float]
    years_kept: float
    years_lost: float
    money_left_behind: Optional[float]
    months_to_pay: int
    cost_to_pay: Optional[float]
    to_verify: bool                       # the verdict rests on a reading to confirm with 12333
    residents_months: int                 # switch_to_residents only: residents' (BPI-RUR) months on record
    residents_account: Optional[float]    # switch_to_residents only: the residents' own account, if given
    years_counted: float                  # switch_to_residents only: employee + residents' years, overlap once


class Warning_(TypedDict):
    key: str
    zh: str
    en: str


class Assessment(BaseModel):
    """The full assessment of one profile on one date. See docs/rules_engine.md for every key."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    as_of: str = Field(description="the date the rules were applied for, YYYY-MM-DD")
    person: dict[str, Any] = Field(description="birth, sex, category, hukou_province as read")
    retirement: Retirement
    minimum_years: float
    contribution_years: float = Field(description="employees' pension years on record (months / 12)")
    contribution: Contribution
    pension_place: PensionPlace
    temporary_accounts: list[TemporaryAccount]
    transfers: list[Transfer]
    pension_estimate: Optional[PensionEstimate]
    options: list[Option]
    medical: Optional[dict[str, Any]] = None
    unemployment: Optional[dict[str, Any]] = None
    pro_rata: Optional[dict[str, Any]] = None
    warnings: list[Warning_] = Field(default_factory=list)
    trace: list[TraceStep]


class PartialResult(BaseModel):
    """Result of a partial question (rules_engine.api): the answer fields plus a trace."""

    model_config = ConfigDict(extra="allow")

    trace: list[TraceStep]

"""assess(profile): runs the rules in order and gathers their results and trace into an Assessment."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from rules_engine import months as M
from rules_engine.errors import ProfileError
from rules_engine.params import ParameterNotInForce, parameters
from rules_engine.profile import Profile, consistency_problems, load_profile, message
from rules_engine.provinces import province_name
from rules_engine.results import Assessment
from rules_engine.rules import contribution_years as R3
from rules_engine.rules import minimum_years as R2
from rules_engine.rules import pension_place as R4
from rules_engine.rules import retirement as R1
from rules_engine.trace import Tracer


def resolve_date(on, profile: Profile | None = None) -> _dt.date:
    """The date asked about: ``on`` (date or 'YYYY-MM-DD'), else the profile's as_of, else today."""
    if on is None:
        return (profile.as_of if profile is not None else None) or _dt.date.today()
    if isinstance(on, _dt.datetime):
        return on.date()
    if isinstance(on, _dt.date):
        return on
    try:
        return _dt.date.fromisoformat(str(on).strip())
    except ValueError:
        raise ProfileError([message("on", "bad_date", {"value": str(on)})]) from None


def internal_periods(profile: Profile, on: _dt.date) -> list[dict]:
    """Periods as dicts with month indexes s/e (inclusive; ongoing ones end in the month of ``on``), sorted by start."""
    now = M.of_date(on)
    out = []
    for p in profile.periods:
        out.append({"scheme": p.scheme, "province": p.province, "city": p.city, "s": M.index(p.start),
                    "e": M.index(p.end) if p.end else now, "ongoing": p.end is None, "base": p.base})
    out.sort(key=lambda d: (d["s"], d["e"]))
    return out


def assess(profile: "Profile | dict | str | Path", on=None) -> Assessment:
    """Assess a profile on a date (``on`` > profile.as_of > today). Raises ProfileError (bilingual) on bad input."""
    profile = load_profile(profile)
    on_date = resolve_date(on, profile)
    if on is not None and on_date != profile.as_of:
        problems = consistency_problems(profile, on_date)
        if problems:
            raise ProfileError([message(p["field"], p["code"], p["ctx"]) for p in problems])
    try:
        return _assess(profile, on_date)
    except ParameterNotInForce as exc:
        first = exc.first.isoformat() if exc.first else "?"
        raise ProfileError([message("as_of", "date_not_covered", {"first": first, "on": on_date.isoformat()})]) from None


def _assess(profile: Profile, on: _dt.date) -> Assessment:
    parameters()  # load once
    tracer = Tracer()
    category = profile.category
    periods = internal_periods(profile, on)
    bpi = [p for p in periods if p["scheme"] == "BPI-UE"]
    now = M.of_date(on)

    retirement = R1.statutory_retirement(tracer, profile.birth, category, on)
    windows = R1.flexible_windows(tracer, profile.birth, category, retirement["age_months"], on)
    retirement["flexible_in_force"] = windows["in_force"]
    retirement["early"] = windows["early"]
    retirement["late"] = windows["late"]
    retirement_idx = M.index(retirement["date"])
    minimum = R2.minimum_contribution_years(tracer, retirement_idx // 12, on)

    contribution = R3.contribution_years(tracer, periods)
    ongoing = any(p["ongoing"] for p in bpi)
    future_months = max(0, retirement_idx - now - 1) if ongoing else 0
    at_retirement = round((contribution["months"] + future_months) / 12, 2)
    contribution["ongoing"] = ongoing
    contribution["years_at_retirement_if_continuing"] = at_retirement
    contribution["years_short_now"] = round(max(0.0, minimum - contribution["months"] / 12), 2)
    contribution["years_short_at_retirement_if_continuing"] = round(max(0.0, minimum - at_retirement), 2)

    temporary = R4.temporary_accounts(tracer, bpi, profile.hukou_province, profile.birth, profile.sex, on)
    place = R4.pension_paying_place(tracer, bpi, profile.hukou_province, on)
    place["name"] = {"zh": province_name(place["province"], "zh"), "en": province_name(place["province"], "en")}

    return Assessment.model_construct(
        as_of=on.isoformat(),
        person={"birth": profile.birth, "sex": profile.sex, "category": category,
                "female_category": (profile.female_category or "worker") if profile.sex == "female" else None,
                "hukou_province": profile.hukou_province},
        retirement=retirement,
        minimum_years=minimum,
        contribution_years=contribution["years"],
        contribution=contribution,
        pension_place=place,
        temporary_accounts=temporary,
        transfers=[],
        pension_estimate=None,
        options=[],
        medical=None,
        unemployment=None,
        pro_rata=None,
        warnings=[],
        trace=tracer.steps,
    )

"""assess(profile): runs the rules in order and gathers their results and trace into an Assessment."""
from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field
from operator import itemgetter
from pathlib import Path

from rules_engine import months as M
from rules_engine.errors import ProfileError
from rules_engine.memo import memo_table, remember
from rules_engine.params import ParameterNotInForce, parameters
from rules_engine.profile import Profile, consistency_problems, load_profile, message, parse_date
from rules_engine.provinces import province_name
from rules_engine.results import Assessment
from rules_engine.rules import (contribution_years, medical, minimum_years, options, pension_estimate,
                                pension_place, pro_rata, retirement as retirement_rule, transfers, unemployment)
from rules_engine.trace import Tracer


def resolve_date(on, profile: Profile | None = None) -> _dt.date:
    """The date asked about: ``on`` (date or 'YYYY-MM-DD'), else the profile's as_of, else today."""
    default = (profile.as_of if profile is not None else None) or _dt.date.today()
    return parse_date(on, "on", default)


def internal_periods(profile: Profile, on: _dt.date) -> list[dict]:
    """Periods as dicts with month indexes s/e (inclusive; ongoing ones end in the month of ``on``), sorted by start."""
    now = M.of_date(on)
    out = []
    index = _month_index
    for p in profile.periods:
        end = p.end
        out.append({"scheme": p.scheme, "province": p.province, "city": p.city, "s": index(p.start),
                    "e": index(end) if end else now, "ongoing": end is None, "base": p.base})
    out.sort(key=_period_order)
    return out


_period_order = itemgetter("s", "e")  # (start, end), as a C-level sort key


_MONTHS = memo_table()  # 'YYYY-MM' -> month index


def _month_index(label: str) -> int:
    """M.index, memoised by label (a pure function of the 'YYYY-MM' string)."""
    hit = _MONTHS.get(label)
    if hit is None:
        hit = remember(_MONTHS, label, M.index(label))
    return hit


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


_RETIREMENT_MEMO = memo_table()  # (birth, category, date) -> (retirement, minimum, trace steps)


def _retirement_and_minimum(tracer: Tracer, birth: str, category: str, on: _dt.date) -> tuple[dict, float]:
    """Rules 1 and 2 depend only on (birth, category, date): computed once per combination, their trace steps reused
    (steps are shared read-only; the retirement dict is copied because the caller owns its result)."""
    key = (birth, category, on)
    hit = _RETIREMENT_MEMO.get(key)
    if hit is None:
        local = Tracer()
        retirement = retirement_rule.statutory_retirement(local, birth, category, on)
        windows = retirement_rule.flexible_windows(local, birth, category, retirement["age_months"], on)
        retirement["flexible_in_force"] = windows["in_force"]
        retirement["early"] = windows["early"]
        retirement["late"] = windows["late"]
        minimum = minimum_years.minimum_contribution_years(local, M.index(retirement["date"]) // 12, on)
        hit = remember(_RETIREMENT_MEMO, key, (retirement, minimum, local.steps))
    tracer.steps.extend(hit[2])
    return _copy(hit[0]), hit[1]


def _copy(retirement: dict) -> dict:
    """Copy of the memoised retirement dict and the dicts inside it (the memo keeps the original)."""
    out = dict(retirement)
    out["age"] = dict(out["age"])
    out["original_age"] = dict(out["original_age"])
    for key in ("early", "late"):
        if out[key] is not None:
            out[key] = {**out[key], "age": dict(out[key]["age"])}
    return out


@dataclass
class _Schemes:
    """The periods split by scheme (each list sorted by start)."""
    pension: list[dict] = field(default_factory=list)      # BPI-UE
    residents: list[dict] = field(default_factory=list)    # BPI-RUR
    unemployment: list[dict] = field(default_factory=list)  # UI
    medical: bool = False                                   # any BMCI-UE period
    ongoing: bool = False                                   # an employees' pension period still paid


def _by_scheme(periods: list[dict]) -> _Schemes:
    out = _Schemes()
    for p in periods:
        scheme = p["scheme"]
        if scheme == "BPI-UE":
            out.pension.append(p)
            out.ongoing = out.ongoing or p["ongoing"]
        elif scheme == "BPI-RUR":
            out.residents.append(p)
        elif scheme == "UI":
            out.unemployment.append(p)
        elif scheme == "BMCI-UE":
            out.medical = True
    return out


def _contribution(tracer: Tracer, periods: list[dict], ongoing: bool, retirement: dict, minimum: float,
                  on: _dt.date) -> tuple[dict, int]:
    """Rule 3, with the years at retirement if paying goes on; returns (contribution, months still to come)."""
    contribution = contribution_years.contribution_years(tracer, periods)
    now = M.of_date(on)
    future_months = max(0, _month_index(retirement["date"]) - now - 1) if ongoing else 0
    at_retirement = M.years(contribution["months"] + future_months)
    contribution["ongoing"] = ongoing
    contribution["years_at_retirement_if_continuing"] = at_retirement
    contribution["years_short_now"] = round(max(0.0, minimum - contribution["months"] / 12), 2)
    contribution["years_short_at_retirement_if_continuing"] = round(max(0.0, minimum - at_retirement), 2)
    return contribution, future_months


@dataclass
class _Money:
    """What was paid, what moves, and what the pension would be (rules 5 and 6)."""
    totals: dict
    transfers: list[dict]
    paying: dict
    wages: dict
    index: float
    balance: float
    balance_at_retirement: float
    estimate: dict | None


def _money(tracer: Tracer, profile: Profile, pension: list[dict], contribution: dict, place: dict,
           retirement: dict, minimum: float, future_months: int, on: _dt.date) -> _Money:
    totals = transfers.price_record(tracer, pension, on)
    moves = transfers.transfers(tracer, pension, place, retirement["date"], on)
    paying, wages = pension_estimate.paying_place_wages(
        tracer, place["province"], [x["province"] for x in contribution["by_province"]], on, profile.average_wage)
    index, index_source = pension_estimate.average_contribution_index(tracer, pension, wages, on)
    if profile.account_balance is not None:
        balance, balance_source = float(profile.account_balance), "user"
    else:
        balance = totals["account"]
        balance_source = "estimated_minimum_base" if totals["months_estimated"] else "computed_from_bases"
    at_retirement = pension_estimate.account_at_retirement(tracer, balance, pension, future_months, index, wages,
                                                           paying["value"], on)
    estimate = None
    if pension:
        estimate = pension_estimate.pension_estimate(
            tracer, province=place["province"], wage=paying, index=index, index_source=index_source,
            years=contribution["years_at_retirement_if_continuing"], minimum_years=minimum, balance=at_retirement,
            balance_source=balance_source, age_months=retirement["age_months"], retirement_date=retirement["date"],
            on=on)
    return _Money(totals, moves, paying, wages, index, balance, at_retirement, estimate)


def _left_behind(periods) -> float:
    """Employer money that stays in the place paid when these periods' record moves (above the 12% moved)."""
    return sum(p["money"]["employer"] - p["money"]["transferable"] for p in periods)


def _option_context(tracer: Tracer, profile: Profile, schemes: _Schemes, contribution: dict, retirement: dict,
                    minimum: float, temporary: list[dict], money: _Money, on: _dt.date) -> dict:
    """The facts the options compare (rule 7), gathered once."""
    pension, residents = schemes.pension, schemes.residents
    birth = _month_index(profile.birth)
    horizon_years = options.horizon(tracer, profile.horizon_age, on)
    wage = money.paying["value"]
    return {
        "has_record": bool(pension), "months": contribution["months"], "years": contribution["years"],
        "minimum": minimum, "reached": retirement["reached"], "balance": money.balance,
        "employer_paid": money.totals["employer"],
        "left_behind_current": _left_behind(transfers.held_in_current_place(pension)),
        "wage": wage, "pension": options.pension_function(wage, money.index, on),
        "start_age": retirement["age_months"], "age_now": M.of_date(on) - birth, "birth": birth,
        "horizon_years": horizon_years, "horizon_months": horizon_years * 12,
        "rural_hukou": profile.rural_hukou,
        "residents_months": contribution_years.count_months([(p["s"], p["e"]) for p in residents]) if residents
        else 0,
        "pension_months_once": contribution_years.count_months([(p["s"], p["e"]) for p in pension + residents])
        if residents else contribution["months"],
        "residents_balance": profile.residents_account_balance,
        "temporary_account": temporary[-1] if pension and pension[-1]["temporary"] else None,
        "temporary_age_parameter": "men_age" if profile.sex == "male" else "women_age",
        "left_behind_temporary": _left_behind(p for p in pension if p["temporary"]),
    }


def _medical_years(tracer: Tracer, periods: list[dict], province: str, sex: str, on: _dt.date) -> dict | None:
    found = medical.retirement_years(tracer, periods, province, sex, on)
    if found is not None:
        found["continuity"] = medical.continuity(tracer, periods, on)
    return found


def _unemployment(tracer: Tracer, periods: list[dict], rural: bool, on: _dt.date) -> dict:
    spans = [(p["s"], p["e"]) for p in periods]
    years = contribution_years.count_months(spans) / 12
    last_run = contribution_years.merge_intervals(spans)[-1]
    found = unemployment.unemployment_benefit(tracer, round(years, 2), None, rural, on,
                                              continuous_years=round((last_run[1] - last_run[0] + 1) / 12, 2))
    found["contribution_years"] = round(years, 2)
    return found


def _assess(profile: Profile, on: _dt.date) -> Assessment:
    """The pipeline: retirement and minimum years → years on record → paying place → money → options → medical,
    unemployment and the pro-rata comparison. Each rule records its step in the trace, in this order."""
    parameters()  # load once
    tracer = Tracer()
    category = profile.category
    periods = internal_periods(profile, on)
    schemes = _by_scheme(periods)
    retirement, minimum = _retirement_and_minimum(tracer, profile.birth, category, on)
    contribution, future_months = _contribution(tracer, periods, schemes.ongoing, retirement, minimum, on)
    temporary = pension_place.temporary_accounts(tracer, schemes.pension, profile.hukou_province, profile.birth,
                                                 profile.sex, on)
    place = pension_place.pension_paying_place(tracer, schemes.pension, profile.hukou_province, on)
    place["name"] = _place_name(place["province"])
    money = _money(tracer, profile, schemes.pension, contribution, place, retirement, minimum, future_months, on)
    option_list = options.options(
        tracer, _option_context(tracer, profile, schemes, contribution, retirement, minimum, temporary, money, on),
        on)
    medical_years = _medical_years(tracer, periods, place["province"], profile.sex, on) if schemes.medical else None
    unemployment_result = (_unemployment(tracer, schemes.unemployment, bool(profile.rural_hukou), on)
                           if schemes.unemployment else None)
    pro_rata_result = None
    if len(contribution["by_province"]) > 1:
        pro_rata_result = pro_rata.pro_rata_comparison(
            tracer, places=contribution["by_province"], wages=money.wages, paying_place=place["province"],
            index=money.index, years=contribution["years_at_retirement_if_continuing"],
            balance=money.balance_at_retirement, age_months=retirement["age_months"], on=on)
    warnings = _warnings(money.paying, money.totals, medical_years, place)

    return _construct(
        as_of=M.iso(on),
        person={"birth": profile.birth, "sex": profile.sex, "category": category,
                "female_category": (profile.female_category or "worker") if profile.sex == "female" else None,
                "hukou_province": profile.hukou_province},
        retirement=retirement,
        minimum_years=minimum,
        contribution_years=contribution["years"],
        contribution=contribution,
        pension_place=place,
        temporary_accounts=temporary,
        transfers=money.transfers,
        pension_estimate=money.estimate,
        options=option_list,
        medical=medical_years,
        unemployment=unemployment_result,
        pro_rata=pro_rata_result,
        warnings=warnings,
        trace=tracer.steps,
    )


_NAMES = memo_table()  # province code -> (zh, en) names


def _place_name(code: str) -> dict:
    """{zh, en} name of a province (a fresh dict: the caller owns it; the names are looked up once per code)."""
    names = _NAMES.get(code)
    if names is None:
        names = _NAMES[code] = (province_name(code, "zh"), province_name(code, "en"))
    return {"zh": names[0], "en": names[1]}


_FIELDS = tuple(Assessment.model_fields)
_FAST = not Assessment.__pydantic_post_init__ and not Assessment.__pydantic_root_model__ and all(
    f.alias is None and f.validation_alias is None for f in Assessment.model_fields.values())
_new = Assessment.__new__
_setattr = object.__setattr__


def _construct(**values) -> Assessment:
    """``Assessment.model_construct`` for the case the engine is always in (every field given, no aliases, no
    post-init): the same instance state without the per-field alias and default handling."""
    if not _FAST or len(values) != len(_FIELDS):
        return Assessment.model_construct(**values)
    m = _new(Assessment)
    # the keyword dict is fresh; it is used as is when its keys are the fields in their order (always, from _assess)
    _setattr(m, "__dict__", values if tuple(values) == _FIELDS else {name: values[name] for name in _FIELDS})
    _setattr(m, "__pydantic_fields_set__", set(_FIELDS))
    _setattr(m, "__pydantic_extra__", None)
    _setattr(m, "__pydantic_private__", None)
    return m


def _warnings(paying: dict, totals: dict, medical: dict | None, place: dict) -> list[dict]:
    """What the person must be told to check (texts in explain/summary.yml `warnings`)."""
    keys = []
    if paying["source"] == "missing":
        keys.append(("average_wage_missing", "province", place["province"]))
    elif paying["confidence"] == "to_verify":
        keys.append(("average_wage_to_verify", "province", place["province"]))
    if totals["months_estimated"]:
        keys.append(("bases_estimated", "months", totals["months_estimated"]))
    if totals["months_unpriced"]:
        keys.append(("months_unpriced", "months", totals["months_unpriced"]))
    if medical is not None:
        keys.append(("medical_local" if medical["local"] else "medical_default", "province", medical["province"]))
    out = []
    for memo_key in keys:
        hit = _WARNINGS.get(memo_key)
        if hit is None:
            from rules_engine.explain import warning
            key, name, value = memo_key
            hit = remember(_WARNINGS, memo_key, warning(key, {name: value}))
        out.append(dict(hit))  # a fresh dict: the caller owns its result
    return out


_WARNINGS = memo_table()  # (warning key, field, value) -> {key, zh, en}

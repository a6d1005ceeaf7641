"""Rule 6: the monthly employees' pension (国发〔2005〕38号)."""
from __future__ import annotations

import datetime as _dt

from rules_engine.memo import memo_table, remember
from rules_engine.params import ParameterNotInForce
from rules_engine.rules.money import average_wage, wage_scale
from rules_engine.trace import Step, Tracer


_DIVISORS = memo_table()  # (age in months, date) -> (divisor, trace records)


def account_divisor(step: Step, age_months: int, on: _dt.date) -> float:
    """国发〔2005〕38号 附件：个人账户养老金计发月数，按退休年龄查表 (whole years). Since 2025, ages with months
    interpolate linearly between whole years (60 y 1 m -> 139 + (132 - 139) / 12 = 138.42): one city's published
    practice, not national law (parameter ``pension.divisor_month_interpolation``, confidence local). Memoised by (age, date) with the
    trace records it read."""
    key = (age_months, on)
    hit = _DIVISORS.get(key)
    if hit is None:
        scratch = step.scratch()
        hit = remember(_DIVISORS, key, (_account_divisor(scratch, age_months, on), scratch.records))
    step.add_records(hit[1])
    return hit[0]


def _account_divisor(step: Step, age_months: int, on: _dt.date) -> float:
    years, months = divmod(age_months, 12)
    lo = step.table("pension.account_divisor", on, years)
    if not months or not step.param("pension.divisor_month_interpolation", on):
        return float(lo)  # a whole-year age needs no local interpolation practice (and cites none)
    hi = step.table("pension.account_divisor", on, years + 1)
    return lo + (hi - lo) * months / 12


def monthly_pension(step: Step, wage: float, index: float, years: float, balance: float, age_months: int,
                    on: _dt.date) -> dict:
    """国发〔2005〕38号 六、“基础养老金月标准以当地上年度在岗职工月平均工资和本人指数化月平均缴费工资的平均值为基数，
    缴费每满1年发给1%。个人账户养老金月标准为个人账户储存额除以计发月数。”
    basic = (C + C × I) / 2 × N × 1%; account = balance / divisor."""
    rate = step.param("pension.basic_pension_rate_per_year", on)
    basic = (wage + wage * index) / 2 * years * rate
    divisor = account_divisor(step, age_months, on)
    account = balance / divisor
    return {"basic_pension": round(basic, 2), "account_pension": round(account, 2), "divisor": round(divisor, 2),
            "monthly_total": round(basic + account, 2)}


def monthly_total(step: Step, wage: float, index: float, years: float, balance: float, age_months: int,
                  on: _dt.date) -> float:
    """``monthly_pension(...)["monthly_total"]`` alone (same parameters recorded in the same order), for callers that
    need only the total: the options and the pro-rata comparison."""
    rate = step.param("pension.basic_pension_rate_per_year", on)
    basic = (wage + wage * index) / 2 * years * rate
    divisor = account_divisor(step, age_months, on)
    return round(basic + balance / divisor, 2)


def contribution_index(step: Step, periods: list[dict], wages: dict[str, float | None], scale, on: _dt.date) -> tuple[float, str]:
    """The worker's average indexed contribution ratio I: base ÷ the province's average wage of the same year,
    averaged over the months with a known base and kept within the legal floor and ceiling; the floor (paying on
    the minimum base, the usual case for migrant workers) when no base is known."""
    floor = step.param("pension.contribution_base_floor_ratio", on)
    ceiling = step.param("pension.contribution_base_ceiling_ratio", on)
    total, months = 0.0, 0
    for p in periods:
        wage = wages.get(p["province"])
        base = p.get("base")
        if base is None or not wage:
            continue
        s, e = p["s"], p["e"]
        for year in range(s // 12, e // 12 + 1):
            # min/max spelled as comparisons (same results, same ties: min/max keep the first argument)
            last, first = (year + 1) * 12 - 1, year * 12
            n = (last if last < e else e) - (first if first > s else s) + 1
            ratio = base / (wage * scale(year))
            if floor > ratio:
                ratio = floor
            if ceiling < ratio:
                ratio = ceiling
            total += ratio * n
            months += n
    if not months:
        return floor, "assumed_minimum_base"
    return round(total / months, 4), "from_bases"


def pension_estimate(tracer: Tracer, *, province: str, wage: dict, index: float, index_source: str, years: float,
                     minimum_years: float, balance: float, balance_source: str, age_months: int,
                     retirement_date: str, on: _dt.date) -> dict:
    """Estimate at statutory retirement age with the years and account the person will have (continuing to pay
    until then only if a period is ongoing). Uses the paying place's current average wage: no growth assumed."""
    step = tracer.step("pension.estimate", province=province, years=years, index=index, balance=round(balance, 2),
                       age_months=age_months)
    assumptions = ["no_wage_growth", "no_interest"]
    if index_source == "assumed_minimum_base":
        assumptions.append("minimum_base")
    if balance_source != "user":
        assumptions.append("account_from_contributions")
    result = {"eligible": years >= minimum_years, "province": province, "years": round(years, 2),
              "minimum_years": minimum_years, "average_wage": wage["value"], "average_wage_year": wage["year"],
              "average_wage_source": wage["source"], "average_wage_confidence": wage["confidence"],
              "contribution_index": index, "contribution_index_source": index_source,
              "account_balance": round(balance, 2), "account_balance_source": balance_source,
              "retirement_date": retirement_date, "assumptions": assumptions}
    if wage["value"] is None:
        result.update(basic_pension=0.0, account_pension=0.0, divisor=0.0, monthly_total=0.0, eligible=False)
        assumptions.append("average_wage_missing")
        step.conclude("estimate_no_wage", province=province)
        return result
    result.update(monthly_pension(step, wage["value"], index, years, balance, age_months, on))
    key = "estimate" if result["eligible"] else "estimate_not_eligible"
    step.conclude(key, province=province, wage=wage["value"], index=index, years=round(years, 2),
                  basic=result["basic_pension"], account=result["account_pension"], divisor=result["divisor"],
                  total=result["monthly_total"], minimum_years=minimum_years)
    return result


def paying_place_wages(tracer: Tracer, paying_place: str, provinces: list[str], on: _dt.date,
                       override: float | None) -> tuple[dict, dict[str, float | None]]:
    """The pension calculation base (计发基数) of the paying place — the user's figure when given — and the
    average wages of every province in the record (for the contribution index and the pro-rata comparison)."""
    step = tracer.step("pension.average_wage", province=paying_place, user_value=override)
    paying = average_wage(step, paying_place, on, override)
    wages: dict[str, float | None] = {}
    for code in dict.fromkeys([paying_place, *provinces]):
        # average_wage(step, code, on)["value"] inlined (same parameters read, in the same order)
        try:
            entry = step.reference("pension.average_wage", on, province=code)
        except (ParameterNotInForce, KeyError):
            wages[code] = None
            continue
        step.param("pension.average_wage_reference_year", on)
        wages[code] = float(entry.value)
    if override:
        wages[paying_place] = float(override)
    key = {"user": "average_wage_user", "parameter": "average_wage_parameter"}.get(paying["source"], "average_wage_missing")
    step.conclude(key, province=paying_place, wage=paying["value"], year=paying["year"],
                  confidence=paying["confidence"])
    return paying, wages


def average_contribution_index(tracer: Tracer, periods: list[dict], wages: dict[str, float | None],
                               on: _dt.date) -> tuple[float, str]:
    """国发〔2005〕38号 六、: the indexed average monthly contribution wage = C × I, where I averages each year's
    base ÷ that year's average wage. Today's provincial wages are scaled back to each year with the national
    average-wage series (an approximation, to verify)."""
    step = tracer.step("pension.contribution_index", periods=len(periods))
    try:
        reference_year = step.param("pension.average_wage_reference_year", on)
    except ParameterNotInForce:
        reference_year = None

    if reference_year:
        def scale(year: int) -> float:
            return wage_scale(step, year, reference_year, on)
    else:
        def scale(year: int) -> float:
            return 1.0

    index, source = contribution_index(step, periods, wages, scale, on)
    step.conclude("contribution_index_" + source, index=index)
    return index, source


def account_at_retirement(tracer: Tracer, balance: float, periods: list[dict], future_months: int, index: float,
                          wages: dict[str, float | None], paying_wage: float | None, on: _dt.date) -> float:
    """The account at retirement: today's balance plus, while a period is ongoing, the account share of each
    future month's base (the current base, else index × the local average wage). No interest is added."""
    step = tracer.step("pension.account_balance_at_retirement", balance=round(balance, 2), future_months=future_months)
    if not future_months or not paying_wage:
        step.conclude("account_no_future_months", balance=round(balance))
        return balance
    last = [p for p in periods if p["ongoing"]][-1]
    base = last["base"] if last["base"] is not None else index * (wages.get(last["province"]) or paying_wage)
    added = future_months * base * step.param("pension.individual_account_rate", on)
    step.conclude("account_future_months", balance=round(balance), months=future_months, base=round(base),
                  added=round(added), total=round(balance + added))
    return balance + added

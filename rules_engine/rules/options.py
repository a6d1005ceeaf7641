"""Rule 7: the options at a decision point (leaving a job, moving, reaching retirement age short of years).

Every option is always listed, allowed or not on that date, with the reason and the document that decides it,
and — where it applies — money now, monthly pension, value up to a stated age, break-even age (against cashing
out the account now), years kept or lost and money left behind.
"""
from __future__ import annotations

import datetime as _dt
import math

from rules_engine import months as M
from rules_engine.params import ParameterNotInForce
from rules_engine.rules.pension_estimate import monthly_total
from rules_engine.trace import Step, Tracer

OPTIONS = ("suspend", "transfer", "continue_to_minimum", "switch_to_residents", "cash_out")


def _last_citation(step: Step) -> str:
    params = step.data["parameters"]
    return params[-1]["citation"] if params else ""


def _in_force(step: Step, name: str, on: _dt.date):
    try:
        return step.param(name, on)
    except ParameterNotInForce:
        return None


_BLANK = {"option": "", "allowed": False, "reason": "", "citation": "", "money_now": 0.0,
          "monthly_pension": None, "pension_from": None, "value_to_age": None, "horizon_age": None,
          "break_even_age": None, "years_kept": 0.0, "years_lost": 0.0, "money_left_behind": 0.0,
          "months_to_pay": 0, "cost_to_pay": 0.0, "to_verify": False}


def _blank(option: str, horizon_years: int) -> dict:
    opt = _BLANK.copy()  # immutable values only: a shallow copy is a fresh option
    opt["option"] = option
    opt["horizon_age"] = horizon_years
    return opt


def _values(opt: dict, monthly: float | None, start_age_months: int | None, ctx: dict) -> None:
    """value to the stated age and break-even age against cashing out the account now."""
    horizon = ctx["horizon_months"]
    if monthly and start_age_months is not None:
        opt["monthly_pension"] = round(monthly, 2)
        opt["pension_from"] = M.label(ctx["birth"] + start_age_months)
        months_paid = max(0, horizon - start_age_months)
        opt["value_to_age"] = round(monthly * months_paid + opt["money_now"] - opt["cost_to_pay"], 2)
        opt["break_even_age"] = round((start_age_months + (ctx["balance"] + opt["cost_to_pay"]) / monthly) / 12, 1)
    elif opt["money_now"]:
        opt["value_to_age"] = round(opt["money_now"], 2)


def suspend(tracer: Tracer, ctx: dict, on: _dt.date) -> dict:
    """社会保险法 第十九条 and 国办发〔2009〕66号 第三条：leaving a job or a place ends nothing — the record and the
    account stay where they were paid (the account keeps earning interest), the years stay on record and are added
    to later years anywhere; years need not be continuous."""
    step = tracer.step("options.suspend", years=ctx["years"], on=M.iso(on))
    opt = _blank("suspend", ctx["horizon_years"])
    if not ctx["has_record"]:
        opt["reason"] = "no_record"
    else:
        _in_force(step, "pension.years_added_across_places", on)
        opt.update(allowed=True, reason="suspend_keeps_record", citation=_last_citation(step), years_kept=ctx["years"])
        if ctx["years"] < ctx["minimum"]:
            opt["reason"] = "suspend_keeps_record_short"
        elif ctx["wage"]:
            p = ctx["pension"](step, ctx["years"], ctx["balance"], ctx["start_age"])
            _values(opt, p["monthly_total"], ctx["start_age"], ctx)
    key = "option_" + opt["reason"] + ("_no_amount" if opt["reason"] == "suspend_keeps_record" and not ctx["wage"] else "")
    step.conclude(key, years=ctx["years"], monthly=opt["monthly_pension"], minimum=ctx["minimum"])
    return opt


def transfer(tracer: Tracer, ctx: dict, on: _dt.date) -> dict:
    """国办发〔2009〕66号 第三条、第四条：on moving, the relationship and the record follow the worker to the new place
    (apply there after enrolling): all years, the whole individual account and 12% of each base since 1998 move;
    the rest of the employer's money stays behind.
    第五条: a man 50+ / woman 40+ paying outside the hukou province is in a temporary account there — the
    relationship stays where it was and the temporary account is gathered (years added, 12% of the bases) at
    retirement; it never becomes the relationship place, so nothing "all moves" to it."""
    step = tracer.step("options.transfer", years=ctx["years"], on=M.iso(on))
    opt = _blank("transfer", ctx["horizon_years"])
    rate = _in_force(step, "pension.transfer.pooled_rate", on)
    temporary = ctx["temporary_account"]
    if not ctx["has_record"]:
        opt["reason"] = "no_record"
    elif rate is None:
        opt["reason"] = "transfer_rule_not_in_force"
    else:
        if temporary is not None:
            step.param("pension.temporary_account." + ctx["temporary_age_parameter"], on)
            opt.update(allowed=True, reason="transfer_temporary_account", citation=_last_citation(step),
                       years_kept=ctx["years"], money_left_behind=round(ctx["left_behind_temporary"], 2))
        else:
            opt.update(allowed=True, reason="transfer_keeps_years", citation=_last_citation(step),
                       years_kept=ctx["years"], money_left_behind=round(ctx["left_behind_current"], 2))
        if ctx["years"] >= ctx["minimum"] and ctx["wage"]:
            p = ctx["pension"](step, ctx["years"], ctx["balance"], ctx["start_age"])
            _values(opt, p["monthly_total"], ctx["start_age"], ctx)
    step.conclude("option_" + opt["reason"], years=ctx["years"], left=opt["money_left_behind"],
                  province=temporary["province"] if temporary else None,
                  relationship_place=temporary["relationship_place"] if temporary else None)
    return opt


def continue_to_minimum(tracer: Tracer, ctx: dict, on: _dt.date) -> dict:
    """国务院关于渐进式延迟法定退休年龄的办法 第二条：“职工达到法定退休年龄但不满最低缴费年限的，可以按照规定通过延长缴费
    或者一次性缴费的办法达到最低缴费年限，按月领取基本养老金。” Before that age, keep paying through a job or as a
    flexible worker (国发〔2005〕38号 三、: 20% of a base the worker chooses, 8 points to the account)."""
    step = tracer.step("options.continue_to_minimum", years=ctx["years"], minimum=ctx["minimum"], on=M.iso(on))
    opt = _blank("continue_to_minimum", ctx["horizon_years"])
    needed = max(0, math.ceil(round(ctx["minimum"] * 12 - ctx["months"], 6)))
    opt["months_to_pay"] = needed
    if needed == 0:
        opt.update(allowed=True, reason="already_meets_minimum")
    elif not ctx["reached"]:
        opt.update(allowed=True, reason="continue_before_retirement")
    elif _in_force(step, "pension.extend_or_lump_sum_allowed", on):
        opt.update(allowed=True, reason="extend_after_retirement_age")
    else:
        opt["reason"] = "extend_not_allowed"
    opt["citation"] = _last_citation(step)
    opt["years_kept"] = ctx["years"]
    no_amount = opt["allowed"] and needed and not ctx["wage"]
    if no_amount:
        opt["cost_to_pay"] = None
    if opt["allowed"] and ctx["wage"]:
        flexible_rate = step.param("pension.flexible_worker_rate", on)
        account_rate = step.param("pension.individual_account_rate", on)
        floor = step.param("pension.contribution_base_floor_ratio", on)
        base = ctx["wage"] * floor
        opt["cost_to_pay"] = round(needed * base * flexible_rate, 2)
        start = max(ctx["start_age"], ctx["age_now"] + needed)
        years = max(ctx["years"], ctx["minimum"])
        p = ctx["pension"](step, years, ctx["balance"] + needed * base * account_rate, start)
        _values(opt, p["monthly_total"], start, ctx)
    step.conclude("option_" + opt["reason"] + ("_no_amount" if no_amount else ""), months=needed,
                  cost=opt["cost_to_pay"], monthly=opt["monthly_pension"])
    return opt


def short_of_minimum_threshold(step: Step, ctx: dict, on: _dt.date) -> tuple[float, bool]:
    """The one threshold of "short of the minimum" at retirement age, for switching to the residents' pension and
    for cashing out: the minimum of the retirement year where ``pension.short_of_minimum_uses_retirement_year_minimum``
    is in force (a reading, to verify), else the fixed figure of 人社部发〔2014〕17号 第三条 (15 years). Returns
    (threshold, to_verify): to verify when the person's years fall between that figure and the minimum of the
    retirement year (people retiring from 2030 on), where the two readings give different answers."""
    fixed = _in_force(step, "residents.switch_max_employee_years", on)
    if fixed is None:
        return ctx["minimum"], False
    if not _in_force(step, "pension.short_of_minimum_uses_retirement_year_minimum", on):
        return fixed, False
    low, high = sorted((fixed, ctx["minimum"]))
    return ctx["minimum"], low <= ctx["years"] < high


def switch_to_residents(tracer: Tracer, ctx: dict, on: _dt.date) -> dict:
    """人社部发〔2014〕17号 第三条：参加职工养老保险和城乡居民养老保险人员，达到职工养老保险法定退休年龄后，职工养老保险缴费
    年限不足15年的，可以申请从职工养老保险转入城乡居民养老保险，待达到城乡居民养老保险规定的领取条件时，按照城乡居民养老保险
    办法计发相应待遇. 第五条: only the individual account moves; employee years count as residents' years, added to the
    person's own residents' years (months paid in both schemes count once); the residents' own account stays part of
    the residents' pension."""
    step = tracer.step("options.switch_to_residents", years=ctx["years"], reached=ctx["reached"], on=M.iso(on))
    opt = _blank("switch_to_residents", ctx["horizon_years"])
    available = _in_force(step, "residents.switch_available", on)
    if not available:
        opt["reason"] = "switch_not_in_force"
        step.conclude("option_switch_not_in_force")
        return opt
    max_years, to_verify = short_of_minimum_threshold(step, ctx, on)
    opt["citation"] = _last_citation(step)
    if not ctx["has_record"]:
        opt["reason"] = "no_record"
    elif ctx["years"] >= max_years:
        opt["reason"] = "switch_only_under_max_years"
    elif not ctx["reached"]:
        opt["reason"] = "switch_only_at_retirement_age"
    else:
        opt.update(allowed=True, reason="switch_allowed")
    own_account = ctx["residents_balance"]
    opt.update(residents_months=ctx["residents_months"], residents_account=own_account,
               years_counted=M.years(ctx["pension_months_once"]))
    if ctx["has_record"] and ctx["years"] < max_years:
        basic = step.param("residents.minimum_basic_pension", on)
        divisor = step.param("residents.account_divisor", on)
        needed = step.param("residents.minimum_years", on) * 12 - ctx["pension_months_once"]
        opt["months_to_pay"] = max(0, math.ceil(round(needed, 6)))
        opt.update(years_kept=ctx["years"], money_left_behind=round(ctx["employer_paid"], 2))
        _values(opt, basic + (ctx["balance"] + (own_account or 0.0)) / divisor, max(ctx["start_age"], ctx["age_now"]),
                ctx)
    opt["to_verify"] = to_verify and opt["reason"] in ("switch_allowed", "switch_only_under_max_years",
                                                       "switch_only_at_retirement_age")
    key = "option_" + opt["reason"] + ("_to_verify" if opt["to_verify"] else "")
    step.conclude(key, years=ctx["years"], max_years=max_years, monthly=opt["monthly_pension"],
                  months=opt["months_to_pay"], residents_months=ctx["residents_months"],
                  years_counted=opt["years_counted"])
    return opt


def cash_out(tracer: Tracer, ctx: dict, on: _dt.date) -> dict:
    """国办发〔2009〕66号 第三条：“参保人员跨省流动就业的……不得终止基本养老保险关系并一次性领取（退保）”; since 2010 the only
    exits are death (account inherited, 社会保险法 第十四条), settling abroad with loss of nationality, or reaching
    retirement age short of the minimum and asking in writing (人社部令第13号 第三条; same threshold as switching, see
    :func:`short_of_minimum_threshold`). Before 2010, 劳社部发〔2001〕20号 let only rural contract workers
    (农民合同制职工) take the account in cash, and only where the province allowed it: urban workers never could."""
    step = tracer.step("options.cash_out", years=ctx["years"], reached=ctx["reached"], on=M.iso(on))
    opt = _blank("cash_out", ctx["horizon_years"])
    banned = _in_force(step, "pension.cash_out_before_retirement_banned", on)
    to_verify = False
    if not ctx["has_record"]:
        opt["reason"] = "no_record"
    elif banned is None:
        opt["reason"] = "cash_out_no_rule"
    elif not banned:
        if ctx["rural_hukou"]:
            opt.update(allowed=True, reason="cash_out_local_before_2010")
        else:
            opt["reason"] = "cash_out_before_2010_rural_only"
    elif not ctx["reached"]:
        opt["reason"] = "cash_out_banned_before_retirement_age"
    else:
        threshold, to_verify = short_of_minimum_threshold(step, ctx, on)
        if ctx["years"] >= threshold:
            opt["reason"] = "cash_out_entitled_to_pension"
        elif _in_force(step, "pension.cash_out_short_at_retirement_allowed", on):
            opt.update(allowed=True, reason="cash_out_short_at_retirement_age")
        else:
            opt["reason"] = "cash_out_banned_before_retirement_age"
            to_verify = False
    opt["citation"] = _last_citation(step)
    opt["to_verify"] = to_verify
    if ctx["has_record"]:
        opt.update(money_now=round(ctx["balance"], 2), value_to_age=round(ctx["balance"], 2), years_kept=0.0,
                   years_lost=ctx["years"], money_left_behind=round(ctx["employer_paid"], 2))
    step.conclude("option_" + opt["reason"] + ("_to_verify" if to_verify else ""), money=opt["money_now"],
                  years=ctx["years"], left=opt["money_left_behind"])
    return opt


def horizon(tracer: Tracer, stated_age: int | None, on: _dt.date) -> int:
    """The age up to which option values are summed: the one the person stated, else the tool's stated default
    (an assumption, not law: close to life expectancy at birth)."""
    step = tracer.step("options.horizon", stated_age=stated_age)
    age = stated_age if stated_age else step.param("assumptions.value_horizon_age", on)
    step.conclude("horizon_stated" if stated_age else "horizon_default", age=age)
    return age


def options(tracer: Tracer, ctx: dict, on: _dt.date) -> list[dict]:
    """All five options, in a fixed order."""
    return [suspend(tracer, ctx, on), transfer(tracer, ctx, on), continue_to_minimum(tracer, ctx, on),
            switch_to_residents(tracer, ctx, on), cash_out(tracer, ctx, on)]


def pension_function(wage: float | None, index: float, on: _dt.date):
    """The employees' pension at a given number of years, balance and age, for the options to compare."""
    def pension(step: Step, years: float, balance: float, age_months: int) -> dict:
        # the options read only the total (same parameters recorded as monthly_pension)
        return {"monthly_total": monthly_total(step, wage, index, years, balance, age_months, on)}
    return pension

"""Rule 9: unemployment insurance entitlement (失业保险条例; 社会保险法 arts. 45–46)."""
from __future__ import annotations

import datetime as _dt

from rules_engine.trace import Tracer


def unemployment_benefit(tracer: Tracer, contribution_years: float, involuntary: bool | None,
                         rural_contract_worker: bool, on: _dt.date, continuous_years: float | None = None) -> dict:
    """失业保险条例 第十四条：“具备下列条件的失业人员，可以领取失业保险金：（一）按照规定参加失业保险，所在单位和本人已按照
    规定履行缴费义务满1年的；（二）非因本人意愿中断就业的；（三）已办理失业登记，并有求职要求的。”
    第十七条：“累计缴费时间满1年不足5年的，领取失业保险金的期限最长为12个月；满5年不足10年的，最长为18个月；10年以上的，
    最长为24个月。重新就业后，再次失业的，缴费时间重新计算……”
    第二十一条：“单位招用的农民合同制工人连续工作满1年，本单位并已缴纳失业保险费，劳动合同期满未续订或者提前解除劳动合同的，
    由社会保险经办机构根据其工作时间长短，对其支付一次性生活补助。”"""
    step = tracer.step("unemployment.entitlement", contribution_years=contribution_years, involuntary=involuntary,
                       rural_contract_worker=rural_contract_worker, on=on.isoformat())
    if rural_contract_worker:
        need = step.param("unemployment.rural_min_continuous_years", on)
        months_equiv = step.param("unemployment.rural_subsidy_months", on)
        years = contribution_years if continuous_years is None else continuous_years
        eligible = years >= need
        result = {"kind": "one_off_subsidy", "eligible": eligible, "max_months": 0,
                  "one_off_subsidy_months_equivalent": months_equiv if eligible else 0,
                  "min_years": need, "period_restarts": True, "local": True,
                  "conditions": ["contract_ended", "employer_paid"]}
        step.conclude("unemployment_rural_eligible" if eligible else "unemployment_rural_not_eligible",
                      years=years, min_years=need, months=months_equiv)
        return result
    need = step.param("unemployment.min_years", on)
    months = step.table("unemployment.benefit_months", on, contribution_years) if contribution_years >= need else 0
    eligible = contribution_years >= need and involuntary is not False
    result = {"kind": "monthly_benefit", "eligible": eligible, "max_months": months if eligible else 0,
              "one_off_subsidy_months_equivalent": 0, "min_years": need, "period_restarts": True, "local": False,
              "conditions": ["involuntary_job_loss", "registered_unemployed", "seeking_work"]}
    if contribution_years < need:
        key = "unemployment_too_few_years"
    elif involuntary is False:
        key = "unemployment_voluntary"
    else:
        key = "unemployment_eligible"
    step.conclude(key, years=contribution_years, min_years=need, months=months)
    return result

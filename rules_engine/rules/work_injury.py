"""Rule 10: work-injury recognition and disability-assessment deadlines (工伤保险条例)."""
from __future__ import annotations

import datetime as _dt

from rules_engine import months as M
from rules_engine.params import ParameterNotInForce
from rules_engine.trace import Tracer


def injury_deadlines(tracer: Tracer, accident: _dt.date, on: _dt.date) -> dict:
    """工伤保险条例 第十七条：“职工发生事故伤害或者按照职业病防治法规定被诊断、鉴定为职业病，所在单位应当自事故伤害发生之日
    或者被诊断、鉴定为职业病之日起30日内，向统筹地区社会保险行政部门提出工伤认定申请……用人单位未按前款规定提出工伤认定申请的，
    工伤职工或者其近亲属、工会组织在事故伤害发生之日或者被诊断、鉴定为职业病之日起1年内，可以直接……提出工伤认定申请。”
    第二十条：60日内作出认定决定；事实清楚、权利义务明确的，15日内. 第二十五条：鉴定结论60日内，必要时延长30日.
    第二十六条：收到鉴定结论之日起15日内可申请再次鉴定.

    The law in force on the accident date decides the deadlines."""
    step = tracer.step("work_injury.deadlines", accident_date=accident.isoformat(), on=M.iso(on))
    employer_days = step.param("work_injury.employer_deadline_days", accident)
    worker_years = step.param("work_injury.worker_deadline_years", accident)
    decision_days = step.param("work_injury.decision_days", accident)
    try:
        simple_days = step.param("work_injury.simple_decision_days", accident)
    except ParameterNotInForce:
        simple_days = None
    assessment_days = step.param("work_injury.assessment_days", accident)
    extension_days = step.param("work_injury.assessment_extension_days", accident)
    appeal_days = step.param("work_injury.appeal_days", accident)
    employer_deadline = M.add_days(accident, employer_days)
    worker_deadline = M.add_years(accident, worker_years)
    result = {
        "accident_date": accident.isoformat(),
        "employer_deadline": employer_deadline.isoformat(),
        "employer_days_left": (employer_deadline - on).days,
        "employer_open": on <= employer_deadline,
        "worker_deadline": worker_deadline.isoformat(),
        "worker_days_left": (worker_deadline - on).days,
        "worker_open": on <= worker_deadline,
        "decision_days": decision_days,
        "simple_decision_days": simple_days,
        "assessment_days": assessment_days,
        "assessment_extension_days": extension_days,
        "appeal_days": appeal_days,
    }
    if on <= employer_deadline:
        key = "injury_employer_window"
    elif on <= worker_deadline:
        key = "injury_worker_window"
    else:
        key = "injury_deadline_passed"
    step.conclude(key, employer_deadline=result["employer_deadline"], worker_deadline=result["worker_deadline"],
                  employer_days=employer_days, worker_years=worker_years, decision_days=decision_days,
                  simple_days=simple_days, days_left=max(result["worker_days_left"], 0))
    return result

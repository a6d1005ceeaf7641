"""Rule 1: statutory retirement age and date, and the flexible early/late windows."""
from __future__ import annotations

import datetime as _dt

from rules_engine import months as M
from rules_engine.params import ParameterNotInForce
from rules_engine.trace import Tracer

CATEGORIES = ("men", "women_worker", "women_cadre")


def statutory_retirement(tracer: Tracer, birth: str, category: str, on: _dt.date) -> dict:
    """国务院关于渐进式延迟法定退休年龄的办法 第一条：“从2025年1月1日起，男职工和原法定退休年龄为五十五周岁的女职工，
    法定退休年龄每四个月延迟一个月，分别逐步延迟至六十三周岁和五十八周岁；原法定退休年龄为五十周岁的女职工，
    法定退休年龄每二个月延迟一个月，逐步延迟至五十五周岁。”

    Month-exact: the first birth month of the reform (e.g. 1965-01 for men) is delayed one month, and each further
    ``birth_months_per_delay_month`` months of birth add one more, up to ``max_delay_months``.
    Before the reform (query date before 2025-01-01) the maximum delay is 0: the original ages 60/55/50 apply.
    """
    step = tracer.step("retirement.statutory_age", birth=birth, category=category, on=M.iso(on))
    prefix = f"pension.retirement.{category}."
    original_years = step.param(prefix + "original_age", on)
    max_delay = step.param(prefix + "max_delay_months", on)
    delay = 0
    if max_delay:
        first_delayed_birth = step.param(prefix + "delay_start_birth", on)
        pace = step.param(prefix + "birth_months_per_delay_month", on)
        months_after_start = M.index(birth) - M.index(first_delayed_birth)
        if months_after_start >= 0:
            delay = min(max_delay, months_after_start // pace + 1)
    age_months = original_years * 12 + delay
    date = M.label(M.index(birth) + age_months)
    result = {
        "date": date,
        "age": M.years_months(age_months),
        "age_months": age_months,
        "original_age": M.years_months(original_years * 12),
        "delay_months": delay,
        "reached": M.index(date) <= M.of_date(on),
    }
    step.conclude("retirement_age", date=date, years=age_months // 12, months=age_months % 12, delay_months=delay,
                  original_years=original_years)
    return result


def flexible_windows(tracer: Tracer, birth: str, category: str, statutory_age_months: int, on: _dt.date) -> dict:
    """人社部发〔2024〕94号 第二条：“职工达到最低缴费年限，可以自愿选择弹性提前退休，提前时间最长不超过3年，且退休年龄
    不得低于女职工50周岁、55周岁及男职工60周岁的原法定退休年龄。” 第三条：“职工达到法定退休年龄时，所在单位与职工
    协商一致的，可以弹性延迟退休，延迟时间最长不超过3年。”"""
    step = tracer.step("retirement.flexible_windows", birth=birth, category=category,
                       statutory_age_months=statutory_age_months, on=M.iso(on))
    try:
        early_max = step.param("pension.retirement.flexible_early_max_months", on)
        late_max = step.param("pension.retirement.flexible_late_max_months", on)
    except ParameterNotInForce:
        step.conclude("flexible_not_in_force")
        return {"in_force": False, "early": None, "late": None}
    original_months = step.param(f"pension.retirement.{category}.original_age", on) * 12
    earliest = max(original_months, statutory_age_months - early_max)
    latest = statutory_age_months + late_max
    b = M.index(birth)
    early = {"date": M.label(b + earliest), "age": M.years_months(earliest), "requires_minimum_years": True}
    late = {"date": M.label(b + latest), "age": M.years_months(latest), "requires_employer_agreement": True}
    step.conclude("flexible_windows", early_date=early["date"], early_years=earliest // 12, early_months=earliest % 12,
                  late_date=late["date"], late_years=latest // 12, late_months=latest % 12)
    return {"in_force": True, "early": early, "late": late}

"""Rule 2: minimum contribution years for a monthly pension."""
from __future__ import annotations

import datetime as _dt

from rules_engine.trace import Tracer


def minimum_contribution_years(tracer: Tracer, retirement_year: int, on: _dt.date) -> float:
    """国务院关于渐进式延迟法定退休年龄的办法 第二条：“从2030年1月1日起，将职工按月领取基本养老金最低缴费年限由15年
    逐步提高至20年，每年提高6个月。” The minimum that applies is that of the year the person reaches statutory
    retirement age (社会保险法 第十六条: 15 years before the reform)."""
    step = tracer.step("pension.minimum_years", retirement_year=retirement_year, on=on.isoformat())
    years = step.table("pension.minimum_years", on, retirement_year)
    step.conclude("minimum_years", years=years, retirement_year=retirement_year)
    return years

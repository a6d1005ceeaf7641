"""Rule 8: employees' medical insurance — years needed to stop paying in retirement, and continuity on a move."""
from __future__ import annotations

import datetime as _dt

from rules_engine import months as M
from rules_engine.params import ParameterNotInForce
from rules_engine.rules.contribution_years import count_months
from rules_engine.trace import Tracer


def retirement_years(tracer: Tracer, periods: list[dict], province: str, sex: str, on: _dt.date) -> dict | None:
    """社会保险法 第二十七条：“参加职工基本医疗保险的个人，达到法定退休年龄时累计缴费达到国家规定年限的，退休后不再缴纳
    基本医疗保险费，按照国家规定享受基本医疗保险待遇；未达到国家规定年限的，可以缴费至国家规定年限。”
    No national number has been set: the province's own figure applies where this package has one (marked local),
    otherwise the common default (to verify)."""
    own = [p for p in periods if p["scheme"] == "BMCI-UE"]
    step = tracer.step("medical.retirement_years", province=province, sex=sex, periods=len(own))
    name = "medical.retirement_years_" + ("men" if sex == "male" else "women")
    try:
        entry = step.reference(name, on, province=province)
    except ParameterNotInForce:
        step.conclude("medical_years_not_in_force")
        return None
    months = count_months([(p["s"], p["e"]) for p in own])
    local = step.data["parameters"][-1]["name"].startswith("provinces.")
    result = {"province": province, "years_needed": entry.value, "local": local,
              "confidence": entry.reference["confidence"], "years_on_record": M.years(months),
              "years_short": round(max(0.0, entry.value - months / 12), 2)}
    step.conclude("medical_years_local" if local else "medical_years_default", province=province,
                  needed=entry.value, years=result["years_on_record"], short=result["years_short"])
    return result


def continuity(tracer: Tracer, periods: list[dict], on: _dt.date) -> list[dict]:
    """医保办发〔2021〕43号：跨统筹区流动就业，中断缴费3个月内（含）补缴的视为连续参保; after a longer break the new
    place may impose a waiting period (up to 6 months, set locally). Transfer: old place within 10 working days,
    new place within 5 (to verify)."""
    own = sorted((p for p in periods if p["scheme"] == "BMCI-UE"), key=lambda p: p["s"])
    step = tracer.step("medical.continuity", periods=len(own))
    try:
        max_break = step.param("medical.continuity_max_break_months", on)
        waiting = step.param("medical.max_waiting_months", on)
    except ParameterNotInForce:
        step.conclude("medical_continuity_not_in_force")
        return []
    gaps = []
    for a, b in zip(own, own[1:]):
        gap = b["s"] - a["e"] - 1
        if gap <= 0:
            continue
        gaps.append({"from": a["province"], "to": b["province"], "after": M.label(a["e"]), "gap_months": gap,
                     "continuous_if_back_paid": gap <= max_break,
                     "waiting_months_max": 0 if gap <= max_break else waiting})
    step.conclude("medical_gaps" if gaps else "medical_no_gaps", count=len(gaps), max_break=max_break, waiting=waiting,
                  longest=max((g["gap_months"] for g in gaps), default=0))
    return gaps

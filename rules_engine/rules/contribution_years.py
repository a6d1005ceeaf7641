"""Rule 3: contribution years, aggregated across regions, overlapping months counted once."""
from __future__ import annotations

from rules_engine import months as M
from rules_engine.trace import Tracer


def merge_intervals(intervals: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Union of inclusive month intervals, sorted."""
    if len(intervals) < 2:
        return [(s, e) for s, e in intervals]
    merged: list[tuple[int, int]] = []
    ordered = sorted(intervals)
    cur_s, cur_e = ordered[0]
    for start, end in ordered[1:]:
        if start <= cur_e + 1:
            if end > cur_e:
                cur_e = end
        else:
            merged.append((cur_s, cur_e))
            cur_s, cur_e = start, end
    merged.append((cur_s, cur_e))
    return merged


def count_months(intervals: list[tuple[int, int]]) -> int:
    """Months covered by inclusive month intervals, each month once."""
    if len(intervals) == 1:
        s, e = intervals[0]
        return e - s + 1
    total = 0
    for s, e in merge_intervals(intervals):
        total += e - s + 1
    return total


def contribution_years(tracer: Tracer, periods: list[dict], scheme: str = "BPI-UE") -> dict:
    """社会保险法 第十九条：“个人跨统筹地区就业的，其基本养老保险关系随本人转移，缴费年限累计计算。”
    国办发〔2009〕66号 第三条：参保人员跨省流动就业转移基本养老保险关系时，缴费年限累计计算.
    Months paid in two places at once (duplicate insurance) count once; the agency clears the duplicate."""
    own = [p for p in periods if p["scheme"] == scheme]
    step = tracer.step("pension.contribution_years", scheme=scheme, periods=len(own))
    by_province: dict[str, list[tuple[int, int]]] = {}
    for p in own:
        by_province.setdefault(p["province"], []).append((p["s"], p["e"]))
    per_province = []
    summed = 0
    for code, ivs in by_province.items():
        months = count_months(ivs)
        summed += months
        per_province.append({"province": code, "months": months, "years": M.years(months)})
    if len(by_province) == 1:
        total = summed  # one province: its own count is the union
    else:
        total = count_months([iv for ivs in by_province.values() for iv in ivs])
    duplicate = summed - total
    total_years = M.years(total)
    step.conclude("contribution_years" if not duplicate else "contribution_years_duplicates",
                  months=total, years=total_years, duplicate_months=duplicate, places=len(per_province))
    return {"months": total, "years": total_years, "by_province": per_province, "duplicate_months": duplicate}


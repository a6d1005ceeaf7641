"""Rule 11: an EU-style pro-rata pension beside today's rule, for trainers (a policy proposal, not law)."""
from __future__ import annotations

import datetime as _dt

from rules_engine import months as M
from rules_engine.rules.pension_estimate import monthly_total
from rules_engine.trace import Tracer


def pro_rata_comparison(tracer: Tracer, *, places: list[dict], wages: dict[str, float | None], paying_place: str,
                        index: float, years: float, balance: float, age_months: int, on: _dt.date) -> dict | None:
    """ILO/IOM 2019 report §5.2, after Regulation (EC) No 883/2004 art. 52(1)(b): each place where the person was
    insured computes a theoretical pension as if all periods had been completed under its rules (B_i), then pays
    the share of its own periods: total = Σ T_i / ΣT × B_i. Today (国办发〔2009〕66号 art. 6) one place pays
    everything with its own average wage."""
    step = tracer.step("comparison.pro_rata", places=len(places), paying_place=paying_place)
    total_months = sum(p["months"] for p in places)
    if not total_months or any(not wages.get(p["province"]) for p in places) or not wages.get(paying_place):
        step.conclude("pro_rata_unavailable")
        return None
    rows = []
    pro_rata_total = 0.0
    for p in places:
        theoretical = monthly_total(step, wages[p["province"]], index, years, balance, age_months, on)
        share = p["months"] / total_months
        rows.append({"province": p["province"], "years": M.years(p["months"]), "share": round(share, 4),
                     "theoretical_pension": theoretical, "pays": round(theoretical * share, 2)})
        pro_rata_total += theoretical * share
    current = monthly_total(step, wages[paying_place], index, years, balance, age_months, on)
    result = {"places": rows, "pro_rata_total": round(pro_rata_total, 2), "current_rule_total": current,
              "current_rule_place": paying_place, "difference": round(pro_rata_total - current, 2),
              "status": "policy_proposal_not_law", "source": "ILO/IOM 2019 §5.2; Regulation (EC) No 883/2004 art. 52"}
    step.conclude("pro_rata", total=result["pro_rata_total"], current=current, place=paying_place,
                  difference=result["difference"])
    return result

"""Builds the chat bubbles from an Assessment (templates in summary.yml)."""
from __future__ import annotations

from rules_engine.explain import fill, summary_templates


def _b(key: str, lang: str, **values) -> str:
    return fill(summary_templates()["bubbles"][key][lang], values, lang)


def _get(result, name):
    return result.get(name) if isinstance(result, dict) else getattr(result, name, None)


def summary_bubbles(result, lang: str) -> list[str]:
    bubbles: list[str] = []
    ret = _get(result, "retirement")
    age = ret["age"]
    if ret["reached"]:
        bubbles.append(_b("retirement_reached", lang, date=ret["date"], years=age["years"], months=age["months"]))
    else:
        flex = ""
        if ret.get("early") and ret.get("late"):
            flex = _b("flex_window", lang, early=ret["early"]["date"], late=ret["late"]["date"])
        bubbles.append(_b("retirement_future", lang, date=ret["date"], years=age["years"], months=age["months"],
                          flex=flex).strip())
    minimum = _get(result, "minimum_years")
    contribution = _get(result, "contribution")
    if contribution is None:  # a partial answer (rules_engine.api.retirement_for)
        bubbles.append(_b("years_minimum_only", lang, minimum=float(minimum)))
        return bubbles
    years = contribution["years"]
    if years >= minimum:
        bubbles.append(_b("years_ok", lang, minimum=float(minimum), years=float(years)))
    elif contribution["ongoing"] and contribution["years_short_at_retirement_if_continuing"] == 0:
        bubbles.append(_b("years_ok_if_continuing", lang, minimum=float(minimum), years=float(years),
                          at_retirement=float(contribution["years_at_retirement_if_continuing"])))
    else:
        bubbles.append(_b("years_short", lang, minimum=float(minimum), years=float(years),
                          short=float(contribution["years_short_now"])))
    place = _get(result, "pension_place")
    why = _b("place_why_" + place["rule"], lang)
    bubbles.append(_b("place", lang, province=place["province"], why=why))
    accounts = _get(result, "temporary_accounts") or []
    if accounts:  # 国办发〔2009〕66号 第五条: name the temporary account and what happens to it
        last = accounts[-1]
        bubbles.append(_b("temporary_account", lang, province=last["province"], age=last["age_at_start"],
                          relationship=last["relationship_place"], payer=place["province"]))
    estimate = _get(result, "pension_estimate")
    if estimate and estimate.get("eligible"):
        caveat = ""
        if estimate.get("average_wage_source") == "user":
            caveat = _b("estimate_caveat_user", lang)
        elif estimate.get("average_wage_confidence") != "verified":
            caveat = _b("estimate_caveat_to_verify", lang)
        bubbles.append(_b("estimate", lang, monthly=round(estimate["monthly_total"]),
                          basic=round(estimate["basic_pension"]), account=round(estimate["account_pension"]),
                          caveat=caveat).strip())
    from rules_engine.explain.options_text import option_bubbles
    bubbles.extend(option_bubbles(_get(result, "options"), lang))
    return bubbles

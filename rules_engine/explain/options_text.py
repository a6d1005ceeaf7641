"""Bubbles comparing the options in money and years (templates: summary.yml `bubbles.option_*`)."""
from __future__ import annotations

from rules_engine.explain import fill, summary_templates

MAX_ZH_CHARS = 120


def _b(key: str, lang: str, **values) -> str:
    return fill(summary_templates()["bubbles"][key][lang], values, lang)


def option_sentences(options: list[dict], lang: str) -> list[str]:
    """One short sentence per option that is worth showing, cheapest to understand first."""
    by = {o["option"]: o for o in options}
    out: list[str] = []
    s = by.get("suspend")
    if s and s["allowed"]:
        if s["monthly_pension"]:
            out.append(_b("option_suspend", lang, years=float(s["years_kept"]), monthly=round(s["monthly_pension"])))
        else:
            out.append(_b("option_suspend_short", lang, years=float(s["years_kept"])))
    t = by.get("transfer")
    if t and t["allowed"] and not (s and s["allowed"] and by["cash_out"]["reason"] == "cash_out_short_at_retirement_age"):
        if t["reason"] == "transfer_temporary_account":
            out.append(_b("option_transfer_temporary", lang))
        else:
            out.append(_b("option_transfer", lang, left=round(t["money_left_behind"] or 0)))
    c = by.get("continue_to_minimum")
    if c and c["allowed"] and c["months_to_pay"] and c["monthly_pension"]:
        out.append(_b("option_continue", lang, months=c["months_to_pay"], cost=round(c["cost_to_pay"] or 0),
                      monthly=round(c["monthly_pension"]), break_even=c["break_even_age"]))
    w = by.get("switch_to_residents")
    if w and w["allowed"] and w["monthly_pension"]:
        out.append(_b("option_switch", lang, monthly=round(w["monthly_pension"])))
    x = by.get("cash_out")
    if x:
        if x["allowed"]:
            out.append(_b("option_cash_out_allowed", lang, money=round(x["money_now"] or 0),
                          years=float(x["years_lost"]), left=round(x["money_left_behind"] or 0)))
        elif x["reason"] == "cash_out_banned_before_retirement_age":
            out.append(_b("option_cash_out_banned", lang))
        elif x["reason"] == "cash_out_entitled_to_pension":
            out.append(_b("option_cash_out_entitled", lang))
    if any(o.get("to_verify") for o in options):
        out.append(_b("option_to_verify", lang))
    return out


def option_bubbles(options: list[dict], lang: str) -> list[str]:
    """The option sentences packed into as few bubbles as fit (<= 120 Chinese characters; English by the same
    count of sentences)."""
    sentences = option_sentences(options, lang)
    if not sentences:
        return []
    head = _b("options_head", lang)
    bubbles: list[str] = []
    current = head
    for sentence in sentences:
        limit = MAX_ZH_CHARS if lang == "zh" else 3 * MAX_ZH_CHARS
        if current != head and len(current) + len(sentence) > limit:
            bubbles.append(current.strip())
            current = ""
        current += sentence if lang == "zh" else sentence + " "
    bubbles.append(current.strip())
    return bubbles

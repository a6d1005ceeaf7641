"""Rule 4: where the pension is paid (国办发〔2009〕66号 art. 6) and temporary accounts (art. 5).

"Place" is read as the province: employees' pensions are pooled at provincial level (national pooling since 2022
settles funds between provinces but did not repeal art. 6). Whether a city-level pooling region still matters
locally is to verify.
"""
from __future__ import annotations

import datetime as _dt

from rules_engine import months as M
from rules_engine.params import ParameterNotInForce
from rules_engine.rules.contribution_years import count_months
from rules_engine.trace import Tracer


def temporary_accounts(tracer: Tracer, periods: list[dict], hukou: str, birth: str, sex: str,
                       on: _dt.date) -> list[dict]:
    """国办发〔2009〕66号 第五条：“参保人员跨省流动就业的……男性年满50周岁和女性年满40周岁的，应在原参保地继续保留基本
    养老保险关系，同时在新参保地建立临时基本养老保险缴费账户……”；返回户籍所在地就业参保的除外.

    Marks each employees' pension period (sorted by start) as held in a temporary account or not, and returns the
    temporary accounts. A first-ever insured job at 50+/40+ has no "original place": the new place then holds the
    relationship (assumption, to verify)."""
    step = tracer.step("pension.temporary_accounts", hukou=hukou, birth=birth, sex=sex, periods=len(periods))
    try:
        threshold = step.param("pension.temporary_account." + ("men_age" if sex == "male" else "women_age"), on)
    except ParameterNotInForce:
        threshold = None
    if threshold is None:
        for p in periods:
            p["temporary"] = False
        step.conclude("temporary_rule_not_in_force")
        return []
    b = M.index(birth)
    relationship = None
    accounts: list[dict] = []
    for p in periods:
        age_years = (p["s"] - b) // 12
        moving_in = relationship is not None and p["province"] != relationship
        if moving_in and p["province"] != hukou and age_years >= threshold:
            p["temporary"] = True
            accounts.append({"province": p["province"], "start": M.label(p["s"]), "end": M.label(p["e"]),
                             "months": p["e"] - p["s"] + 1, "relationship_place": relationship,
                             "age_at_start": age_years})
        else:
            p["temporary"] = False
            relationship = p["province"]
    step.conclude("temporary_accounts" if accounts else "no_temporary_account", count=len(accounts),
                  threshold=threshold, provinces=[a["province"] for a in accounts])
    return accounts


_ARTICLES = {"hukou_place": "第六条第（一）项", "current_place_10_years": "第六条第（二）项",
             "previous_place_10_years": "第六条第（三）项", "hukou_place_no_10_years": "第六条第（四）项",
             "no_employee_record": "第六条", "no_national_rule": ""}


def pension_paying_place(tracer: Tracer, periods: list[dict], hukou: str, on: _dt.date) -> dict:
    """国办发〔2009〕66号 第六条：“（一）基本养老保险关系在户籍所在地的，由户籍所在地负责办理待遇领取手续……
    （二）基本养老保险关系不在户籍所在地，而在其基本养老保险关系所在地累计缴费年限满10年的，在该地办理待遇领取手续……
    （三）基本养老保险关系不在户籍所在地，且在其基本养老保险关系所在地累计缴费年限不满10年的，将其基本养老保险关系转回
    上一个缴费年限满10年的原参保地办理待遇领取手续……（四）基本养老保险关系不在户籍所在地，且在每个参保地的累计缴费年限
    均不满10年的，将其基本养老保险关系及相应资金归集到户籍所在地……”

    ``periods`` are the employees' pension periods sorted by start, already marked by :func:`temporary_accounts`;
    months in a temporary account do not count for the place that holds it."""
    step = tracer.step("pension.paying_place", hukou=hukou, periods=len(periods))
    try:
        min_years = step.param("pension.pension_place.min_years", on)
    except ParameterNotInForce:
        min_years = None
    order: list[str] = []
    intervals: dict[str, list[tuple[int, int]]] = {}
    for p in periods:
        if p["temporary"]:
            continue
        code = p["province"]
        if code in order:
            order.remove(code)
        order.append(code)  # most recent last
        intervals.setdefault(code, []).append((p["s"], p["e"]))
    months_in = {code: count_months(ivs) for code, ivs in intervals.items()}
    places = [{"province": code, "months": months_in[code], "years": M.years(months_in[code])}
              for code in order]
    if not order:
        province, branch = hukou, "no_employee_record"
    elif min_years is None:
        # before 2010 there was no national rule: the pension was paid where the record was
        province, branch = order[-1], "no_national_rule"
    else:
        need = min_years * 12
        current = order[-1]
        if current == hukou:
            province, branch = hukou, "hukou_place"
        elif months_in[current] >= need:
            province, branch = current, "current_place_10_years"
        else:
            earlier = [c for c in reversed(order[:-1]) if months_in[c] >= need]
            if earlier:
                province, branch = earlier[0], "previous_place_10_years"
            else:
                province, branch = hukou, "hukou_place_no_10_years"
    article = _ARTICLES[branch]
    result = {"province": province, "rule": branch, "article": article,
              "relationship_place": order[-1] if order else None,
              "years_in_place": M.years(months_in.get(province, 0)), "places": places}
    step.conclude("paying_place_" + branch, province=province, relationship_place=result["relationship_place"],
                  years_in_place=result["years_in_place"], min_years=min_years)
    return result

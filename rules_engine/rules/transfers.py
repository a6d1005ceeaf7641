"""Rule 5: what moves when the employees' pension relationship moves between provinces (国办发〔2009〕66号 art. 4)."""
from __future__ import annotations

import datetime as _dt

from rules_engine import months as M
from rules_engine.memo import memo_table, remember
from rules_engine.params import ParameterNotInForce
from rules_engine.rules import money
from rules_engine.trace import Tracer


def price_record(tracer: Tracer, periods: list[dict], on: _dt.date) -> dict:
    """国办发〔2009〕66号 第四条：“（一）个人账户储存额：1998年1月1日之前按个人缴费累计本息计算转移，1998年1月1日后按
    计入个人账户的全部储存额计算转移。（二）统筹基金（单位缴费）：以本人1998年1月1日后各年度实际缴费工资为基数，按12%的
    总和转移，参保缴费不足1年的，按实际缴费月数计算转移额。”

    Prices every employees' pension period once (account credits, employer money paid, pooled part transferable
    under the rule in force on ``on``) and stores the result on the period as ``money``. Interest credited to the
    account (记账利率) is not added: amounts are contributions only."""
    step = tracer.step("pension.account_balance", periods=len(periods), on=M.iso(on))
    try:
        pooled_rate = step.param("pension.transfer.pooled_rate", on)
        since = _since_index(step.param("pension.transfer.pooled_since", on))
    except ParameterNotInForce:
        pooled_rate, since = None, None
    reference_year = None
    totals = {"account": 0.0, "employer": 0.0, "transferable": 0.0, "months_unpriced": 0, "months_estimated": 0}
    for p in periods:
        assumed = None
        if p.get("base") is None:
            assumed, reference_year = money.assumed_base_for(step, p["province"], on)
            money.attach_scales(step, [p], reference_year, on)
        m = money.price_period(step, p, since, pooled_rate, assumed)
        p["money"] = m
        for k in ("account", "employer", "transferable", "months_unpriced"):
            totals[k] += m[k]
        if m["estimated"]:
            totals["months_estimated"] += m["months"]
    totals["pooled_rate"] = pooled_rate
    step.conclude("record_priced" if not totals["months_estimated"] else "record_priced_estimated",
                  account=round(totals["account"]), employer=round(totals["employer"]),
                  months_estimated=totals["months_estimated"], months_unpriced=totals["months_unpriced"])
    return totals


_SINCE = memo_table()  # pooled-transfer start value -> month index


def _since_index(value) -> int:
    """Month index of the pooled-transfer start date (parsed once per parameter value)."""
    hit = _SINCE.get(value)
    if hit is None:
        hit = remember(_SINCE, value, M.index(M.parse_month(value)))
    return hit


def _sum(periods: list[dict], key: str) -> float:
    return sum(p["money"][key] for p in periods)


def transfers(tracer: Tracer, periods: list[dict], place: dict, retirement_date: str, on: _dt.date) -> list[dict]:
    """One entry per move of the relationship between provinces (and, at retirement, the gathering of temporary
    accounts and of the record to the paying place, art. 5–6). The moving record carries the whole individual
    account and 12% of every base since 1998; the rest of the employer's money stays in the place paid
    (国办发〔2009〕66号 第四条). Amounts are under the rule in force on ``on``, which is when a transfer applied for
    now would be made."""
    step = tracer.step("pension.transfers", periods=len(periods), on=M.iso(on))
    try:
        days = step.param("pension.transfer.step_working_days", on) * step.param("pension.transfer.steps", on)
    except ParameterNotInForce:
        days = None
    moves: list[dict] = []
    held: list[dict] = []          # periods whose money is in the current relationship place
    carried: list[dict] = []       # periods whose record has moved on with the relationship
    current = None

    def move(to: str, date: str, kind: str, own: list[dict], record: list[dict]):
        # one pass over the record (same order of additions as summing each key separately)
        unpriced = months = 0
        account = transferable = 0
        estimated = False
        for p in record:
            m = p["money"]
            unpriced += m["months_unpriced"]
            months += m["months"]
            account += m["account"]
            transferable += m["transferable"]
            if m["estimated"]:
                estimated = True
        own_employer = own_transferable = 0
        for p in own:
            m = p["money"]
            own_employer += m["employer"]
            own_transferable += m["transferable"]
        moves.append({
            "from": own[0]["province"] if own else current, "to": to, "date": date, "kind": kind,
            "months_moved": months,
            "individual_account": round(account, 2),
            "pooled_transferred": round(transferable, 2),
            "pooled_left_behind": round(own_employer - own_transferable, 2),
            "months_unpriced": unpriced, "working_days": days,
            "estimated": estimated,
        })

    for p in periods:
        if p["temporary"]:
            continue
        if current is not None and p["province"] != current:
            move(p["province"], M.label(p["s"]), "move", held, carried + held)
            carried = carried + held
            held = []
        current = p["province"]
        held.append(p)
    # at retirement: the record goes to the paying place when that is not where it is; temporary accounts follow
    payer = place["province"]
    if current is not None and current != payer:
        move(payer, retirement_date, "at_retirement", held, carried + held)
    for p in periods:
        if p["temporary"]:
            move(payer, retirement_date, "temporary_account_gathered", [p], [p])
    step.conclude("transfers" if moves else "no_transfer", count=len(moves),
                  moved_to=[m["to"] for m in moves], working_days=days)
    return moves


def held_in_current_place(periods: list[dict]) -> list[dict]:
    """The periods paid in the place that holds the relationship now (since the last move there)."""
    held: list[dict] = []
    current = None
    for p in periods:
        if p["temporary"]:
            continue
        if p["province"] != current:
            held = []
            current = p["province"]
        held.append(p)
    return held

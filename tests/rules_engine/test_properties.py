"""Property tests (hypothesis) from issue #2: suspending never loses years; a transfer never moves more than was
paid; the pension estimate never falls when years rise; every option is always listed with its legality."""
from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rules_engine import assess
from rules_engine.provinces import CODES
from rules_engine.rules.options import OPTIONS
from rules_engine.rules.pension_estimate import monthly_pension
from rules_engine.trace import Tracer

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
AS_OF = dt.date(2026, 11, 26)
NOW = AS_OF.year * 12 + AS_OF.month - 1


def label(idx: int) -> str:
    return f"{idx // 12:04d}-{idx % 12 + 1:02d}"


@st.composite
def profiles(draw, provinces=st.sampled_from(CODES), with_base=st.booleans(), max_periods=4):
    birth = draw(st.integers(1950 * 12, 2006 * 12))
    sex = draw(st.sampled_from(["male", "female"]))
    profile = {"birth": label(birth), "sex": sex, "hukou_province": draw(st.sampled_from(CODES)),
               "as_of": AS_OF.isoformat(), "periods": []}
    if sex == "female":
        profile["female_category"] = draw(st.sampled_from(["worker", "cadre"]))
    start = birth + 16 * 12 + draw(st.integers(0, 120))
    for _ in range(draw(st.integers(0, max_periods))):
        if start > NOW:
            break
        end = min(start + draw(st.integers(0, 180)), NOW)
        period = {"scheme": "BPI-UE", "province": draw(provinces), "start": label(start), "end": label(end)}
        if draw(with_base):
            period["base"] = draw(st.integers(1000, 30000))
        profile["periods"].append(period)
        start = end + 1 + draw(st.integers(0, 36))
    if draw(st.booleans()):
        profile["account_balance"] = draw(st.integers(0, 300000))
    return profile


@SETTINGS
@given(profiles())
def test_every_option_is_always_listed_with_its_legality(profile):
    result = assess(profile)
    assert [o["option"] for o in result.options] == list(OPTIONS)
    for option in result.options:
        assert isinstance(option["allowed"], bool)
        assert option["reason"]


@SETTINGS
@given(profiles())
def test_suspending_never_loses_years(profile):
    result = assess(profile)
    suspend = result.options[0]
    assert suspend["years_lost"] == 0
    if result.contribution["months"]:
        assert suspend["allowed"]
        assert suspend["years_kept"] == round(result.contribution["months"] / 12, 2)


@SETTINGS
@given(profiles(with_base=st.just(True)))
def test_a_transfer_never_moves_more_than_was_paid(profile):
    result = assess(profile)
    periods = sorted(profile["periods"], key=lambda p: p["start"])
    for move in result.transfers:
        moved = move["individual_account"] + move["pooled_transferred"]
        months = move["months_moved"]
        # everything ever paid on the bases of the periods involved: at most 11% (account) + 20% (employer)
        paid = sum(p["base"] * 0.31 * _months(p) for p in periods)
        assert moved <= paid + 0.01
        assert move["pooled_transferred"] >= 0 and move["pooled_left_behind"] >= -0.01
        assert months <= sum(_months(p) for p in periods)


def _months(period: dict) -> int:
    s = int(period["start"][:4]) * 12 + int(period["start"][5:]) - 1
    e = int(period["end"][:4]) * 12 + int(period["end"][5:]) - 1
    return e - s + 1


@SETTINGS
@given(st.floats(1000, 40000), st.floats(0.6, 3.0), st.floats(0, 45), st.floats(0, 45), st.floats(0, 1e6),
       st.integers(40 * 12, 70 * 12))
def test_the_pension_formula_never_falls_when_years_rise(wage, index, years, more, balance, age):
    step = Tracer().step("test")
    low = monthly_pension(step, wage, index, years, balance, age, AS_OF)["monthly_total"]
    high = monthly_pension(step, wage, index, years + more, balance, age, AS_OF)["monthly_total"]
    assert high >= low


@SETTINGS
@given(profiles(provinces=st.just("440000"), with_base=st.just(False), max_periods=2), st.integers(1, 120),
       st.integers(2000, 20000))
def test_the_estimate_never_falls_when_years_rise(profile, extra_months, wage):
    """Same person, same account, same paying place's wage: more months on record never lower the estimate."""
    if not profile["periods"]:
        return
    profile = {**profile, "account_balance": 50000, "average_wage": wage}
    first = profile["periods"][0]
    s = int(first["start"][:4]) * 12 + int(first["start"][5:]) - 1
    earlier = max(s - extra_months, int(profile["birth"][:4]) * 12 + int(profile["birth"][5:]) - 1 + 16 * 12)
    longer = {**profile, "periods": [{**first, "start": label(earlier)}] + profile["periods"][1:]}
    before = assess(profile).pension_estimate
    after = assess(longer).pension_estimate
    assert after["years"] >= before["years"]
    assert after["monthly_total"] >= before["monthly_total"] - 0.01

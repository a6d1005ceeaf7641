"""Golden test: 2,400 generated profiles through `rules_engine.assess`, compared with the stored summaries.

Regenerate (after a deliberate change in the law or the engine; say which in the commit message):
    PYTHONPATH=. .venv/app/bin/python tests/rules_engine/test_golden.py --regenerate

The profiles are drawn from a fixed seed (births 1950-2005, both sexes, women workers, cadres and unstated, 1-4
provinces with returns, gaps, bases or none, balances, as-of dates 2022-2031) and stored with their summaries in
golden/assessments.jsonl.gz, so the test reads the profiles from the file and never depends on the generator.
A summary keeps what a worker is told: retirement dates, minimum years, years held, the paying place and its rule,
the pension estimate and each option's verdict and money (rounded to whole yuan), warnings, transfers; or, for a
refused profile, the fields the error names.
"""
from __future__ import annotations

import datetime as _dt
import gzip
import json
import random
import sys
from pathlib import Path

GOLDEN = Path(__file__).parent / "golden" / "assessments.jsonl.gz"
SEED = 20261204
COUNT = 2400
SHOWN_DIFFERENCES = 5

# GB/T 2260 codes, fixed here so a change to the engine's province table cannot change the generated profiles
PROVINCES = ("110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000",
             "330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000",
             "460000", "500000", "510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000",
             "650000")


# ----- generating profiles -----

def _month(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def _profile(rng: random.Random) -> dict:
    birth_year = rng.randint(1950, 2005)
    birth = birth_year * 12 + rng.randrange(12)
    as_of = _dt.date(rng.randint(2022, 2031), rng.randint(1, 12), rng.randint(1, 28))
    now = as_of.year * 12 + as_of.month - 1
    profile: dict = {"birth": _month(birth), "sex": rng.choice(("male", "female")),
                     "hukou_province": rng.choice(PROVINCES), "as_of": as_of.isoformat()}
    if profile["sex"] == "female":
        category = rng.choice(("worker", "cadre", None))
        if category:
            profile["female_category"] = category
    places = rng.sample(PROVINCES, rng.randint(1, 4))
    if rng.random() < 0.3 and profile["hukou_province"] not in places:
        places[0] = profile["hukou_province"]         # worked at home first
    if len(places) > 1 and rng.random() < 0.2:
        places.append(places[0])                      # went back to the first place
    profile["periods"] = _periods(rng, places, birth + 12 * rng.randint(16, 30), now)
    if rng.random() < 0.5:
        profile["account_balance"] = float(rng.randrange(1000, 150000, 500))
    if rng.random() < 0.1:
        profile["average_wage"] = float(rng.randrange(5000, 12000, 100))
    if rng.random() < 0.1:
        profile["horizon_age"] = rng.randint(70, 90)
    if rng.random() < 0.2:
        profile["rural_hukou"] = rng.random() < 0.5
    return profile


def _periods(rng: random.Random, places: list[str], start: int, now: int) -> list[dict]:
    periods = []
    for place in places:
        if start > now:
            break
        length = rng.randint(6, 180)
        end = start + length - 1
        ongoing = end >= now or (place is places[-1] and rng.random() < 0.4)
        scheme = "BPI-RUR" if rng.random() < 0.05 else "BPI-UE"
        period = {"scheme": scheme, "province": place, "start": _month(start)}
        if not ongoing:
            period["end"] = _month(min(end, now))
        if scheme == "BPI-UE" and rng.random() < 0.7:
            period["base"] = float(rng.randrange(2000, 15000, 100))
        periods.append(period)
        if scheme == "BPI-UE" and rng.random() < 0.2:
            periods += [{**{k: v for k, v in period.items() if k != "base"}, "scheme": extra}
                        for extra in ("BMCI-UE", "UI")]
        if ongoing:
            break
        start = end + 1 + (rng.randint(1, 36) if rng.random() < 0.4 else 0)   # a gap between jobs
    return periods


def generate_profiles(count: int = COUNT, seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    return [_profile(rng) for _ in range(count)]


# ----- the summary of one assessment -----

def _yuan(value) -> int | None:
    return None if value is None else round(value)


def summarize(profile: dict) -> dict:
    from rules_engine import ProfileError, assess

    try:
        data = assess(profile).model_dump(mode="json")
    except ProfileError as exc:
        return {"refused": sorted({e["field"] for e in exc.errors})}
    retirement, place, estimate = data["retirement"], data["pension_place"], data["pension_estimate"]
    return {
        "retirement": retirement["date"],
        "age": f'{retirement["age"]["years"]}y{retirement["age"]["months"]}m',
        "early": (retirement.get("early") or {}).get("date"),
        "late": (retirement.get("late") or {}).get("date"),
        "reached": retirement["reached"],
        "minimum_years": data["minimum_years"],
        "years": data["contribution_years"],
        "years_at_retirement": data["contribution"]["years_at_retirement_if_continuing"],
        "place": f'{place["province"]} {place["rule"]}',
        "pension": None if not estimate else {"eligible": estimate.get("eligible"),
                                              "monthly": _yuan(estimate.get("monthly_total"))},
        "options": {o["option"]: {"allowed": o.get("allowed"), "reason": o.get("reason"),
                                  "money_now": _yuan(o.get("money_now")), "monthly": _yuan(o.get("monthly_pension")),
                                  "left_behind": _yuan(o.get("money_left_behind"))}
                    for o in data["options"]},
        "transfers": [f'{t["kind"]} {t["from"]}>{t["to"]} {t["date"]}' for t in data["transfers"]],
        "warnings": sorted(w["key"] for w in data["warnings"]),
    }


# ----- the golden file -----

def load_golden() -> list[dict]:
    with gzip.open(GOLDEN, "rt", encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def regenerate() -> None:
    rows = [{"id": i, "profile": p, "summary": summarize(p)} for i, p in enumerate(generate_profiles())]
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    with open(GOLDEN, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as fh:   # same bytes each run
        for row in rows:
            fh.write((json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"))
    refused = sum("refused" in r["summary"] for r in rows)
    print(f"wrote {len(rows)} profiles ({refused} refused) to {GOLDEN}")


def differences(expected, actual, path: str = "") -> list[str]:
    """Readable 'path: expected -> actual' lines."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out = []
        for key in sorted(set(expected) | set(actual), key=str):
            out += differences(expected.get(key, "<missing>"), actual.get(key, "<missing>"), f"{path}.{key}")
        return out
    return [] if expected == actual else [f"  {path.lstrip('.')}: {expected!r} -> {actual!r}"]


# ----- tests -----

def test_golden_covers_the_profiles_asked_for():
    rows = load_golden()
    profiles = [r["profile"] for r in rows]
    assert len(rows) >= 2000
    births = [int(p["birth"][:4]) for p in profiles]
    assert min(births) == 1950 and max(births) == 2005
    assert {p["sex"] for p in profiles} == {"male", "female"}
    assert {p.get("female_category") for p in profiles if p["sex"] == "female"} == {"worker", "cadre", None}
    assert {len({x["province"] for x in p["periods"]}) for p in profiles} == {0, 1, 2, 3, 4}   # 0: no record yet
    assert any(any("base" not in x for x in p["periods"]) for p in profiles)
    refused = sum("refused" in r["summary"] for r in rows)
    assert refused < len(rows) * 0.05, "most generated profiles should be assessable"
    assert len({r["summary"].get("place", "").split(" ")[-1] for r in rows}) >= 3, "several pension-place rules"


def test_assessments_match_golden():
    rows = load_golden()
    failures = []
    for row in rows:
        actual = summarize(row["profile"])
        if actual != row["summary"]:
            failures.append((row, actual))
    if failures:
        shown = []
        for row, actual in failures[:SHOWN_DIFFERENCES]:
            shown.append(f"profile #{row['id']}: {json.dumps(row['profile'], ensure_ascii=False)}")
            shown += differences(row["summary"], actual)
        raise AssertionError(
            f"{len(failures)} of {len(rows)} assessments differ from {GOLDEN.name}; the first ones:\n"
            + "\n".join(shown)
            + "\nIf the change is deliberate, regenerate (see the top of tests/rules_engine/test_golden.py).")


if __name__ == "__main__":
    if sys.argv[1:] != ["--regenerate"]:
        sys.exit(f"usage: PYTHONPATH=. {sys.executable} {__file__} --regenerate")
    regenerate()

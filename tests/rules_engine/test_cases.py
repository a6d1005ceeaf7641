"""Plain-language cases, one YAML file per rule under cases/ (openfisca style).

Each case: name, call (assess | retirement_for | minimum_years_for | injury_deadlines | unemployment_entitlement),
input (the profile or the keyword arguments), optional date (the date asked about), and either output
({dotted.path: expected}) or error_fields (the fields a ProfileError must name)."""
from __future__ import annotations

import pytest

from rules_engine import ProfileError, assess
from rules_engine import api
from tests.rules_engine.helpers import EXAMPLES_DIR, load_cases, pick, same

CALLS = {
    "assess": lambda inp, on: assess(inp, on=on),
    "retirement_for": lambda inp, on: api.retirement_for(**inp, on=on),
    "minimum_years_for": lambda inp, on: api.minimum_years_for(**inp, on=on),
    "injury_deadlines": lambda inp, on: api.injury_deadlines(**inp, on=on),
    "unemployment_entitlement": lambda inp, on: api.unemployment_entitlement(**inp, on=on),
}

CASES = load_cases()


def _input(case):
    inp = case["input"]
    if isinstance(inp, dict) and set(inp) == {"file"}:
        return str(EXAMPLES_DIR / inp["file"])
    return inp


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[i for i, _ in CASES])
def test_case(case):
    call = CALLS[case.get("call", "assess")]
    on = case.get("date")  # the date asked about ("on" would be read by YAML as true)
    on = str(on) if on is not None else None
    if "error_fields" in case:
        with pytest.raises(ProfileError) as info:
            call(_input(case), on)
        named = {e["field"] for e in info.value.errors}
        assert set(case["error_fields"]) <= named, named
        return
    result = call(_input(case), on).model_dump(mode="json")
    failures = []
    for path, expected in case["output"].items():
        try:
            actual = pick(result, path)
        except (KeyError, IndexError) as exc:
            failures.append(f"{path}: {exc}")
            continue
        if not same(actual, expected):
            failures.append(f"{path}: expected {expected!r}, got {actual!r}")
    assert not failures, "\n".join(failures)


def test_every_rule_has_a_case_file():
    from pathlib import Path
    names = {p.stem for p in (Path(__file__).parent / "cases").glob("*.yml")}
    assert {"retirement", "minimum_years", "contribution_years", "pension_place", "transfers", "pension_estimate",
            "options", "medical", "unemployment", "work_injury", "pro_rata"} <= names

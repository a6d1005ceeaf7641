"""Every parameter an assessment reads is in its trace, with the table row it used, cold or warm (issue 9, finding 10).

Parameter reads are watched at the bottom (``Parameter.entry`` and ``Entry.row``): a rule that reads a value any
other way than through its trace step shows up as a read missing from the trace. Each profile is assessed with
every memo table emptied, then again warm: a cache must never drop a citation."""
from __future__ import annotations

import datetime as _dt
import json
import random
import re
from pathlib import Path

import pytest

from rules_engine import ProfileError, assess
from rules_engine import memo
from rules_engine.params import Entry, Parameter, parameters
from tests.rules_engine.helpers import EXAMPLES_DIR
from tests.rules_engine.test_golden import generate_profiles

RULES_DIR = Path(__file__).parents[2] / "rules_engine" / "rules"
SAMPLE = 160


def _profiles() -> list:
    generated = generate_profiles(count=600, seed=9)
    rng = random.Random(9)
    return [str(p) for p in sorted(EXAMPLES_DIR.glob("*.yml"))] + rng.sample(generated, SAMPLE)


@pytest.fixture()
def reads(monkeypatch):
    """(parameter name, row key or None) of every successful read while the fixture is active."""
    seen: set[tuple] = set()
    names = {id(e): name for name, p in parameters().parameters.items() for e in p.entries}
    entry, row = Parameter.entry, Entry.row

    def watched_entry(self, on, allow_null=False):
        found = entry(self, on, allow_null)
        seen.add((self.name, None))
        return found

    def watched_row(self, key):
        seen.add((names[id(self)], key))
        return row(self, key)

    monkeypatch.setattr(Parameter, "entry", watched_entry)
    monkeypatch.setattr(Entry, "row", watched_row)
    return seen


def _traced(result) -> set[tuple]:
    out = set()
    for step in result.trace:
        for rec in step["parameters"]:
            out.add((rec["name"], None))
            if "key" in rec:
                out.add((rec["name"], rec["key"]))
    return out


@pytest.mark.parametrize("profile", _profiles(), ids=lambda p: Path(p).stem if isinstance(p, str) else p["birth"])
def test_every_parameter_read_is_in_the_trace_cold_and_warm(profile, reads):
    memo.clear_all()
    try:
        cold = assess(profile)
    except ProfileError:
        pytest.skip("refused profile: nothing assessed")
    missing = sorted(reads - _traced(cold), key=str)
    assert not missing, f"read but not in the trace: {missing}"
    warm = assess(profile)
    assert json.dumps(warm.trace, sort_keys=True, default=str) == json.dumps(cold.trace, sort_keys=True, default=str)


def test_the_watch_catches_a_read_that_bypasses_the_trace(reads):
    """The test above can fail: a read straight from the parameter set (the old rules/money.py shortcut) is seen."""
    memo.clear_all()
    result = assess(str(EXAMPLES_DIR / "mr_x_b2.yml"))
    parameters().lookup("pension.national_average_wage", _dt.date(2026, 7, 15))[1].row(2001)
    assert ("pension.national_average_wage", 2001) in reads - _traced(result)


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_rules_use_no_private_shortcut_into_the_trace_or_the_parameters(path):
    code = path.read_text(encoding="utf-8")
    found = re.findall(r"\bstep\._\w+|\._P\b|\.lookup\(|parameters\(\)", code)
    assert not found, f"{path.name} reads parameters outside its trace step: {found}"

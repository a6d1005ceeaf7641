"""The work-history corpus (tests/actions/data/work_histories.yml): answers written the way workers type them, each
read into the periods a person would record — or into a question when the answer cannot be recorded safely."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from actions import parsing
from rules_engine.provinces import normalize_province

CORPUS = yaml.safe_load((Path(__file__).parent / "data/work_histories.yml").read_text(encoding="utf-8"))
TODAY = date.fromisoformat(str(CORPUS["today"]))
NOW = f"{TODAY.year:04d}-{TODAY.month:02d}"


def expected_period(spec: str) -> dict:
    """"广东 东莞 2008-01 2016-12" or "浙江 - 36m+" → the fields the parser must give."""
    province, city, *rest = spec.split()
    expected = {"province": normalize_province(province), "city": None if city == "-" else city}
    if len(rest) == 2:
        expected["start"], expected["end"] = rest[0], NOW if rest[1] == "now" else rest[1]
        expected["estimated"] = False
    else:
        months = rest[0]
        expected["months"] = int(months.rstrip("m+"))
        expected["at_least"] = months.endswith("+")
        expected["estimated"] = True
    return expected


def test_the_corpus_is_big_enough_and_has_no_duplicates():
    texts = [case["text"] for case in CORPUS["cases"]]
    assert len(texts) >= 200
    assert len(set(texts)) == len(texts)


@pytest.mark.parametrize("case", CORPUS["cases"], ids=[c["text"] for c in CORPUS["cases"]])
def test_work_history_answer(case):
    result = parsing.parse_periods(case["text"], TODAY, birth=case.get("birth"))
    if "problem" in case:
        assert result.periods == [], result.periods
        assert result.problem == case["problem"]
        return
    assert bool(result.unsure) == bool(case.get("unsure")), result.unsure
    if "periods" not in case:
        return
    wanted = [expected_period(spec) for spec in case["periods"]]
    got = [{key: period[key] for key in want} for period, want in zip(result.periods, wanted)]
    assert (len(result.periods), got) == (len(wanted), wanted)

"""Code health of the parameters (policyengine's test_parameter_yaml_keys) and temporal coverage (Catala's
tests_couverture_temporelle): every value is dated and cited, unknown keys fail, and every parameter has exactly
one value for every month it covers, up to today."""
from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path

import pytest
import yaml

from rules_engine import params
from rules_engine.params import PARAMETERS_DIR, ParameterNotInForce, ParameterSet, validate_parameter_data
from rules_engine.provinces import CODES

FILES = sorted(PARAMETERS_DIR.rglob("*.yaml"))
RULES_DIR = Path(params.__file__).parent / "rules"


class _UniqueKeyLoader(yaml.SafeLoader):
    """PyYAML keeps the last of two equal keys silently; a dated value written twice must fail instead."""


def _no_duplicates(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(PARAMETERS_DIR)) for p in FILES])
def test_parameter_file_is_healthy(path):
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    assert validate_parameter_data(path.stem, data) == []
    assert data["description"].strip() and data["unit"].strip()
    for start, item in data["values"].items():
        ref = item["reference"]
        for key in ("title", "number", "issuer", "article", "effective"):
            assert str(ref[key]).strip(), f"{path}: {start}: empty {key}"


def test_unknown_keys_and_missing_references_fail():
    good_ref = {"title": "t", "number": "n", "issuer": "i", "article": "a", "effective": "2020-01-01",
                "confidence": "verified"}
    assert validate_parameter_data("x", {"description": "d", "unit": "u",
                                         "values": {"2020-01-01": {"value": 1, "reference": good_ref}}}) == []
    assert any("unknown key 'colour'" in p for p in validate_parameter_data(
        "x", {"description": "d", "unit": "u", "colour": 1,
              "values": {"2020-01-01": {"value": 1, "reference": good_ref}}}))
    assert any("missing 'reference'" in p for p in validate_parameter_data(
        "x", {"description": "d", "unit": "u", "values": {"2020-01-01": {"value": 1}}}))
    assert any("unknown reference key" in p for p in validate_parameter_data(
        "x", {"description": "d", "unit": "u", "values": {"2020-01-01": {"value": 1, "reference": {**good_ref, "urll": 1}}}}))
    assert any("confidence" in p for p in validate_parameter_data(
        "x", {"description": "d", "unit": "u", "values": {"2020-01-01": {"value": 1, "reference": {**good_ref, "confidence": "sure"}}}}))
    assert any("missing 'unit'" in p for p in validate_parameter_data(
        "x", {"description": "d", "values": {"2020-01-01": {"value": 1, "reference": good_ref}}}))


def test_a_bad_file_stops_loading_with_its_path(tmp_path):
    bad = tmp_path / "national" / "pension" / "bad.yaml"
    bad.parent.mkdir(parents=True)
    bad.write_text("description: d\nunit: u\nvalues:\n  2020-01-01: {value: 1}\n", encoding="utf-8")
    with pytest.raises(params.ParameterError, match="bad.yaml"):
        ParameterSet(tmp_path)


def _months(start: dt.date, end: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (end.year, end.month):
        yield dt.date(y, m, 1)
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


@pytest.mark.parametrize("name", sorted(params.parameters().parameters))
def test_temporal_coverage(name):
    """From its first value to today, each month has exactly one value in force on its first day; no two values
    start in the same month (which would make a month-level answer ambiguous); a value is only ever asked for after
    its first start."""
    parameter = params.parameters()[name]
    starts = [e.start for e in parameter.entries]
    assert starts == sorted(set(starts))
    months_with_a_start = [(s.year, s.month) for s in starts]
    assert len(months_with_a_start) == len(set(months_with_a_start)), f"two values start in one month: {starts}"
    first = starts[0]
    first_full_month = first if first.day == 1 else (dt.date(first.year + (first.month == 12), first.month % 12 + 1, 1))
    with pytest.raises(ParameterNotInForce):
        parameter.entry(first - dt.timedelta(days=1))
    for month in _months(first_full_month, dt.date.today()):
        entry = parameter.entry(month, allow_null=True)
        in_force = [e for e in parameter.entries if e.start <= month]
        assert entry is in_force[-1]


def test_every_province_has_an_average_wage():
    names = params.parameters().parameters
    assert all(f"provinces.{code}.pension.average_wage" in names for code in CODES)


def test_the_13_listed_provinces_have_local_medical_years():
    listed = ["110000", "310000", "440000", "330000", "320000", "350000", "370000", "360000", "340000", "410000",
              "430000", "420000", "510000"]
    P = params.parameters()
    for code in listed:
        for sex in ("men", "women"):
            entry = P[f"provinces.{code}.medical.retirement_years_{sex}"].entries[-1]
            assert entry.reference["confidence"] == "local"


# Numbers allowed in rule code: unit conversions and formula shapes, not values the law sets.
ALLOWED_NUMBERS = {0, 1, 2, 4, 6, 12}


def _numbers_in(path: Path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            yield node.lineno, node.value


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_no_legal_number_in_rule_code(path):
    """Every number the law sets is a parameter: rule code only uses 12 (months in a year), 0/1, rounding digits
    and the halving of (C + C × I) / 2."""
    found = [(line, value) for line, value in _numbers_in(path) if value not in ALLOWED_NUMBERS]
    assert not found, f"{path.name}: numbers in rule code {found}"


@pytest.mark.parametrize("path", sorted(RULES_DIR.glob("*.py")), ids=lambda p: p.name)
def test_every_rule_function_quotes_or_explains_its_clause(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    missing = [node.name for node in tree.body if isinstance(node, ast.FunctionDef)
               and not node.name.startswith("_") and not ast.get_docstring(node)]
    assert not missing, f"{path.name}: functions without a docstring: {missing}"

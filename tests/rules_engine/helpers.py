"""Helpers shared by the rules_engine tests: the YAML case loader and comparison."""
from __future__ import annotations

import math
from pathlib import Path

import yaml

CASES_DIR = Path(__file__).parent / "cases"
TOLERANCE = 0.01  # yuan / years: results are rounded to 2 decimals


def load_cases() -> list[tuple[str, dict]]:
    out = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            out.append((f"{path.stem}::{case['name']}", case))
    return out


def pick(data, path: str):
    """Value at a dotted path. In lists, a segment is an index or the `option`/`province`/`kind` of an element."""
    current = data
    for segment in path.split("."):
        if isinstance(current, list):
            matches = [x for x in current if isinstance(x, dict) and segment in
                       (x.get("option"), x.get("province"), x.get("kind"), x.get("rule"))]
            if matches:
                current = matches[0]
            elif segment.lstrip("-").isdigit():
                current = current[int(segment)]
            else:
                raise KeyError(f"no element {segment!r} in list at {path!r}")
        else:
            if segment not in current:
                raise KeyError(f"no key {segment!r} at {path!r} (have {sorted(current)})")
            current = current[segment]
    return current


def same(actual, expected) -> bool:
    if isinstance(expected, bool) or expected is None or isinstance(expected, str):
        return actual == expected
    if isinstance(expected, (int, float)):
        return isinstance(actual, (int, float)) and not isinstance(actual, bool) and \
            math.isclose(actual, expected, abs_tol=TOLERANCE)
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and same(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and len(actual) == len(expected) and \
            all(same(a, e) for a, e in zip(actual, expected))
    return actual == expected


EXAMPLES_DIR = Path(__file__).parents[2] / "rules_engine" / "examples"

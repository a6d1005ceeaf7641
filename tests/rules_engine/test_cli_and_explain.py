"""The CLI (help with examples, report, JSON, schema) and the explanations (templates in YAML, both languages)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rules_engine import assess, explain
from rules_engine.api import injury_deadlines, minimum_years_for, retirement_for, unemployment_entitlement
from rules_engine.cli import build_parser
from tests.rules_engine.helpers import EXAMPLES_DIR, load_cases

EXAMPLES = sorted(EXAMPLES_DIR.glob("*.yml"))


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "rules_engine", *args], capture_output=True, text=True, timeout=120)


def test_every_command_has_help_with_an_example():
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    assert set(sub.choices) == {"assess", "schema"}
    for name, command in sub.choices.items():
        text = command.format_help()
        assert "examples:" in text and f"python -m rules_engine {name}" in text, name
    assert "examples:" in parser.format_help()


def test_help_runs():
    proc = _cli("assess", "--help")
    assert proc.returncode == 0 and "--on DATE" in proc.stdout and "--lang" in proc.stdout


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_examples_assess_in_both_languages_and_as_json(path):
    for lang in ("zh", "en"):
        proc = _cli("assess", str(path), "--lang", lang)
        assert proc.returncode == 0, proc.stderr
        assert "依据" in proc.stdout if lang == "zh" else "basis" in proc.stdout
    proc = _cli("assess", str(path), "--json")
    data = json.loads(proc.stdout)
    for key in ("retirement", "minimum_years", "contribution_years", "pension_place", "temporary_accounts",
                "transfers", "pension_estimate", "options", "trace"):
        assert key in data


def test_schema_prints_input_and_output():
    proc = _cli("schema")
    data = json.loads(proc.stdout)
    assert set(data) == {"input", "output"}
    assert "birth" in data["input"]["properties"] and "options" in data["output"]["properties"]


def _all_results():
    for path in EXAMPLES:
        yield assess(str(path))
    for _, case in load_cases():
        if case.get("call", "assess") == "assess" and "error_fields" not in case and "file" not in case["input"]:
            yield assess(case["input"], on=str(case["date"]) if "date" in case else None)
    yield retirement_for(birth="1980-03", sex="female", on="2026-11-26")
    yield retirement_for(birth="1965-01", sex="male", on="2024-06-01")
    yield minimum_years_for(retirement_year=2031)
    yield injury_deadlines(accident_date="2026-11-01", on="2026-11-26")
    yield injury_deadlines(accident_date="2026-01-01", on="2026-11-26")
    yield injury_deadlines(accident_date="2020-01-01", on="2026-11-26")
    for years, rural, involuntary in ((0.5, False, True), (6.5, False, True), (3, False, False), (2, True, True),
                                      (0.5, True, True)):
        yield unemployment_entitlement(contribution_years=years, rural_contract_worker=rural, involuntary=involuntary)


def test_every_trace_step_renders_from_a_template_in_both_languages():
    templates = explain.templates()
    for result in _all_results():
        for step in result.trace:
            assert step["rule"] in templates["rules"], step["rule"]
            assert step["conclusion_key"] in templates["conclusions"], step["conclusion_key"]
        for lang in ("zh", "en"):
            lines = explain.render_trace(result.trace, lang)
            assert len(lines) == len(result.trace)
            # a value missing from a template shows as "?" (or a stray brace)
            assert not any("{" in line or "?" in line for line in lines), lines


def test_trace_parameters_carry_value_date_and_citation():
    result = assess(str(EXAMPLES_DIR / "worker_jiangxi_guangdong.yml"))
    read = [p for step in result.trace for p in step["parameters"]]
    assert read
    for p in read:
        assert p["name"] and p["effective"] and p["citation"] and p["confidence"] in ("verified", "to_verify", "local")


def test_summary_bubbles_are_short_and_verdict_first():
    for result in _all_results():
        if not hasattr(result, "options"):
            continue
        zh = explain.render_summary(result, "zh")
        en = explain.render_summary(result, "en")
        assert zh and len(zh) == len(en)
        assert all(len(b) <= 120 for b in zh), zh
        assert "退休" in zh[0] and "retire" in en[0].lower()


def test_render_options_lists_all_five():
    result = assess(str(EXAMPLES_DIR / "mr_x_b2.yml"))
    assert len(explain.render_options(result.trace, "zh")) == 5
    assert len(explain.render_options(result.trace, "en")) == 5


def test_templates_have_both_languages():
    for section in ("rules", "conclusions"):
        for key, tpl in explain.templates()[section].items():
            assert set(tpl) == {"zh", "en"}, key
    for section, items in explain.summary_templates().items():
        for key, tpl in items.items():
            assert set(tpl) == {"zh", "en"}, (section, key)


def test_import_is_light():
    code = "import sys, rules_engine; print(int('pydantic' in sys.modules), int('yaml' in sys.modules))"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert proc.stdout.split() == ["0", "0"]


def test_summary_of_a_partial_retirement_answer():
    answer = retirement_for(birth="1980-03", sex="female", on="2026-11-26")
    zh = explain.render_summary(answer, "zh")
    assert len(zh) == 2 and "2032-11" in zh[0] and "16.5" in zh[1]


def test_the_documented_example_output_has_every_output_key():
    from pathlib import Path
    from rules_engine.results import Assessment
    text = (Path(__file__).parents[2] / "docs" / "rules_engine.md").read_text(encoding="utf-8")
    block = text.split("(trace shortened):\n\n```json\n", 1)[1].split("\n```", 1)[0]
    data = json.loads(block)
    assert set(data) == set(Assessment.model_fields)
    for key in Assessment.model_fields:
        assert f"`{key}`" in text, key

"""Citations name the article that holds the rule, on both sides of its date (issue 9, findings 6-9)."""
from __future__ import annotations

import pytest

from rules_engine import assess
from rules_engine.api import minimum_years_for, retirement_for


def _cites(trace: list[dict], rule: str) -> dict[str, dict]:
    return {p["name"]: p for step in trace if step["rule"] == rule for p in step["parameters"]}


@pytest.mark.parametrize("category,sex", [(None, "male"), ("worker", "female"), ("cadre", "female")])
def test_retirement_ages_cite_article_1_of_the_measures_from_2025(category, sex):
    after = _cites(retirement_for(birth="1980-03", sex=sex, female_category=category, on="2025-01-01").trace,
                   "retirement.statutory_age")
    delayed = [p for name, p in after.items() if not name.endswith("original_age")]
    assert delayed and all("办法第一条" in p["citation"] for p in delayed)
    before = _cites(retirement_for(birth="1960-03", sex=sex, female_category=category, on="2024-12-31").trace,
                    "retirement.statutory_age")
    assert all("全国人大" not in p["citation"] for p in before.values())


def test_the_minimum_years_cite_article_2_from_2025_and_the_law_before():
    assert _cites(minimum_years_for(retirement_year=2031, on="2025-01-01").trace,
                  "pension.minimum_years")["pension.minimum_years"]["citation"].endswith("办法第二条")
    assert _cites(minimum_years_for(retirement_year=2024, on="2024-12-31").trace,
                  "pension.minimum_years")["pension.minimum_years"]["citation"] == "主席令第三十五号 第十六条"


MAN = {"sex": "male", "hukou_province": "河北", "average_wage": 8000, "account_balance": 100000,
       "periods": [{"scheme": "BPI-UE", "province": "河北", "start": "2004-12", "end": "2024-11", "base": 5000}]}


def test_month_level_divisor_is_cited_as_local_practice_only_when_the_age_has_months():
    with_months = assess({**MAN, "birth": "1965-01", "as_of": "2025-03-15",
                          "periods": [{**MAN["periods"][0], "end": "2025-01"}]})
    cites = _cites(with_months.trace, "pension.estimate")
    assert with_months.retirement["age"] == {"years": 60, "months": 1}
    assert cites["pension.divisor_month_interpolation"]["confidence"] == "local"
    assert "地方经办口径" in cites["pension.divisor_month_interpolation"]["citation"]
    whole_year = assess({**MAN, "birth": "1964-12", "as_of": "2024-12-15"})
    assert "pension.divisor_month_interpolation" not in _cites(whole_year.trace, "pension.estimate")


def test_38_and_13_cite_their_sections():
    result = assess("rules_engine/examples/mr_x_b2.yml")
    cites = _cites(result.trace, "options.continue_to_minimum")
    assert cites["pension.flexible_worker_rate"]["citation"] == "国发〔2005〕38号 三、"
    assert cites["pension.individual_account_rate"]["citation"] == "国发〔2005〕38号 四、"
    assert cites["pension.contribution_base_floor_ratio"]["citation"] == "国办发〔2019〕13号 三、"
    short = _cites(result.trace, "options.cash_out")["pension.cash_out_short_at_retirement_allowed"]
    assert short["citation"] == "人力资源和社会保障部令第13号 第三条"


def test_no_placeholder_document_number_and_the_2025_residents_minimum_is_unverified():
    from rules_engine.params import parameters
    residents = parameters()["residents.minimum_basic_pension"]
    assert not any("?" in e.citation for e in residents.entries)
    latest = residents.entries[-1]
    assert latest.value == 143 and latest.confidence == "to_verify" and "not checked" in latest.reference["note"]


def test_jiangsu_medical_years_are_named_as_nanjings():
    result = assess({"birth": "1980-03", "sex": "male", "hukou_province": "江苏", "as_of": "2026-11-26",
                     "periods": [{"scheme": "BPI-UE", "province": "江苏", "start": "2005-01", "end": "2020-12"},
                                 {"scheme": "BMCI-UE", "province": "江苏", "start": "2005-01", "end": "2020-12"}]})
    cited = _cites(result.trace, "medical.retirement_years")["provinces.320000.medical.retirement_years_men"]
    assert "南京市" in cited["citation"] and cited["confidence"] == "local"

"""Invalid profiles are refused with bilingual messages that name the field — never a traceback, also from the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from rules_engine import Profile, ProfileError, assess

BASE = {"birth": "1980-03", "sex": "female", "hukou_province": "江西", "as_of": "2026-11-26"}
PERIOD = {"scheme": "BPI-UE", "province": "广东", "start": "2008-01", "end": "2016-12"}

BAD = [
    ("birth in the future", {**BASE, "birth": "2027-01"}, "birth"),
    ("birth not a month", {**BASE, "birth": "1980-13"}, "birth"),
    ("birth missing", {k: v for k, v in BASE.items() if k != "birth"}, "birth"),
    ("birth before the covered range", {**BASE, "birth": "1920-01"}, "birth"),
    ("unknown sex", {**BASE, "sex": "x"}, "sex"),
    ("unknown category", {**BASE, "female_category": "boss"}, "female_category"),
    ("unknown hukou province", {**BASE, "hukou_province": "Atlantis"}, "hukou_province"),
    ("unknown period province", {**BASE, "periods": [{**PERIOD, "province": "火星"}]}, "periods[0].province"),
    ("unknown scheme", {**BASE, "periods": [{**PERIOD, "scheme": "PENSION"}]}, "periods[0].scheme"),
    ("end before start", {**BASE, "periods": [{**PERIOD, "end": "2007-12"}]}, "periods[0].end"),
    ("negative base", {**BASE, "periods": [{**PERIOD, "base": -1}]}, "periods[0].base"),
    ("zero base", {**BASE, "periods": [{**PERIOD, "base": 0}]}, "periods[0].base"),
    ("job category on a man", {**BASE, "sex": "male", "female_category": "worker"}, "female_category"),
    ("negative balance", {**BASE, "account_balance": -5}, "account_balance"),
    ("start after as_of", {**BASE, "periods": [{**PERIOD, "start": "2027-01", "end": None}]}, "periods[0].start"),
    ("end after as_of", {**BASE, "periods": [{**PERIOD, "end": "2027-01"}]}, "periods[0].end"),
    ("working before 16", {**BASE, "periods": [{**PERIOD, "start": "1990-01"}]}, "periods[0].start"),
    ("overlap in one scheme and province",
     {**BASE, "periods": [PERIOD, {**PERIOD, "start": "2016-06", "end": "2018-01"}]}, "periods[1].start"),
    ("unknown field", {**BASE, "salary": 5000}, "salary"),
    ("periods not a list", {**BASE, "periods": "many"}, "periods"),
    ("bad as_of", {**BASE, "as_of": "tomorrow"}, "as_of"),
    ("rules not covered on that date", {**BASE, "as_of": "1975-01-01", "birth": "1950-01"}, "as_of"),
]


@pytest.mark.parametrize("data,field", [(d, f) for _, d, f in BAD], ids=[n for n, _, _ in BAD])
def test_each_error_names_the_field_in_both_languages(data, field):
    with pytest.raises(ProfileError) as info:
        assess(data)
    fields = [e["field"] for e in info.value.errors]
    assert field in fields
    for e in info.value.errors:
        assert e["message_zh"] and e["message_en"]
        assert any("\u4e00" <= ch <= "\u9fff" for ch in e["message_zh"])
    text = str(info.value)
    assert field in text and "Traceback" not in text


def test_overlap_across_provinces_is_allowed_and_counted_once():
    result = assess({**BASE, "periods": [PERIOD, {**PERIOD, "province": "浙江", "start": "2016-01", "end": "2017-12"}]})
    assert result.contribution["duplicate_months"] == 12


def test_profile_construction_raises_profile_error_directly():
    with pytest.raises(ProfileError):
        Profile(birth="1980-03", sex="female", hukou_province="nowhere")
    with pytest.raises(ProfileError):
        Profile.model_validate(["not", "a", "mapping"])


def test_a_profile_is_immutable_and_normalised():
    p = Profile(birth="1980年3月", sex="女", hukou_province="广西壮族自治区",
                periods=[{"scheme": "bpi_ue", "province": "Guangdong", "start": "2008/1"}])
    assert (p.birth, p.sex, p.hukou_province, p.periods[0].scheme, p.periods[0].province, p.periods[0].start) == \
        ("1980-03", "female", "450000", "BPI-UE", "440000", "2008-01")


def test_on_overrides_as_of_and_is_checked():
    with pytest.raises(ProfileError) as info:
        assess({**BASE, "periods": [PERIOD]}, on="2015-01-01")
    assert "periods[0].end" in [e["field"] for e in info.value.errors]
    with pytest.raises(ProfileError) as info:
        assess(BASE, on="not a date")
    assert info.value.errors[0]["field"] == "on"


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ProfileError):
        assess(str(tmp_path / "nope.yml"))
    bad = tmp_path / "bad.yml"
    bad.write_text("birth: [unclosed\n", encoding="utf-8")
    with pytest.raises(ProfileError):
        assess(str(bad))


def _cli(*args, stdin=None):
    return subprocess.run([sys.executable, "-m", "rules_engine", *args], capture_output=True, text=True,
                          input=stdin, timeout=120)


def test_cli_refuses_bad_profiles_with_exit_2_and_no_traceback(tmp_path):
    f = tmp_path / "p.json"
    f.write_text(json.dumps({**BASE, "periods": [{**PERIOD, "end": "2007-12"}]}), encoding="utf-8")
    proc = _cli("assess", str(f))
    assert proc.returncode == 2
    assert "periods[0].end" in proc.stderr and "Traceback" not in proc.stderr
    assert "结束月份" in proc.stderr and "end" in proc.stderr
    proc = _cli("assess", str(f), "--json")
    assert proc.returncode == 2 and json.loads(proc.stdout)["errors"][0]["field"] == "periods[0].end"
    proc = _cli("assess", "-", stdin="birth: '1980-03'\nsex: female\nhukou_province: 火星\n")
    assert proc.returncode == 2 and "hukou_province" in proc.stderr
    proc = _cli("assess", str(tmp_path / "missing.yml"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = _cli("assess", str(f), "--on", "someday")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    proc = _cli("assess", str(f), "--lang", "fr")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_a_zero_base_is_refused_but_a_small_or_missing_one_is_priced():
    with pytest.raises(ProfileError) as info:
        assess({**BASE, "periods": [{**PERIOD, "base": 0}]})
    assert "0" in info.value.errors[0]["message_zh"] and "cannot be 0" in info.value.errors[0]["message_en"]
    small = assess({**BASE, "periods": [{**PERIOD, "base": 1}]})
    assert small.contribution["months"] == 108 and not any(w["key"] == "bases_estimated" for w in small.warnings)
    missing = assess({**BASE, "periods": [PERIOD]})
    assert any(w["key"] == "bases_estimated" for w in missing.warnings)


def test_the_job_category_is_refused_for_a_man_and_kept_for_a_woman():
    from rules_engine.api import retirement_for
    with pytest.raises(ProfileError) as info:
        assess({**BASE, "sex": "male", "female_category": "cadre"})
    assert "男性不填" in info.value.errors[0]["message_zh"] and "woman" in info.value.errors[0]["message_en"]
    with pytest.raises(ProfileError):
        retirement_for(birth="1970-01", sex="male", female_category="cadre")
    assert assess({**BASE, "sex": "male"}).person["category"] == "men"
    assert assess({**BASE, "sex": "male", "female_category": "n/a"}).person["female_category"] is None
    assert assess({**BASE, "female_category": "cadre"}).person["category"] == "women_cadre"
    assert retirement_for(birth="1970-01", sex="male", female_category="n/a").retirement["date"] == "2031-05"

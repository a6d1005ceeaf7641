"""The thin slice other packages depend on: the API of docs/CONTRACTS.md."""
import subprocess
import sys

import pytest

from rules_engine import Profile, ProfileError, assess, explain
from rules_engine.api import injury_deadlines, minimum_years_for, retirement_for, unemployment_entitlement


def test_contract_keys():
    r = assess({"birth": "1980-03", "sex": "female", "hukou_province": "江西",
                "periods": [{"scheme": "BPI-UE", "province": "广东", "start": "2008-01", "end": "2016-12"}],
                "as_of": "2026-11-26"})
    data = r.model_dump(mode="json")
    for key in ("retirement", "minimum_years", "contribution_years", "pension_place", "temporary_accounts",
                "transfers", "pension_estimate", "options", "trace"):
        assert key in data
    assert data["retirement"]["date"] == "2032-11"
    assert data["retirement"]["age"] == {"years": 52, "months": 8}
    assert data["pension_place"] == data["pension_place"] | {"province": "360000", "rule": "hukou_place_no_10_years"}
    assert explain.render_trace(r.trace, "zh") and explain.render_trace(r.trace, "en")
    assert all(len(b) <= 120 for b in explain.render_summary(r, "zh"))


def test_partial_questions():
    assert retirement_for(birth="1965-01", sex="male").retirement["age"] == {"years": 60, "months": 1}
    assert minimum_years_for(retirement_year=2031).minimum_years == 16
    assert injury_deadlines(accident_date="2026-11-01", on="2026-11-02").employer_deadline == "2026-12-01"
    assert unemployment_entitlement(contribution_years=6.5).max_months == 18


def test_profile_error_is_bilingual_and_names_field():
    with pytest.raises(ProfileError) as info:
        Profile(birth="1980-13", sex="male", hukou_province="广东")
    (err,) = info.value.errors
    assert err["field"] == "birth" and err["message_zh"] and err["message_en"]


def test_cli_bad_profile_exit_2(tmp_path):
    f = tmp_path / "p.yml"
    f.write_text("birth: '1980-03'\nsex: robot\nhukou_province: 广东\n", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "rules_engine", "assess", str(f)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert "sex" in proc.stderr and "Traceback" not in proc.stderr

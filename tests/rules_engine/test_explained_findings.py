"""What a worker reads for the audit's findings 2 and 3 (issue 9): the temporary account is named and a transfer
does not promise that everything moves; a threshold that rests on a reading sends the person to 12333."""
from __future__ import annotations

from rules_engine import assess
from rules_engine.explain import render_summary

MOVED_AT = {"birth": "1970-01", "sex": "male", "hukou_province": "四川", "as_of": "2026-11-26",
            "periods": [{"scheme": "BPI-UE", "province": "广东", "start": "2005-01", "end": "2019-12", "base": 4000},
                        {"scheme": "BPI-UE", "province": "浙江", "start": "2020-01", "base": 5000}]}


def test_a_temporary_account_is_named_and_nothing_all_moves():
    zh, en = (" ".join(render_summary(assess(MOVED_AT), lang)) for lang in ("zh", "en"))
    assert "临时缴费账户" in zh and "关系留在广东" in zh and "全带走" not in zh
    assert "temporary account" in en and "all move" not in en


def test_an_ordinary_move_at_49_still_says_the_record_moves():
    zh = " ".join(render_summary(assess({**MOVED_AT, "birth": "1970-02"}), "zh"))
    assert "临时缴费账户" not in zh and "全带走" in zh


SHORT_2030 = {"birth": "1969-08", "sex": "male", "hukou_province": "河南", "account_balance": 60000,
              "as_of": "2030-12-15",
              "periods": [{"scheme": "BPI-UE", "province": "广东", "start": "2015-03", "end": "2030-05", "base": 4000}]}


def test_retiring_in_2030_between_15_years_and_the_minimum_sends_the_person_to_12333():
    for lang in ("zh", "en"):
        assert "12333" in " ".join(render_summary(assess(SHORT_2030), lang))


def test_with_the_minimum_met_under_either_reading_there_is_nothing_to_verify():
    enough = {**SHORT_2030, "periods": [{**SHORT_2030["periods"][0], "end": "2030-08"}]}
    assert "12333" not in " ".join(render_summary(assess(enough), "zh"))

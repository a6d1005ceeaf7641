"""Whatever a person types, the work-history parser answers without raising, and what it records is possible:
each period starts before it ends, none lies in the future, none starts before 16."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings, strategies as st

from actions import parsing

TODAY = date(2026, 11, 26)
NOW = "2026-11"
PIECES = ["08年", "〇八年", "16年", "2017年", "3月", "到", "至", "-", "~", "开始", "一直", "到现在", "至今", "现在还在", "去年",
          "今年", "八年多", "半年", "18个月", "在", "东莞", "宁波", "广东", "浙江", "户口", "河南", "工资", "五千左右", "，",
          " ", "后来", "then", "since 2021", "from 2010 to 2020", "3 years in", "Shenzhen", "出生", "52岁", "95年", "2030年"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12), st.sampled_from([None, "1980-03", "2000-01"]))
def test_any_mix_of_work_history_words_gives_possible_periods(pieces, birth):
    result = parsing.parse_periods("".join(pieces), TODAY, birth=birth)
    for period in result.periods:
        assert period["start"] <= period["end"] <= NOW
        assert period["months"] > 0
        if birth:
            assert int(period["start"][:4]) >= int(birth[:4]) + 16


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_arbitrary_text_never_raises(text):
    parsing.parse_periods(text, TODAY)
    parsing.parse_birth(text, TODAY)
    parsing.parse_sex(text)
    parsing.parse_stated_wage(text)

"""Words a query implies by context (textproc.with_context): the search reads 退/停/转/领 next to insurance
words, birth years and an older age with another province the way a worker means them."""
from __future__ import annotations

import pytest

from knowledge import textproc


def test_birth_year_is_not_cut_into_nian_sheng():
    terms = textproc.query_terms(textproc.with_context("我是1980年生的女工"))
    assert "年生" not in terms and "出生" in terms and "1980" in terms


@pytest.mark.parametrize("query, word", [
    ("我不干了社保能退吗", "退保"), ("走人的话社保钱可以退出来吗", "退保"),
    ("去年社保停了一年", "停保"), ("医保能转吗", "转移"), ("养老保险在哪领", "领取"),
])
def test_single_character_keeps_its_meaning_next_to_insurance_words(query, word):
    assert word in textproc.query_terms(textproc.with_context(query))


@pytest.mark.parametrize("query", ["买的衣服能退吗", "我想退休", "社保退休年龄", "停车场在哪"])
def test_single_character_elsewhere_is_left_alone(query):
    assert "退保" not in textproc.with_context(query) and "停保" not in textproc.with_context(query)


@pytest.mark.parametrize("query", ["我52岁去外省打工社保怎么交", "老婆今年45 想去外地进厂",
                                   "五十多岁去别的省打工交的社保算哪里的"])
def test_an_older_age_in_another_province_points_to_the_temporary_account(query):
    assert textproc.TEMPORARY_ACCOUNT_WORDS in textproc.with_context(query)


@pytest.mark.parametrize("query", ["我52岁了社保怎么交", "去外省打工社保怎么交", "我25岁去外省打工"])
def test_age_or_province_alone_does_not(query):
    assert textproc.TEMPORARY_ACCOUNT_WORDS not in textproc.with_context(query)


def test_search_answers_the_issue_examples(real_kb):
    top3 = lambda q: [h.id for h in real_kb.search(q, limit=3)]
    assert "contact-si-platform" not in top3("我不干了社保能退吗")
    assert {"myth-cash-out-when-leaving", "consequence-cash-out-rules", "glossary-cash-out",
            "faq-cash-out-or-suspend"} & set(top3("我不干了社保能退吗"))
    assert top3("我52岁去外省打工社保怎么交")[0] in ("faq-temporary-account", "glossary-temporary-account")


@pytest.mark.parametrize("query, word", [("他08年退过保", "退保"), ("在工地摔断了腿", "摔伤"),
                                         ("以前的社保怎么弄过来", "转移"), ("单位没交的社保能补吗", "补缴")])
def test_split_and_colloquial_verbs_are_read_as_the_topic(query, word):
    assert word in textproc.with_context(query)


def test_place_names_do_not_outrank_the_topic():
    rewritten = textproc.with_context("在东莞干了三年 去宁波上班")
    assert "东莞" not in rewritten and "宁波" not in rewritten and "上班" in rewritten
    assert textproc.TEMPORARY_ACCOUNT_WORDS in textproc.with_context("我52岁去浙江省打工")   # age read before

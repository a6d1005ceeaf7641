"""Colloquial answers → values: birth month, sex and job, places, durations, amounts, periods, skip and stop."""
from __future__ import annotations

from datetime import date

import pytest

from actions import parsing

TODAY = date(2026, 11, 26)


@pytest.mark.parametrize("text, expected", [
    ("1980年3月", "1980-03"),
    ("80年3月", "1980-03"),
    ("八零年三月", "1980-03"),
    ("一九八零年三月出生", "1980-03"),
    ("1980.3", "1980-03"),
    ("1980-03", "1980-03"),
    ("1980/3", "1980-03"),
    ("198003", "1980-03"),
    ("March 1980", "1980-03"),
    ("born in mar 1980", "1980-03"),
    ("我是女的，1980年3月出生，在工厂上班", "1980-03"),
    ("05年8月", "2005-08"),   # a two-digit year is the most recent one that fits a working-age person
    ("我80后，3月份生的", "1980-03"),
    ("80年的，3月", "1980-03"),
    ("1980年3月15日", "1980-03"),
])
def test_birth_year_month(text, expected):
    assert parsing.parse_birth(text, TODAY).value == expected


@pytest.mark.parametrize("text, problem", [
    ("1980", "need_month"), ("80年", "need_month"), ("1980年13月", "out_of_range"), ("2020年3月", "out_of_range"),
    ("1899年3月", "out_of_range"), ("不知道", None), ("😀", None), ("", None), ("我今年46岁", "need_month"),
])
def test_birth_problems(text, problem):
    result = parsing.parse_birth(text, TODAY)
    assert result.value is None
    assert result.problem == problem


@pytest.mark.parametrize("text, sex, job", [
    ("女的，厂里上班", "female", "worker"),
    ("我是女的", "female", None),
    ("男，工地干活", "male", "worker"),
    ("女，干部", "female", "cadre"),
    ("管理岗", None, "cadre"),
    ("I'm a woman, factory worker", "female", "worker"),
    ("male", "male", None),
    ("female manager", "female", "cadre"),
    ("我女儿在上学", None, None),
])
def test_sex_and_job(text, sex, job):
    assert parsing.parse_sex(text) == sex
    assert parsing.parse_job(text) == job


@pytest.mark.parametrize("text, months, at_least", [
    ("八年多", 96, True), ("三年半", 42, False), ("5年", 60, False), ("两年零三个月", 27, False),
    ("18个月", 18, False), ("十来年", 120, True), ("半年", 6, False), ("3 years", 36, False),
    ("two years and 3 months", 27, False), ("七八年", 84, True),
])
def test_durations(text, months, at_least):
    duration = parsing.parse_duration(text, TODAY)
    assert (duration.months, duration.at_least) == (months, at_least)


def test_year_range_is_a_dated_period():
    [duration] = parsing.find_durations("2008年到2016年", TODAY)
    assert (duration.start, duration.end, duration.months) == ("2008-01", "2016-12", 108)
    [ongoing] = parsing.find_durations("2019年3月至今", TODAY)
    assert (ongoing.start, ongoing.end) == ("2019-03", "2026-11")


def test_a_year_is_not_a_duration():
    assert parsing.find_durations("1980年", TODAY) == []


@pytest.mark.parametrize("text, amount", [
    ("四千五", 4500), ("5000左右", 5000), ("4.5k", 4500), ("3万", 30000), ("一万二", 12000), ("4,500元", 4500),
    ("大概四千五一个月", 4500), ("一个月四千五", 4500), ("五千多", 5000), ("four thousand", 4000),
])
def test_amounts(text, amount):
    assert parsing.parse_amount(text) == amount


@pytest.mark.parametrize("text", ["不知道", "不清楚", "skip", "I don't know", "not sure", "记不清了"])
def test_skip(text):
    assert parsing.is_skip(text)


@pytest.mark.parametrize("text", ["算了", "stop", "不问了", "取消", "算了吧"])
def test_stop(text):
    assert parsing.is_stop(text)
    assert not parsing.is_stop("算了一下是八年")


@pytest.mark.parametrize("text, codes", [
    ("广东东莞", ["440000", "440000"]),
    ("我在深圳干了5年", ["440000"]),
    ("Guangdong 3 years, then Shanghai", ["440000", "310000"]),
    ("内蒙古自治区", ["150000"]),
    ("在六安打工", ["340000"]),        # a city whose name starts with a numeral
    ("新单位", []),                    # one-character abbreviations are not places
])
def test_places(text, codes):
    assert [p.province for p in parsing.find_places(text)] == codes


def test_several_places_laid_back_to_back_ending_now():
    result = parsing.parse_periods("广东东莞八年多，浙江三年", TODAY)
    assert result.estimated
    guangdong, zhejiang = result.periods
    assert (guangdong["province"], guangdong["city"], guangdong["months"], guangdong["at_least"]) == \
        ("440000", "东莞", 96, True)
    assert (zhejiang["province"], zhejiang["months"]) == ("330000", 36)
    # the last one named is the most recent, ending this month; the first ends just before it
    assert zhejiang["end"] == "2026-11" and zhejiang["start"] == "2023-12"
    assert guangdong["end"] == "2023-11" and guangdong["start"] == "2015-12"


def test_durations_before_their_places():
    result = parsing.parse_periods("8年在东莞，3年在苏州", TODAY)
    assert [(p["city"], p["months"]) for p in result.periods] == [("东莞", 96), ("苏州", 36)]


def test_dated_and_estimated_periods_together():
    result = parsing.parse_periods("2008年到2016年在东莞，后来去了杭州三年", TODAY)
    dongguan, hangzhou = result.periods
    assert (dongguan["start"], dongguan["end"], dongguan["estimated"]) == ("2008-01", "2016-12", False)
    assert (hangzhou["end"], hangzhou["months"], hangzhou["estimated"]) == ("2026-11", 36, True)


@pytest.mark.parametrize("text, problem", [("东莞", "no_duration"), ("8年", "no_place"), ("不知道", None)])
def test_periods_problems(text, problem):
    result = parsing.parse_periods(text, TODAY)
    assert result.periods == [] and result.problem == problem


@pytest.mark.parametrize("text, expected", [
    ("2026-11-01", "2026-11-01"), ("11月1号", "2026-11-01"), ("上个月15号", "2026-10-15"), ("昨天", "2026-11-25"),
    ("3天前", "2026-11-23"), ("两周前", "2026-11-12"), ("12月1日", "2025-12-01"), ("on 3 November", "2026-11-03"),
    ("受伤了", None), ("2030-01-01", None),
])
def test_event_dates(text, expected):
    assert parsing.parse_event_date(text, TODAY) == expected


@pytest.mark.parametrize("text, value, year", [
    ("我户口江西，在东莞交了12年，男的，75年生的，养老金在哪领", None, 1975),      # the years of work are not the birth
    ("户口四川，男的，66年生的，2000年1月到2009年12月在湖南交", None, 1966),
    ("我是女的，1980年3月出生，在工厂上班，什么时候能退休？", "1980-03", None),
    ("户口四川，男的，2000年1月到2009年12月在湖南交", None, None),            # a period of work only: no birth
    ("born in March 1985, worked 10 years in Guangdong", "1985-03", None),
])
def test_the_stated_birth_is_told_apart_from_years_of_work(text, value, year):
    found = parsing.parse_stated_birth(text)
    assert (found.value, found.year) == (value, year)


@pytest.mark.parametrize("text, sex", [
    ("我老公68年5月出生的，他几岁退休", "male"), ("我老婆今年50", "female"), ("妻子是厂里的", "female"),
    ("丈夫", "male"), ("她什么时候退休", "female"), ("my husband was born in 1970", "male"), ("my wife", "female"),
    ("其他地方也交过", None), ("他们说要交15年", None), ("我是女的，我老公是司机", "female"),
])
def test_sex_of_the_person_asked_about(text, sex):
    assert parsing.parse_sex(text) == sex


@pytest.mark.parametrize("text, age", [("今年52岁", 52), ("我52岁了", 52), ("I am 52", 52), ("52 years old", 52)])
def test_an_age_is_kept_for_one_short_question(text, age):
    found = parsing.parse_birth(text, TODAY)
    assert (found.value, found.problem, found.age) == (None, "need_month", age)


@pytest.mark.parametrize("text, wage", [
    ("五千左右", 5000), ("在东莞干了8年工资五千左右", 5000), ("东莞8年 每个月五千多", 5000), ("earn 5000 a month", 5000),
    ("在东莞交了12年", None), ("2017", None), ("1980年3月", None), ("8年", None),
])
def test_a_stated_wage(text, wage):
    assert parsing.parse_stated_wage(text) == wage


def test_a_birthplace_and_the_hukou_are_no_places_of_work():
    assert [p["city"] for p in parsing.parse_periods("出生在河南，老家信阳的，在郑州交了5年", TODAY).periods] == ["郑州"]


def test_working_age_is_checked_against_the_birth():
    assert parsing.parse_periods("1990年开始在深圳", TODAY, birth="1980-03").problem == "before_working_age"
    assert parsing.parse_periods("1996年开始在深圳", TODAY, birth="1980-03").periods


def test_the_places_with_durations_are_kept_when_one_lacks_its_duration():
    result = parsing.parse_periods("户口湖南，在广东交了15年社保，现在去浙江打工了", TODAY)
    assert result.periods == [] and result.problem == "no_duration"
    assert result.missing_duration_place.province == "330000"
    assert [(p["province"], p["months"]) for p in result.known] == [("440000", 180)]

"""Parts of a message that are other facts than a work history: the birth ("80年3月出生", "今年52岁", "born in March
1985") and the wage ("工资五千左右", "一个月四千五", "earn 5000 a month"). The work-history parser blanks them out
(same length, so place offsets still hold) so that their numbers are never read as years of work."""
from __future__ import annotations

import re

_NUM = r"[\d零〇一二两三四五六七八九十百千万点.,kKwW]+"
_BIRTH = re.compile(
    rf"(?:(?:我|他|她|我老公|我老婆|老公|老婆|丈夫|妻子)?(?:是)?{_NUM}\s*年?\s*(?:{_NUM}\s*月份?)?\s*(?:{_NUM}\s*[日号])?\s*"
    rf"(?:的)?\s*(?:出生|生的|生人|年生|生(?![产意活病孩小完了个]))(?:的)?)"
    rf"|(?:出生于|生于|出生在|出生是|生日是?)\s*{_NUM}\s*年?\s*(?:{_NUM}\s*月份?)?"
    rf"|(?:今年|现在|已经)?\s*{_NUM}\s*(?:周岁|岁)(?:了)?"
    rf"|{_NUM}\s*后(?![来面])"
    r"|\bborn\s+(?:in\s+|on\s+)?(?:[A-Za-z]+\.?\s+)?(?:\d{1,2}\s*,?\s*)?\d{2,4}"
    r"|\b(?:i'?m|i am|aged?)\s+\d{2}\b(?:\s+years old)?|\b\d{2}\s+years old\b",
    re.IGNORECASE,
)
WAGE_PHRASE = _WAGE = re.compile(
    rf"(?:工资|月薪|底薪|薪水|收入|月入|到手|税前|缴费基数|基数|一个月|每个月|每月|一月|挣|赚|拿)\s*(?:大概|大约|差不多|有|能|就|才|是|在)*\s*"
    rf"{_NUM}\s*(?:块钱|块|元|多|左右|出头|上下)*"
    rf"|{_NUM}\s*(?:块钱|块|元)\s*(?:左右|多)?\s*(?:一个月|每月|每个月|/月)?"
    rf"|{_NUM}\s*(?:左右|出头|上下)?\s*(?:一个月|每月|每个月|/月)"
    r"|(?:earn(?:ing)?|make|making|paid|salary|wage|income)\s+(?:is\s+|of\s+|about\s+|around\s+)*[\d,.]+k?"
    r"(?:\s*(?:yuan|rmb|a month|per month|monthly))*|[\d,.]+k?\s*(?:yuan|rmb)?\s*(?:a month|per month|monthly)",
    re.IGNORECASE,
)
# a wage phrase must name a sum, not years or months ("一个月" alone, "每个月交")
_HAS_SUM = re.compile(r"\d{3,}|[千万kKwW]|[一二两三四五六七八九]百")


def _blank(text: str, pattern: re.Pattern, needs_sum: bool = False) -> str:
    def replace(match: re.Match) -> str:
        found = match.group(0)
        if needs_sum and not _HAS_SUM.search(found):
            return found
        if needs_sum and re.search(r"年|个月(?!\s*[\d一二两三四五六七八九])", found) and not re.search(r"一个月|每个月", found):
            return found
        return " " * len(found)

    return pattern.sub(replace, text)


def wage_phrases(text: str) -> list[str]:
    """The phrases that state a monthly wage ("工资五千左右", "一个月四千五", "earn 5000 a month")."""
    return [m.group(0) for m in _WAGE.finditer(text) if _blank(m.group(0), _WAGE, needs_sum=True).strip() == ""]


def without_birth(text: str) -> str:
    return _blank(text, _BIRTH)


def without_wage(text: str) -> str:
    return _blank(text, _WAGE, needs_sum=True)


def without_other_facts(text: str) -> str:
    """The text with its birth and wage phrases blanked out."""
    return without_wage(without_birth(text))


_YEAR_MONTH = re.compile(
    r"(?:\d{2,4}|[〇零一二三四五六七八九]{2,4})\s*年\s*(?:\d{1,2}|[一二三四五六七八九十]{1,3})\s*月份?(?:的)?"
    r"|(?<![\d.])\d{4}\s*[./-]\s*\d{1,2}(?![\d.])"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*,?\s*\d{4}",
    re.IGNORECASE,
)


def without_first_year_month(text: str) -> str:
    """The text with its first year and month blanked: the answer to "when were you born?" that goes on about
    work ("80年3月，在东莞干了10年")."""
    match = _YEAR_MONTH.search(text)
    if not match:
        return text
    return text[:match.start()] + " " * (match.end() - match.start()) + text[match.end():]

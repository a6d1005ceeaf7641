"""Money amounts in colloquial answers: "四千五" → 4500, "5000左右" → 5000, "4.5k" → 4500, "3万" → 30000."""
from __future__ import annotations

import re

from .numbers import normalize

_AMOUNT = re.compile(
    r"(?<![\d.])(\d{1,9}(?:,\d{3}){0,3}(?:\.\d+)?)\s*(k|K|千|w|W|万|wan)?(?![\d,])(?!\s*(?:个|年|月|号|日|岁|天|周|%|years?|months?))"
)
_UNIT = {"k": 1000, "千": 1000, "w": 10000, "万": 10000, "wan": 10000}


def parse_amount(text: str | None) -> int | None:
    """The first amount in yuan as an integer, else None ("大概四千五一个月" → 4500)."""
    norm = normalize(text or "")
    for match in _AMOUNT.finditer(norm):
        number, unit = match.group(1), match.group(2)
        value = float(number.replace(",", ""))
        if unit:
            value *= _UNIT[unit.lower()] if unit.lower() in _UNIT else _UNIT[unit]
        if value > 0:
            return int(round(value))
    return None


_BARE_WAGE = re.compile(r"^\s*(?:大概|大约|差不多|有|就|才)?\s*[\d零〇一二两三四五六七八九十百千万点.,kK]+\s*(?:块钱|块|元)?\s*"
                        r"(?:左右|多|出头|上下|吧)?\s*[。.!！]*\s*$")


def parse_stated_wage(text: str | None) -> int | None:
    """A monthly wage the message states ("工资五千左右", "一个月四千五", "五千左右" on its own), else None."""
    from .masks import wage_phrases

    text = text or ""
    for phrase in wage_phrases(text):
        amount = parse_amount(phrase)
        if amount:
            return amount
    if _BARE_WAGE.match(text) and not re.search(r"年|月|岁|^\s*(?:19|20)\d{2}\s*$", text):
        return parse_amount(text)
    return None

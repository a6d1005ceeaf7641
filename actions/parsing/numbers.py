"""Chinese numerals in colloquial answers → Arabic digits (cn2an), with the fixes cn2an does not make itself."""
from __future__ import annotations

import re
import warnings

import cn2an

from .common import clip

_DIGIT = "一二三四五六七八九"
# "七八年" means seven or eight years, not the year '78: keep the lower figure and mark it as "more than".
_ADJACENT_PAIR = re.compile(
    "(" + "|".join(_DIGIT[i] + _DIGIT[i + 1] for i in range(len(_DIGIT) - 1)) + ")(年|个月|千|万|百)"
)
_LIANG = re.compile("两(?=[周个年天千万百星礼月块元])")
_FULLWIDTH = str.maketrans("０１２３４５６７８９．，－／％", "0123456789.,-/%")
_CN_NUMERAL_RUN = re.compile("[零〇一二两三四五六七八九十百千万亿点]+")


_EN_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30,
}
_EN_NUMBER_WORD = re.compile(
    r"\b(" + "|".join(_EN_NUMBERS) + r")(?=\s+(?:and a half\s+)?(?:years?|months?|yrs?|thousand)\b)", re.IGNORECASE
)
_EN_THOUSAND = re.compile(r"(\d+(?:\.\d+)?)\s*thousand\b", re.IGNORECASE)
_EN_HALF = re.compile(r"(\d+) and a half (years?)", re.IGNORECASE)


def normalize(text: str) -> str:
    """Full-width to half-width, Chinese numerals to digits; everything else unchanged.

    >>> normalize("两年零三个月")
    '2年3个月'
    """
    text = clip(text).translate(_FULLWIDTH)
    text = _EN_NUMBER_WORD.sub(lambda m: str(_EN_NUMBERS[m.group(1).lower()]), text)
    text = _EN_HALF.sub(lambda m: f"{m.group(1)}.5 {m.group(2)}", text)
    text = _EN_THOUSAND.sub(lambda m: m.group(1) + "k", text)
    text = _ADJACENT_PAIR.sub(lambda m: m.group(1)[0] + m.group(2) + "多", text)
    text = _LIANG.sub("二", text)
    # "四千五一个月" is 4500 a month, not 4,501: split "one month"/"one year" off the run before cn2an sees it
    text = re.sub("(?<=[千万百])一(?=个月)|(?<=[千万百][一二三四五六七八九])一(?=个月)", " 1", text)
    if not _CN_NUMERAL_RUN.search(text):
        return text
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return cn2an.transform(text, "cn2an")
        except Exception:  # cn2an raises on odd mixtures; fall back to converting run by run
            return _CN_NUMERAL_RUN.sub(_convert_run, text)


def _convert_run(match: re.Match) -> str:
    run = match.group(0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            value = cn2an.cn2an(run, "smart")
        except Exception:
            return run
    return str(int(value)) if float(value).is_integer() else str(value)

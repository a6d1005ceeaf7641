"""Mask personal identifiers (ID, phone and bank-card numbers) in free text; scrub whole records.

Used by every input channel before a message reaches NLU, by the tracker store before saving
(bot/stores.py), by the actions (actions/common.py) and by the cases store (suixing/cases.py).
Standard library only, so both virtual environments import it.

Matching runs on the NFKC form of the text (full-width digits ``１３９`` are digits), with any
separator between digit groups (space, NBSP, dot, slash, dashes, underscore, middle dot) and a
letter allowed just before the number (``ID440301198512319873``); the rest of the text is returned
exactly as typed. Years, amounts, dates and 12333 are left alone. A few digits stay visible so a
person recognises which number they typed (``138****5678``).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Any, Callable, Iterable

# One or two separator characters between digit groups: "137.0011.2244", "0755 / 8888", "6222 – 0000".
_SEP = r"[ \t\u00a0\u3000./\\\-_\u2010-\u2015\u00b7\u30fb]{0,2}"
_START = r"(?<![0-9])"   # a letter may come right before a number, a digit may not
_END = r"(?![0-9])"

_ID18 = re.compile(_START + r"(\d{6})" + _SEP + r"(\d{4})" + _SEP + r"(\d{2})" + _SEP + r"(\d{2})" + _SEP
                   + r"(\d{3}[0-9Xx])" + r"(?![0-9A-Za-z])")
_BANK = re.compile(_START + r"\d{4}(?:" + _SEP + r"\d{4}){3}(?:" + _SEP + r"\d{1,3})?" + _END)
_ID15 = re.compile(_START + r"\d{15}" + _END)
_MOBILE = re.compile(_START + r"(?:(?:\+|00)?86" + _SEP + r")?(1[3-9]\d)" + _SEP + r"(\d{4})" + _SEP + r"(\d{4})"
                     + _END)
_LANDLINE = re.compile(_START + r"(\(?0\d{2,3}\)?)" + _SEP + r"(\d{3,4})" + _SEP + r"(\d{4})" + _END)
# A bare 7-8 digit local number is only masked after a phone word: otherwise it may be an amount or a date.
_LOCAL_PHONE = re.compile(r"(电话|手机|座机|号码|联系|tel|phone|call|number)([^0-9]{0,6})(\d{3,4})" + _SEP
                          + r"(\d{4})" + _END, re.IGNORECASE)

_LEFTOVER = re.compile(r"[0-9Xx]*\*{2,}[0-9Xx]*")
_LONG_DIGITS = re.compile(r"\d{7,}")


def _digits(text: str) -> str:
    return re.sub(r"[^0-9Xx]", "", text)


def _mask_middle(digits: str, keep_start: int, keep_end: int) -> str:
    return digits[:keep_start] + "*" * (len(digits) - keep_start - keep_end) + digits[len(digits) - keep_end:]


def _id18(match: re.Match) -> str:
    return _mask_middle(_digits(match.group(0)), 4, 2)


def _bank(match: re.Match) -> str | None:
    digits = _digits(match.group(0))
    return _mask_middle(digits, 4, 4) if 16 <= len(digits) <= 19 else None


def _id15(match: re.Match) -> str:
    return _mask_middle(match.group(0), 4, 2)


def _mobile(match: re.Match) -> str:
    return match.group(1) + "****" + match.group(3)


def _landline(match: re.Match) -> str:
    return match.group(1) + "-****" + match.group(3)[-2:]


def _local_phone(match: re.Match) -> str:
    return match.group(1) + match.group(2) + "****" + match.group(4)[-2:]


# Order matters: an 18-digit ID is also a 16-19 digit run; a span taken by one pattern is not matched again.
_RULES: tuple[tuple[re.Pattern, Callable[[re.Match], str | None]], ...] = (
    (_ID18, _id18), (_BANK, _bank), (_ID15, _id15), (_MOBILE, _mobile), (_LANDLINE, _landline),
    (_LOCAL_PHONE, _local_phone),
)


def _normalised(text: str) -> tuple[str, list[int]]:
    """The NFKC form of `text` and, per character of it, the index of the original character it came from."""
    chars: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        form = unicodedata.normalize("NFKC", char) if ord(char) > 127 else char
        chars.append(form)
        origin.extend([index] * len(form))
    return "".join(chars), origin


def _overlaps(start: int, end: int, taken: Iterable[tuple[int, int, str]]) -> bool:
    return any(start < t_end and t_start < end for t_start, t_end, _ in taken)


def mask_identifiers(text: Any) -> Any:
    """`text` with ID, phone and bank-card numbers masked; anything that is not a non-empty str is returned as is.

    >>> mask_identifiers("我手机１３７.００１１.２２４４")
    '我手机137****2244'
    >>> mask_identifiers("1980年出生，工资5000，2024-09-13")
    '1980年出生，工资5000，2024-09-13'
    """
    if not isinstance(text, str) or not text:
        return text
    normal, origin = _normalised(text)
    if not re.search(r"\d", normal):
        return text
    spans: list[tuple[int, int, str]] = []
    for pattern, replace in _RULES:
        for match in pattern.finditer(normal):
            start, end = match.span()
            if _overlaps(start, end, spans):
                continue
            masked = replace(match)
            if masked is not None:
                spans.append((start, end, masked))
    if not spans:
        return text
    out: list[str] = []
    cursor = 0
    for start, end, masked in sorted(spans):
        first, last = origin[start], origin[end - 1] + 1
        out.append(text[cursor:first])
        out.append(masked)
        cursor = last
    out.append(text[cursor:])
    return "".join(out)


def scrub_text(text: Any) -> Any:
    """Stricter than masking, for records kept for staff: masked, the mask's visible digits removed, and any run of
    seven or more digits (after NFKC) replaced by ``***``. "138****5678" → "***"."""
    if not isinstance(text, str) or not text:
        return text
    text = mask_identifiers(text)
    text = unicodedata.normalize("NFKC", text) if not text.isascii() else text
    text = _LEFTOVER.sub("***", text)
    return _LONG_DIGITS.sub("***", text)


def scrub(value: Any, keep: frozenset[str] = frozenset()) -> Any:
    """Every string inside `value` (dicts, lists, tuples, nested) scrubbed; keys and the values of `keep` keys are not
    touched (machine fields such as a case id or a timestamp)."""
    if isinstance(value, str):
        return scrub_text(value)
    if isinstance(value, dict):
        return {key: (item if key in keep else scrub(item, keep)) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [scrub(item, keep) for item in value]
    return value

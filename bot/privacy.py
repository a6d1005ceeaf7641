"""Mask personal identifiers (ID, phone and bank-card numbers) in free text.

Every input channel calls `mask_identifiers` before a message reaches NLU, the tracker
store or a log; `bot.stores.MaskingSQLTrackerStore` calls it again before saving.
Years, amounts, dates and hotline numbers (12333) are left alone: only digit runs with
the shape of an identifier are masked, and a few digits are kept so that a person can
still recognise which number they typed (e.g. ``138****5678``).

Pure Python, no imports beyond ``re`` (see docs/CONTRACTS.md).
"""
import re

_SEP = r"[ \t\-]?"

# 18-digit resident ID (6 region + 8 birth date + 3 sequence + check digit or X),
# optionally written in groups 6-8-4.
_ID18 = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})" + _SEP + r"(\d{8})" + _SEP + r"(\d{3}[0-9Xx])(?![0-9A-Za-z])"
)
# Bank cards: 16 to 19 digits, contiguous or in groups of four.
_BANK = re.compile(
    r"(?<![0-9A-Za-z])\d{4}(?:" + _SEP + r"\d{4}){3}(?:" + _SEP + r"\d{1,3})?(?![0-9A-Za-z])"
)
# Old 15-digit resident ID.
_ID15 = re.compile(r"(?<![0-9A-Za-z])\d{15}(?![0-9A-Za-z])")
# Mobile numbers 1[3-9]x xxxx xxxx, with an optional +86 / 0086 prefix and separators.
_MOBILE = re.compile(
    r"(?<![0-9A-Za-z])(?:(?:\+|00)?86" + _SEP + r")?(1[3-9]\d)" + _SEP + r"(\d{4})" + _SEP
    + r"(\d{4})(?![0-9A-Za-z])"
)
# Landlines with area code: 010-12345678, 0755 1234 5678, (020)87654321.
_LANDLINE = re.compile(
    r"(?<![0-9A-Za-z])(\(?0\d{2,3}\)?)" + _SEP + r"(\d{3,4})" + _SEP + r"(\d{4})(?![0-9A-Za-z])"
)
# A bare 7-8 digit local number is only masked when a phone word comes just before it,
# otherwise it could be an amount or a date (20240913).
_LOCAL_PHONE = re.compile(
    r"(电话|手机|座机|号码|联系|tel|phone|call|number)([^0-9]{0,6})(\d{3,4})" + _SEP + r"(\d{4})(?![0-9])",
    re.IGNORECASE,
)


def _digits(text):
    return re.sub(r"[^0-9Xx]", "", text)


def _mask_middle(digits, keep_start, keep_end):
    hidden = len(digits) - keep_start - keep_end
    return digits[:keep_start] + "*" * hidden + digits[len(digits) - keep_end:]


def _id18(match):
    return _mask_middle(_digits(match.group(0)), 4, 2)


def _bank(match):
    digits = _digits(match.group(0))
    if not 16 <= len(digits) <= 19:
        return match.group(0)
    return _mask_middle(digits, 4, 4)


def _id15(match):
    return _mask_middle(match.group(0), 4, 2)


def _mobile(match):
    return match.group(1) + "****" + match.group(3)


def _landline(match):
    return match.group(1) + "-****" + match.group(3)[-2:]


def _local_phone(match):
    return match.group(1) + match.group(2) + "****" + match.group(4)[-2:]


def mask_identifiers(text):
    """Return `text` with ID, phone and bank-card numbers masked.

    >>> mask_identifiers("我手机13812345678")
    '我手机138****5678'
    >>> mask_identifiers("1980年出生，工资5000，2024-09-13")
    '1980年出生，工资5000，2024-09-13'
    """
    if not isinstance(text, str) or not text:
        return text
    # Order matters: an 18-digit ID is also a 16-19 digit run.
    text = _ID18.sub(_id18, text)
    text = _BANK.sub(_bank, text)
    text = _ID15.sub(_id15, text)
    text = _MOBILE.sub(_mobile, text)
    text = _LANDLINE.sub(_landline, text)
    text = _LOCAL_PHONE.sub(_local_phone, text)
    return text

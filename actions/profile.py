"""From the conversation's slots to a rules-engine profile, and the engine's answers for it.

Shared by the check-up result, the options comparison, the pension-place answer and the hand-over case, so that
all of them read the same facts the same way.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from actions.common import UNKNOWN

SCHEME = "BPI-UE"
_YEAR_MONTH = re.compile(r"^\d{4}-\d{2}$")


def known(value: Any) -> bool:
    return value is not None and value != UNKNOWN and value != "" and value != []


def number_or_none(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return None


def current_month(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.year:04d}-{today.month:02d}"


@dataclass
class ProfileDraft:
    profile: dict
    missing: list[str]              # required answers that are missing or skipped: birth, sex, hukou_province
    estimated_periods: bool         # some periods were laid back to back from durations
    assumed_worker: bool            # a woman whose job category is unknown: the engine assumes worker posts


def profile_from_slots(slots: dict, today: dt.date | None = None) -> ProfileDraft:
    """The engine's profile (scheme BPI-UE periods, base from the wage) from the check-up slots."""
    today = today or dt.date.today()
    now = current_month(today)
    profile: dict[str, Any] = {"as_of": today.isoformat()}
    missing = []
    for slot in ("birth", "sex", "hukou_province"):
        if known(slots.get(slot)):
            profile[slot] = slots[slot]
        else:
            missing.append(slot)
    category = slots.get("female_category")
    assumed_worker = False
    if profile.get("sex") == "female":
        if category in ("worker", "cadre"):
            profile["female_category"] = category
        else:
            assumed_worker = True
    wage = number_or_none(slots.get("wage"))
    periods = []
    estimated = False
    raw_periods = slots.get("periods")
    for period in raw_periods if isinstance(raw_periods, list) else []:
        if not isinstance(period, dict) or not period.get("province") or not period.get("start"):
            continue
        end = period.get("end")
        item = {"scheme": SCHEME, "province": period["province"], "start": period["start"],
                # a period reaching this month is taken as still going on
                "end": None if (end is None or end >= now) else end}
        if period.get("city"):
            item["city"] = period["city"]
        if wage:
            item["base"] = wage
        periods.append(item)
        estimated = estimated or bool(period.get("estimated"))
    profile["periods"] = periods
    balance = number_or_none(slots.get("account_balance"))
    if balance is not None:
        profile["account_balance"] = balance
    return ProfileDraft(profile, missing, estimated, assumed_worker)


def slot_of_error_field(field: str) -> str | None:
    """"periods[0].start" → "periods": which check-up answer a rules-engine error is about."""
    head = re.split(r"[.\[]", field or "", maxsplit=1)[0]
    mapping = {"birth": "birth", "sex": "sex", "female_category": "female_category",
               "hukou_province": "hukou_province", "periods": "periods", "account_balance": "account_balance",
               "base": "wage"}
    if head in mapping:
        return mapping[head]
    if field and field.endswith(".base"):
        return "wage"
    return None


def assess_slots(slots: dict, today: dt.date | None = None):
    """(draft, result) — result is the engine's Assessment; raises ProfileError for a refused profile.
    Returns (draft, None) when birth, sex or hukou province is missing."""
    draft = profile_from_slots(slots, today)
    if draft.missing:
        return draft, None
    from rules_engine import assess

    return draft, assess(draft.profile, on=draft.profile["as_of"])

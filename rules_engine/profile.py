"""A person's profile: the input contract of the rules engine (see docs/CONTRACTS.md and issue #2).

Invalid data is refused with :class:`~rules_engine.errors.ProfileError`, whose messages name the field in
Chinese and English. Constructing ``Profile(...)`` or ``Profile.model_validate(...)`` raises it directly.
"""
from __future__ import annotations

import datetime as _dt
import functools
from pathlib import Path
from typing import Any, Literal, Optional

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

from rules_engine import months as M
from rules_engine.errors import ProfileError
from rules_engine.provinces import normalize_province

SCHEMES = ("BPI-UE", "BPI-RUR", "BMCI-UE", "BMCI-RUR", "UI", "EII", "MI")
SCHEME_ALIASES = {s.lower().replace("-", "").replace("_", ""): s for s in SCHEMES}
SEX_ALIASES = {"male": "male", "m": "male", "man": "male", "男": "male", "男性": "male",
               "female": "female", "f": "female", "woman": "female", "女": "female", "女性": "female"}
CATEGORY_ALIASES = {"worker": "worker", "工人": "worker", "cadre": "cadre", "干部": "cadre", "管理岗": "cadre",
                    "staff": "cadre", "n/a": None, "na": None, "": None}
EARLIEST_BIRTH = "1930-01"       # the parameters cover retirements from 1978 on
MIN_WORKING_AGE_YEARS = 16       # 劳动法 第十五条: employing anyone under 16 is forbidden


def _month_field(value: Any) -> Any:
    if value is None:
        return value
    parsed = M.parse_month(value)
    if parsed is None:
        raise PydanticCustomError("bad_month", "bad month {value}", {"value": str(value)})
    return parsed


def _province_field(value: Any) -> str:
    code = normalize_province(value)
    if code is None:
        raise PydanticCustomError("unknown_province", "unknown province {value}", {"value": str(value)})
    return code


def _amount_field(value: Any) -> Any:
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise PydanticCustomError("negative_amount", "negative {value}", {"value": value})
    return value


def _base_field(value: Any) -> Any:
    """A contribution base is a positive amount: 0 is not a base anyone pays on (leave it out when unknown)."""
    value = _amount_field(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value == 0:
        raise PydanticCustomError("zero_base", "zero base", {"value": value})
    return value


class Period(BaseModel):
    """One insured period in one scheme and province; ``end`` inclusive, None = still paying on ``as_of``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    scheme: Literal["BPI-UE", "BPI-RUR", "BMCI-UE", "BMCI-RUR", "UI", "EII", "MI"]
    province: str = Field(description="Province: Chinese name, pinyin/English or GB/T 2260 code")
    city: Optional[str] = None
    start: str = Field(description="YYYY-MM", json_schema_extra={"pattern": r"^\d{4}-\d{2}$"})
    end: Optional[str] = Field(default=None, description="YYYY-MM inclusive; null = ongoing up to as_of")
    base: Optional[float] = Field(default=None, gt=0, description="monthly contribution base, yuan (leave out when "
                                                                "unknown: the minimum base is assumed)")

    @field_validator("scheme", mode="before")
    @classmethod
    def _scheme(cls, v):
        if isinstance(v, str):
            found = SCHEME_ALIASES.get(v.strip().lower().replace("-", "").replace("_", ""))
            if found:
                return found
        raise PydanticCustomError("unknown_scheme", "unknown scheme {value}",
                                  {"value": str(v), "expected": " | ".join(SCHEMES)})

    _province = field_validator("province", mode="before")(classmethod(lambda cls, v: _province_field(v)))
    _months = field_validator("start", "end", mode="before")(classmethod(lambda cls, v: _month_field(v)))
    _base = field_validator("base", mode="before")(classmethod(lambda cls, v: _base_field(v)))


class Profile(BaseModel):
    """A person's profile. Only birth, sex and hukou_province are required."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    birth: str = Field(description="year-month of birth, YYYY-MM", json_schema_extra={"pattern": r"^\d{4}-\d{2}$"})
    sex: Literal["male", "female"]
    female_category: Optional[Literal["worker", "cadre"]] = Field(
        default=None, description="women only: worker (original pension age 50) | cadre (55); default worker")
    hukou_province: str = Field(description="hukou province: Chinese name, pinyin/English or GB/T 2260 code")
    periods: list[Period] = Field(default_factory=list, description="insured periods, any order")
    account_balance: Optional[float] = Field(default=None, ge=0, description="individual account balance, yuan")
    residents_account_balance: Optional[float] = Field(
        default=None, ge=0, description="optional: residents' pension (BPI-RUR) individual account balance, yuan")
    as_of: Optional[_dt.date] = Field(default=None, description="assessment date; default today")
    average_wage: Optional[float] = Field(
        default=None, gt=0, description="optional: the pension-paying place's average monthly wage (计发基数), yuan, "
                                        "used instead of the parameter")
    horizon_age: Optional[int] = Field(default=None, ge=40, le=110,
                                       description="optional: age up to which option values are summed")
    rural_hukou: Optional[bool] = Field(default=None, description="optional: rural hukou (农业户口)")

    def __init__(self, **data: Any):
        try:
            super().__init__(**data)
        except ValidationError as exc:
            raise profile_error_from(exc) from None

    @classmethod
    def model_validate(cls, obj: Any, *args, **kwargs) -> "Profile":  # noqa: D102 - same as pydantic's
        # pydantic calls the custom __init__ during validation, so validating through it converts errors once
        if isinstance(obj, Profile):
            return obj
        if not isinstance(obj, dict) or not all(isinstance(k, str) for k in obj):
            raise ProfileError([message("(profile)", "not_a_mapping", {})])
        return cls(**obj)

    @field_validator("sex", mode="before")
    @classmethod
    def _sex(cls, v):
        found = SEX_ALIASES.get(v.strip().lower()) if isinstance(v, str) else None
        if found is None:
            raise PydanticCustomError("unknown_sex", "unknown sex {value}", {"value": str(v)})
        return found

    @field_validator("female_category", mode="before")
    @classmethod
    def _category(cls, v):
        if v is None:
            return None
        key = v.strip().lower() if isinstance(v, str) else v
        if key not in CATEGORY_ALIASES:
            raise PydanticCustomError("unknown_category", "unknown category {value}", {"value": str(v)})
        return CATEGORY_ALIASES[key]

    _birth = field_validator("birth", mode="before")(classmethod(lambda cls, v: _month_field(v)))
    _hukou = field_validator("hukou_province", mode="before")(classmethod(lambda cls, v: _province_field(v)))
    _amounts = field_validator("account_balance", "residents_account_balance", "average_wage", mode="before")(
        classmethod(lambda cls, v: _amount_field(v)))

    @field_validator("as_of", mode="before")
    @classmethod
    def _as_of(cls, v):
        if isinstance(v, str):
            try:
                return _dt.date.fromisoformat(v.strip())
            except ValueError:
                raise PydanticCustomError("bad_date", "bad date {value}", {"value": v}) from None
        return v

    @model_validator(mode="after")
    def _consistent(self):
        problems = consistency_problems(self)
        if problems:
            raise PydanticCustomError("profile_consistency", "inconsistent profile", {"problems": problems})
        return self

    # --- derived values (not part of the contract) ---
    @property
    def category(self) -> str:
        """'men', 'women_worker' or 'women_cadre': the retirement-age group."""
        if self.sex == "male":
            return "men"
        return "women_cadre" if self.female_category == "cadre" else "women_worker"


def consistency_problems(p: Profile, as_of: _dt.date | None = None) -> list[dict]:
    """Checks across fields: each problem is {field, code, ctx}."""
    problems: list[dict] = []
    as_of = as_of or p.as_of or _dt.date.today()
    now = M.of_date(as_of)
    birth = M.index(p.birth)
    ctx_date = {"as_of": as_of.isoformat()}
    if p.sex == "male" and p.female_category is not None:
        problems.append({"field": "female_category", "code": "category_for_man",
                         "ctx": {"value": p.female_category}})
    if birth > now:
        problems.append({"field": "birth", "code": "birth_in_future", "ctx": {"birth": p.birth, **ctx_date}})
    if p.birth < EARLIEST_BIRTH:
        problems.append({"field": "birth", "code": "birth_too_early",
                         "ctx": {"birth": p.birth, "earliest": EARLIEST_BIRTH}})
    seen: dict[tuple, list[tuple[int, int, int]]] = {}
    for i, period in enumerate(p.periods):
        start = M.index(period.start)
        end = M.index(period.end) if period.end else now
        where = f"periods[{i}]"
        if period.end and end < start:
            problems.append({"field": f"{where}.end", "code": "end_before_start",
                             "ctx": {"start": period.start, "end": period.end}})
            continue
        if start > now:
            problems.append({"field": f"{where}.start", "code": "start_after_as_of",
                             "ctx": {"start": period.start, **ctx_date}})
            continue
        if period.end and end > now:
            problems.append({"field": f"{where}.end", "code": "end_after_as_of",
                             "ctx": {"end": period.end, **ctx_date}})
            continue
        if start < birth + MIN_WORKING_AGE_YEARS * 12:
            problems.append({"field": f"{where}.start", "code": "start_before_working_age",
                             "ctx": {"start": period.start, "age": MIN_WORKING_AGE_YEARS}})
            continue
        key = (period.scheme, period.province)
        for j, s2, e2 in seen.get(key, []):
            if start <= e2 and s2 <= end:
                problems.append({"field": f"{where}.start", "code": "overlap",
                                 "ctx": {"other": j, "start": M.label(max(start, s2)), "end": M.label(min(end, e2))}})
                break
        seen.setdefault(key, []).append((i, start, end))
    return problems


def parse_date(value: Any, field: str, default: _dt.date | None = None) -> _dt.date:
    """A date from a date, datetime or 'YYYY-MM-DD'; ``default`` when None is given (if allowed). Bilingual error."""
    if value is None and default is not None:
        return default
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    try:
        return _dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ProfileError([message(field, "bad_date", {"value": str(value)})]) from None


# ----- turning validation errors into bilingual messages -----

@functools.lru_cache(maxsize=1)
def _messages() -> dict:
    import yaml
    with open(Path(__file__).parent / "explain" / "messages.yml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class _Blank(dict):
    def __missing__(self, key):
        return "?"


def message(field: str, code: str, ctx: dict) -> dict:
    msgs = _messages()
    tpl = msgs.get(code) or msgs["default"]
    values = _Blank({k: v for k, v in (ctx or {}).items()})
    return {"field": field, "message_zh": tpl["zh"].format_map(values), "message_en": tpl["en"].format_map(values)}


def _field_path(loc: tuple) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(profile)"


def profile_error_from(exc: ValidationError) -> ProfileError:
    errors: list[dict] = []
    for err in exc.errors(include_url=False):
        ctx = dict(err.get("ctx") or {})
        if err["type"] == "profile_consistency":
            for p in ctx["problems"]:
                errors.append(message(p["field"], p["code"], p["ctx"]))
            continue
        ctx.setdefault("msg", err.get("msg", ""))
        # pydantic's own literal errors: list what is allowed
        if err["type"] == "literal_error" and "expected" in ctx:
            ctx["expected"] = str(ctx["expected"]).replace("'", "")
        errors.append(message(_field_path(tuple(err["loc"])), err["type"], ctx))
    return ProfileError(errors)


def load_profile(source: "Profile | dict | str | Path") -> Profile:
    """A Profile from a Profile, a dict, or a YAML/JSON file path. Raises ProfileError, never a traceback."""
    if isinstance(source, Profile):
        return source
    if isinstance(source, dict):
        return Profile.model_validate(source)
    if isinstance(source, (str, Path)):
        import yaml
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as exc:
            raise ProfileError([message(str(path), "unreadable", {"value": exc.strerror or str(exc)})]) from None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ProfileError([message(str(path), "not_yaml", {"value": str(exc).splitlines()[0]})]) from None
        return Profile.model_validate(data)
    raise ProfileError([message("(profile)", "not_a_mapping", {})])

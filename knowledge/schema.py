"""Pydantic models for knowledge entries and the sources registry, and loaders that turn
bad files into bilingual, located problems (never a traceback).

The file format is defined in docs/CONTRACTS.md (section "knowledge") and docs/knowledge.md.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, Optional, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import PydanticCustomError

ENTRY_TYPES = ("scheme", "right", "procedure", "consequence", "myth", "faq", "glossary",
               "statistic", "contact", "policy")
# Types that state facts and therefore must cite at least one registered source.
NON_FACTUAL_TYPES = ("glossary", "contact")
SCHEMES = ("BPI-UE", "BPI-RUR", "BMCI-UE", "BMCI-RUR", "UI", "EII", "MI", "all")
AUDIENCES = ("worker", "staff", "trainer")
SOURCE_KINDS = ("law", "regulation", "notice", "report", "website")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SHORT_MAX_ZH = 120      # characters: one phone screen
SHORT_MAX_EN = 500      # characters: roughly what 120 Chinese characters say in English


def bilingual_error(zh: str, en: str, field: str = "") -> PydanticCustomError:
    """A validation error whose Chinese and English messages can be recovered separately.

    `field` names the field for checks that look at several fields at once (model validators)."""
    return PydanticCustomError("bilingual", "{zh} / {en}", {"zh": zh, "en": en, "field": field})


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Text(Strict):
    """A text in both languages; both must be non-empty."""
    zh: str
    en: str

    @field_validator("zh", "en", mode="before")
    @classmethod
    def _non_empty(cls, value: Any, info):
        if value is None or (isinstance(value, str) and not value.strip()):
            lang = "中文" if info.field_name == "zh" else "英文"
            raise bilingual_error(f"缺少{lang}译文（不能为空）",
                                  f"missing {'Chinese' if info.field_name == 'zh' else 'English'} text (must not be empty)")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value


class Aliases(Strict):
    zh: list[str]
    en: list[str]

    @field_validator("zh", "en", mode="before")
    @classmethod
    def _strings(cls, value: Any):
        if value is None:
            return []
        if isinstance(value, list):
            return [str(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v for v in value]
        return value


class Step(Strict):
    who: Text
    action: Text
    where: Text
    documents: Optional[Text] = None
    deadline: Optional[Text] = None


class AppliesTo(Strict):
    schemes: list[Literal[SCHEMES]] = Field(default_factory=list)
    provinces: list[str] = Field(default_factory=lambda: ["all"])
    audiences: list[Literal[AUDIENCES]] = Field(default_factory=lambda: list(AUDIENCES))

    @field_validator("provinces", mode="before")
    @classmethod
    def _province_strings(cls, value: Any):
        if isinstance(value, list):
            return [str(v) for v in value]
        return value


class SourceRef(Strict):
    id: str
    article: Optional[str] = None       # 第四条 / 表1 / Table 1 / 第4.4节
    article_en: Optional[str] = None    # override when the automatic translation is not right

    @field_validator("article", "article_en", mode="before")
    @classmethod
    def _to_str(cls, value: Any):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)
        return value


class Column(Strict):
    key: str
    zh: str
    en: str


CellValue = Union[Text, int, float, str, None]


class Table(Strict):
    columns: list[Column] = Field(min_length=1)
    rows: list[dict[str, CellValue]] = Field(min_length=1)
    source_line: Text
    year: Union[int, str]
    unit: Optional[Text] = None
    note: Optional[Text] = None

    @model_validator(mode="after")
    def _row_keys_are_columns(self):
        keys = [c.key for c in self.columns]
        if len(set(keys)) != len(keys):
            raise bilingual_error("列的 key 重复", "duplicate column keys")
        for index, row in enumerate(self.rows):
            unknown = [k for k in row if k not in keys]
            if unknown:
                raise bilingual_error(f"第{index + 1}行有未定义的列：{', '.join(unknown)}",
                                      f"row {index + 1} uses undefined columns: {', '.join(unknown)}")
        return self


class KnowledgeEntry(Strict):
    id: str
    type: Literal[ENTRY_TYPES]
    title: Text
    short: Text
    body: Text
    steps: list[Step] = Field(default_factory=list)
    applies_to: AppliesTo
    sources: list[SourceRef]
    reviewed: dt.date
    valid_from: Optional[dt.date]
    valid_until: Optional[dt.date] = None
    confidence: Literal["verified", "to_verify", "local"]
    local_variation: bool
    aliases: Aliases
    related: list[str] = Field(default_factory=list)
    table: Optional[Table] = None

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str):
        if not ID_PATTERN.match(value):
            raise bilingual_error("id 只能用小写字母、数字和连字符（例如 procedure-pension-transfer）",
                                  "id may only contain lowercase letters, digits and hyphens (e.g. procedure-pension-transfer)")
        return value

    @field_validator("short")
    @classmethod
    def _short_is_short(cls, value: Text):
        if len(value.zh) > SHORT_MAX_ZH:
            raise bilingual_error(f"中文简答太长（{len(value.zh)}字，最多{SHORT_MAX_ZH}字）",
                                  f"Chinese short answer too long ({len(value.zh)} characters, at most {SHORT_MAX_ZH})")
        if len(value.en) > SHORT_MAX_EN:
            raise bilingual_error(f"英文简答太长（{len(value.en)}个字符，最多{SHORT_MAX_EN}个）",
                                  f"English short answer too long ({len(value.en)} characters, at most {SHORT_MAX_EN})")
        return value

    @field_validator("reviewed")
    @classmethod
    def _not_in_future(cls, value: dt.date):
        if value > dt.date.today() + dt.timedelta(days=1):
            raise bilingual_error(f"审核日期 {value} 在未来", f"review date {value} is in the future")
        return value

    @model_validator(mode="after")
    def _type_rules(self):
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise bilingual_error(f"valid_until（{self.valid_until}）早于 valid_from（{self.valid_from}）",
                                  f"valid_until ({self.valid_until}) is before valid_from ({self.valid_from})", "valid_until")
        if self.type == "procedure" and not self.steps:
            raise bilingual_error("办事流程（procedure）必须有 steps（按顺序的步骤）",
                                  "a procedure needs steps (ordered)", "steps")
        if self.type != "procedure" and self.steps:
            raise bilingual_error("只有办事流程（procedure）可以有 steps",
                                  "only procedures may have steps", "steps")
        if self.type == "statistic" and self.table is None:
            raise bilingual_error("统计（statistic）条目必须有 table", "a statistic needs a table", "table")
        if self.type != "statistic" and self.table is not None:
            raise bilingual_error("只有统计（statistic）条目可以有 table", "only statistics may have a table", "table")
        if self.type not in NON_FACTUAL_TYPES and not self.sources:
            raise bilingual_error(f"“{self.type}”类条目陈述事实，至少要引用一个来源",
                                  f"a {self.type} entry states facts and must cite at least one source", "sources")
        if self.confidence == "local" and not self.local_variation:
            raise bilingual_error("confidence 为 local 时 local_variation 必须为 true",
                                  "confidence 'local' requires local_variation: true", "local_variation")
        if self.id in self.related:
            raise bilingual_error("related 不能包含条目自己", "related must not list the entry itself", "related")
        return self


class Source(Strict):
    id: str
    title: Text
    cite_as: Optional[Text] = None
    number: Optional[str] = None
    number_en: Optional[str] = None
    issuer: Text
    effective: Optional[dt.date] = None
    amended: list[dt.date] = Field(default_factory=list)
    url: Optional[str] = None
    kind: Literal[SOURCE_KINDS]
    confidence: Literal["verified", "to_verify"] = "verified"
    note: Optional[Text] = None

    @field_validator("id")
    @classmethod
    def _id_format(cls, value: str):
        if not ID_PATTERN.match(value):
            raise bilingual_error("来源 id 只能用小写字母、数字和连字符", "source id may only contain lowercase letters, digits and hyphens")
        return value

    @field_validator("url")
    @classmethod
    def _url(cls, value: Optional[str]):
        if value and not re.match(r"^https?://", value):
            raise bilingual_error("网址必须以 http:// 或 https:// 开头", "url must start with http:// or https://")
        return value


# ---------------------------------------------------------------------------------------------
# Problems: what the build prints for a bad file.

@dataclass(frozen=True)
class Problem:
    path: str
    field: str
    message_zh: str
    message_en: str
    level: str = "error"   # error | warning

    def __str__(self) -> str:
        where = f"{self.path}: {self.field}" if self.field else self.path
        return f"{where}: {self.message_zh} / {self.message_en}"


_MESSAGES = {
    "missing": ("缺少必填字段", "required field is missing"),
    "extra_forbidden": ("不认识的字段（是否拼错？或 {...} 里有未加引号的英文逗号？允许的字段见 docs/knowledge.md）",
                        "unknown field (misspelt? or an unquoted comma inside {...}? allowed fields: docs/knowledge.md)"),
    "date_from_datetime_parsing": ("日期无效，应为真实存在的日期 YYYY-MM-DD", "invalid date, expected a real date YYYY-MM-DD"),
    "date_parsing": ("日期无效，应为真实存在的日期 YYYY-MM-DD", "invalid date, expected a real date YYYY-MM-DD"),
    "date_from_datetime_inexact": ("日期不能带时间，应为 YYYY-MM-DD", "a date must not carry a time, expected YYYY-MM-DD"),
    "date_type": ("应为日期 YYYY-MM-DD", "expected a date YYYY-MM-DD"),
    "string_type": ("应为文字", "expected text"),
    "bool_type": ("应为 true 或 false", "expected true or false"),
    "bool_parsing": ("应为 true 或 false", "expected true or false"),
    "list_type": ("应为列表", "expected a list"),
    "dict_type": ("应为映射（key: value）", "expected a mapping (key: value)"),
    "model_type": ("应为映射（key: value），例如 {zh: ..., en: ...}", "expected a mapping (key: value), e.g. {zh: ..., en: ...}"),
    "too_short": ("不能为空", "must not be empty"),
    "int_type": ("应为整数", "expected an integer"),
}


def _field_path(loc: tuple) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in ("Text", "int", "float", "str", "none") or "[" in str(item):
            continue   # union branch names add nothing for an editor
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def problems_from_validation(path: str, error: ValidationError, prefix: str = "") -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[str, str]] = set()
    for item in error.errors():
        field = _field_path(item["loc"])
        if prefix:
            field = prefix + ("." + field if field and not field.startswith("[") else field)
        kind = item["type"]
        if kind == "bilingual":
            zh, en = item["ctx"]["zh"], item["ctx"]["en"]
            extra = item["ctx"].get("field")
            if extra:
                field = f"{field}.{extra}" if field else extra
        elif kind == "literal_error":
            expected = item.get("ctx", {}).get("expected", "")
            zh, en = f"取值无效，只能是：{expected}", f"invalid value, must be one of: {expected}"
        elif kind in _MESSAGES:
            zh, en = _MESSAGES[kind]
        else:
            zh, en = f"取值无效（{item['msg']}）", f"invalid value ({item['msg']})"
        if (field, en) in seen:
            continue
        seen.add((field, en))
        problems.append(Problem(path, field, zh, en))
    # A union of cell types produces one error per branch; keep them but they share the field.
    return problems


# ---------------------------------------------------------------------------------------------
# YAML loading: dates stay strings so that pydantic (not the YAML parser) reports bad dates.

class _Loader(yaml.SafeLoader):
    pass


def _mapping_without_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    """Two `aliases:` in one file would silently keep only the last one: make it an error instead."""
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:   # unhashable key: let the normal constructor complain
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"duplicate key '{key}' / 重复的键“{key}”", key_node.start_mark)
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping_without_duplicates)
_Loader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def read_yaml(path: Path, display: str) -> tuple[Any, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None, [Problem(display, "", "文件不是 UTF-8 编码", "file is not UTF-8 encoded")]
    except OSError as exc:
        return None, [Problem(display, "", f"无法读取文件（{exc.strerror}）", f"cannot read file ({exc.strerror})")]
    try:
        return yaml.load(text, Loader=_Loader), []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"{mark.line + 1}" if mark is not None else "?"
        reason = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        return None, [Problem(display, f"line {line}",
                              f"YAML 格式错误（第{line}行：{reason}）。常见原因：英文冒号或逗号未加引号、缩进不齐",
                              f"malformed YAML (line {line}: {reason}). Common causes: unquoted colon or comma, uneven indentation")]


def load_sources(path: Path, display: Optional[str] = None) -> tuple[dict[str, Source], list[Problem]]:
    display = display or str(path)
    data, problems = read_yaml(path, display)
    if problems:
        return {}, problems
    if not isinstance(data, list):
        return {}, [Problem(display, "", "来源登记表应是一个列表（每项以 - 开头）",
                            "the sources registry must be a list (items start with -)")]
    sources: dict[str, Source] = {}
    for index, item in enumerate(data):
        label = f"[{index}]" + (f"({item.get('id')})" if isinstance(item, dict) and item.get("id") else "")
        if not isinstance(item, dict):
            problems.append(Problem(display, label, "每个来源应是映射（key: value）", "each source must be a mapping (key: value)"))
            continue
        try:
            source = Source.model_validate(item)
        except ValidationError as exc:
            problems.extend(problems_from_validation(display, exc, prefix=label))
            continue
        if source.id in sources:
            problems.append(Problem(display, label + ".id", f"来源 id 重复：{source.id}", f"duplicate source id: {source.id}"))
            continue
        sources[source.id] = source
    return sources, problems


def _non_text_keys(data: Any, display: str, where: str = "") -> list[Problem]:
    """Keys that are numbers or dates almost always come from an unquoted comma inside {...}."""
    found: list[Problem] = []
    if isinstance(data, dict):
        for key, value in data.items():
            here = f"{where}.{key}" if where else str(key)
            if not isinstance(key, str):
                found.append(Problem(display, where or "(top)",
                                     f"出现非文字的键“{key}”：多半是 {{...}} 里的英文逗号截断了值，请给整个值加引号",
                                     f"a key '{key}' that is not text: most likely an unquoted comma inside {{...}} "
                                     "cut the value; put the whole value in quotes"))
            else:
                found.extend(_non_text_keys(value, display, here))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            found.extend(_non_text_keys(item, display, f"{where}[{index}]"))
    return found


def load_entry(path: Path, display: str, source_ids: set[str]) -> tuple[Optional[KnowledgeEntry], list[Problem]]:
    """Parse and validate one entry file. Returns (entry or None, problems)."""
    data, problems = read_yaml(path, display)
    if problems:
        return None, problems
    if not isinstance(data, dict):
        return None, [Problem(display, "", "条目文件应是一个映射（key: value），不是列表或文字",
                              "an entry file must be a mapping (key: value), not a list or text")]
    key_problems = _non_text_keys(data, display)
    if key_problems:
        return None, key_problems
    try:
        entry = KnowledgeEntry.model_validate(data)
    except ValidationError as exc:
        return None, problems_from_validation(display, exc)
    if entry.id != path.stem:
        problems.append(Problem(display, "id", f"id “{entry.id}”与文件名“{path.stem}”不一致",
                                f"id '{entry.id}' does not match the file name '{path.stem}'"))
    folder = path.parent.name
    if folder in ENTRY_TYPES and folder != entry.type:
        problems.append(Problem(display, "type", f"类型为“{entry.type}”，但文件在“{folder}”文件夹里",
                                f"type is '{entry.type}' but the file is in the folder '{folder}'"))
    for index, ref in enumerate(entry.sources):
        if ref.id not in source_ids:
            problems.append(Problem(display, f"sources[{index}].id",
                                    f"来源“{ref.id}”不在 knowledge/sources.yml 中（先在登记表中添加）",
                                    f"source '{ref.id}' is not in knowledge/sources.yml (add it to the registry first)"))
    return (None if problems else entry), problems

"""Editorial checks on the content (not the database): what a content editor should fix or review.

    python -m knowledge check
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from .build import DEFAULT_CONTENT, validate
from .schema import KnowledgeEntry, Problem, Source

# Entry ids the assistant relies on (docs/CONTRACTS.md, "Entry ids the assistant relies on").
# tests/knowledge/test_required_ids.py keeps this list equal to the one in CONTRACTS.md.
REQUIRED_IDS = (
    "scheme-bpi-ue", "scheme-bpi-rur", "scheme-bmci-ue", "scheme-bmci-rur", "scheme-ui", "scheme-eii", "scheme-mi",
    "procedure-pension-transfer", "procedure-medical-transfer", "procedure-switch-employee-resident",
    "procedure-cross-province-medical", "procedure-unemployment-claim", "procedure-injury-recognition",
    "procedure-disability-assessment", "procedure-flexible-contribution", "procedure-check-record",
    "procedure-complain",
    "consequence-cash-out-vs-suspend-vs-transfer", "consequence-stop-paying", "consequence-cash-out-rules",
    "faq-pension-paying-place", "faq-retirement-age", "faq-minimum-years", "faq-hukou-limits", "faq-maternity",
    "faq-temporary-account", "faq-unemployment-one-off-subsidy",
    "right-equal-treatment", "right-employer-must-insure", "right-waiver-void",
    "myth-cash-out-when-leaving", "myth-years-must-be-continuous", "myth-money-lost-when-moving",
    "myth-residents-same",
    "contact-12333", "contact-12393", "contact-12345", "contact-si-platform", "contact-zhangshang-12333",
    "contact-e-sscard", "contact-nhsa-platform", "contact-labour-inspection", "contact-labour-arbitration",
)
REVIEW_MONTHS = 12
# An entry that cites a law, regulation or notice states a rule, so it must say from when the rule applies.
# Contacts and the report's statistics describe services and figures, not rules.
RULE_SOURCE_KINDS = ("law", "regulation", "notice")
NOT_RULE_TYPES = ("contact", "statistic")
_CJK = re.compile(r"[\u4e00-\u9fff]")


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    entries: int = 0

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level == "warning"]


def _bilingual_texts(entry: KnowledgeEntry) -> list[tuple[str, object]]:
    texts: list[tuple[str, object]] = [("title", entry.title), ("short", entry.short), ("body", entry.body)]
    for index, step in enumerate(entry.steps):
        for name in ("who", "action", "where", "documents", "deadline"):
            value = getattr(step, name)
            if value is not None:
                texts.append((f"steps[{index}].{name}", value))
    return texts


def translation_problems(entry: KnowledgeEntry, path: str) -> list[Problem]:
    """Texts that exist in both languages on paper but are not really translated."""
    problems = []
    for name, text in _bilingual_texts(entry):
        zh, en = text.zh, text.en   # type: ignore[attr-defined]
        if zh == en and _CJK.search(zh):
            problems.append(Problem(path, f"{name}.en", "英文与中文相同，未翻译", "English is identical to the Chinese: not translated"))
            continue
        if not _CJK.search(zh):
            problems.append(Problem(path, f"{name}.zh", "中文文本里没有汉字，可能未翻译", "the Chinese text has no Chinese characters: probably not translated"))
        cjk_share = len(_CJK.findall(en)) / max(len(en), 1)
        if cjk_share > 0.3:
            problems.append(Problem(path, f"{name}.en", "英文文本大部分是汉字，可能未翻译", "the English text is mostly Chinese characters: probably not translated"))
    if entry.aliases.zh and not entry.aliases.en:
        problems.append(Problem(path, "aliases.en", "只有中文别名，缺少英文别名", "Chinese aliases but no English ones", level="warning"))
    if entry.aliases.en and not entry.aliases.zh:
        problems.append(Problem(path, "aliases.zh", "只有英文别名，缺少中文别名", "English aliases but no Chinese ones", level="warning"))
    return problems


def rule_dates(entry: KnowledgeEntry, sources: dict[str, Source]) -> set[dt.date]:
    """Dates on which a cited law, regulation or notice took effect or was amended."""
    dates: set[dt.date] = set()
    for ref in entry.sources:
        source = sources.get(ref.id)
        if source is not None and source.kind in RULE_SOURCE_KINDS:
            dates.update(d for d in [source.effective, *source.amended] if d)
    return dates


def validity_problems(entry: KnowledgeEntry, sources: dict[str, Source], path: str) -> list[Problem]:
    """A rule-bearing entry carries valid_from, and the date is one its own sources took effect or changed."""
    if entry.type in NOT_RULE_TYPES:
        return []
    dates = rule_dates(entry, sources)
    if not dates:
        return []
    listed = "、".join(sorted(d.isoformat() for d in dates))
    if entry.valid_from is None:
        return [Problem(path, "valid_from",
                        f"条目引用了法规，必须写明规则从哪天起适用（valid_from，例如 {listed} 之一）",
                        f"the entry cites a law, regulation or notice: say from when its rule applies "
                        f"(valid_from, e.g. one of {listed.replace('、', ', ')})")]
    if entry.valid_from not in dates:
        return [Problem(path, "valid_from",
                        f"valid_from（{entry.valid_from}）不是所引法规的施行或修订日期（{listed}）：请核对日期或补上来源",
                        f"valid_from ({entry.valid_from}) is not the date a cited law took effect or was amended "
                        f"({listed.replace('、', ', ')}): check the date or cite the source that set it")]
    return []


def run_checks(content_dir: Path = DEFAULT_CONTENT, sources_path: Optional[Path] = None,
               today: Optional[dt.date] = None, required_ids: tuple[str, ...] = REQUIRED_IDS) -> CheckReport:
    today = today or dt.date.today()
    entries, sources, problems = validate(content_dir, sources_path, progress=False)
    report = CheckReport(list(problems), len(entries))
    stale_before = _months_before(today, REVIEW_MONTHS)
    paths = {e.id: _path_of(content_dir, e) for e in entries}
    for entry in entries:
        path = paths[entry.id]
        if entry.reviewed < stale_before:
            report.problems.append(Problem(path, "reviewed",
                                           f"超过{REVIEW_MONTHS}个月未审核（上次 {entry.reviewed}）",
                                           f"not reviewed for more than {REVIEW_MONTHS} months (last {entry.reviewed})",
                                           level="warning"))
        if entry.valid_until and entry.valid_until < today:
            report.problems.append(Problem(path, "valid_until", f"已于 {entry.valid_until} 失效，请更新或删除",
                                           f"expired on {entry.valid_until}: update or remove", level="warning"))
        report.problems.extend(translation_problems(entry, path))
        report.problems.extend(validity_problems(entry, sources, path))
    present = {e.id for e in entries}
    for missing in required_ids:
        if missing not in present:
            report.problems.append(Problem("docs/CONTRACTS.md", missing, "助手需要的条目不存在",
                                           "an entry the assistant relies on is missing"))
    return report


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def _path_of(content_dir: Path, entry: KnowledgeEntry) -> str:
    candidate = Path(content_dir) / entry.type / f"{entry.id}.yml"
    return str(candidate) if candidate.exists() else entry.id

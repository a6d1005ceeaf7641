"""Worked stories for trainers: the report's "Mr X" cases run through the rules engine.

    from knowledge.trainer.story import tell_story
    story = tell_story(kb, "mr-x", lang="zh", chart_dir=Path("var/trainer/stories"))
    print(story.text)                  # narrative: profile, verdict, options in money and years, citations
    story.cases[0].options             # the engine's options (dicts) the chart was drawn from

The story's frame (which entry, which profiles, labels) is in stories.yml; the case text comes from the knowledge
entry; verdicts, options and citations come from the rules engine (`rules_engine.assess`,
`rules_engine.explain.render_summary` / `render_options` / `render_trace`).

Note: the `knowledge` package itself never imports `rules_engine` (docs/CONTRACTS.md); only this trainer module
does, lazily, when a story is told.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import yaml

from knowledge.search import KnowledgeBase

from .common import TrainerError, check_lang, get_entry, load_yaml, msg

DEFAULT_OUT = Path("var/trainer/stories")


@dataclass
class StoryCase:
    label: str
    profile_path: Path
    profile: dict
    as_of: str
    summary: list[str]
    options: list[dict]
    option_lines: list[str]
    trace_lines: list[str]
    warnings: list[str]
    result: Any = None


@dataclass
class StoryChart:
    path: Path
    option_keys: list[str]
    money_now: list[list[float]] = field(default_factory=list)       # per case, per option (drawn bar heights)
    pension_value: list[list[float]] = field(default_factory=list)


@dataclass
class Story:
    story_id: str
    lang: str
    title: str
    intro: str
    citation: str
    cases: list[StoryCase]
    text: str = ""
    chart: Optional[StoryChart] = None


def story_specs() -> dict[str, dict]:
    return (load_yaml("stories.yml") or {}).get("stories", {})


def resolve(story_id: str) -> dict:
    """A story from stories.yml, or a one-case story from a profile path (or a name in rules_engine/examples)."""
    specs = story_specs()
    if story_id in specs:
        return specs[story_id]
    candidates = [Path(story_id), Path("rules_engine/examples") / story_id,
                  Path("rules_engine/examples") / f"{story_id}.yml"]
    for path in candidates:
        if path.is_file():
            return {"entry": None, "cases": [{"profile": str(path), "label": {"zh": path.stem, "en": path.stem}}]}
    names = ", ".join(specs)
    raise TrainerError(f"{msg('story_unknown', 'zh', id=story_id, names=names)} / "
                       f"{msg('story_unknown', 'en', id=story_id, names=names)}")


# -- texts ------------------------------------------------------------------------------------------------------
def _scheme_name(kb: KnowledgeBase, code: str, lang: str) -> str:
    entry = kb.get(f"scheme-{code.lower()}", lang)
    return entry.title if entry else code


def _profile_lines(kb: KnowledgeBase, profile: Any, lang: str) -> list[str]:
    from rules_engine.provinces import province_name
    sex = msg("sex_male" if profile.sex == "male" else "sex_female", lang)
    lines = [msg("story_born", lang, birth=profile.birth, sex=sex, hukou=province_name(profile.hukou_province, lang))]
    for period in profile.periods:
        place = province_name(period.province, lang) + (f" {period.city}" if period.city else "")
        lines.append("  - " + msg("story_period", lang, start=period.start,
                                  end=period.end or msg("story_period_ongoing", lang), province=place,
                                  scheme=_scheme_name(kb, period.scheme, lang)))
    return lines


def _money(value: Optional[float], lang: str) -> str:
    if value is None:
        return "—"
    return msg("story_yuan", lang, amount=f"{round(value):,}")


def _years(value: Optional[float], lang: str) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return msg("story_years", lang, years=text)


def option_titles(lang: str, keys: list[str]) -> dict[str, str]:
    """Names of the options `keys` from the rules engine's own templates, without the label they share
    ("选项：" / "Option: ")."""
    from rules_engine.explain import templates
    rules = templates()["rules"]
    titles = {key: rules.get(f"options.{key}", {}).get(lang, key) for key in keys}
    common = os.path.commonprefix(list(titles.values()))
    return {k: v[len(common):].strip() or v for k, v in titles.items()}


def _option_line(option: dict, lang: str, titles: dict[str, str]) -> str:
    sep = msg("sep_list", lang)
    allowed = msg("story_option_allowed" if option["allowed"] else "story_option_not_allowed", lang)
    parts = [
        f"{msg('story_money_now', lang)} {_money(option['money_now'], lang)}",
        f"{msg('story_monthly', lang)} {_money(option['monthly_pension'], lang)}",
        f"{msg('story_value', lang, age=option['horizon_age'])} {_money(option['value_to_age'], lang)}",
        f"{msg('story_years_kept', lang)} {_years(option['years_kept'], lang)}",
        f"{msg('story_years_lost', lang)} {_years(option['years_lost'], lang)}",
        f"{msg('story_left_behind', lang)} {_money(option['money_left_behind'], lang)}",
    ]
    if option.get("cost_to_pay"):
        parts.append(f"{msg('story_cost', lang)} {_money(option['cost_to_pay'], lang)}")
    line = f"  * {titles.get(option['option'], option['option'])} [{allowed}]{msg('sep_field', lang)}{sep.join(parts)}"
    if option.get("citation"):
        line += f" ({option['citation']})"
    return line


# -- running the engine ------------------------------------------------------------------------------------------
def run_case(kb: KnowledgeBase, case: dict, lang: str) -> StoryCase:
    from rules_engine import Profile, ProfileError, assess, explain
    path = Path(case["profile"])
    try:
        with open(path, encoding="utf-8") as fh:
            raw = yaml.safe_load(fh)
        profile = Profile.model_validate(raw)
        result = assess(profile)
    except (OSError, yaml.YAMLError, ProfileError, ValueError) as exc:
        raise TrainerError(f"{msg('story_profile_error', 'zh', error=exc)} ({path}) / "
                           f"{msg('story_profile_error', 'en', error=exc)} ({path})") from None
    data = result.model_dump(mode="json")
    label = case.get("label", {}).get(lang) or path.stem
    return StoryCase(label=label, profile_path=path, profile=raw, as_of=str(data["as_of"]),
                     summary=explain.render_summary(result, lang), options=data["options"],
                     option_lines=explain.render_options(data["trace"], lang),
                     trace_lines=explain.render_trace(data["trace"], lang),
                     warnings=[w[lang] for w in data.get("warnings") or []], result=result)


def narrative(kb: KnowledgeBase, story: Story, lang: str, trace: bool = False) -> str:
    from rules_engine import Profile
    titles = option_titles(lang, [o["option"] for case in story.cases for o in case.options])
    out = [f"# {story.title}"]
    if story.intro:
        out += ["", story.intro]
    if story.citation:
        out += [story.citation]
    for n, case in enumerate(story.cases, 1):
        out += ["", f"== {msg('story_case', lang)} {n}{msg('sep_field', lang)}{case.label} =="]
        out += [f"{msg('story_profile', lang)}{msg('sep_field', lang)}".rstrip()]
        out += _profile_lines(kb, Profile.model_validate(case.profile), lang)
        out += [msg("story_as_of", lang, date=case.as_of), "", f"{msg('story_summary', lang)}{msg('sep_field', lang)}".rstrip()]
        out += [f"  * {bubble}" for bubble in case.summary]
        out += ["", f"{msg('story_options', lang)}{msg('sep_field', lang)}".rstrip()]
        out += [_option_line(option, lang, titles) for option in case.options]
        out += ["", f"{msg('story_options_basis', lang)}{msg('sep_field', lang)}".rstrip()]
        out += [f"  - {line}" for line in case.option_lines]
        if trace:
            out += ["", f"{msg('story_why', lang)}{msg('sep_field', lang)}".rstrip()]
            out += [f"  {i}. {line}" for i, line in enumerate(case.trace_lines, 1)]
        if case.warnings:
            out += ["", f"{msg('story_warnings', lang)}{msg('sep_field', lang)}".rstrip()] + [f"  ! {w}" for w in case.warnings]
    if story.chart:
        out += ["", msg("story_chart_saved", lang, path=story.chart.path)]
    return "\n".join(out) + "\n"


# -- the chart -----------------------------------------------------------------------------------------------------
def draw_option_bars(ax, options: list[dict], lang: str, keys: Optional[list[str]] = None, *,
                     ylabel: Optional[str] = None, years_kept: bool = False) -> tuple[list[float], list[float]]:
    """On `ax`, for each option (in `keys` order): the money paid out now and the pension value up to the horizon age;
    options that may not be chosen are hatched and marked. Returns the drawn bar heights (money now, pension value).
    The bars carry labels for a legend (see draw_story_chart: one legend for the figure, where it covers nothing)."""
    from matplotlib.ticker import FuncFormatter

    from .charts import COLORS, _wrap
    by = {o["option"]: o for o in options}
    keys = [k for k in (keys or [o["option"] for o in options]) if k in by]
    titles = option_titles(lang, keys)
    now = [float(by[k]["money_now"] or 0) for k in keys]
    value = [float(by[k]["value_to_age"] or 0) if by[k]["monthly_pension"] else 0.0 for k in keys]
    positions = list(range(len(keys)))
    b1 = ax.bar([p - 0.2 for p in positions], now, 0.4, color=COLORS[1], label=msg("story_money_now", lang))
    b2 = ax.bar([p + 0.2 for p in positions], value, 0.4, color=COLORS[0],
                label=msg("story_value", lang, age=options[0]["horizon_age"]))
    for bars, series in ((b1, now), (b2, value)):
        ax.bar_label(bars, labels=[f"{round(v):,}" if v else "" for v in series], fontsize=7, padding=2)
    for rect, key in zip(list(b1.patches) + list(b2.patches), keys + keys):
        if not by[key]["allowed"]:
            rect.set_hatch("//")
            rect.set_alpha(0.45)
    labels = []
    for k in keys:
        label = _wrap(titles.get(k, k), lang, 22)
        if years_kept:
            label += f"\n{msg('story_years_kept', lang)} {_years(by[k]['years_kept'] or 0, lang)}"
        if not by[k]["allowed"]:
            label += f"\n({msg('story_option_not_allowed', lang)})"
        labels.append(label)
    ax.set_xticks(positions, labels, fontsize=8)
    ax.set_ylabel(ylabel or msg("story_chart_ylabel", lang))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}"))
    ax.margins(y=0.15)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return [float(r.get_height()) for r in b1.patches], [float(r.get_height()) for r in b2.patches]


def draw_story_chart(story: Story, lang: str, out_dir: Path) -> StoryChart:
    """One panel per case: for each option, the money paid out now and the pension value up to the horizon age."""
    from .charts import DPI, _style, _wrap, plt
    _style()
    keys = [o["option"] for o in story.cases[0].options]
    fig, axes = plt.subplots(len(story.cases), 1, figsize=(8.5, 0.8 + 3.3 * len(story.cases)), squeeze=False)
    chart = StoryChart(path=Path(out_dir) / f"{story.story_id}-{lang}.png", option_keys=keys)
    for ax, case in zip((a for row in axes for a in row), story.cases):
        now, value = draw_option_bars(ax, case.options, lang, keys)
        chart.money_now.append(now)
        chart.pension_value.append(value)
        ax.set_title(_wrap(case.label, lang, 110), fontsize=9, loc="left")
    title = _wrap(msg("story_chart_title", lang, title=story.title), lang, 80)
    fig.suptitle(title, fontsize=11, fontweight="bold")
    handles, labels = axes[0][0].get_legend_handles_labels()
    head = (0.25 + 0.2 * (title.count("\n") + 1)) / fig.get_figheight()   # room for the title, then the legend
    fig.legend(handles, labels, loc="upper center", bbox_to_anchor=(0.5, 1 - head + 0.25 / fig.get_figheight()),
               ncol=len(labels), fontsize=9, frameon=False)
    note = _wrap(msg("story_chart_note", lang, age=story.cases[0].options[0]["horizon_age"]), lang, 150)
    if story.citation:
        note += "\n" + _wrap(story.citation, lang, 150)
    lines = note.count("\n") + 1
    fig.text(0.01, 0.01, note, fontsize=7, color="#444444", va="bottom")
    height = fig.get_figheight()
    fig.tight_layout(rect=(0, (0.1 + 0.13 * lines) / height, 1, 1 - head))
    chart.path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(chart.path, dpi=DPI)
    plt.close(fig)
    return chart


def tell_story(kb: KnowledgeBase, story_id: str, lang: str = "zh", chart_dir: Optional[Path] = DEFAULT_OUT,
               trace: bool = False) -> Story:
    check_lang(lang)
    spec = resolve(story_id)
    entry = get_entry(kb, spec["entry"], lang) if spec.get("entry") else None
    cases = [run_case(kb, case, lang) for case in spec["cases"]]
    safe_id = Path(story_id).stem
    story = Story(story_id=safe_id, lang=lang, title=entry.title if entry else cases[0].label,
                  intro=entry.short if entry else "", citation=entry.citation if entry else "", cases=cases)
    if chart_dir is not None:
        story.chart = draw_story_chart(story, lang, Path(chart_dir))
    story.text = narrative(kb, story, lang, trace=trace)
    return story

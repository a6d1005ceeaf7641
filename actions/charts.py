"""The check-up's options as one chart (PNG) made for a phone held upright: per option, in plain words, what it pays
you — the pension up to the stated age (with the monthly amount) and the money paid out now — with the years kept.
Options that come out the same are drawn once under all their names; options without any money are named in the
footer. People on phones would rather look than read.

    chart = options_chart(result.options, "zh", keys=OPTION_ORDER)   # None when there is nothing to draw or it failed
    chart.url          # "{CHARTS_BASE_URL}/charts/<sha256-prefix>.png" (relative "/charts/…" by default)
    chart.alt          # the chart in one or two sentences, in the conversation's language (for alt text)
    chart.money_now    # per drawn option (chart.keys), the money paid now as drawn (read back from the bars)

Drawing is suixing/charts.py, shared with the trainers' charts. The file name is a hash of the chart data and the
language: the same figures give the same file, drawn once. The image holds only option names and amounts, never the
person's answers. Files go to CHARTS_DIR (actions/settings.py), which web/serve.py serves at /charts/<name>.png.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from actions import settings
from rules_engine.explain import templates
from suixing import charts as drawing

logger = logging.getLogger(__name__)

CHART_VERSION = 2          # raise when the drawing changes, so cached files are drawn again
TEXTS = {
    "title": {"zh": "你的几种选择：各能拿到多少钱", "en": "Your options: what each one pays you"},
    "subtitle": {"zh": "按你的情况估算，金额越长越多", "en": "Estimated for your case; longer bar, more money"},
    "pension": {"zh": "养老金：{start}起每月{monthly}，领到{age}岁合计",
                "en": "Pension: {monthly} a month from {start}, total to age {age}"},
    "pension_less_cost": {"zh": "（已减去还要缴的{cost}）", "en": " (less {cost} still to pay)"},
    "now": {"zh": "现在一次拿到", "en": "Paid to you now, once"},
    "same": {"zh": "这{n}种选择结果一样", "en": "These {n} options come out the same"},
    "years_kept": {"zh": "保留缴费{years}年", "en": "keeps {years} years of contributions"},
    "years_none": {"zh": "缴费年限不保留", "en": "no contribution years kept"},
    "not_allowed": {"zh": "现在不能选", "en": "not allowed now"},
    "left_out": {"zh": "没有金额、未画出：{names}", "en": "No money figures, not drawn: {names}"},
    "note": {"zh": "估算，以社保机构为准", "en": "Estimate — the agency decides"},
    "unit": {"zh": "{amount}元", "en": "{amount} yuan"},
    "list_sep": {"zh": "、", "en": "; "},
    "name_sep": {"zh": " · ", "en": " · "},
    "alt_pension": {"zh": "{names}：养老金领到{age}岁合计约{value}", "en": "{names}: pension to age {age} about {value}"},
    "alt_now": {"zh": "{names}：现在一次拿到{value}", "en": "{names}: {value} paid now"},
    "alt_prefix": {"zh": "图：", "en": "Chart: "},
    "caption": {"zh": "图：几种选择的钱和年限对比（估算，以社保机构为准）",
                "en": "Chart: your options in money and years (estimate — the agency decides)"},
}
PENSION_COLOR, NOW_COLOR = drawing.COLORS[0], drawing.COLORS[1]


def text(key: str, lang: str, **values) -> str:
    template = TEXTS[key].get(lang) or TEXTS[key]["zh"]
    return template.format(**values) if values else template


@dataclass
class OptionsChart:
    url: str
    path: Path
    lang: str
    keys: list[str]                     # the options drawn, in order (merged ones each listed)
    money_now: list[float]              # per key: drawn bar length (or, for a file drawn before, the same figures)
    pension_value: list[float]
    years_kept: list[float]
    alt: str = ""
    left_out: list[str] = field(default_factory=list)   # options named in the footer, without money
    texts: list[str] = field(default_factory=list)      # every text drawn (empty when the file was already there)
    rendered: bool = False
    seconds: float = 0.0


def chart_data(options: list[dict], keys: Optional[list[str]] = None) -> list[dict]:
    """What the chart shows, per option: only the option's name, whether it may be chosen, and amounts."""
    by = {o.get("option"): o for o in options}
    order = [k for k in (keys or [o.get("option") for o in options]) if k in by]
    rows = []
    for key in order:
        option = by[key]
        monthly = option.get("monthly_pension")
        rows.append({
            "option": key,
            "allowed": bool(option.get("allowed")),
            "money_now": round(float(option.get("money_now") or 0), 2),
            "pension_value": round(float(option.get("value_to_age") or 0), 2) if monthly else 0.0,
            "monthly": round(float(monthly or 0), 2),
            "pension_from": option.get("pension_from") or "",
            "cost_to_pay": round(float(option.get("cost_to_pay") or 0), 2),
            "years_kept": round(float(option.get("years_kept") or 0), 2),
            "horizon_age": option.get("horizon_age"),
        })
    return rows


def has_money(rows: list[dict]) -> bool:
    return any(row["money_now"] or row["pension_value"] for row in rows)


def option_names(lang: str) -> dict[str, str]:
    """The options' names as the engine's templates give them, without their shared "选项：" / "Option: "."""
    rules = templates()["rules"]
    names = {key.split(".", 1)[1]: value.get(lang) or value["zh"] for key, value in rules.items()
             if key.startswith("options.") and key != "options.horizon"}
    prefix = os.path.commonprefix(list(names.values()))
    return {key: name[len(prefix):].strip() or name for key, name in names.items()}


def _same_figures(row: dict) -> tuple:
    return (row["allowed"], row["money_now"], row["pension_value"], row["monthly"], row["cost_to_pay"],
            row["years_kept"])


def merged(rows: list[dict]) -> list[list[dict]]:
    """Rows with money, options with identical figures together, in the order of their first appearance."""
    groups: dict[tuple, list[dict]] = {}
    for row in rows:
        if row["money_now"] or row["pension_value"]:
            groups.setdefault(_same_figures(row), []).append(row)
    return list(groups.values())


def _amount(value: float, lang: str) -> str:
    return text("unit", lang, amount=f"{round(value):,}")


def _years(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def bar_groups(rows: list[dict], lang: str) -> list[drawing.BarGroup]:
    names = option_names(lang)
    out = []
    for same in merged(rows):
        first = same[0]
        title = text("name_sep", lang).join(names.get(r["option"], r["option"]) for r in same)
        title = title[:1].upper() + title[1:]
        notes = [text("same", lang, n=len(same))] if len(same) > 1 else []
        notes.append(text("years_kept", lang, years=_years(first["years_kept"])) if first["years_kept"]
                     else text("years_none", lang))
        if not first["allowed"]:
            title += f"（{text('not_allowed', lang)}）" if lang == "zh" else f" ({text('not_allowed', lang)})"
        bars = []
        if first["pension_value"]:
            label = text("pension", lang, start=first["pension_from"], monthly=_amount(first["monthly"], lang),
                         age=first["horizon_age"])
            if first["cost_to_pay"]:
                label += text("pension_less_cost", lang, cost=_amount(first["cost_to_pay"], lang))
            bars.append(drawing.Bar(first["pension_value"], label,
                                    _amount(first["pension_value"], lang), PENSION_COLOR, muted=not first["allowed"]))
        if first["money_now"]:
            bars.append(drawing.Bar(first["money_now"], text("now", lang), _amount(first["money_now"], lang),
                                    NOW_COLOR, muted=not first["allowed"]))
        note = (", " if lang == "en" else "，").join(notes)
        out.append(drawing.BarGroup(title, note, bars))
    return out


def left_out(rows: list[dict]) -> list[str]:
    return [r["option"] for r in rows if not (r["money_now"] or r["pension_value"])]


def alt_text(rows: list[dict], lang: str) -> str:
    """The chart in words: per group of options, the largest amount it shows."""
    names = option_names(lang)
    parts = []
    for same in merged(rows):
        first, joined = same[0], text("list_sep", lang).join(names.get(r["option"], r["option"]) for r in same)
        if first["pension_value"]:
            parts.append(text("alt_pension", lang, names=joined, age=first["horizon_age"],
                              value=_amount(first["pension_value"], lang)))
        else:
            parts.append(text("alt_now", lang, names=joined, value=_amount(first["money_now"], lang)))
    end = "。" if lang == "zh" else "."
    return text("alt_prefix", lang) + ("；" if lang == "zh" else "; ").join(parts) + end + " " + text("note", lang)


def chart_name(rows: list[dict], lang: str) -> str:
    blob = json.dumps({"v": CHART_VERSION, "lang": lang, "rows": rows}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def chart_url(name: str) -> str:
    return f"{settings.charts_base_url()}/charts/{name}.png"


def draw(rows: list[dict], lang: str):
    """The figure for `rows` (not saved) and the drawn bar lengths per group."""
    footer = [text("note", lang)]
    skipped = left_out(rows)
    if skipped:
        names = option_names(lang)
        footer.insert(0, text("left_out", lang, names=text("list_sep", lang).join(names.get(k, k) for k in skipped)))
    return drawing.figure_for_groups(bar_groups(rows, lang), lang=lang, title=text("title", lang),
                                     subtitle=text("subtitle", lang), footer="\n".join(footer))


def render(rows: list[dict], lang: str, path: Path) -> tuple[list[float], list[float], list[str]]:
    """Draw the chart to `path` (written atomically); returns per drawn key the bar lengths (money now, pension
    value) and every text drawn."""
    fig, lengths = draw(rows, lang)
    drawing.save_png(fig, path)
    now, value = [], []
    for same, drawn in zip(merged(rows), lengths):
        first, bars = same[0], list(drawn)
        pension = bars.pop(0) if first["pension_value"] else 0.0
        paid_now = bars.pop(0) if first["money_now"] else 0.0
        now += [paid_now] * len(same)
        value += [pension] * len(same)
    return now, value, [t.get_text() for t in drawing.texts_of(fig)]


def options_chart(options: list[dict], lang: str, keys: Optional[list[str]] = None) -> Optional[OptionsChart]:
    """The options chart for the engine's `options`, drawn if not drawn before; None when the engine gave no money
    figures or anything went wrong (logged: the answer then goes on without the image)."""
    started = time.perf_counter()
    try:
        lang = "en" if lang == "en" else "zh"
        rows = chart_data(options or [], keys)
        if not rows or not has_money(rows):
            return None
        name = chart_name(rows, lang)
        path = settings.charts_dir() / f"{name}.png"
        drawn = [r for same in merged(rows) for r in same]
        chart = OptionsChart(url=chart_url(name), path=path, lang=lang, keys=[r["option"] for r in drawn],
                             money_now=[r["money_now"] for r in drawn],
                             pension_value=[r["pension_value"] for r in drawn],
                             years_kept=[r["years_kept"] for r in drawn],
                             alt=alt_text(rows, lang), left_out=left_out(rows))
        if not path.is_file():
            chart.money_now, chart.pension_value, chart.texts = render(rows, lang, path)
            chart.rendered = True
        chart.seconds = time.perf_counter() - started
        logger.info("options chart %s.png %s in %.0f ms", name, "drawn" if chart.rendered else "cached",
                    chart.seconds * 1000)
        return chart
    except Exception:
        logger.exception("options chart failed; answering without it")
        return None


def warm_up() -> None:
    """Import matplotlib, find the CJK font and draw once into memory, so the first person's chart is as fast as
    the next ones. Called by actions.warmup.warm_up() when the action server starts, never at import."""
    import io

    started = time.perf_counter()
    try:
        rows = chart_data([{"option": "cash_out", "allowed": False, "money_now": 1.0, "horizon_age": 80}])
        fig, _ = draw(rows, "zh")
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    except Exception:  # only a slower first chart
        logger.exception("chart warm-up failed")
    logger.info("charts warmed up in %.0f ms", (time.perf_counter() - started) * 1000)

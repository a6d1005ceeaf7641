"""The check-up's options as one bar chart (PNG): per option, the money paid out now and the pension value up to the
stated age, with the years kept under each option's name. People on phones would rather look than read.

    chart = options_chart(result.options, "zh", keys=OPTION_ORDER)   # None when there is nothing to draw or it failed
    chart.url          # "{CHARTS_BASE_URL}/charts/<sha256-prefix>.png" (relative "/charts/…" by default)
    chart.money_now    # the bar heights as drawn (read back from the bars), one per option in chart.keys

The bars are drawn by `knowledge.trainer.story.draw_option_bars`, the same code as the trainers' worked-story chart.
The file name is a hash of the chart data and the language: the same figures give the same file, drawn once. The image
holds only option names and amounts, never the person's answers. Files go to CHARTS_DIR (actions/settings.py), which
web/serve.py serves at /charts/<name>.png.
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from actions import settings

logger = logging.getLogger(__name__)

CHART_VERSION = 1          # raise when the drawing changes, so cached files are drawn again
FIGSIZE = (7.0, 5.2)       # inches; at the trainer charts' DPI about 770 × 570 px, readable on a phone held upright
TEXTS = {
    "title": {"zh": "你的几种选择：现在拿到的钱和养老金", "en": "Your options: money now vs pension"},
    "note": {"zh": "估算，以社保机构为准", "en": "Estimate — the agency decides"},
    "unit": {"zh": "元", "en": "yuan"},
    "caption": {"zh": "图：几种选择的钱和年限对比（估算，以社保机构为准）",
                "en": "Chart: your options in money and years (estimate — the agency decides)"},
}


def text(key: str, lang: str) -> str:
    return TEXTS[key].get(lang) or TEXTS[key]["zh"]


@dataclass
class OptionsChart:
    url: str
    path: Path
    lang: str
    keys: list[str]
    money_now: list[float]              # drawn bar heights (or, for a file drawn before, the same figures)
    pension_value: list[float]
    years_kept: list[float]
    texts: list[str] = field(default_factory=list)    # every text drawn (empty when the file was already there)
    rendered: bool = False
    seconds: float = 0.0


def chart_data(options: list[dict], keys: Optional[list[str]] = None) -> list[dict]:
    """What the chart shows, per option: only the option's name, whether it may be chosen, and amounts."""
    by = {o.get("option"): o for o in options}
    order = [k for k in (keys or [o.get("option") for o in options]) if k in by]
    rows = []
    for key in order:
        option = by[key]
        rows.append({
            "option": key,
            "allowed": bool(option.get("allowed")),
            "money_now": round(float(option.get("money_now") or 0), 2),
            "pension_value": round(float(option.get("value_to_age") or 0), 2) if option.get("monthly_pension") else 0.0,
            "years_kept": round(float(option.get("years_kept") or 0), 2),
            "horizon_age": option.get("horizon_age"),
        })
    return rows


def has_money(rows: list[dict]) -> bool:
    return any(row["money_now"] or row["pension_value"] for row in rows)


def chart_name(rows: list[dict], lang: str) -> str:
    blob = json.dumps({"v": CHART_VERSION, "lang": lang, "rows": rows}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:32]


def chart_url(name: str) -> str:
    return f"{settings.charts_base_url()}/charts/{name}.png"


def render(rows: list[dict], lang: str, path: Path) -> tuple[list[float], list[float], list[str]]:
    """Draw the chart to `path` (written atomically); returns the drawn bar heights and every text drawn."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from knowledge.trainer.charts import DPI, _style
    from knowledge.trainer.story import draw_option_bars

    _style()   # the CJK font, found once via font_manager
    options = [{"option": r["option"], "allowed": r["allowed"], "money_now": r["money_now"],
                "value_to_age": r["pension_value"], "monthly_pension": 1 if r["pension_value"] else None,
                "years_kept": r["years_kept"], "horizon_age": r["horizon_age"]} for r in rows]
    fig = Figure(figsize=FIGSIZE)   # no pyplot: nothing global, nothing to close
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    now, value = draw_option_bars(ax, options, lang, ylabel=text("unit", lang), years_kept=True)
    fig.suptitle(text("title", lang), fontsize=12, fontweight="bold")
    fig.text(0.01, 0.01, text("note", lang), fontsize=8, color="#444444", va="bottom")
    fig.tight_layout(rect=(0, 0.04, 1, 1))
    texts = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")) if t.get_text()]
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".png")
    try:
        with os.fdopen(handle, "wb") as fh:
            fig.savefig(fh, format="png", dpi=DPI)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)   # a half-written file is never served
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return now, value, texts


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
        chart = OptionsChart(url=chart_url(name), path=path, lang=lang, keys=[r["option"] for r in rows],
                             money_now=[r["money_now"] for r in rows],
                             pension_value=[r["pension_value"] for r in rows],
                             years_kept=[r["years_kept"] for r in rows])
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
    the next ones (the action server imports this module at start; SUIXING_WARMUP=0 skips it)."""
    started = time.perf_counter()
    try:
        import io

        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure

        from knowledge.trainer.charts import _style
        from knowledge.trainer.story import draw_option_bars

        _style()
        fig = Figure(figsize=(2, 2))
        FigureCanvasAgg(fig)
        draw_option_bars(fig.add_subplot(), [{"option": "cash_out", "allowed": False, "money_now": 1.0,
                                              "value_to_age": None, "monthly_pension": None, "years_kept": 0,
                                              "horizon_age": 80}], "zh", ylabel="元", years_kept=True)
        fig.savefig(io.BytesIO(), format="png", dpi=50)
    except Exception:  # only a slower first chart
        logger.exception("chart warm-up failed")
    logger.info("charts warmed up in %.0f ms", (time.perf_counter() - started) * 1000)


if os.environ.get("SUIXING_WARMUP", "1") != "0":
    warm_up()

"""Charts of the real figures: one PNG per statistic entry with numbers (matplotlib, Agg backend).

    from knowledge.trainer.charts import draw_all, draw_entry
    results = draw_all(kb, lang="zh", out_dir=Path("var/trainer/charts"))
    results[0].panels[0].series[0].values     # the bar heights, read back from the drawn bars

Which columns to draw comes from charts.yml (or, for a table not listed there, from its columns); the title, axis
labels, legend, bar labels and source line all come from the entry in the chosen language.
"""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.text  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402
from tqdm import tqdm  # noqa: E402

from knowledge.search import KnowledgeBase  # noqa: E402
from suixing import charts as drawing  # noqa: E402

from .common import check_lang, entries_of_type, get_entry, load_yaml, msg  # noqa: E402

DEFAULT_OUT = Path("var/trainer/charts")
CJK_FONT_NAMES = drawing.CJK_FAMILIES     # the fonts and colours of every chart live in suixing/charts.py
CJK_FONT_FILES = drawing.CJK_FILES
COLORS = drawing.COLORS
DPI = 110

_font_state: dict[str, Any] = {}


# -- data ---------------------------------------------------------------------------------------------------
@dataclass
class Series:
    key: str
    label: str
    values: list[Optional[float]]          # from the table, one per category (None = no figure)
    drawn: list[Optional[float]] = field(default_factory=list)   # read back from the drawn bars


@dataclass
class Panel:
    title: str
    categories: list[str]
    series: list[Series]
    unit: str = ""


@dataclass
class ChartResult:
    entry_id: str
    lang: str
    path: Path
    title: str
    source_line: str
    panels: list[Panel]
    texts: list[str] = field(default_factory=list)    # every text drawn (title, labels, ticks, footer)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and not (
        isinstance(value, float) and math.isnan(value))


def has_numbers(table: Optional[dict]) -> bool:
    return bool(table) and any(is_number(v) for row in table["rows"] for v in row.values())


# -- fonts --------------------------------------------------------------------------------------------------
def cjk_font() -> Optional[str]:
    """The CJK font's family name, registered with matplotlib (suixing.charts.find_cjk_font); None, with a
    bilingual warning, if missing."""
    if "name" in _font_state:
        return _font_state["name"]
    name = drawing.find_cjk_font(CJK_FONT_NAMES, CJK_FONT_FILES)
    if name is None:
        print(f"{msg('font_missing', 'zh')}\n{msg('font_missing', 'en')}", file=sys.stderr)
    _font_state["name"] = name
    return name


def _style() -> None:
    plt.rcParams.update(drawing.rc_params(cjk_font()))


# -- the chart spec ------------------------------------------------------------------------------------------
def chart_specs() -> dict[str, dict]:
    return load_yaml("charts.yml").get("charts", {}) or {}


def _per_lang(value: Any, lang: str) -> Any:
    return value.get(lang) if isinstance(value, dict) else value


def auto_spec(table: dict, lang: str) -> dict:
    """A spec chosen from the columns, for statistic tables not listed in charts.yml."""
    keys = [c["key"] for c in table["columns"]]
    if {"indicator", "value"} <= set(keys):
        return {"kind": "indicators"}
    numeric = [k for k in keys if any(is_number(r.get(k)) for r in table["rows"])
               and all(is_number(r.get(k)) or r.get(k) is None for r in table["rows"])]
    text = [k for k in keys if k not in numeric]
    category = None
    for key in text:
        if lang == "zh" and f"{key}_zh" in keys:
            category = f"{key}_zh"
            break
        if not key.endswith("_zh") or lang == "zh":
            category = key
            break
    rows = len(table["rows"])
    return {"kind": "barh" if rows > 8 else "bar", "category": category, "series": numeric}


def spec_for(entry_id: str, table: dict, lang: str) -> dict:
    return chart_specs().get(entry_id) or auto_spec(table, lang)


# -- building panels from the table ----------------------------------------------------------------------------
def _label(table: dict, key: str) -> str:
    for column in table["columns"]:
        if column["key"] == key:
            return column["label"]
    return key


def _rows(table: dict, spec: dict) -> list[dict]:
    exclude = spec.get("exclude") or {}
    return [r for r in table["rows"] if not any(r.get(k) in set(vs) for k, vs in exclude.items())]


def _number(value: Any) -> Optional[float]:
    return float(value) if is_number(value) else None


def build_panels(table: dict, spec: dict, lang: str) -> list[Panel]:
    """The numbers to draw, taken from the table rows (in `lang`) as the spec says."""
    rows = _rows(table, spec)
    if spec.get("kind") == "indicators":
        panels: dict[str, Panel] = {}
        for row in rows:
            value = _number(row.get("value"))
            if value is None:
                continue
            unit = str(row.get("unit") or "")
            panel = panels.setdefault(unit, Panel(title=unit, categories=[], unit=unit,
                                                  series=[Series("value", _label(table, "value"), [])]))
            panel.categories.append(str(row.get("indicator", "")))
            panel.series[0].values.append(value)
        return list(panels.values())
    category = _per_lang(spec.get("category"), lang)
    series_keys = [k for k in spec.get("series", []) if any(is_number(r.get(k)) for r in rows)]
    groups: list[tuple[str, list[dict]]]
    if spec.get("facet"):
        facet_key, facet_label = spec["facet"], _per_lang(spec.get("facet_label"), lang) or spec["facet"]
        groups = []
        for row in rows:
            name = str(row.get(facet_label, row.get(facet_key)))
            for existing in groups:
                if existing[0] == name:
                    existing[1].append(row)
                    break
            else:
                groups.append((name, [row]))
    else:
        groups = [("", rows)]
    panels_out = []
    for name, group in groups:
        if spec.get("sort") == "descending" and series_keys:
            group = sorted(group, key=lambda r: -(_number(r.get(series_keys[0])) or 0))
        panels_out.append(Panel(
            title=name,
            categories=[str(r.get(category, "")) for r in group],
            series=[Series(k, _label(table, k), [_number(r.get(k)) for r in group]) for k in series_keys],
            unit=table.get("unit") or ""))
    return panels_out


# -- drawing ---------------------------------------------------------------------------------------------------
def _fmt(value: Optional[float]) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.3f}".rstrip("0").rstrip(".")


_wrap = drawing.wrap   # width in half-width cells; Chinese never broken inside a number


def _draw_panel(ax, panel: Panel, kind: str, lang: str, value_label: str) -> None:
    n_series = len(panel.series)
    positions = list(range(len(panel.categories)))
    horizontal = kind in ("barh", "indicators")
    no_data = msg("no_data", lang)
    labels_wrap = 24 if horizontal else 12
    cats = [_wrap(c, lang, labels_wrap * 2) for c in panel.categories]
    if kind == "stacked":
        bottoms = [0.0] * len(positions)
        for i, s in enumerate(panel.series):
            heights = [v if v is not None else 0.0 for v in s.values]
            bars = ax.bar(positions, heights, 0.6, bottom=bottoms, label=s.label, color=COLORS[i % len(COLORS)])
            s.drawn = [rect.get_height() if v is not None else None for rect, v in zip(bars.patches, s.values)]
            ax.bar_label(bars, labels=[_fmt(v) if v else "" for v in s.values], label_type="center",
                         fontsize=8, color="white")
            bottoms = [b + h for b, h in zip(bottoms, heights)]
        ax.set_xticks(positions, cats, fontsize=8)
        ax.set_ylabel(value_label)
        ax.legend(fontsize=8, frameon=False)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
        return
    width = 0.8 / max(n_series, 1)
    for i, s in enumerate(panel.series):
        offset = (i - (n_series - 1) / 2) * width
        where = [p + offset for p in positions]
        heights = [v if v is not None else 0.0 for v in s.values]
        color = COLORS[i % len(COLORS)]
        bars = (ax.barh(where, heights, width, label=s.label, color=color) if horizontal
                else ax.bar(where, heights, width, label=s.label, color=color))
        s.drawn = [(rect.get_width() if horizontal else rect.get_height()) if v is not None else None
                   for rect, v in zip(bars.patches, s.values)]
        ax.bar_label(bars, labels=[_fmt(v) if v is not None else no_data for v in s.values], padding=2, fontsize=7)
    if horizontal:
        ax.set_yticks(positions, cats, fontsize=8)
        ax.invert_yaxis()
        ax.set_xlabel(value_label)
        ax.margins(x=0.18)
    else:
        ax.set_xticks(positions, cats, fontsize=8)
        ax.set_ylabel(value_label)
        ax.margins(y=0.12)
    if n_series > 1:
        ax.legend(fontsize=8, frameon=False)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)


def draw_entry(kb: KnowledgeBase, entry_id: str, lang: str = "zh", out_dir: Path = DEFAULT_OUT) -> Optional[ChartResult]:
    """Draw one statistic entry; None if its table has no numbers."""
    check_lang(lang)
    entry = get_entry(kb, entry_id, lang)
    table = entry.table
    if not has_numbers(table):
        return None
    spec = spec_for(entry_id, table, lang)
    panels = [p for p in build_panels(table, spec, lang) if p.series and p.categories]
    if not panels:
        return None
    _style()
    kind = spec.get("kind", "bar")
    horizontal = kind in ("barh", "indicators")
    if kind == "indicators":
        heights = [0.7 + 0.45 * len(p.categories) for p in panels]
        fig, axes = plt.subplots(len(panels), 1, figsize=(8.5, 1.6 + sum(heights)),
                                 gridspec_kw={"height_ratios": heights}, squeeze=False)
    elif horizontal:
        heights = [0.8 + 0.3 * len(p.categories) * max(1, len(p.series)) for p in panels]
        fig, axes = plt.subplots(len(panels), 1, figsize=(8.5, 1.8 + sum(heights)),
                                 gridspec_kw={"height_ratios": heights}, squeeze=False)
    else:
        fig, axes = plt.subplots(1, len(panels), figsize=(max(7.5, 1.1 * sum(len(p.categories) for p in panels)), 5.2),
                                 squeeze=False)
    axes = [ax for row in axes for ax in row]
    for ax, panel in zip(axes, panels):
        if kind == "indicators":
            value_label = panel.unit
        else:
            value_label = _per_lang(spec.get("y_label"), lang) or (
                panel.series[0].label if len(panel.series) == 1 else (table.get("unit") or ""))
        _draw_panel(ax, panel, kind, lang, value_label)
        axis = ax.xaxis if horizontal else ax.yaxis
        axis.set_major_formatter(FuncFormatter(lambda v, _pos: _fmt(v)))
        if panel.title and len(panels) > 1 and kind != "indicators":
            ax.set_title(panel.title, fontsize=9, loc="left")
    fig.suptitle(_wrap(entry.title, lang, 80), fontsize=12, fontweight="bold")
    footer = table["source_line"]
    if table.get("note"):
        footer += "\n" + table["note"]
    footer = _wrap(footer, lang, 150) + "\n" + msg("chart_reference_year", lang, year=table["year"])
    footer_lines = footer.count("\n") + 1
    fig_h = fig.get_figheight()
    fig.text(0.01, 0.01, footer, fontsize=7, color="#444444", va="bottom", ha="left")
    fig.tight_layout(rect=(0, (0.1 + 0.13 * footer_lines) / fig_h, 1, 1))   # tight_layout makes room for the suptitle
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{entry_id}-{lang}.png"
    fig.savefig(path, dpi=DPI)
    texts = [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    plt.close(fig)
    return ChartResult(entry_id, lang, path, entry.title, table["source_line"], panels, texts)


def draw_all(kb: KnowledgeBase, lang: str = "zh", out_dir: Path = DEFAULT_OUT, progress: bool = True,
             ids: Optional[list[str]] = None) -> list[ChartResult]:
    """One chart per statistic entry that has numbers (or only `ids`)."""
    check_lang(lang)
    targets = ids or [e.id for e in entries_of_type(kb, "statistic", lang)]
    results = []
    for entry_id in tqdm(targets, desc=msg("charts_progress", lang), unit="chart", disable=not progress):
        result = draw_entry(kb, entry_id, lang, out_dir)
        if result is None:
            tqdm.write(msg("chart_skipped", lang, id=entry_id), file=sys.stderr)
            continue
        results.append(result)
    return results

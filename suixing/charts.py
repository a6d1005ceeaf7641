"""Chart drawing shared by the chat (actions/charts.py) and the trainers' toolkit (knowledge/trainer/): the CJK font,
the colours, a figure without pyplot, rows of labelled horizontal bars that stay readable on a phone, and saving a
PNG so that a half-written file is never served.

    from suixing import charts
    groups = [charts.BarGroup("暂停缴费 · 转移接续", note="两种选择结果一样",
                              bars=[charts.Bar(500272, "养老金领到80岁合计", "500,272元", charts.COLORS[0])])]
    fig = charts.figure_for_groups(groups, title="每种选择你能拿到多少钱", footer="估算，以社保机构为准")
    charts.save_png(fig, Path("var/charts/x.png"))

The words come from the callers, in their language; this module knows nothing about pensions. Like every module of
suixing/ it imports only the standard library when imported; drawing imports matplotlib and fontTools (installed in
.venv/app only), and the font is looked up once per process.
"""
from __future__ import annotations

import functools
import logging
import os
import tempfile
import textwrap
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

logger = logging.getLogger(__name__)

COLORS = ("#1f6fb2", "#c8591f", "#3a9d5d", "#8e5ea2", "#c94f4f")   # blue, orange (contrast ≥ 4.5:1 on white), …
TEXT_COLOR = "#1b1b1b"
NOTE_COLOR = "#4a4a4a"                                              # 8.9:1 on white

# Preferred CJK families, best first. Debian's fonts-noto-cjk ships one collection per weight whose first face is
# Japanese; matplotlib reads only a collection's first face, so the Simplified Chinese face is copied out once.
CJK_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")
CJK_FILES = ("NotoSansCJKsc-Regular.otf", "wqy-microhei.ttc")
NOTO_COLLECTIONS = {"Regular": "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                    "Bold": "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc"}
NOTO_SC_FACE = "Noto Sans CJK SC"

# A phone chart: 720 px wide, shown about 300-360 px wide in a chat bubble; 14 pt at 160 dpi is 31 px, 13 px shown.
PHONE_WIDTH_IN = 4.5
PHONE_DPI = 160
SIZES = {"title": 17, "group": 16, "note": 13, "bar_label": 14, "value": 15, "footer": 12}
LINE_SPACING = 1.25
SPACE_UNDER_IN = {"title": 0.1, "group": 0.02, "note": 0.12, "bar_label": 0.0, "footer": 0.0}
BAR_IN = 0.36              # a bar's row, the bar itself 70 % of it
GROUP_GAP_IN = 0.26
MARGIN_IN = 0.12
BAR_SHARE = 0.66           # the longest bar takes this share of the width; its value is written after it


# ----- fonts -----

def _registered(family: str) -> bool:
    from matplotlib import font_manager
    return any(font.name == family for font in font_manager.fontManager.ttflist)


def _copy_noto_sc_faces() -> bool:
    """Copy the Simplified Chinese faces out of Debian's Noto CJK collections into matplotlib's cache folder and
    register them; False when the collections are not installed."""
    import matplotlib
    from fontTools.ttLib import TTCollection
    from matplotlib import font_manager

    copied = False
    for weight, collection in NOTO_COLLECTIONS.items():
        if not os.path.isfile(collection):
            continue
        target = Path(matplotlib.get_cachedir()) / f"NotoSansCJKsc-{weight}.otf"
        if not target.is_file():
            faces = TTCollection(collection, lazy=True).fonts
            face = next((f for f in faces if f["name"].getDebugName(1) == NOTO_SC_FACE), None)
            if face is None:
                continue
            handle, tmp = tempfile.mkstemp(dir=target.parent, suffix=".otf")
            os.close(handle)
            face.save(tmp)
            os.replace(tmp, target)
        font_manager.fontManager.addfont(str(target))
        copied = True
    return copied


def find_cjk_font(families: tuple[str, ...] = CJK_FAMILIES, files: tuple[str, ...] = CJK_FILES) -> Optional[str]:
    """The first of `families` matplotlib can use (registering fonts installed after its cache was built), else one
    of `files` found on disk; None when there is none (Chinese then draws as boxes)."""
    from matplotlib import font_manager

    for family in families:
        if _registered(family):
            return family
        if family == NOTO_SC_FACE:
            try:
                if _copy_noto_sc_faces() and _registered(family):
                    return family
            except Exception:   # an unreadable collection or a read-only cache: the next font will do
                logger.warning("could not copy %s out of fonts-noto-cjk", family, exc_info=True)
    wanted = {name.lower() for name in files}
    for path in font_manager.findSystemFonts():
        if Path(path).name.lower() in wanted:
            font_manager.fontManager.addfont(path)
            return font_manager.FontProperties(fname=path).get_name()
    return None


@functools.lru_cache(maxsize=1)
def cjk_font() -> Optional[str]:
    """find_cjk_font() with the preferred families, once per process."""
    return find_cjk_font()


def families() -> list[str]:
    """The font families to ask for, CJK first, DejaVu Sans for what it lacks (matplotlib falls back per glyph)."""
    family = cjk_font()
    return ([family] if family else []) + ["DejaVu Sans"]


def rc_params(family: Optional[str]) -> dict:
    """matplotlib settings for text in Chinese and English: the CJK family first, DejaVu Sans for what it lacks."""
    return {"font.family": "sans-serif", "font.sans-serif": ([family] if family else []) + ["DejaVu Sans"],
            "axes.unicode_minus": False}


# ----- text helpers -----

def display_width(text: str) -> int:
    """Width in half-width cells: CJK characters count two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> list[str]:
    """Words, numbers and spaces as whole tokens; every wide (CJK) character a token of its own."""
    tokens: list[str] = []
    for ch in text:
        wide = unicodedata.east_asian_width(ch) in "WF"
        if tokens and not wide and not ch.isspace() and tokens[-1][-1:] and not tokens[-1].isspace() \
                and unicodedata.east_asian_width(tokens[-1][-1]) not in "WF":
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


BREAK_AFTER = set(" ·，、：；。）)")   # where a Chinese line had better end


def _wrap_chinese(paragraph: str, width: int) -> list[str]:
    lines, tokens = [], []
    for token in _tokens(paragraph):
        if tokens and display_width("".join(tokens) + token) > width:
            cut = len(tokens)
            for i in range(len(tokens) - 1, 0, -1):   # the last good break in the second half of the line
                if tokens[i - 1][-1] in BREAK_AFTER:
                    if display_width("".join(tokens[:i])) >= width // 2:
                        cut = i
                    break
            lines.append("".join(tokens[:cut]).rstrip())
            tokens = tokens[cut:]
            while tokens and tokens[0].isspace():
                tokens.pop(0)
        tokens.append(token)
    lines.append("".join(tokens).rstrip())
    return lines


def wrap(text: str, lang: str, width: int) -> str:
    """`text` in lines of at most `width` half-width cells (CJK characters count two), keeping its own line breaks.
    Chinese breaks between characters, preferably after punctuation, never inside a number or a Latin word; other
    text breaks at spaces."""
    if not text:
        return ""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        lines += _wrap_chinese(paragraph, width) if lang == "zh" else (textwrap.wrap(paragraph, width=width) or [""])
    return "\n".join(lines)


def cells_per_line(size: float, lang: str, width_in: float) -> int:
    """How many half-width cells of text at `size` points fit in `width_in` inches (a CJK glyph is one em wide;
    Latin text averages a little over half an em)."""
    em_per_cell = 0.5 if lang == "zh" else 0.56
    return max(8, int(width_in * 72 / (size * em_per_cell) * 0.94))


# ----- rows of labelled bars -----

@dataclass
class Bar:
    value: float
    label: str           # what the bar is, in plain words, written above it
    value_text: str      # the amount as the reader should read it, written after the bar
    color: str = COLORS[0]
    muted: bool = False  # e.g. an option that may not be chosen: hatched and pale


@dataclass
class BarGroup:
    title: str                                   # bold, above the group's bars
    note: str = ""                               # smaller, under the title
    bars: list[Bar] = field(default_factory=list)


def _height(text: str, kind: str) -> float:
    """Inches a block of `kind` text takes (its lines at 1.25 line spacing, plus the space under it)."""
    if not text:
        return 0.0
    return (text.count("\n") + 1) * SIZES[kind] * LINE_SPACING / 72 + SPACE_UNDER_IN[kind]


def fit(groups: list[BarGroup], lang: str, width_in: float) -> list[BarGroup]:
    """The groups with every text wrapped to the width at its size."""
    def w(text: str, kind: str, reserve: float = 0.0) -> str:
        return wrap(text, lang, cells_per_line(SIZES[kind], lang, width_in * (1 - reserve)))
    return [BarGroup(w(g.title, "group"), w(g.note, "note"),
                     [Bar(b.value, w(b.label, "bar_label"), b.value_text, b.color, b.muted) for b in g.bars])
            for g in groups]


def groups_height(groups: list[BarGroup]) -> float:
    """Inches the (wrapped) groups take when drawn by draw_bar_groups."""
    return sum(_height(g.title, "group") + _height(g.note, "note") + GROUP_GAP_IN
               + sum(_height(b.label, "bar_label") + BAR_IN for b in g.bars) for g in groups)


def bar_share(groups: list[BarGroup], width_in: float) -> float:
    """The share of the width the longest bar may take so that every amount still fits after its bar."""
    longest = max((display_width(b.value_text) for g in groups for b in g.bars), default=0)
    value_in = longest * SIZES["value"] * 0.56 / 72 + 0.1
    return max(0.3, min(BAR_SHARE, (width_in - value_in) / width_in))


def draw_bar_groups(ax, groups: list[BarGroup], *, scale_to: Optional[float] = None) -> list[list[float]]:
    """Draw (wrapped) `groups` top to bottom on `ax`, whose height must be groups_height(groups) inches (the axis is
    hidden; y counts inches from the top). Each bar has its label on its own line above it and its amount right after
    it, so no legend is needed and no text covers another. Bars share one scale (the largest value, or `scale_to`).
    Returns the drawn bar lengths, per group."""
    largest = scale_to or max((b.value for g in groups for b in g.bars), default=0) or 1.0
    fonts = families()
    ax.set_axis_off()
    ax.set_xlim(0, largest / bar_share(groups, ax.figure.get_figwidth() * ax.get_position().width))
    y = 0.0

    def block(text: str, kind: str, **style) -> None:
        nonlocal y
        if text:
            ax.text(0, y, text, fontfamily=fonts, fontsize=SIZES[kind], va="top", linespacing=LINE_SPACING,
                    color=style.pop("color", TEXT_COLOR), **style)
            y += _height(text, kind)

    drawn: list[list[float]] = []
    for group in groups:
        block(group.title, "group", fontweight="bold")
        block(group.note, "note", color=NOTE_COLOR)
        lengths = []
        for bar in group.bars:
            block(bar.label, "bar_label")
            middle = y + BAR_IN / 2
            (rect,) = ax.barh([middle], [bar.value], height=BAR_IN * 0.7, left=0, color=bar.color,
                              alpha=0.45 if bar.muted else 1.0, hatch="//" if bar.muted else None,
                              edgecolor=bar.color if bar.muted else None, linewidth=0)
            lengths.append(float(rect.get_width()))
            ax.text(bar.value + largest * 0.02, middle, bar.value_text, fontfamily=fonts, fontsize=SIZES["value"],
                    fontweight="bold", color=TEXT_COLOR, va="center")
            y += BAR_IN
        drawn.append(lengths)
        y += GROUP_GAP_IN
    ax.set_ylim(max(y, 0.1), 0)
    return drawn


def figure_for_groups(groups: list[BarGroup], *, lang: str, title: str, subtitle: str = "", footer: str = "",
                      width_in: float = PHONE_WIDTH_IN):
    """A portrait figure (no pyplot, nothing global) with a title, a subtitle, the groups' bars and a footer, every
    text wrapped to the width; its height follows the content. Returns (figure, drawn bar lengths per group)."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    inner = width_in - 2 * MARGIN_IN
    title, subtitle, footer = (wrap(t, lang, cells_per_line(SIZES[k], lang, inner))
                               for t, k in ((title, "title"), (subtitle, "note"), (footer, "footer")))
    groups = fit(groups, lang, inner)
    head = _height(title, "title") + _height(subtitle, "note")
    body = groups_height(groups)
    foot = _height(footer, "footer")
    height = MARGIN_IN + head + body + foot + MARGIN_IN
    fonts = families()
    with matplotlib.rc_context({"axes.unicode_minus": False}):
        fig = Figure(figsize=(width_in, height))
        FigureCanvasAgg(fig)
        left = MARGIN_IN / width_in
        fig.text(left, 1 - MARGIN_IN / height, title, fontfamily=fonts, fontsize=SIZES["title"], fontweight="bold",
                 color=TEXT_COLOR, va="top", linespacing=LINE_SPACING)
        if subtitle:
            fig.text(left, 1 - (MARGIN_IN + _height(title, "title")) / height, subtitle, fontfamily=fonts,
                     fontsize=SIZES["note"], color=NOTE_COLOR, va="top", linespacing=LINE_SPACING)
        ax = fig.add_axes((left, (MARGIN_IN + foot) / height, inner / width_in, body / height))
        drawn = draw_bar_groups(ax, groups)
        if footer:
            fig.text(left, MARGIN_IN / height, footer, fontfamily=fonts, fontsize=SIZES["footer"], color=NOTE_COLOR,
                     va="bottom", linespacing=LINE_SPACING)
    return fig, drawn


def texts_of(fig) -> list:
    """Every non-empty text object drawn on `fig`."""
    from matplotlib.text import Text
    return [t for t in fig.findobj(Text) if t.get_text()]


def save_png(fig, path: Path, dpi: int = PHONE_DPI) -> Path:
    """Write `fig` to `path` as PNG through a temporary file in the same folder, so readers never see half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".png")
    try:
        with os.fdopen(handle, "wb") as fh:
            fig.savefig(fh, format="png", dpi=dpi)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path

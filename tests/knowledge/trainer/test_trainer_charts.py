"""Charts: one valid PNG per statistic entry with numbers; the bars drawn are the table's numbers; texts in the
chosen language with the source line; Chinese glyphs rendered with the CJK font."""
from __future__ import annotations

import math
import warnings

import pytest
from PIL import Image

from knowledge.trainer import charts
from knowledge.trainer.cli import main

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _numeric_statistics(kb, lang="zh"):
    ids = []
    for entry_id in kb.ids():
        entry = kb.get(entry_id, lang)
        if entry.type != "statistic" or not entry.table:
            continue
        if any(isinstance(v, (int, float)) and not isinstance(v, bool) for row in entry.table["rows"] for v in row.values()):
            ids.append(entry_id)
    return ids


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_one_valid_png_per_numeric_statistic(real_kb, charts_by_lang, lang):
    folder, results = charts_by_lang[lang]
    expected = _numeric_statistics(real_kb, lang)
    assert len(expected) >= 8, "the report's Tables 1-8 at least"
    assert sorted(r.entry_id for r in results) == sorted(expected)
    for result in results:
        assert result.path.parent == folder and result.path.name == f"{result.entry_id}-{lang}.png"
        assert result.path.read_bytes()[:8] == PNG_MAGIC
        with Image.open(result.path) as image:
            image.verify()
        with Image.open(result.path) as image:
            width, height = image.size
            assert width >= 600 and height >= 300
            # not a blank canvas: a chart has many colours
            assert len(image.convert("RGB").getcolors(maxcolors=100000) or []) > 10


def _category_key(spec, lang):
    category = spec.get("category")
    return category.get(lang) if isinstance(category, dict) else category


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_bar_is_a_number_of_its_table(real_kb, charts_by_lang, lang):
    """Each drawn bar (read back from matplotlib) equals the cell of the row named by its category label."""
    _, results = charts_by_lang[lang]
    checked = 0
    for result in results:
        table = real_kb.get(result.entry_id, lang).table
        spec = charts.spec_for(result.entry_id, table, lang)
        for panel in result.panels:
            for series in panel.series:
                assert len(series.drawn) == len(series.values) == len(panel.categories)
                for category, value, drawn in zip(panel.categories, series.values, series.drawn):
                    if spec.get("kind") == "indicators":
                        rows = [r for r in table["rows"] if str(r["indicator"]) == category]
                        cells = [r["value"] for r in rows]
                    else:
                        key = _category_key(spec, lang)
                        rows = [r for r in table["rows"] if str(r.get(key)) == category]
                        cells = [r.get(series.key) for r in rows]
                    assert rows, f"{result.entry_id}: bar label {category!r} is not a row of the table"
                    if value is None:
                        assert drawn is None and all(c is None or isinstance(c, str) for c in cells)
                        continue
                    assert math.isclose(drawn, value, rel_tol=1e-9), (result.entry_id, category, drawn, value)
                    assert any(isinstance(c, (int, float)) and math.isclose(c, value) for c in cells), \
                        f"{result.entry_id}: {category} {series.key} drawn as {value}, table says {cells}"
                    checked += 1
    assert checked > 100


def test_table_1_bars_are_the_coverage_rates(real_kb, charts_by_lang):
    _, results = charts_by_lang["en"]
    result = next(r for r in results if r.entry_id == "statistic-table-1")
    rows = real_kb.get("statistic-table-1", "en").table["rows"]
    panel = result.panels[0]
    assert panel.categories == [r["scheme"] for r in rows]
    by_key = {s.key: s for s in panel.series}
    assert by_key["pct_rmw"].drawn == [r["pct_rmw"] for r in rows]          # None where the report has n.a.
    assert by_key["pct_urban_working"].drawn == [r["pct_urban_working"] for r in rows]


def test_totals_are_left_out_where_the_spec_says(real_kb, charts_by_lang):
    _, results = charts_by_lang["zh"]
    table8 = next(r for r in results if r.entry_id == "statistic-table-8")
    rows = real_kb.get("statistic-table-8", "zh").table["rows"]
    yearly = [r for r in rows if r["period"] != "Total"]
    assert table8.panels[0].categories == [r["period_zh"] for r in yearly]
    assert "合计" not in table8.panels[0].categories
    inbound = next(s for s in table8.panels[0].series if s.key == "inbound")
    assert sum(inbound.drawn) == sum(r["inbound"] for r in yearly)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_title_axis_and_source_line_in_the_chosen_language(real_kb, charts_by_lang, lang):
    _, results = charts_by_lang[lang]
    for result in results:
        entry = real_kb.get(result.entry_id, lang)
        flat = "".join("".join(result.texts).split())
        assert "".join(entry.title.split()) in flat
        assert "".join(entry.table["source_line"].split()) in flat
        if lang == "en":
            other = real_kb.get(result.entry_id, "zh")
            assert "".join(other.table["source_line"].split()) not in flat


def test_chinese_glyphs_render_with_the_cjk_font(real_kb, tmp_path):
    assert charts.cjk_font(), "fonts-wqy-microhei is not installed: apt-get install -y fonts-wqy-microhei"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = charts.draw_entry(real_kb, "statistic-table-7", "zh", tmp_path)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message).lower()]
    assert not missing, missing[:3]
    assert "广东" in result.panels[0].categories
    # sorted by the number, largest first
    numbers = result.panels[0].series[0].drawn
    assert numbers == sorted(numbers, reverse=True)


def test_a_table_without_a_spec_gets_a_chart_from_its_columns():
    table = {"columns": [{"key": "place", "label": "Place"}, {"key": "people_m", "label": "People (m)"},
                         {"key": "note", "label": "Note"}],
             "rows": [{"place": "A", "people_m": 1.5, "note": "x"}, {"place": "B", "people_m": 2, "note": None}],
             "source_line": "s", "year": 2020, "unit": None, "note": None}
    spec = charts.auto_spec(table, "en")
    assert spec["category"] == "place" and spec["series"] == ["people_m"]
    panels = charts.build_panels(table, spec, "en")
    assert panels[0].categories == ["A", "B"] and panels[0].series[0].values == [1.5, 2.0]


def test_cli_writes_the_charts(real_db, tmp_path, capsys):
    assert main(["charts", "--db", str(real_db), "--out", str(tmp_path), "--lang", "en", "--quiet",
                 "--id", "statistic-table-4"]) == 0
    assert (tmp_path / "statistic-table-4-en.png").read_bytes()[:8] == PNG_MAGIC
    assert "statistic-table-4-en.png" in capsys.readouterr().out


def test_missing_knowledge_base_is_a_bilingual_error(tmp_path, capsys):
    assert main(["charts", "--db", str(tmp_path / "none.db"), "--out", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert "python -m knowledge build" in err and "找不到知识库" in err and "not found" in err


def test_missing_cjk_font_warns_in_both_languages_and_still_draws(real_kb, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(charts, "_font_state", {})
    monkeypatch.setattr(charts, "CJK_FONT_NAMES", ("No Such Font",))
    monkeypatch.setattr(charts, "CJK_FONT_FILES", ("no-such-font.ttc",))
    assert charts.cjk_font() is None
    err = capsys.readouterr().err
    assert "fonts-wqy-microhei" in err and "警告" in err and "Warning" in err
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = charts.draw_entry(real_kb, "statistic-table-2", "en", tmp_path)
    assert result.path.read_bytes()[:8] == PNG_MAGIC
    monkeypatch.setattr(charts, "_font_state", {})

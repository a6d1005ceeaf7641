"""Fixtures for the trainers' materials: the REAL content built into a temporary knowledge base (session-wide,
from tests/knowledge/conftest.py: `real_db`, `real_kb`) and one chart run per language shared by the chart tests."""
from __future__ import annotations

import pytest

from knowledge.trainer.charts import draw_all


@pytest.fixture(scope="session")
def charts_by_lang(real_kb, tmp_path_factory):
    """{lang: (out_dir, [ChartResult])} — every statistic chart drawn once per language."""
    out = {}
    for lang in ("zh", "en"):
        folder = tmp_path_factory.mktemp(f"charts-{lang}")
        out[lang] = (folder, draw_all(real_kb, lang=lang, out_dir=folder, progress=False))
    return out

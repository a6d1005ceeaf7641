"""Worked stories: the Mr X cases run through the rules engine; the narrative and the chart show the engine's own
options in money and years, with citations."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from PIL import Image

from knowledge.trainer.cli import main
from knowledge.trainer.common import TrainerError, load_yaml, msg
from knowledge.trainer.story import option_titles, tell_story
from rules_engine import assess, explain

REPO = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module", params=["zh", "en"])
def mr_x(request, real_kb, tmp_path_factory, monkeypatch_module):
    monkeypatch_module.chdir(REPO)
    folder = tmp_path_factory.mktemp("story")
    return request.param, tell_story(real_kb, "mr-x", lang=request.param, chart_dir=folder, trace=True)


@pytest.fixture(scope="module")
def monkeypatch_module():
    mp = pytest.MonkeyPatch()
    yield mp
    mp.undo()


def _spec_cases():
    return load_yaml("stories.yml")["stories"]["mr-x"]["cases"]


def test_the_mr_x_examples_are_all_told(mr_x):
    lang, story = mr_x
    cases = _spec_cases()
    assert [c.profile_path.name for c in story.cases] == ["mr_x_a.yml", "mr_x_b1.yml", "mr_x_b2.yml"]
    assert [c.label for c in story.cases] == [c["label"][lang] for c in cases]
    for case in story.cases:
        assert case.label in story.text


def test_options_are_the_engines(mr_x):
    lang, story = mr_x
    for case in story.cases:
        with open(REPO / case.profile_path, encoding="utf-8") as fh:
            expected = assess(yaml.safe_load(fh))
        data = expected.model_dump(mode="json")
        assert case.options == data["options"]
        assert case.summary == explain.render_summary(expected, lang)
        for bubble in case.summary:
            assert bubble in story.text
        for line in explain.render_options(data["trace"], lang):
            assert line in story.text          # each option's reason with its citation
        for line in explain.render_trace(data["trace"], lang):
            assert line in story.text          # --trace


def test_money_and_years_in_the_narrative(mr_x):
    lang, story = mr_x
    titles = option_titles(lang, [o["option"] for o in story.cases[0].options])
    allowed_mark = f"[{msg('story_option_allowed', lang)}]"
    assert story.text.count(allowed_mark) == sum(o["allowed"] for c in story.cases for o in c.options)
    for case in story.cases:
        for option in case.options:
            assert titles[option["option"]] in story.text
            if option["money_now"]:
                assert f"{round(option['money_now']):,}" in story.text
            if option["monthly_pension"]:
                assert f"{round(option['monthly_pension']):,}" in story.text
            if option["citation"]:
                assert option["citation"] in story.text
    # the B2 case is at retirement age and short of years: the engine allows cashing out there, not before
    b2 = story.cases[2]
    assert {o["option"]: o["allowed"] for o in b2.options}["cash_out"] is True
    assert {o["option"]: o["allowed"] for o in story.cases[0].options}["cash_out"] is False


def test_the_story_opens_with_the_knowledge_entry(mr_x, real_kb):
    lang, story = mr_x
    entry = real_kb.get("faq-mr-x-example", lang)
    assert story.text.startswith(f"# {entry.title}")
    assert entry.short in story.text and entry.citation in story.text


def test_chart_money_now_vs_pension_value(mr_x):
    lang, story = mr_x
    chart = story.chart
    assert chart and chart.path.exists()
    with Image.open(chart.path) as image:
        image.verify()
    assert chart.option_keys == [o["option"] for o in story.cases[0].options]
    for case, now, value in zip(story.cases, chart.money_now, chart.pension_value):
        assert now == [o["money_now"] for o in case.options]
        assert value == [o["value_to_age"] if o["monthly_pension"] else 0 for o in case.options]
    assert any(v > 0 for row in chart.pension_value for v in row)


def test_story_from_a_profile_file_and_errors(real_kb, real_db, monkeypatch, capsys, tmp_path):
    monkeypatch.chdir(REPO)
    story = tell_story(real_kb, "rules_engine/examples/worker_jiangxi_guangdong.yml", "en", chart_dir=None)
    assert len(story.cases) == 1 and story.chart is None and story.cases[0].summary
    with pytest.raises(TrainerError):
        tell_story(real_kb, "no-such-story", "zh", chart_dir=None)
    bad = tmp_path / "bad.yml"
    bad.write_text("birth: '2030-01'\nsex: robot\n", encoding="utf-8")
    with pytest.raises(TrainerError) as info:
        tell_story(real_kb, str(bad), "zh", chart_dir=None)
    assert "档案有误" in str(info.value) and "Invalid profile" in str(info.value)
    assert main(["story", "jiangxi-worker", "--db", str(real_db), "--lang", "zh", "--out", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    assert real_kb.get("faq-pension-paying-place", "zh").title in out
    assert (tmp_path / "jiangxi-worker-zh.png").exists()

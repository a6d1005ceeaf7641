"""The check-up's options chart: drawn for a complete profile with the engine's own figures, in the user's language,
made for a phone held upright (legible at 360 px wide, no text over another, every bar said in plain words, options
with the same figures drawn once), once per set of figures (the name is a hash), never with the person's answers in
it; served by web/serve.py; and a chart that cannot be drawn never costs the person the text answer."""
from __future__ import annotations

import re
import threading

import pytest
import requests

from actions import charts
from actions.checkup import ActionCheckupResult, _slots
from actions.profile import assess_slots
from actions.rules_answers import OPTION_ORDER
from knowledge.trainer.story import option_titles
from suixing import charts as drawing
from rules_engine import assess
from tests.actions.helpers import ROOT, responses, run, tracker_from

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
URL = re.compile(r"^/charts/([0-9a-f]{16,64})\.png$")
EXAMPLE = ROOT / "rules_engine/examples/worker_jiangxi_guangdong.yml"   # suspend, transfer and continue: same figures


@pytest.fixture(autouse=True)
def charts_dir(monkeypatch, tmp_path):
    folder = tmp_path / "charts"
    monkeypatch.setenv("CHARTS_DIR", str(folder))
    monkeypatch.delenv("CHARTS_BASE_URL", raising=False)
    return folder


def engine_options(language: str = "zh", **slots) -> list[dict]:
    _, result = assess_slots(_slots(tracker_from("checkup_complete", language=language, slots=slots)))
    return result.options


def image_messages(messages: list[dict]) -> list[dict]:
    return [m for m in messages if m.get("image")]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_complete_checkup_shows_one_chart_after_the_options(language, charts_dir):
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete", language=language))
    images = image_messages(messages)
    assert len(images) == 1, "exactly one chart"
    chart = images[0]
    match = URL.match(chart["image"])
    assert match, chart["image"]
    file = charts_dir / f"{match.group(1)}.png"
    assert file.read_bytes().startswith(PNG_MAGIC)
    said = responses(messages)
    position = messages.index(chart)
    last_option = max(i for i, r in enumerate(said) if r.startswith("utter_option_"))
    assert last_option < position < said.index("utter_checkup_why_intro"), "after the options, before why"
    assert chart["line"] == charts.text("caption", language)
    assert ("以社保机构为准" if language == "zh" else "the agency decides") in chart["line"]


@pytest.mark.parametrize("language", ["zh", "en"])
def test_bars_are_the_engines_figures_said_in_plain_words(language):
    options = engine_options(language)
    chart = charts.options_chart(options, language, list(OPTION_ORDER))
    assert chart is not None and chart.rendered
    by = {o["option"]: o for o in options}
    drawn_keys = [k for k in OPTION_ORDER if by[k]["money_now"] or (by[k]["monthly_pension"] and by[k]["value_to_age"])]
    assert sorted(chart.keys) == sorted(drawn_keys) and set(chart.left_out) == set(OPTION_ORDER) - set(drawn_keys)
    assert chart.money_now == pytest.approx([by[k]["money_now"] or 0 for k in chart.keys])
    assert chart.pension_value == pytest.approx(
        [(by[k]["value_to_age"] or 0) if by[k]["monthly_pension"] else 0 for k in chart.keys])
    assert chart.years_kept == pytest.approx([by[k]["years_kept"] for k in chart.keys])
    # the figures of this profile: cashing out would pay the account now, continuing gives a pension to 80
    assert max(chart.money_now) > 0 and max(chart.pension_value) > max(chart.money_now)
    drawn = "\n".join(chart.texts)
    flat = re.sub(r"\s", "", drawn)                                  # names and labels may be wrapped
    for title in option_titles(language, list(OPTION_ORDER)).values():
        assert re.sub(r"\s", "", title).lower() in flat.lower(), title
    for key in ("title", "note"):
        assert re.sub(r"\s", "", charts.text(key, language)) in flat
    best = max(chart.keys, key=lambda k: by[k]["monthly_pension"] or 0)
    pension_label = re.sub(r"\s", "", charts.text(
        "pension", language, start=by[best]["pension_from"], age=80,
        monthly=f"{round(by[best]['monthly_pension']):,}" + ("元" if language == "zh" else " yuan")))
    assert pension_label in flat, "the pension bar says it is the monthly pension summed to age 80"
    assert re.sub(r"\s", "", charts.text("now", language)) in flat, "the money-now bar says what it is"
    if language == "zh":
        assert "退保" in drawn and "cash out" not in drawn.lower() and "yuan" not in drawn
    else:
        assert "cash out" in drawn.lower() and "退保" not in drawn and "元" not in drawn


@pytest.mark.parametrize("language", ["zh", "en"])
def test_options_with_the_same_figures_are_drawn_once_and_said_to_be_the_same(language):
    options = assess(EXAMPLE).model_dump(mode="json")["options"]
    chart = charts.options_chart(options, language, list(OPTION_ORDER))
    by = {o["option"]: o for o in options}
    same = [k for k in ("suspend", "transfer", "continue_to_minimum")
            if by[k]["allowed"] and by[k]["value_to_age"] == by["suspend"]["value_to_age"]]
    assert len(same) == 3, "this profile's suspend, transfer and continue come out the same"
    amount = f"{round(by['suspend']['value_to_age']):,}"
    assert sum(amount in t for t in chart.texts) == 1, "the common amount is drawn once, not three times"
    assert re.sub(r"\s", "", charts.text("same", language, n=3)) in re.sub(r"\s", "", "".join(chart.texts))


@pytest.mark.parametrize("language", ["zh", "en"])
def test_chart_is_legible_on_a_phone_and_no_text_covers_another(language):
    """Shown 360 px wide (a phone held upright), every text is at least 11 px tall and lies inside the image, and no
    two texts overlap (in English the legend used to cover a value label)."""
    rows = charts.chart_data(engine_options(language), list(OPTION_ORDER))
    fig, _ = charts.draw(rows, language)
    canvas = fig.canvas
    canvas.draw()
    renderer = canvas.get_renderer()
    width, height = canvas.get_width_height()
    assert height > width, "portrait"
    shown = 360 / width
    boxes = []
    for item in drawing.texts_of(fig):
        box = item.get_window_extent(renderer)
        lines = item.get_text().count("\n") + 1
        assert box.height / lines * shown >= 11, (item.get_text(), box.height / lines * shown)
        assert box.x0 >= 0 and box.y0 >= 0 and box.x1 <= width and box.y1 <= height, item.get_text()
        boxes.append((item.get_text(), box))
    for i, (text_a, a) in enumerate(boxes):
        for text_b, b in boxes[i + 1:]:
            assert not a.overlaps(b), (text_a, text_b)


def test_alt_text_says_the_chart_in_the_conversation_language():
    zh = charts.options_chart(engine_options("zh"), "zh", list(OPTION_ORDER))
    en = charts.options_chart(engine_options("en"), "en", list(OPTION_ORDER))
    assert zh.alt.startswith("图：") and "80岁" in zh.alt and "以社保机构为准" in zh.alt
    assert en.alt.startswith("Chart: ") and "age 80" in en.alt and not re.search(r"[\u4e00-\u9fff]", en.alt)
    assert f"{round(max(zh.pension_value)):,}" in zh.alt and f"{round(max(en.money_now)):,}" in en.alt


def test_chinese_is_drawn_with_a_chinese_face_of_noto_cjk():
    assert drawing.cjk_font() == "Noto Sans CJK SC", "apt-get install -y fonts-noto-cjk"


def test_chinese_lines_never_break_inside_a_number():
    wrapped = drawing.wrap("养老金：2032-11起每月1,525元，领到80岁合计", "zh", 20)
    assert all(drawing.display_width(line) <= 20 for line in wrapped.split("\n"))
    assert len(wrapped.split("\n")) > 1
    for number in ("2032-11", "1,525", "80"):
        assert any(number in line for line in wrapped.split("\n")), (number, wrapped)


def test_same_figures_same_file_drawn_once(charts_dir):
    options = engine_options()
    first = charts.options_chart(options, "zh", list(OPTION_ORDER))
    stamp = first.path.stat().st_mtime_ns
    second = charts.options_chart(options, "zh", list(OPTION_ORDER))
    assert second.url == first.url and not second.rendered
    assert first.path.stat().st_mtime_ns == stamp
    assert second.money_now == pytest.approx(first.money_now)
    english = charts.options_chart(options, "en", list(OPTION_ORDER))
    assert english.url != first.url, "the language is part of the name"
    other = charts.options_chart(engine_options(wage=9000), "zh", list(OPTION_ORDER))
    assert other.url != first.url, "other figures, other file"
    assert len(list(charts_dir.glob("*.png"))) == 3


def test_no_personal_data_in_the_name_or_the_image():
    chart = charts.options_chart(engine_options(), "zh", list(OPTION_ORDER))
    drawn = "\n".join(chart.texts) + chart.url
    for personal in ("1980", "2008", "江西", "广东", "东莞", "宁波", "4500", "女"):
        assert personal not in drawn, personal


def test_public_base_url_is_put_before_the_path(monkeypatch):
    monkeypatch.setenv("CHARTS_BASE_URL", "https://suixing.example.cn/")
    chart = charts.options_chart(engine_options(), "zh", list(OPTION_ORDER))
    assert re.fullmatch(r"https://suixing\.example\.cn/charts/[0-9a-f]{32}\.png", chart.url), chart.url


def test_no_money_figures_no_chart():
    options = [dict(o, money_now=0, value_to_age=None, monthly_pension=None) for o in engine_options()]
    assert charts.options_chart(options, "zh", list(OPTION_ORDER)) is None
    assert charts.options_chart([], "zh") is None


def test_a_chart_that_cannot_be_drawn_leaves_the_text_answer_complete(monkeypatch, tmp_path):
    _, with_chart = run(ActionCheckupResult(), tracker_from("checkup_complete"))
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setenv("CHARTS_DIR", str(blocker))           # the folder cannot be created: saving fails
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete"))
    assert image_messages(messages) == []
    expected = [m for m in with_chart if not m.get("image")]
    assert messages == expected, "every text bubble is still said, in the same order"
    assert responses(messages)[0] == "utter_checkup_verdict_intro"
    assert responses(messages)[-1] == "utter_checkup_next_steps"
    assert "utter_error_sorry" not in responses(messages)


def test_a_drawing_error_is_logged_and_skipped(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise RuntimeError("no font")

    monkeypatch.setattr(charts, "render", broken)
    assert charts.options_chart(engine_options(), "zh", list(OPTION_ORDER)) is None
    assert "options chart failed" in caplog.text
    _, messages = run(ActionCheckupResult(), tracker_from("checkup_complete"))
    assert image_messages(messages) == [] and "utter_options_intro" in responses(messages)


@pytest.fixture
def web_url(charts_dir):
    from web.serve import make_server

    server = make_server("127.0.0.1", 0, "http://127.0.0.1:9")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_web_server_serves_the_chart_and_nothing_else(web_url, charts_dir):
    chart = charts.options_chart(engine_options(), "zh", list(OPTION_ORDER))
    answer = requests.get(web_url + chart.url, timeout=5)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/png"
    assert "immutable" in answer.headers["Cache-Control"]
    assert answer.content == chart.path.read_bytes()
    (charts_dir / "notes.txt").write_text("secret")
    name = chart.path.name
    for path in ("/charts/../web/serve.py", "/charts/%2e%2e/README.md", "/charts/..%2fREADME.md",
                 "/charts/notes.txt", "/charts/abc.png", "/charts/" + name.upper(), "/charts/" + name + "/",
                 "/charts/" + name[:-4] + ".txt", "/charts/", "/charts/" + "0" * 32 + ".png"):
        assert requests.get(web_url + path, timeout=5).status_code == 404, path

"""Saying the rules engine's results as short bubbles: trace lines with their basis, the options compared in money
and years, and a refused profile (which answer to fix)."""
from __future__ import annotations

from typing import Any

from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.charts import options_chart
from actions.charts import text as chart_text
from actions.common import utter
from actions.profile import slot_of_error_field

FORM = "checkup_form"

MAX_BUBBLE = 120


def short_bubbles(line: str) -> list[str]:
    """A long trace line becomes the conclusion and its basis (citations) as two bubbles."""
    if len(line) <= MAX_BUBBLE:
        return [line]
    for marker in ("（依据：", " (basis:"):
        if marker in line:
            head, tail = line.split(marker, 1)
            joiner = "" if marker.startswith("（") else " "
            return [head.strip(), marker.strip(" (（") + joiner + tail.rstrip(")）").strip()]
    return [line]


def say_trace(dispatcher: CollectingDispatcher, trace: list, lang: str, skip: tuple[str, ...] = ()) -> None:
    from rules_engine import explain

    steps = [step for step in trace if not step["rule"].startswith(skip)] if skip else trace
    for line in explain.render_trace(steps, lang):
        for bubble in short_bubbles(line):
            utter(dispatcher, "utter_rules_line", line=bubble)


OPTION_ORDER = ("cash_out", "suspend", "transfer", "continue_to_minimum", "switch_to_residents")
# trace steps left out of "why": the options (said above with their sources), the pro-rata comparison (for
# trainers) and the intermediate figures of the estimate (their caveats come as warnings)
NOT_IN_WHY = ("options.", "comparison.", "pension.account_balance", "pension.average_wage",
              "pension.contribution_index")


def _option_conclusion(line: str) -> str:
    """"选项：退保（…）：不能退保：…" → "退保（…）：不能退保：…" (the engine's own title and explanation)."""
    for prefix in ("选项：", "Option:"):
        if line.startswith(prefix) and line[len(prefix):].strip():
            return line[len(prefix):].strip()
    return line


def say_options(dispatcher: CollectingDispatcher, result, lang: str) -> None:
    """Each option, allowed or not, in money and years, with the engine's reason and source; then its break-even."""
    from rules_engine import explain

    options = {o.get("option"): o for o in result.options}
    if not options:
        return
    lines = {}
    for step in result.trace:
        if step["rule"].startswith("options."):
            rendered = explain.render_trace([step], lang)
            if rendered:
                lines[step["rule"].split(".", 1)[1]] = rendered[0]
    utter(dispatcher, "utter_options_intro")
    for name in OPTION_ORDER:
        option = options.get(name)
        if option is None:
            continue
        bubbles = short_bubbles(_option_conclusion(lines.get(name, "")))
        suffix = "allowed" if option.get("allowed") else "not_allowed"
        utter(dispatcher, f"utter_option_{name}_{suffix}", reason=bubbles[0], option=name,
              allowed=bool(option.get("allowed")))
        for bubble in bubbles[1:]:
            utter(dispatcher, "utter_rules_line", line=bubble)
        if option.get("allowed") and option.get("break_even_age"):
            utter(dispatcher, "utter_option_break_even", option=name, age=f"{float(option['break_even_age']):.0f}")


def say_options_chart(dispatcher: CollectingDispatcher, result, lang: str) -> None:
    """The options as one bar chart (money now vs pension value, years kept), with a one-line caption; only when the
    engine gave money figures. Never fails the answer: without a chart the text above says it all."""
    chart = options_chart(result.options, lang, list(OPTION_ORDER))   # None on no figures or any error (logged)
    if chart is not None:
        utter(dispatcher, "utter_rules_line", line=chart_text("caption", lang), image=chart.url)



def say_profile_error(dispatcher: CollectingDispatcher, error, lang: str) -> list[dict[str, Any]]:
    """The engine refused the profile: say which answer to fix and ask it again."""
    events: list[dict[str, Any]] = []
    cleared = set()
    for problem in getattr(error, "errors", []) or []:
        slot = slot_of_error_field(problem.get("field", ""))
        message = problem.get("message_en" if lang == "en" else "message_zh") or str(error)
        utter(dispatcher, "utter_checkup_fix_answer", problem=message)
        if slot and slot not in cleared:
            cleared.add(slot)
            events.append(SlotSet(slot, None))
    if not cleared:
        utter(dispatcher, "utter_checkup_cannot_assess")
        return events
    if "sex" in cleared:
        events.append(SlotSet("female_category", None))
    return events + [FollowupAction(FORM)]

"""Time to draw the check-up's options chart (matplotlib, CJK font), the way the action server does it.

    PYTHONPATH=. .venv/app/bin/python benchmarks/bench_checkup_chart.py [--n 20]

Loads fonts and matplotlib once (the action server does this at start-up), then draws N charts with different figures
(a chart with the same figures is reused from disk, so each round scales the amounts) and prints p50/p95/max.
Target: a new chart in under 300 ms.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ["CHARTS_DIR"] = tempfile.mkdtemp(prefix="bench-charts-")

from actions import charts  # noqa: E402
from rules_engine import assess  # noqa: E402

EXAMPLE = Path(__file__).resolve().parents[1] / "rules_engine/examples/worker_jiangxi_guangdong.yml"


def scaled(options: list[dict], factor: float) -> list[dict]:
    money = ("money_now", "value_to_age", "monthly_pension")
    return [{k: (v * factor if k in money and isinstance(v, (int, float)) else v) for k, v in o.items()}
            for o in options]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20)
    args = parser.parse_args()
    options = assess(EXAMPLE).model_dump(mode="json")["options"]
    started = time.perf_counter()
    charts.options_chart(scaled(options, 0.5), "zh")
    print(f"first chart (imports, font look-up): {(time.perf_counter() - started) * 1000:.0f} ms")
    timings = []
    for i in range(args.n):
        lang = "zh" if i % 2 == 0 else "en"
        started = time.perf_counter()
        chart = charts.options_chart(scaled(options, 1 + i / 100), lang)
        timings.append((time.perf_counter() - started) * 1000)
        assert chart is not None and chart.rendered
    timings.sort()
    p95 = timings[max(0, int(len(timings) * 0.95) - 1)]
    print(f"new chart, {args.n} draws: p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms, max {timings[-1]:.0f} ms")
    print("target < 300 ms:", "met" if p95 < 300 else "NOT met")


if __name__ == "__main__":
    main()

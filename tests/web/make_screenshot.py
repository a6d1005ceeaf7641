"""Makes docs/screenshot-chat.png: the web chat page on a phone answering a Chinese question (shown in the README),
and, at 360x740, docs/screenshot-phone-result.png (a check-up result as the page lands on it: the conclusion at the
top, sources folded) and docs/screenshot-phone-chart.png (its chart in the in-page viewer).

    PYTHONPATH=. .venv/app/bin/python tests/web/make_screenshot.py                         # starts the assistant
    PYTHONPATH=. .venv/app/bin/python tests/web/make_screenshot.py --web-url http://localhost:8080   # uses a running one
    PYTHONPATH=. .venv/app/bin/python tests/web/make_screenshot.py --phone-result          # and the two phone shots

Needs a trained model (scripts/setup.sh) and Debian's chromium. The PNG is kept under 300 KB.
"""
from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.web.conftest import CHROMIUM, CHROMIUM_ARGS, PHONE  # noqa: E402

OUTPUT = ROOT / "docs/screenshot-chat.png"
RESULT_OUTPUT = ROOT / "docs/screenshot-phone-result.png"
CHART_OUTPUT = ROOT / "docs/screenshot-phone-chart.png"
SMALL_PHONE = {**PHONE, "viewport": {"width": 360, "height": 740}}
QUESTION = "社保断缴了怎么办？"
MAX_BYTES = 300 * 1024


def save_small(png: bytes, output: Path) -> int:
    """The PNG with as few colours as keep it under MAX_BYTES."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (256, 128, 64):
        buffer = io.BytesIO()
        image.quantize(colors=colours).save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= MAX_BYTES:
            break
    output.write_bytes(buffer.getvalue())
    return buffer.tell()


def shoot(web_url: str, output: Path) -> int:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(**{**PHONE, "device_scale_factor": 2})
        page = context.new_page()
        page.goto(web_url)
        page.wait_for_selector(".welcome")
        page.locator(".welcome .quick-reply", has_text=QUESTION).first.click()
        page.wait_for_selector(".msg.bot:not(.welcome):not(.typing)", timeout=120000)
        page.wait_for_timeout(500)
        # The question at the top of the screen, the answer below it.
        page.locator(".msg.user").last.evaluate("node => node.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
        png = page.screenshot()
        browser.close()
    return save_small(png, output)


def shoot_result(web_url: str) -> list[tuple[Path, int]]:
    """A whole check-up at 360x740 (the answers of tests/web/test_chat_page.py), then its result and chart."""
    from playwright.sync_api import sync_playwright

    from tests.web.test_chat_page import BOT, run_checkup, wait_for_new_bot_message

    made = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(**SMALL_PHONE).new_page()
        page.set_default_timeout(120000)
        page.goto(web_url)
        page.wait_for_selector(".welcome")
        before = page.locator(BOT).count()
        page.locator(".welcome .quick-reply").last.click()          # 做个人社保体检
        run_checkup(page, wait_for_new_bot_message(page, before, timeout=120))
        page.wait_for_timeout(500)
        made.append((RESULT_OUTPUT, save_small(page.screenshot(), RESULT_OUTPUT)))
        charts = page.locator(".msg.bot .chart")
        if charts.count():
            charts.last.click()
            page.wait_for_selector("#viewer:not([hidden]) img")
            page.locator("#viewer .zoom-in").click()
            page.wait_for_timeout(500)
            made.append((CHART_OUTPUT, save_small(page.screenshot(), CHART_OUTPUT)))
        browser.close()
    return made


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--web-url", help="a running web chat page; without it the assistant is started")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--phone-result", action="store_true",
                        help="also run a check-up and shoot its result and chart at 360x740")
    args = parser.parse_args()

    def shoot_all(web_url: str) -> list[tuple[Path, int]]:
        made = [(args.output, shoot(web_url, args.output))]
        return made + (shoot_result(web_url) if args.phone_result else [])

    if args.web_url:
        made = shoot_all(args.web_url)
    else:
        from tests.stack import Stack

        from tests.web.conftest import free_port

        stack = Stack(action_port=free_port(), rasa_port=free_port(), web_port=free_port()).start()
        try:
            made = shoot_all(stack.web_url)
        finally:
            stack.close()
    for path, size in made:
        print(f"{path} ({size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

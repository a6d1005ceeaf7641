"""Makes docs/screenshot-chat.png: the web chat page on a phone answering a Chinese question (shown in the README).

    PYTHONPATH=. .venv/app/bin/python tests/web/make_screenshot.py                         # starts the assistant
    PYTHONPATH=. .venv/app/bin/python tests/web/make_screenshot.py --web-url http://localhost:8080   # uses a running one

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
QUESTION = "社保断缴了怎么办？"
MAX_BYTES = 300 * 1024


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
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    for colours in (256, 128, 64):
        buffer = io.BytesIO()
        image.quantize(colors=colours).save(buffer, format="PNG", optimize=True)
        if buffer.tell() <= MAX_BYTES:
            break
    output.write_bytes(buffer.getvalue())
    return buffer.tell()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--web-url", help="a running web chat page; without it the assistant is started")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    if args.web_url:
        size = shoot(args.web_url, args.output)
    else:
        from tests.stack import Stack

        from tests.web.conftest import free_port

        stack = Stack(action_port=free_port(), rasa_port=free_port(), web_port=free_port()).start()
        try:
            size = shoot(stack.web_url, args.output)
        finally:
            stack.close()
    print(f"{args.output} ({size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Every trainer command and option is documented in docs/trainer.md and has an example in its --help; every frame
text exists in Chinese and English; the documentation's example chart exists and is small."""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from knowledge.trainer.cli import COMMANDS, build_parser
from knowledge.trainer.common import load_yaml

REPO = Path(__file__).resolve().parents[3]
DOC = REPO / "docs" / "trainer.md"
CJK = re.compile(r"[\u4e00-\u9fff]")


def _subparsers():
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_commands_table_matches_parser():
    assert sorted(_subparsers()) == sorted(COMMANDS) == ["charts", "handout", "quiz", "story"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_is_documented_with_its_options(command):
    text = DOC.read_text(encoding="utf-8")
    assert f"## `{command}`" in text
    assert f"python -m knowledge.trainer {command}" in text
    for option in _subparsers()[command]._actions:
        for flag in option.option_strings:
            if flag not in ("-h", "--help"):
                assert flag in text, f"{command} {flag} is not documented in docs/trainer.md"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_command_help_has_an_example(command):
    result = subprocess.run([sys.executable, "-m", "knowledge.trainer", command, "--help"], capture_output=True,
                            text=True, env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "example" in result.stdout and f"python -m knowledge.trainer {command}" in result.stdout
    assert CJK.search(result.stdout), "help text in Chinese too"


def _texts(node, path=""):
    if isinstance(node, dict) and set(node) == {"zh", "en"}:
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _texts(value, f"{path}.{key}")


def test_every_frame_text_is_bilingual():
    texts = list(_texts(load_yaml("messages.yml")))
    assert len(texts) > 50
    for path, text in texts:
        assert text["zh"] and text["en"], path
        if CJK.search(text["en"]) and not CJK.search(text["zh"]):
            pytest.fail(f"{path}: English and Chinese look swapped")
    for name in ("stories.yml",):
        for path, text in _texts(load_yaml(name)):
            assert CJK.search(text["zh"]) and text["en"], path


def test_handout_sets_have_titles():
    sets = load_yaml("sets.yml")["sets"]
    titles = load_yaml("messages.yml")["handout_set_title"]
    assert set(sets) <= set(titles)


def test_example_chart_in_the_docs():
    image = REPO / "docs" / "trainer-chart-example.png"
    assert "trainer-chart-example.png" in DOC.read_text(encoding="utf-8")
    assert image.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert image.stat().st_size < 200 * 1024

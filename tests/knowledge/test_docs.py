"""Every CLI command has help text with an example and is documented in docs/knowledge.md."""
from __future__ import annotations

import argparse
import os
import subprocess
import sys

import pytest

from knowledge.cli import COMMANDS, build_parser

from .conftest import REPO

DOC = REPO / "docs" / "knowledge.md"


def _subcommands() -> list[str]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return sorted(action.choices)


def test_commands_table_matches_parser():
    assert _subcommands() == sorted(COMMANDS)


@pytest.mark.parametrize("command", _subcommands())
def test_command_is_documented(command):
    text = DOC.read_text(encoding="utf-8")
    assert f"python -m knowledge {command}" in text, f"`{command}` is not documented in docs/knowledge.md"
    assert f"### `{command}`" in text, f"docs/knowledge.md needs a section ### `{command}`"


@pytest.mark.parametrize("command", _subcommands())
def test_command_help_has_an_example(command):
    result = subprocess.run([sys.executable, "-m", "knowledge", command, "--help"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, cwd=REPO)
    assert result.returncode == 0
    assert f"python -m knowledge {command}" in result.stdout
    assert "example" in result.stdout


def test_every_option_is_documented():
    text = DOC.read_text(encoding="utf-8")
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in action.choices.items():
        for option in sub._actions:
            for flag in option.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in text, f"option {flag} of `{name}` is not documented in docs/knowledge.md"

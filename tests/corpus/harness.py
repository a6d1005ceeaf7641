"""Loads scripts/play_corpus.py (a script, not a package) as a module for the tests."""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_play_corpus():
    if "play_corpus" in sys.modules:
        return sys.modules["play_corpus"]
    spec = importlib.util.spec_from_file_location("play_corpus", ROOT / "scripts/play_corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["play_corpus"] = module          # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module

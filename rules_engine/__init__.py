"""China's social-insurance rules for migrant workers as dated, cited, explainable code.

    from rules_engine import assess, Profile, ProfileError, explain
    result = assess({"birth": "1980-03", "sex": "female", "hukou_province": "江西", "periods": [...]})
    result.model_dump(mode="json")
    explain.render_summary(result, "zh")

Importing the package is cheap: pydantic models and the parameter files load on first use, once per process.
"""
from __future__ import annotations

from rules_engine.errors import ProfileError

__all__ = ["assess", "Profile", "ProfileError", "explain", "api", "provinces"]
__version__ = "0.1.0"


def __getattr__(name: str):
    if name == "assess":
        from rules_engine.engine import assess
        return assess
    if name == "Profile":
        from rules_engine.profile import Profile
        return Profile
    if name in ("explain", "api", "provinces", "params"):
        import importlib
        return importlib.import_module(f"rules_engine.{name}")
    raise AttributeError(f"module 'rules_engine' has no attribute {name!r}")

"""JSON Schemas of the input profile and the output assessment."""
from __future__ import annotations


def schemas() -> dict:
    from rules_engine.profile import Profile
    from rules_engine.results import Assessment
    return {"input": Profile.model_json_schema(), "output": Assessment.model_json_schema(mode="serialization")}

"""Errors for people: every problem names the field and says what is wrong in Chinese and English."""
from __future__ import annotations


class ProfileError(ValueError):
    """The profile cannot be assessed. ``.errors`` is a list of {field, message_zh, message_en}."""

    def __init__(self, errors: list[dict]):
        self.errors = errors
        super().__init__(self.__str__())

    def __str__(self) -> str:
        lines = ["个人信息有误 / The profile has problems:"]
        for e in self.errors:
            lines.append(f"- {e['field']}: {e['message_zh']} / {e['message_en']}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        return {"error": "invalid_profile", "errors": self.errors}

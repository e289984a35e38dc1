"""The three audiences a fragment is rendered for, and their Socket.IO rooms (per language)."""

from enum import StrEnum


class Audience(StrEnum):
    TEACHER = "teacher"
    COLLEAGUE = "colleague"
    SCREEN = "screen"


# The languages a fragment is rendered in; Dutch is the default.
LOCALES = ("nl", "en")


def room(meeting_id: str, audience: Audience, locale: str = "nl") -> str:
    """A device hears the fragments of its audience in its own language."""
    return f"meeting:{meeting_id}:{audience}:{locale}"

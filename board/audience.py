"""The three audiences a fragment is rendered for, and their Socket.IO rooms."""

from enum import StrEnum


class Audience(StrEnum):
    TEACHER = "teacher"
    COLLEAGUE = "colleague"
    SCREEN = "screen"


def room(meeting_id: str, audience: Audience) -> str:
    return f"meeting:{meeting_id}:{audience}"

"""Checking free text that people type: required, length limits, no control characters."""

import re

from board.domain.errors import InvalidInput


def N_(message: str) -> str:
    """Mark a Dutch message for translation; it is translated where it is shown."""
    return message


# Line breaks and tabs are text; every other control character (NUL included) is not.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

LIMITS = {
    "name": 40,
    "alias": 30,
    "group": 30,
    "title": 100,
    "place": 100,
    "answer": 2000,
    "card": 280,
    "goal_part": 300,
    "notes": 5000,
    "agreement": 300,
    "short": 100,
    "yield": 500,
}


def clean_text(value: object, *, limit: int, label: str, required: bool = True) -> str:
    """The text as typed, trimmed at both ends, or InvalidInput with a Dutch message.
    The label is a Dutch msgid too: the message names the field in the reader's language."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(label)s: dit is geen tekst."), label=label)
    text = value.replace("\r\n", "\n").replace("\r", "\n").strip()
    if CONTROL_CHARACTERS.search(text):
        raise InvalidInput(N_("%(label)s: de tekst bevat ongeldige tekens."), label=label)
    if required and not text:
        raise InvalidInput(N_("%(label)s: vul dit in."), label=label)
    if len(text) > limit:
        raise InvalidInput(
            N_(
                "%(label)s: dit is te lang (%(length)s tekens, hooguit %(limit)s). Maak het korter."
            ),
            label=label,
            length=len(text),
            limit=limit,
        )
    return text


def name_key(name: str) -> str:
    """How names are compared: case and inner spaces do not make a different person."""
    return " ".join(name.casefold().split())

"""A team's own minutes per step: the seven steps stay, only their time boxes change.

Stored as text, "5,10,2,10,5,5,2" (None = the method's minutes, 39 in all). The bounds keep
the method's point, a strict time box per step (METHOD.md):
- every step keeps at least 1 minute: no step may be skipped by giving it none;
- no step gets more than 20 minutes, twice the longest step of the method, so that a large
  team or a team new to the method has room, while a step stays a time box, not an open talk;
- the meeting takes 20 to 60 minutes in all: about half the method's 39 at the least (less
  makes the steps a formality), and at most the hour a school's team meeting usually has.
"""

from collections.abc import Sequence

from board.domain.errors import InvalidInput
from board.domain.steps import STEPS, StepInfo
from board.domain.text import N_

STEP_MINUTES = (1, 20)
TOTAL_BOUNDS = (20, 60)
DEFAULT_MINUTES: tuple[int, ...] = tuple(step.minutes for step in STEPS)

BAD_STEP = N_(
    "Stap %(number)s (%(step)s): vul een heel aantal minuten in, van %(least)s tot %(most)s."
)
WRONG_COUNT = N_("Vul voor elk van de zeven stappen het aantal minuten in.")
TOO_SHORT = N_(
    "Samen is dat %(total)s minuten: te kort om elke stap echt te doen. "
    "Kies samen minstens %(least)s minuten."
)
TOO_LONG = N_(
    "Samen is dat %(total)s minuten: langer dan een bijeenkomst hoort te duren. "
    "Kies samen hoogstens %(most)s minuten."
)


def clean_minutes(values: Sequence[object]) -> tuple[int, ...]:
    """The seven minutes from a form (one value per step, in step order), checked."""
    if len(values) != len(STEPS):
        raise InvalidInput(WRONG_COUNT)
    minutes = tuple(_step_minutes(step, value) for step, value in zip(STEPS, values, strict=True))
    total = sum(minutes)
    if total < TOTAL_BOUNDS[0]:
        raise InvalidInput(TOO_SHORT, total=total, least=TOTAL_BOUNDS[0])
    if total > TOTAL_BOUNDS[1]:
        raise InvalidInput(TOO_LONG, total=total, most=TOTAL_BOUNDS[1])
    return minutes


def _step_minutes(step: StepInfo, value: object) -> int:
    text = str(value if value is not None else "").strip()
    least, most = STEP_MINUTES
    if not text.isascii() or not text.isdigit() or not least <= int(text) <= most:
        raise InvalidInput(BAD_STEP, number=step.number, step=step.short, least=least, most=most)
    return int(text)


def stored(minutes: Sequence[int]) -> str | None:
    """The minutes as stored on a team or meeting; None when they are the method's own."""
    minutes = tuple(minutes)
    if minutes == DEFAULT_MINUTES:
        return None
    return ",".join(str(number) for number in minutes)


def minutes_of(text: str | None) -> tuple[int, ...]:
    """The minutes per step as stored: the method's when empty or unreadable (a stored value
    was checked when it was saved; an unreadable one must not stop a meeting)."""
    if not text:
        return DEFAULT_MINUTES
    try:
        return clean_minutes(text.split(","))
    except InvalidInput:
        return DEFAULT_MINUTES


def planned_seconds(text: str | None) -> dict[int, int]:
    """Step number → planned seconds, for the step timers of a new meeting."""
    return {
        step.number: minutes * 60 for step, minutes in zip(STEPS, minutes_of(text), strict=True)
    }


def total_minutes(text: str | None) -> int:
    """The whole meeting's planned minutes (39 by the method)."""
    return sum(minutes_of(text))

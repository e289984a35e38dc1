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
from board.domain.steps import DEFAULT_MINUTES, STEPS, StepInfo, minutes_per_step
from board.domain.text import N_

STEP_MINUTES = (1, 20)
TOTAL_BOUNDS = (20, 60)

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


def total_minutes(stored_minutes: str | None) -> int:
    """The whole meeting's planned minutes (39 by the method)."""
    return sum(minutes_per_step(stored_minutes))

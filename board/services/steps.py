"""The step engine: start, next and previous step, the timer, and closing the meeting."""

from board import regions
from board.access import DeviceRef
from board.domain.errors import InvalidInput
from board.domain.permissions import Action
from board.domain.steps import Stage, next_stage, previous_stage
from board.domain.text import N_
from board.models import Meeting
from board.services.common import act, clock, commit, utcnow

TIMER_OPERATIONS = ("start", "pause", "extend")
CLOSE_UNCONFIRMED = N_(
    "Bevestig eerst dat je de bijeenkomst wilt afsluiten: daarna kan niemand nog iets wijzigen."
)


def _leave_current_step(meeting: Meeting, now: float) -> None:
    """Bank the time run in the current step: its actual seconds so far."""
    row = meeting.current_step_time
    if row is not None:
        row.timer = row.timer.pause(now)


def _enter(meeting: Meeting, stage: Stage, now: float) -> None:
    """Move to a stage; a step's timer starts (or resumes) at once."""
    _leave_current_step(meeting, now)
    meeting.stage = stage.value
    row = meeting.current_step_time
    if row is not None:
        row.timer = row.timer.start(now)


def start_meeting(meeting_id: str, ref: DeviceRef | None, expected: str | None = None) -> int:
    """From the lobby to step 1."""
    meeting, _ = act(meeting_id, ref, Action.START_MEETING, expected)
    meeting.started_at = clock()
    _enter(meeting, Stage.EXPLAIN, meeting.started_at)
    return commit(meeting, regions.STAGE)


def next_step(meeting_id: str, ref: DeviceRef | None, expected: str | None = None) -> int:
    """On to the next step."""
    meeting, _ = act(meeting_id, ref, Action.NEXT_STEP, expected)
    _enter(meeting, next_stage(meeting.current_stage), clock())
    return commit(meeting, regions.STAGE)


def previous_step(meeting_id: str, ref: DeviceRef | None, expected: str | None = None) -> int:
    """Back to the step before; its timer goes on from where it was."""
    meeting, _ = act(meeting_id, ref, Action.PREVIOUS_STEP, expected)
    _enter(meeting, previous_stage(meeting.current_stage), clock())
    return commit(meeting, regions.STAGE)


def run_timer(
    meeting_id: str, ref: DeviceRef | None, operation: str, expected: str | None = None
) -> int:
    """Start, pause or extend (one minute) the current step's timer."""
    meeting, _ = act(meeting_id, ref, Action.RUN_TIMER, expected)
    if operation not in TIMER_OPERATIONS:
        raise InvalidInput("Onbekende bediening van de timer.")
    row = meeting.current_step_time
    now = clock()
    if operation == "start":
        row.timer = row.timer.start(now)
    elif operation == "pause":
        row.timer = row.timer.pause(now)
    else:
        row.timer = row.timer.add_minute()
    return commit(meeting, regions.CLOCK, regions.CONTROLS)


def close_meeting(
    meeting_id: str, ref: DeviceRef | None, expected: str | None = None, confirmed: bool = False
) -> int:
    """Close: read-only for everyone from now on, and the join code stops working. For good,
    so only when the person confirmed it (a stray post changes nothing)."""
    meeting, _ = act(meeting_id, ref, Action.CLOSE_MEETING, expected)
    if not confirmed:
        raise InvalidInput(CLOSE_UNCONFIRMED)
    _leave_current_step(meeting, clock())
    meeting.stage = Stage.CLOSED.value
    meeting.closed_at = utcnow()
    return commit(meeting, regions.STAGE)

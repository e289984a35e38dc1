"""Timer arithmetic. The timer is data: planned time, extensions, time run, and when it started.

Times are seconds since the epoch (floats) passed in by the caller, so the same state
counts down identically on every device and in every server process.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

EXTENSION_SECONDS = 60
WARNING_SECONDS = 60


@dataclass(frozen=True)
class Timer:
    """The timer of one step."""

    planned_seconds: int
    extra_seconds: int = 0
    elapsed_seconds: float = 0.0  # run time banked before the current run
    started_at: float | None = None  # set while running

    @property
    def running(self) -> bool:
        return self.started_at is not None

    @property
    def budget_seconds(self) -> int:
        """Planned time plus every extension."""
        return self.planned_seconds + self.extra_seconds

    def start(self, now: float) -> "Timer":
        """Start or resume; starting a running timer changes nothing."""
        if self.running:
            return self
        return replace(self, started_at=now)

    def pause(self, now: float) -> "Timer":
        """Pause and bank the time run so far; pausing a paused timer changes nothing."""
        if self.started_at is None:
            return self
        return replace(self, elapsed_seconds=self.elapsed_at(now), started_at=None)

    def add_minute(self) -> "Timer":
        """Give the step one extra minute."""
        return replace(self, extra_seconds=self.extra_seconds + EXTENSION_SECONDS)

    def elapsed_at(self, now: float) -> float:
        """Seconds this step has run in total (the actual time of the step)."""
        running = max(0.0, now - self.started_at) if self.started_at is not None else 0.0
        return self.elapsed_seconds + running

    def remaining_at(self, now: float) -> float:
        """Seconds left; negative once the time is up."""
        return self.budget_seconds - self.elapsed_at(now)

    def overrun_at(self, now: float) -> float:
        """Seconds past the budget, zero while there is time left."""
        return max(0.0, -self.remaining_at(now))

    def phase_at(self, now: float) -> str:
        """'ok', 'warning' (a minute or less left) or 'overrun' (past zero)."""
        remaining = self.remaining_at(now)
        if remaining < 0:
            return "overrun"
        if remaining <= WARNING_SECONDS:
            return "warning"
        return "ok"


def format_clock(remaining: float) -> str:
    """The clock as every screen shows it: '4:05' counting down, '+0:12' once overrun."""
    if remaining >= 0:
        whole = math.ceil(remaining)
        return f"{whole // 60}:{whole % 60:02d}"
    whole = math.floor(-remaining)
    return f"+{whole // 60}:{whole % 60:02d}"


@dataclass(frozen=True)
class MeetingClock:
    """The whole meeting against its plan: when it started, when it should end, how far over.

    The plan is every step's planned time plus the minutes the timekeeper gave; the meeting is
    over by as much as the current step's time left plus the steps still to come would end it
    past that.
    """

    started_at: float
    planned_end: float
    still_to_come: float  # seconds the steps after the current one have left

    def over_at(self, now: float, current: Timer) -> float:
        """Seconds the meeting will end past its planned end; zero while on time."""
        expected_end = now + max(0.0, current.remaining_at(now)) + self.still_to_come
        return max(0.0, expected_end - self.planned_end)


def meeting_clock(started_at: float, timers: Sequence[Timer], current: int) -> MeetingClock:
    """The meeting clock from every step's timer, in order, and the index of the current one."""
    return MeetingClock(
        started_at=started_at,
        planned_end=started_at + sum(timer.budget_seconds for timer in timers),
        # Only the current step runs: what the later ones have left does not depend on the time.
        still_to_come=sum(max(0.0, later.remaining_at(0.0)) for later in timers[current + 1 :]),
    )

"""When and where a meeting takes place. Dates in what people typed ("12-3", "vrijdag
14 maart", "na zes weken") are read by board.domain.dutch_dates."""

from datetime import date, datetime, time, timedelta

from board.domain.errors import InvalidInput, Message
from board.domain.steps import TOTAL_MINUTES
from board.domain.text import N_

# A meeting outside these hours is allowed (an evening team meeting happens), but the
# teacher is asked to check the time.
SCHOOL_DAY = (time(7, 30), time(18, 0))
DURATION = timedelta(minutes=TOTAL_MINUTES)

DATE_IN_PAST = N_("Datum: die dag is al voorbij. Kies vandaag of een dag in de toekomst.")
BAD_DATE = N_("Datum: kies een geldige datum.")
BAD_TIME = N_("Begintijd: vul een tijd in als 15:15, of laat het vak leeg.")
OUTSIDE_SCHOOL_DAY = N_(
    "Let op: de bijeenkomst begint om %(time)s, buiten schooltijd. Klopt dat? "
    "Je kunt de tijd nog aanpassen."
)


def meeting_day(value: object, today: date) -> date:
    """The meeting's date from the form: a real date, today or later."""
    try:
        day = date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise InvalidInput(BAD_DATE) from None
    if day < today:
        raise InvalidInput(DATE_IN_PAST)
    return day


def start_time(value: object) -> time | None:
    """The start time from the form ("15:15"), or None when left empty."""
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text).replace(second=0, microsecond=0, tzinfo=None)
    except ValueError:
        raise InvalidInput(BAD_TIME) from None


def clock(value: time) -> str:
    return value.strftime("%H:%M")


def school_day_warning(start: time | None) -> str | None:
    """A Dutch warning when the meeting starts or ends outside the school day."""
    if start is None:
        return None
    end = (datetime.combine(date.min, start) + DURATION).time()
    if start < SCHOOL_DAY[0] or end > SCHOOL_DAY[1] or end < start:
        return Message(OUTSIDE_SCHOOL_DAY, {"time": clock(start)})
    return None

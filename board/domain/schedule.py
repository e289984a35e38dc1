"""When and where a meeting takes place, and dates found in what people typed ("12-3",
"vrijdag 14 maart"), so that an agreement or an evaluation can go into a calendar."""

import re
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

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
NUMERIC = re.compile(
    r"\b(?:(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{2,4}))?)\b"
)
WRITTEN = re.compile(
    r"\b(\d{1,2})\s+(" + "|".join(m[:3] for m in MONTHS) + r")[a-z]*\.?(?:\s+(\d{4}))?\b",
    re.IGNORECASE,
)


def dutch_date(value: date) -> str:
    """For example '2 december 2026'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


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


def _day(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _year(found: str | None, reference: date) -> int:
    if not found:
        return reference.year
    year = int(found)
    return year + 2000 if year < 100 else year


def find_date(text: str, reference: date) -> date | None:
    """The first date in a free text ("uiterlijk 14-3", "vrijdag 14 maart 2027"); a date
    without a year is the first one on or after the reference date."""
    numeric, written = NUMERIC.search(text), WRITTEN.search(text)
    if numeric and (not written or numeric.start() < written.start()):
        iso_year, iso_month, iso_day, day, month, year = numeric.groups()
        if iso_year:
            return _day(int(iso_year), int(iso_month), int(iso_day))
        parts, has_year = (int(day), int(month)), year is not None
    elif written:
        day, name, year = written.groups()
        month = next(i for i, m in enumerate(MONTHS, 1) if m.startswith(name.lower()))
        parts, has_year = (int(day), month), year is not None
    else:
        return None
    found = _day(_year(year, reference), parts[1], parts[0])
    if found is not None and not has_year and found < reference:
        found = _day(reference.year + 1, parts[1], parts[0])
    return found

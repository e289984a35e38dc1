"""How a Dutch date in what people typed is understood: "14-3", "vrijdag 14 maart 2027",
"2027-01-05", "eind januari", "in week 12", and spans counted from a reference day such
as the meeting ("na zes weken", "over 4 weken", "volgende maand").

One reading for every caller: the "Wanneer?" of an agreement (for its calendar item) and
the evaluation moment of the goal (for the follow-up). The first date in the text counts.
"""

import re
from collections.abc import Callable
from datetime import date, timedelta

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
# Full names and the usual abbreviations ("mrt", "sept", "dec.").
MONTH_NUMBERS: dict[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("januari", "jan"),
            ("februari", "feb"),
            ("maart", "mrt", "mar"),
            ("april", "apr"),
            ("mei",),
            ("juni", "jun"),
            ("juli", "jul"),
            ("augustus", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "okt", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}
# Number words as a span reads them ("na zes weken"); the next step uses them too.
NUMBER_NAMES: tuple[str, ...] = (
    *("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen", "tien"),
    *("elf", "twaalf", "dertien", "veertien", "vijftien", "zestien", "zeventien", "achttien"),
    *("negentien", "twintig"),
)
NUMBER_VALUES: dict[str, int] = {word: value for value, word in enumerate(NUMBER_NAMES)} | {
    "een": 1,
    "eén": 1,
}
_WORDS = "|".join(sorted(NUMBER_VALUES, key=len, reverse=True))
_MONTH = "|".join(sorted(MONTH_NUMBERS, key=len, reverse=True))

SPAN = re.compile(
    rf"\b(?:na|over|binnen)\s+(\d+|{_WORDS})\s+(dagen|dag|weken|week|maanden|maand)\b",
    re.IGNORECASE,
)
ISO = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")
DAY_MONTH = re.compile(rf"\b(\d{{1,2}})\s+({_MONTH})\b\.?(?:\s+(\d{{4}}))?", re.IGNORECASE)
NUMERIC = re.compile(r"\b(\d{1,2})[-/.](\d{1,2})(?:[-/.](\d{4}|\d{2}))?\b")
PART_OF_MONTH = re.compile(rf"\b(eind|einde|begin|half|medio)\s+({_MONTH})\b", re.IGNORECASE)
WEEK_NUMBER = re.compile(r"\b(?:in|tot|na|vanaf)\s+week\s+(\d{1,2})\b", re.IGNORECASE)
NEXT = re.compile(r"\bvolgende\s+(week|maand)\b", re.IGNORECASE)


def dutch_date(value: date) -> str:
    """For example '2 december 2026'."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def find_date(text: str, reference: date) -> date | None:
    """The first date named in the text. A span counts from the reference day; a day and
    month without a year is the first such day on or after it. A bare "3/4" or "8-10" may
    be a fraction or a range: it counts only when nothing else in the text is a date. None
    when the text names no date, or one that does not exist ("31-2")."""
    found = [
        (_bare(match), match.start(), order, match, read)
        for order, (pattern, read) in enumerate(_READERS)
        if (match := pattern.search(text or ""))
    ]
    if not found:
        return None
    *_, match, read = min(found, key=lambda item: item[:3])
    return read(match, reference)


# "op 14-3", "vrijdag 14-3": a word before it says a bare day-month is a date.
DATE_WORD = re.compile(
    r"\b(?:op|tot|voor|vóór|uiterlijk|per|vanaf|maandag|dinsdag|woensdag|donderdag|vrijdag|"
    r"zaterdag|zondag|ma|di|wo|do|vr)\.?\s+$",
    re.IGNORECASE,
)


def _bare(match: re.Match) -> bool:
    """A day-month without a year and without a word that makes it a date."""
    if match.re is not NUMERIC or match.group(3) is not None:
        return False
    return not DATE_WORD.search(match.string[: match.start()])


def date_on_or_after(text: str, reference: date) -> date | None:
    """The date the text names, if it is not before the reference day (an evaluation
    before the meeting it evaluates means nothing)."""
    found = find_date(text, reference)
    return found if found is not None and found >= reference else None


def _span(match: re.Match, start: date) -> date | None:
    """The day a span from the start ends; None past the calendar ("over 100000 maanden")."""
    word, unit = match.group(1), match.group(2).lower()
    try:
        count = int(word) if word.isdigit() else NUMBER_VALUES[word.lower()]
        if unit.startswith("dag"):
            return start + timedelta(days=count)
        if unit.startswith("we"):
            return start + timedelta(weeks=count)
        return add_months(start, count)
    except (OverflowError, ValueError):
        return None


def _iso(match: re.Match, _start: date) -> date | None:
    return _valid(int(match.group(1)), int(match.group(2)), int(match.group(3)))


def _day_month(match: re.Match, start: date) -> date | None:
    month = MONTH_NUMBERS[match.group(2).lower()]
    return _on_or_after(start, month, int(match.group(1)), match.group(3))


def _numeric(match: re.Match, start: date) -> date | None:
    return _on_or_after(start, int(match.group(2)), int(match.group(1)), match.group(3))


def _part_of_month(match: re.Match, start: date) -> date | None:
    month = MONTH_NUMBERS[match.group(2).lower()]
    part = match.group(1).lower()
    day = 1 if part == "begin" else 15 if part in ("half", "medio") else 31
    return _on_or_after(start, month, day, None, clamp=True)


def _week_number(match: re.Match, start: date) -> date | None:
    """The Friday of that week: the end of the school week."""
    for year in (start.year, start.year + 1):
        try:
            friday = date.fromisocalendar(year, int(match.group(1)), 5)
        except ValueError:
            return None
        if friday >= start:
            return friday
    return None


def _next(match: re.Match, start: date) -> date:
    if match.group(1).lower() == "week":
        return start + timedelta(weeks=1)
    return add_months(start, 1)


# On the same position, the earlier reader wins ("2027-01-05" is not "01-05").
_READERS: tuple[tuple[re.Pattern, Callable[[re.Match, date], date | None]], ...] = (
    (SPAN, _span),
    (ISO, _iso),
    (DAY_MONTH, _day_month),
    (NUMERIC, _numeric),
    (PART_OF_MONTH, _part_of_month),
    (WEEK_NUMBER, _week_number),
    (NEXT, _next),
)


def _valid(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def days_in(year: int, month: int) -> int:
    following = date(year + month // 12, month % 12 + 1, 1)
    return (following - timedelta(days=1)).day


def add_months(start: date, months: int) -> date:
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, days_in(year, month)))


def _on_or_after(
    start: date, month: int, day: int, year: str | None, *, clamp: bool = False
) -> date | None:
    """A day and month; without a year, the first one on or after the reference day."""
    if not 1 <= month <= 12:
        return None
    if year:
        full = int(year) + (2000 if len(year) == 2 else 0)
        return _valid(full, month, min(day, days_in(full, month)) if clamp else day)
    for candidate in range(start.year, start.year + 5):  # 29-2: the next leap year
        found = _valid(candidate, month, min(day, days_in(candidate, month)) if clamp else day)
        if found is not None and found >= start:
            return found
    return None

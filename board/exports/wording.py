"""The sentences every export opens with: title, status and meeting line."""

from flask_babel import gettext as _

from board.domain.dutch_dates import dutch_date
from board.services.summary import GroupPlanEntry


def heading(entry: GroupPlanEntry) -> str:
    return _("Groepsplan: %(pupil)s, groep %(group)s", pupil=entry.pupil, group=entry.group)


def status_word(entry: GroupPlanEntry) -> str:
    """'Concept' or 'Definitief', as shown in every format."""
    return _("Concept") if entry.status == "concept" else _("Definitief")


def status_note(entry: GroupPlanEntry) -> str:
    if entry.status == "concept":
        return _("de bijeenkomst loopt nog; dit is nog niet definitief.")
    return _("de bijeenkomst is afgesloten.")


def status_line(entry: GroupPlanEntry) -> str:
    """For example 'Concept: de bijeenkomst loopt nog; dit is nog niet definitief.'"""
    return f"{status_word(entry)}: {status_note(entry)}"


def meta_line(entry: GroupPlanEntry) -> str:
    line = _(
        "Intervisie van %(date)s, %(n)s deelnemers.",
        date=dutch_date(entry.date),
        n=entry.participants,
    )
    return f"{line} {entry.title}" if entry.title else line


def period_text(entry: GroupPlanEntry) -> str:
    """'2 december 2026 → na zes weken': from the meeting to the evaluation."""
    period = entry.period
    start = period.start if period else entry.date
    if period and period.end_date:
        end = dutch_date(period.end_date)
    elif period and period.end:
        end = period.end.rstrip(". ")
    else:
        end = _("evaluatie nog niet gepland")
    return f"{dutch_date(start)} → {end}"


def plan_line(entry: GroupPlanEntry) -> str:
    """For example 'Leerkracht: Juf Sanne. Periode: 2 december 2026 → na zes weken.'"""
    return _(
        "Leerkracht: %(teacher)s. Periode: %(period)s.",
        teacher=entry.teacher or "—",
        period=period_text(entry),
    )

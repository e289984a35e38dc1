"""What the teacher sends her colleagues before the meeting, and what everyone takes home
after it: the mail, the calendar items and the preparation form on paper. Only the reading
link ever goes out; the teacher's secret link never does."""

from datetime import date, datetime
from urllib.parse import quote

from flask import render_template

from board.domain.dutch_dates import dutch_date, find_date
from board.domain.preparation import PREP_QUESTIONS
from board.domain.schedule import clock
from board.exports.calendar import Event, calendar
from board.models import Agreement, Meeting
from board.services.common import utcnow
from board.services.meetings import join_preview
from board.views import join_base, shared_url


def reading_url(meeting: Meeting) -> str:
    return shared_url("board.preparation", token=meeting.prep_token)


def when_text(meeting: Meeting) -> str:
    """When and where in Dutch: "9 december 2026 om 15:15, teamkamer"."""
    text = dutch_date(meeting.meeting_date)
    if meeting.start_time:
        text += f" om {clock(meeting.start_time)}"
    if meeting.place:
        text += f", {meeting.place}"
    return text


def mail_link(meeting: Meeting) -> str:
    """A mailto: link with the invitation in Dutch, addressed to nobody: she picks the team."""
    subject = f"Intervisie over {meeting.pupil_alias} (groep {meeting.group_name})"
    when = dutch_date(meeting.meeting_date)
    if meeting.start_time:
        when += f", {clock(meeting.start_time)} uur ({meeting.duration.seconds // 60} minuten)"
    lines = [
        "Beste collega's,",
        "",
        f"Ik breng {meeting.pupil_alias} uit groep {meeting.group_name} in voor intervisie "
        "en denk daar graag met jullie over na.",
        "",
        f"Wanneer: {when}",
        *([f"Waar: {meeting.place}"] if meeting.place else []),
        "",
        "Wil je vooraf de voorbereiding lezen? Die staat hier:",
        reading_url(meeting),
        "",
        "In de bijeenkomst doe je mee met een code op je telefoon.",
    ]
    teacher = join_preview(meeting).teacher  # None when she gave no name
    if teacher:
        lines += ["", "Groet,", teacher]
    body = "\r\n".join(lines)  # RFC 6068: line breaks in a mailto body are CRLF
    return f"mailto:?subject={quote(subject)}&body={quote(body)}"


def meeting_calendar(meeting: Meeting) -> bytes:
    """The meeting as a calendar item: all day when no start time was given."""
    if meeting.start_time:
        start = datetime.combine(meeting.meeting_date, meeting.start_time)
        end: date | datetime = start + meeting.duration
    else:
        start, end = meeting.meeting_date, date.fromordinal(meeting.meeting_date.toordinal() + 1)
    event = Event(
        uid=f"meeting-{meeting.id}@{host()}",
        start=start,
        end=end,
        summary=f"Intervisie: {meeting.pupil_alias} (groep {meeting.group_name})",
        description=f"Lees vooraf de voorbereiding: {reading_url(meeting)}",
        location=meeting.place,
        url=reading_url(meeting),
    )
    return calendar([event], utcnow())


def agreement_day(meeting: Meeting, agreement: Agreement) -> date | None:
    return find_date(agreement.when, meeting.meeting_date)


def agreement_calendar(meeting: Meeting, agreement: Agreement) -> bytes | None:
    """An agreement on the date its 'when' names, as an all-day item; None without a date."""
    day = agreement_day(meeting, agreement)
    if day is None:
        return None
    who = f" ({agreement.who})" if agreement.who else ""
    event = Event(
        uid=f"agreement-{agreement.id}-{meeting.id}@{host()}",
        start=day,
        end=date.fromordinal(day.toordinal() + 1),
        summary=f"Afspraak intervisie {meeting.pupil_alias}: {agreement.what}"[:200],
        description=f"{agreement.what}{who}\nAfgesproken op {dutch_date(meeting.meeting_date)}.",
    )
    return calendar([event], utcnow())


def evaluation_calendar(meeting: Meeting, day: date) -> bytes:
    """The goal's evaluation as an all-day item for the teacher: the date and the goal, no link
    (the summary is reached through her own device)."""
    event = Event(
        uid=f"evaluation-{meeting.id}@{host()}",
        start=day,
        end=date.fromordinal(day.toordinal() + 1),
        summary=f"Evaluatie doel {meeting.pupil_alias} (groep {meeting.group_name})",
        description=f"Is het doel gehaald?\n{meeting.goal_text}\n"
        f"Afgesproken in de intervisie van {dutch_date(meeting.meeting_date)}.",
    )
    return calendar([event], utcnow())


def host() -> str:
    return join_base().split("://", 1)[-1].split("/", 1)[0] or "intervisiebord"


def prep_form_pdf(meeting: Meeting | None) -> bytes:
    """The preparation form on paper: blank to write on (no meeting), or as she filled it in."""
    # WeasyPrint takes seconds to import: load it on the first PDF, like the export does.
    from board.exports.pdf import html_to_pdf

    answers = [
        (question, getattr(meeting, f"prep_{question.key}") if meeting else "")
        for question in PREP_QUESTIONS
    ]
    when = when_text(meeting) if meeting else ""
    teacher = join_preview(meeting).teacher if meeting else None
    page = render_template(
        "prep_print.html", meeting=meeting, answers=answers, when=when, teacher=teacher
    )
    return html_to_pdf(page)

"""HTTP routes: parse the request, call one service, render. Changes reach others by push."""

import io
import time

import segno
from flask import (
    Blueprint,
    Response,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)

from board import access, invitation, queries, regions
from board.domain import schedule
from board.domain.errors import DomainError, NotFound, Unconfirmed
from board.domain.labels import NUDGE
from board.domain.preparation import PREP_QUESTIONS
from board.errors import retry_after
from board.extensions import db, htmx
from board.services import content, followup, meetings, steps, summary
from board.services.common import find_actor, get_meeting, load, today
from board.team.accounts import signed_in
from board.views import can_for, card_context, form_context, join_url

bp = Blueprint("board", __name__)
# The invitation box of the teacher's links: the mail, and when and where (with a warning).
bp.add_app_template_global(invitation.mail_link)
bp.add_app_template_global(invitation.when_text, "meeting_when")
bp.add_app_template_global(schedule.school_day_warning)
bp.add_app_template_global(invitation.agreement_day)


def my_vote(board, actor) -> queries.Ballot | None:
    if actor is None or actor.participant is None:
        return None
    return queries.ballot_of(board.id, actor.participant.id)


def region_view(region: regions.Region, meeting, audience) -> dict:
    """What a region's partial needs for one audience: its context, the audience and its can."""
    context = region.build(meeting, time.time())
    return {**context, "audience": audience, "can": can_for(audience, meeting.current_stage)}


def device(meeting_id: str) -> access.DeviceRef | None:
    return access.device_ref(meeting_id)


ICS = "text/calendar; charset=utf-8"
PDF = "application/pdf"


def download(body: bytes, content_type: str, name: str) -> Response:
    """A file to keep, never kept by a cache on the way."""
    headers = {"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"}
    return Response(body, content_type=content_type, headers=headers)


def versioned(response, version: int | None) -> Response:
    """Tell the caller the version its command produced, so it can spot a missed push."""
    response = make_response(response)
    if version is not None:
        response.headers["X-Board-Version"] = str(version)
    return response


def done(meeting_id: str, version: int | None) -> Response:
    """htmx callers get 204 (the push updates every screen, and a form that added something
    empties itself: board.js); plain forms go back to the board."""
    if htmx:
        return versioned(("", 204), version)
    return versioned(redirect(url_for("board.meeting", meeting_id=meeting_id), code=303), version)


def saved(version: int | None) -> Response:
    """An autosaved field's answer: "Opgeslagen", with the version."""
    return versioned(render_template("partials/saved.html"), version)


def form_or_done(meeting, version: int | None, template: str, **context) -> Response:
    """htmx gets the form back as the server now fills it (the vote, with the new vote)."""
    if htmx:
        return versioned(render_template(template, **form_context(meeting), **context), version)
    return done(meeting.id, version)


def home_page(status: int = 200, **context):
    """The start page, with the meetings this device holds as the teacher."""
    mine = meetings.my_meetings(access.participant_ids(), today())
    return render_template("home.html", mine=mine, today=today().isoformat(), **context), status


@bp.get("/")
def home():
    """The start page: create a meeting, or join one with a code."""
    return home_page()


@bp.post("/meetings")
def create():
    """Create a meeting and send the teacher to their secret link."""
    try:
        meeting = meetings.create_meeting(request.form)
    except DomainError as error:
        return home_page(
            error.status,
            error=error.message,
            unconfirmed=isinstance(error, Unconfirmed),
            form=request.form,
        )
    return redirect(url_for("board.teacher_link", token=meeting.teacher_token), code=303)


@bp.get("/t/<token>")
def teacher_link(token: str):
    """The teacher's secret link: this device becomes the teacher's."""
    meeting = meetings.by_token("teacher_token", token)
    access.remember_participant(meeting.id, meetings.teacher_of(meeting).id)
    return redirect(url_for("board.meeting", meeting_id=meeting.id))


@bp.get("/s/<token>")
def screen_link(token: str):
    """The room screen's secret link: this device shows the room view."""
    meeting = meetings.by_token("screen_token", token)
    access.remember_screen(meeting.id)
    return redirect(url_for("board.meeting", meeting_id=meeting.id))


@bp.get("/p/<token>")
def preparation(token: str):
    """The preparation, read-only, for colleagues to read before the meeting."""
    meeting = meetings.preparation_for(token, device)
    return render_template("preparation.html", meeting=meeting, questions=PREP_QUESTIONS)


@bp.get("/p/<token>/uitnodiging.ics")
def invitation_calendar(token: str):
    """The meeting as a calendar item, for whoever holds the reading link."""
    meeting = meetings.preparation_for(token, device)
    return download(invitation.meeting_calendar(meeting), ICS, "intervisie.ics")


@bp.get("/p/<token>/voorbereiding.pdf")
def preparation_pdf(token: str):
    """The preparation form as the teacher filled it in, on paper."""
    meeting = meetings.preparation_for(token, device)
    return download(invitation.prep_form_pdf(meeting), PDF, "voorbereiding-intervisie.pdf")


@bp.get("/voorbereidingsformulier.pdf")
def blank_preparation_pdf():
    """The blank preparation form, with lines to write on."""
    return download(invitation.prep_form_pdf(None), PDF, "voorbereidingsformulier.pdf")


@bp.post("/p/<token>/read")
def preparation_read(token: str):
    """A colleague marks the preparation as read."""
    meeting = meetings.preparation_for(token, device)
    try:
        meetings.mark_prep_read(token, request.form.get("name"))
    except DomainError as error:
        return render_template(
            "preparation.html", meeting=meeting, questions=PREP_QUESTIONS, error=error.message
        ), error.status
    return render_template("preparation.html", meeting=meeting, questions=PREP_QUESTIONS, read=True)


@bp.get("/join")
def join_by_code():
    """The code box on the home page."""
    code = request.args.get("code", "")
    return redirect(url_for("board.join", code=code.strip() or "-"))


def join_failed(error: DomainError, code: str):
    """Why a code does not lead in, with a box to try another."""
    page = render_template("join_failed.html", error=error.message, code=code)
    return page, error.status, retry_after(error)


@bp.get("/j/<code>")
def join(code: str):
    """The QR code's target: ask for a display name."""
    try:
        meeting = meetings.meeting_for_code(code, request.remote_addr)
    except DomainError as error:
        return join_failed(error, code)
    ref = device(meeting.id)
    if ref is not None and find_actor(meeting, ref) is not None:
        return redirect(url_for("board.meeting", meeting_id=meeting.id))
    return render_template("join.html", preview=meetings.join_preview(meeting), code=code)


@bp.post("/j/<code>")
def join_submit(code: str):
    """Join under a display name, then on to the lobby."""
    try:
        participant = meetings.join(code, request.form.get("name"), request.remote_addr)
    except DomainError as error:
        if error.status != 422:
            return join_failed(error, code)
        meeting = meetings.meeting_for_code(code, request.remote_addr)
        return render_template(
            "join.html",
            preview=meetings.join_preview(meeting),
            code=code,
            error=error.message,
            name=request.form.get("name", ""),
        ), error.status
    access.remember_participant(participant.meeting_id, participant.id)
    return redirect(url_for("board.meeting", meeting_id=participant.meeting_id), code=303)


@bp.get("/m/<meeting_id>")
def meeting(meeting_id: str):
    """The board itself, for the teacher, a colleague or the room screen."""
    board, actor = load(meeting_id, device(meeting_id))  # the id alone leads nowhere
    return render_template(
        "meeting.html",
        me=actor,
        my_vote=my_vote(board, actor),
        **region_view(regions.STAGE, board, actor.audience),
    )


@bp.get("/m/<meeting_id>/live")
def live(meeting_id: str):
    """Every live region at once, for a device that fell behind (resync)."""
    board, actor = load(meeting_id, device(meeting_id))
    html = render_template(
        regions.STAGE.template, **region_view(regions.STAGE, board, actor.audience)
    )
    return Response(html, headers={"X-Board-Version": str(board.version)})


@bp.get("/m/<meeting_id>/version")
def version(meeting_id: str):
    """The meeting's version and nothing else: a device's heartbeat, to learn it missed a push."""
    board, _ = load(meeting_id, device(meeting_id))
    return Response(status=204, headers={"X-Board-Version": str(board.version)})


@bp.get("/m/<meeting_id>/qr.svg")
def qr(meeting_id: str):
    """The join QR code as SVG."""
    board, _ = load(meeting_id, device(meeting_id))
    buffer = io.BytesIO()
    segno.make(join_url(board), error="m").save(buffer, kind="svg", scale=8, border=2)
    return Response(buffer.getvalue(), mimetype="image/svg+xml")


@bp.post("/m/<meeting_id>/prep")
def save_preparation(meeting_id: str):
    """Autosave one preparation answer."""
    version = meetings.save_preparation(
        meeting_id, device(meeting_id), request.form.get("field"), request.form.get("value")
    )
    return saved(version)


@bp.post("/m/<meeting_id>/open")
def open_lobby(meeting_id: str):
    """Open the lobby: the join code starts working."""
    version = meetings.open_lobby(meeting_id, device(meeting_id))
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/timekeeper")
def assign_timekeeper(meeting_id: str):
    """Assign the timekeeper."""
    version = meetings.assign_timekeeper(
        meeting_id, device(meeting_id), request.form.get("participant_id")
    )
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/start")
def start(meeting_id: str):
    """Start the meeting at step 1."""
    version = steps.start_meeting(meeting_id, device(meeting_id), request.form.get("stage"))
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/next")
def next_step(meeting_id: str):
    """Go to the next step."""
    version = steps.next_step(meeting_id, device(meeting_id), request.form.get("stage"))
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/previous")
def previous_step(meeting_id: str):
    """Go back one step."""
    version = steps.previous_step(meeting_id, device(meeting_id), request.form.get("stage"))
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/timer/<operation>")
def timer(meeting_id: str, operation: str):
    """Start, pause or extend the step's timer."""
    version = steps.run_timer(meeting_id, device(meeting_id), operation, request.form.get("stage"))
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/close")
def close(meeting_id: str):
    """Close the meeting, once the person confirmed it."""
    confirmed = request.form.get("confirm") == "yes"
    version = steps.close_meeting(
        meeting_id, device(meeting_id), request.form.get("stage"), confirmed
    )
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/questions")
def ask_question(meeting_id: str):
    """Post a clarifying question."""
    version = content.ask_question(
        meeting_id, device(meeting_id), request.form.get("text"), request.form.get("stage")
    )
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/questions/<question_id>/answered")
def mark_answered(meeting_id: str, question_id: str):
    """Mark a question answered (or not)."""
    version = content.mark_answered(meeting_id, device(meeting_id), question_id)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/goal")
def save_goal(meeting_id: str):
    """Autosave one part of the goal."""
    version = content.save_goal(
        meeting_id, device(meeting_id), request.form.get("field"), request.form.get("value")
    )
    return saved(version)


@bp.post("/m/<meeting_id>/suggestions")
def suggest_goal(meeting_id: str):
    """Send a wording for the goal."""
    version = content.suggest_goal(
        meeting_id, device(meeting_id), request.form.get("text"), request.form.get("stage")
    )
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/suggestions/<suggestion_id>/adopt")
def adopt_suggestion(meeting_id: str, suggestion_id: str):
    """Adopt a colleague's wording as the goal."""
    version = content.adopt_suggestion(meeting_id, device(meeting_id), suggestion_id)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/notes")
def save_notes(meeting_id: str):
    """Autosave the teacher's private notes."""
    version = content.save_notes(meeting_id, device(meeting_id), request.form.get("value"))
    return saved(version)


@bp.post("/m/<meeting_id>/needs")
def add_need(meeting_id: str):
    """Add a need card (idempotent per client key)."""
    version = content.add_need(meeting_id, device(meeting_id), request.form)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/needs/check")
def check_need(meeting_id: str):
    """The label nudge for a card still being typed, into the hint under the text box."""
    word = content.label_in_need(meeting_id, device(meeting_id), request.form.get("text"))
    return render_template("partials/need_nudge.html", label_word=word, nudge_message=NUDGE)


@bp.get("/m/<meeting_id>/needs/<card_id>/edit")
def need_editor(meeting_id: str, card_id: str):
    """The editor of one's own need card, fetched when asked for."""
    card = content.need_editor(meeting_id, device(meeting_id), card_id)
    return render_template(
        "partials/forms/need_edit.html", card=card, **form_context(get_meeting(card.meeting_id))
    )


@bp.post("/m/<meeting_id>/needs/<card_id>")
def edit_need(meeting_id: str, card_id: str):
    """Rewrite one's own need card."""
    version = content.edit_need(meeting_id, device(meeting_id), card_id, request.form)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/needs/<card_id>/withdraw")
def withdraw_need(meeting_id: str, card_id: str):
    """Withdraw one's own need card."""
    version = content.withdraw_need(meeting_id, device(meeting_id), card_id)
    return done(meeting_id, version)


@bp.get("/m/<meeting_id>/needs/<card_id>/aside")
def aside_editor(meeting_id: str, card_id: str):
    """The timekeeper's form to set a card aside, fetched when asked for."""
    card, others = content.aside_editor(meeting_id, device(meeting_id), card_id)
    return render_template(
        "partials/forms/need_aside.html",
        card=card,
        others=others,
        **card_context(get_meeting(card.meeting_id)),
    )


@bp.post("/m/<meeting_id>/needs/<card_id>/aside")
def set_aside(meeting_id: str, card_id: str):
    """Set a card aside, with a reason (timekeeper, step 4)."""
    version = content.set_aside(meeting_id, device(meeting_id), card_id, request.form)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/needs/<card_id>/back")
def put_back(meeting_id: str, card_id: str):
    """Put a card that was set aside back on the board."""
    version = content.put_back(meeting_id, device(meeting_id), card_id, request.form.get("stage"))
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/needs/<card_id>/mark")
def mark_need(meeting_id: str, card_id: str):
    """Mark a need, one choice at a time: htmx hears it is saved, plain forms go back."""
    version = content.mark_need(meeting_id, device(meeting_id), card_id, request.form)
    if htmx:
        return saved(version)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/support")
def save_support(meeting_id: str):
    """Autosave the teacher's support needs or plan note."""
    version = content.save_support(
        meeting_id, device(meeting_id), request.form.get("field"), request.form.get("value")
    )
    return saved(version)


@bp.post("/m/<meeting_id>/agreements")
def add_agreement(meeting_id: str):
    """Add an agreement."""
    version = content.add_agreement(meeting_id, device(meeting_id), request.form)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/agreements/<agreement_id>")
def edit_agreement(meeting_id: str, agreement_id: str):
    """Rewrite an agreement (teacher)."""
    version = content.edit_agreement(meeting_id, device(meeting_id), agreement_id, request.form)
    return done(meeting_id, version)


@bp.post("/m/<meeting_id>/agreements/<agreement_id>/remove")
def remove_agreement(meeting_id: str, agreement_id: str):
    """Remove an agreement (teacher)."""
    version = content.remove_agreement(meeting_id, device(meeting_id), agreement_id)
    return done(meeting_id, version)


@bp.get("/m/<meeting_id>/agreements/<agreement_id>.ics")
def agreement_calendar(meeting_id: str, agreement_id: str):
    """An agreement with a date as a calendar item, for everyone in the meeting."""
    board, agreement = meetings.agreement_of(meeting_id, device(meeting_id), agreement_id)
    body = invitation.agreement_calendar(board, agreement)
    if body is None:
        raise NotFound("Bij deze afspraak staat geen datum, dus er is geen agendaitem.")
    return download(body, ICS, "afspraak.ics")


@bp.post("/m/<meeting_id>/vote")
def vote(meeting_id: str):
    """Vote on the yield (again, to change it)."""
    board, ballot, version = content.vote(meeting_id, device(meeting_id), request.form)
    return form_or_done(board, version, "partials/forms/vote.html", my_vote=ballot)


@bp.get("/m/<meeting_id>/summary")
def summary_page(meeting_id: str):
    """The teacher's summary: the group plan entry, not-now needs, yield, minutes per step."""
    result = summary.summary_for(meeting_id, device(meeting_id))
    return render_template("summary.html", **result)


@bp.get("/m/<meeting_id>/evaluatie.ics")
def evaluation_calendar(meeting_id: str):
    """The evaluation date as a calendar item, for the teacher."""
    board, day = followup.evaluation_of(meeting_id, device(meeting_id))
    return download(invitation.evaluation_calendar(board, day), ICS, "evaluatie.ics")


@bp.post("/m/<meeting_id>/evaluation-date")
def set_evaluation_date(meeting_id: str):
    """The teacher picks or corrects the evaluation date."""
    version = followup.set_evaluation_date(
        meeting_id, device(meeting_id), request.form.get("value")
    )
    if request.form.get("back") == "summary":
        return redirect(url_for("board.summary_page", meeting_id=meeting_id), code=303)
    return saved(version) if htmx else done(meeting_id, version)


@bp.post("/m/<meeting_id>/evaluation")
def evaluate(meeting_id: str):
    """Is het doel gehaald? Recorded; before its date too (the summary adds a note)."""
    followup.evaluate(meeting_id, device(meeting_id), request.form)
    return redirect(url_for("board.summary_page", meeting_id=meeting_id, _anchor="evaluatie"), 303)


@bp.post("/m/<meeting_id>/follow-up")
def start_follow_up(meeting_id: str):
    """A follow-up meeting for the same pupil, prefilled; the teacher continues there."""
    follow = followup.start_follow_up(meeting_id, device(meeting_id), signed_in())
    return redirect(url_for("board.teacher_link", token=follow.teacher_token), code=303)


@bp.post("/m/<meeting_id>/delete")
def delete(meeting_id: str):
    """Delete the meeting and everything in it, at once."""
    meetings.delete_meeting(meeting_id, device(meeting_id), request.form.get("confirm"))
    access.forget(meeting_id)
    if htmx:
        return "", 204, {"HX-Redirect": url_for("board.deleted")}
    return redirect(url_for("board.deleted"), code=303)


@bp.get("/verwijderd")
def deleted():
    """Confirmation that a meeting is gone."""
    return render_template("deleted.html")


@bp.get("/healthz")
def healthz():
    """Liveness and database check for a load balancer or monitor."""
    try:
        db.session.execute(db.text("SELECT 1"))
    except Exception:  # any database failure means unhealthy
        return {"status": "error", "db": "error"}, 503
    return {"status": "ok", "db": "ok"}

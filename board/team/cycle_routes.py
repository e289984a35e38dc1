"""The team's cycle pages: the plan of slots (and taking one), the calendar feed, the minutes
per step, and the figures with their charts. Organisers only: every page needs a login."""

from flask import Blueprint, Response, abort, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from board import access
from board.domain.errors import DomainError, Unconfirmed
from board.domain.permissions import TeamAction, may_team
from board.domain.steps import STEPS, minutes_per_step
from board.domain.team_figures import team_figures
from board.domain.team_template import STEP_MINUTES, TOTAL_BOUNDS, total_minutes
from board.exports.charts import CHARTS, WIDTHS, chart_svg, minutes
from board.exports.figures import decimal, figures_csv
from board.invitation import host
from board.services.common import today
from board.services.meetings import teacher_of
from board.team import cycle
from board.team.service import team_for
from board.views import shared_url

bp = Blueprint("cycle", __name__, url_prefix="/team")

ICS = "text/calendar; charset=utf-8"
CSV = "text/csv; charset=utf-8"
# A chart is a file of its own, shown with <img>: its own styles, nothing else at all.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def planning_page(public_id: str, status: int = 200, **context):
    """The cycle page: the plan, and for admins the forms to plan, the feed and the minutes."""
    team, role = team_for(public_id, current_user, TeamAction.VIEW_OVERVIEW)
    minutes = minutes_per_step(team.step_minutes)
    page = render_template(
        "team/planning.html",
        team=team,
        can={action.value: may_team(role, action) for action in TeamAction},
        slots=cycle.upcoming_slots(team),
        presenters=cycle.presenters(team),
        steps=list(zip(STEPS, minutes, strict=True)),
        total=total_minutes(team.step_minutes),
        step_bounds=STEP_MINUTES,
        total_bounds=TOTAL_BOUNDS,
        feed_url=shared_url("cycle.feed", token=team.feed_token) if team.feed_token else None,
        today=today().isoformat(),
        account=current_user,
        is_hers=cycle.is_hers,
        **context,
    )
    return page, status


def refused_input(public_id: str, error: DomainError, section: str):
    """Bad input goes back to the page with its message and what was typed; anything else
    (403, 404) is answered as everywhere."""
    if error.status != 422:
        raise error
    return planning_page(
        public_id, error.status, error=error.message, section=section, form=request.form
    )


def back_to_planning(public_id: str, anchor: str):
    return redirect(url_for("cycle.planning", public_id=public_id, _anchor=anchor), code=303)


@bp.get("/<public_id>/planning")
@login_required
def planning(public_id: str):
    """The team's cycle: who brings in when, the calendar feed and the minutes per step."""
    return planning_page(public_id)


@bp.post("/<public_id>/planning")
@login_required
def plan_slot(public_id: str):
    """An admin plans a slot."""
    try:
        cycle.plan_slot(public_id, current_user, request.form)
    except DomainError as error:
        return refused_input(public_id, error, "plan")
    return back_to_planning(public_id, "momenten")


@bp.post("/<public_id>/planning/<int:slot_id>/weg")
@login_required
def remove_slot(public_id: str, slot_id: int):
    """An admin takes a slot out of the plan."""
    cycle.remove_slot(public_id, current_user, slot_id)
    return back_to_planning(public_id, "momenten")


@bp.get("/<public_id>/planning/<int:slot_id>/overnemen")
@login_required
def take_slot_form(public_id: str, slot_id: int):
    """The teacher's form to make her meeting of a slot: which pupil, which group."""
    team, slot = cycle.slot_to_take(public_id, current_user, slot_id)
    return render_template("team/take_slot.html", team=team, slot=slot, form={})


@bp.post("/<public_id>/planning/<int:slot_id>/overnemen")
@login_required
def take_slot(public_id: str, slot_id: int):
    """The slot becomes her meeting; this device becomes its teacher's."""
    try:
        meeting = cycle.take_slot(public_id, current_user, slot_id, request.form)
    except DomainError as error:
        if error.status != 422:
            raise
        team, slot = cycle.slot_to_take(public_id, current_user, slot_id)
        return render_template(
            "team/take_slot.html",
            team=team,
            slot=slot,
            form=request.form,
            error=error.message,
            unconfirmed=isinstance(error, Unconfirmed),
        ), error.status
    access.remember_participant(meeting.id, teacher_of(meeting).id)
    return redirect(url_for("board.meeting", meeting_id=meeting.id), code=303)


@bp.post("/<public_id>/agenda")
@login_required
def feed_on(public_id: str):
    """An admin turns the calendar feed on, or gives it a new address (the old one stops)."""
    cycle.turn_feed_on(public_id, current_user)
    return back_to_planning(public_id, "agenda")


@bp.post("/<public_id>/agenda/uit")
@login_required
def feed_off(public_id: str):
    """An admin turns the calendar feed off."""
    cycle.turn_feed_off(public_id, current_user)
    return back_to_planning(public_id, "agenda")


@bp.get("/feed/<token>.ics")
def feed(token: str):
    """The team's planned meetings, for a calendar app: whoever has the secret address."""
    body = cycle.feed_calendar(token, host())
    return Response(body, content_type=ICS, headers={"Cache-Control": "no-store"})


@bp.post("/<public_id>/minuten")
@login_required
def step_minutes(public_id: str):
    """An admin sets the team's minutes per step."""
    try:
        cycle.set_step_minutes(public_id, current_user, request.form)
    except DomainError as error:
        return refused_input(public_id, error, "minutes")
    return back_to_planning(public_id, "minuten")


@bp.get("/<public_id>/cijfers")
@login_required
def figures(public_id: str):
    """What the team's meetings yield: three charts, each with its table, and a CSV."""
    team, records = cycle.meeting_records(public_id, current_user)
    return render_template(
        "team/figures.html",
        team=team,
        figures=team_figures(records),
        decimal=decimal,
        signed=minutes,
    )


@bp.get("/<public_id>/cijfers/<chart>-<size>.svg")
@login_required
def chart(public_id: str, chart: str, size: str):
    """One chart as an SVG image, wide (laptop) or narrow (phone)."""
    if chart not in CHARTS or size not in WIDTHS:
        abort(404)
    _, records = cycle.meeting_records(public_id, current_user)
    body = chart_svg(chart, team_figures(records), narrow=size == "smal")
    headers = {"Content-Security-Policy": SVG_POLICY, "Cache-Control": "no-store"}
    return Response(body, content_type="image/svg+xml", headers=headers)


@bp.get("/<public_id>/cijfers.csv")
@login_required
def figures_file(public_id: str):
    """The figures per meeting, for a spreadsheet."""
    team, records = cycle.meeting_records(public_id, current_user)
    headers = {
        "Content-Disposition": 'attachment; filename="intervisie-cijfers.csv"',
        "Cache-Control": "no-store",
    }
    return Response(figures_csv(records), content_type=CSV, headers=headers)

"""The team space's pages: log in, create a team, invite and remove members, the overview,
and the teacher's page that attaches her meeting to her team. Plain forms, no live regions."""

from urllib.parse import quote

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import login_required

from board import access
from board.domain import accounts as rules
from board.domain.errors import DomainError, Forbidden
from board.domain.permissions import TeamAction, TeamRole, may_team
from board.domain.preparation import PREP_QUESTIONS
from board.domain.text import N_
from board.errors import retry_after
from board.extensions import db
from board.services.summary import group_plan_entry
from board.team import accounts, service
from board.team.accounts import signed_in
from board.views import shared_url

bp = Blueprint("team", __name__)

LOG_IN_TO_ATTACH = N_(
    "Log eerst in met je teamaccount om deze bijeenkomst aan je team te koppelen."
)
REMOVED = N_("%(name)s is uit het team gehaald.")
# The mail goes to a Dutch school colleague: in Dutch, as the meeting's invitation mail.
MAIL_SUBJECT = "Uitnodiging voor de teamruimte van %(team)s"
MAIL_BODY = (
    "Hallo,\n\nJe bent uitgenodigd voor de teamruimte van %(team)s op het Intervisiebord. "
    "Open deze link om mee te doen (hij werkt één keer en is %(days)s dagen geldig):"
    "\n\n%(url)s\n"
)


@bp.app_context_processor
def team_globals() -> dict:
    return {"TeamAction": TeamAction, "TeamRole": TeamRole, "may_team": may_team}


def safe_next(target: str | None) -> str | None:
    r"""Only a path on this site: never another host after logging in. No backslash, space or
    control character anywhere: browsers drop tabs and newlines ("/\t/evil" is "//evil") and
    read a backslash as "/", and a newline cannot go into the Location header at all."""
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not any(char == "\\" or char.isspace() or not char.isprintable() for char in target)
    ):
        return target
    return None


def form_page(template: str, error: DomainError, **context):
    """The form again with what was typed, the message, and (429) when to try again."""
    html = render_template(template, form=request.form, error=error.message, **context)
    return html, error.status, retry_after(error)


# ---- accounts -------------------------------------------------------------------------------


@bp.get("/team")
def index():
    """The team space: your teams, or logging in / creating a team."""
    account = signed_in()
    if account is None:
        return render_template("team/login.html", form={}, next=None)
    return render_template("team/index.html", teams=service.my_teams(account), form={})


@bp.route("/team/inloggen", methods=["GET", "POST"])
def login():
    target = safe_next(request.values.get("next"))
    if request.method == "GET":
        return render_template("team/login.html", form={}, next=target)
    try:
        account = accounts.authenticate(request.form.get("login"), request.form.get("password"))
    except DomainError as error:
        return form_page("team/login.html", error, next=target)
    accounts.start_session(account)
    return redirect(target or url_for("team.index"), code=303)


@bp.post("/team/uitloggen")
def logout():
    accounts.end_session()
    return redirect(url_for("team.index"), code=303)


@bp.post("/team/uitloggen-overal")
@login_required
def logout_everywhere():
    accounts.log_out_everywhere(signed_in())
    return render_template("team/logged_out.html")


@bp.post("/team/account/verwijderen")
@login_required
def delete_account():
    """Her account goes at once (AVG): only the login, name and hash were in it."""
    account = signed_in()
    try:
        service.delete_account(account, request.form.get("password"))
    except DomainError as error:
        db.session.rollback()
        html = render_template(
            "team/index.html", teams=service.my_teams(account), error=error.message, form={}
        )
        return html, error.status
    accounts.end_session()
    return render_template("team/deleted.html")


@bp.route("/team/nieuw", methods=["GET", "POST"])
def create():
    """A new team: its first admin makes an account here, or uses the one she is logged in with."""
    account = signed_in()
    if request.method == "GET":
        return render_template("team/create.html", form={}, account=account)
    try:
        if account is None:
            account = accounts.new_account(
                request.form.get("login"),
                request.form.get("display_name"),
                request.form.get("password"),
            )
            team = service.new_team(account, request.form.get("team_name"))
            db.session.commit()
            accounts.start_session(account)
        else:
            team = service.create_team(account, request.form.get("team_name"))
    except DomainError as error:
        db.session.rollback()
        return form_page("team/create.html", error, account=signed_in())
    return redirect(url_for("team.overview", public_id=team.public_id), code=303)


# ---- a team ---------------------------------------------------------------------------------


@bp.get("/team/<public_id>")
@login_required
def overview(public_id: str):
    found = service.overview(public_id, signed_in())
    return render_template("team/overview.html", **team_context(found))


def team_context(found: service.Overview, **extra) -> dict:
    team = found.team
    return {
        "overview": found,
        "team": team,
        "role": found.role,
        "members": service.members(team),
        "removable": service.removable(team),
        "invitations": service.open_invitations(team)
        if may_team(found.role, TeamAction.INVITE_MEMBER)
        else [],
        "me": signed_in(),
        **extra,
    }


@bp.post("/team/<public_id>/uitnodigen")
@login_required
def invite(public_id: str):
    made = service.invite(public_id, signed_in(), request.form.get("role"))
    team = db.session.get(service.Team, made.invitation.team_id)
    url = shared_url("team.invitation", token=made.token)
    subject = MAIL_SUBJECT % {"team": team.name}
    body = MAIL_BODY % {"team": team.name, "url": url, "days": rules.INVITATION_DAYS}
    mailto = f"mailto:?subject={quote(subject)}&body={quote(body)}"
    return render_template(
        "team/invited.html", team=team, url=url, mailto=mailto, invitation=made.invitation
    )


@bp.post("/team/<public_id>/leden/<membership_id>/verwijderen")
@login_required
def remove(public_id: str, membership_id: str):
    account = signed_in()
    removed = service.remove_member(public_id, account, membership_id)
    if removed.account_id == account.id:
        return redirect(url_for("team.index"), code=303)
    found = service.overview(public_id, account)
    notice = gettext(REMOVED, name=removed.account.display_name)
    return render_template("team/overview.html", **team_context(found, notice=notice))


@bp.get("/team/<public_id>/bijeenkomst/<meeting_id>")
@login_required
def shared_meeting(public_id: str, meeting_id: str):
    team, meeting = service.shared_meeting(public_id, signed_in(), meeting_id)
    return render_template(
        "team/meeting.html",
        team=team,
        meeting=meeting,
        entry=group_plan_entry(meeting),
        questions=PREP_QUESTIONS,
    )


# ---- invitations ----------------------------------------------------------------------------


@bp.route("/team/uitnodiging/<token>", methods=["GET", "POST"])
def invitation(token: str):
    """Join a team with a one-time link: with the account you are logged in with, a new one,
    or one you log in with here."""
    _, team = service.invitation_for(token)
    account = signed_in()
    if request.method == "GET":
        return render_template("team/accept.html", team=team, token=token, form={}, account=account)
    how = request.form.get("how")
    try:
        if how == "register" and account is None:
            account = accounts.new_account(
                request.form.get("login"),
                request.form.get("display_name"),
                request.form.get("password"),
            )
            db.session.flush()
        elif how == "login" and account is None:
            account = accounts.authenticate(request.form.get("login"), request.form.get("password"))
        elif account is None:
            raise Forbidden(accounts.PLEASE_LOG_IN)
        joined = service.accept(token, account)
    except DomainError as error:
        db.session.rollback()
        return form_page(
            "team/accept.html", error, team=team, token=token, account=signed_in(), how=how
        )
    if signed_in() is None or signed_in().id != account.id:
        accounts.start_session(account)
    return redirect(url_for("team.overview", public_id=joined.public_id), code=303)


# ---- the teacher's meeting in a team --------------------------------------------------------


@bp.get("/m/<meeting_id>/team")
def meeting_team(meeting_id: str):
    """The teacher's page: attach her meeting to her team, share it, or take it out again."""
    context = service.teacher_team_page(meeting_id, access.device_ref(meeting_id), signed_in())
    return render_template("team/meeting_team.html", account=signed_in(), **context)


@bp.post("/m/<meeting_id>/team")
def attach(meeting_id: str):
    account = signed_in()
    ref = access.device_ref(meeting_id)
    if account is None:
        # Only her teacher may get as far as the login (anyone else: the usual refusal).
        service.teacher_team_page(meeting_id, ref, None)
        raise Forbidden(LOG_IN_TO_ATTACH)
    service.attach(meeting_id, ref, account, request.form.get("team"))
    return redirect(url_for("team.meeting_team", meeting_id=meeting_id), code=303)


@bp.post("/m/<meeting_id>/team/los")
def detach(meeting_id: str):
    service.detach(meeting_id, access.device_ref(meeting_id))
    return redirect(url_for("team.meeting_team", meeting_id=meeting_id), code=303)


@bp.post("/m/<meeting_id>/team/delen")
def share(meeting_id: str):
    service.share(meeting_id, access.device_ref(meeting_id), request.form.get("shared") == "1")
    return redirect(url_for("team.meeting_team", meeting_id=meeting_id), code=303)

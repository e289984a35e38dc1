"""The team space's commands and views: teams, invitations, members, the overview, and a
meeting attached to a team by its teacher. Every rule comes from the domain's tables."""

from dataclasses import dataclass, field
from datetime import date, time

from board.access import DeviceRef
from board.domain import accounts as rules
from board.domain.codes import new_token, token_hash
from board.domain.errors import Forbidden, InvalidInput, NotFound
from board.domain.next_step import RESULT_LABELS, Result
from board.domain.permissions import (
    TEAM_NOT_FOUND,
    Action,
    Role,
    TeamAction,
    TeamRole,
    TeamView,
    check_team,
    team_may_see,
)
from board.domain.steps import Stage
from board.domain.tally import tally
from board.domain.text import N_
from board.extensions import db
from board.models import Account, Meeting, Membership, Slot, Team, TeamInvitation
from board.services.common import act, commit, find_actor, get_meeting, today, utcnow
from board.services.meetings import evaluation_day, plan_step_times, teacher_of

ALREADY_MEMBER = N_("Je bent al lid van dit team.")
NO_TEAM_CHOSEN = N_("Kies het team waaraan je de bijeenkomst koppelt.")
BAD_ROLE = N_("Kies of de nieuwe persoon lid of beheerder wordt.")


# ---- teams and membership -------------------------------------------------------------------


def role_in(team: Team, account: Account | None) -> TeamRole | None:
    if account is None:
        return None
    membership = db.session.execute(
        db.select(Membership).filter_by(team_id=team.id, account_id=account.id)
    ).scalar_one_or_none()
    return TeamRole(membership.role) if membership else None


def team_for(public_id: str, account: Account | None, action: TeamAction) -> tuple[Team, TeamRole]:
    """The team, if this account may do this there: 404 outside it, 403 for the wrong role."""
    team = db.session.execute(db.select(Team).filter_by(public_id=public_id)).scalar_one_or_none()
    if team is None:
        raise NotFound(TEAM_NOT_FOUND)
    role = role_in(team, account)
    check_team(role, action)
    return team, role


def my_teams(account: Account) -> list[tuple[Team, TeamRole]]:
    rows = db.session.execute(
        db.select(Team, Membership.role)
        .join(Membership, Membership.team_id == Team.id)
        .where(Membership.account_id == account.id)
        .order_by(Team.name)
    ).all()
    return [(team, TeamRole(role)) for team, role in rows]


def new_team(account: Account, name: object) -> Team:
    """A team with this account as its first admin (not yet committed)."""
    team = Team(public_id=new_token()[:12], name=rules.clean_team_name(name), created_at=utcnow())
    team.memberships.append(Membership(account=account, role=TeamRole.ADMIN.value))
    db.session.add(team)
    return team


def create_team(account: Account, name: object) -> Team:
    team = new_team(account, name)
    db.session.commit()
    return team


def members(team: Team) -> list[Membership]:
    return sorted(
        team.memberships, key=lambda m: (m.role != TeamRole.ADMIN, m.account.display_name)
    )


def removable(team: Team) -> set[int]:
    """The memberships an admin may end (the overview offers no button for the others)."""
    admins = sum(1 for m in team.memberships if m.role == TeamRole.ADMIN)
    return {m.id for m in team.memberships if rules.may_leave(TeamRole(m.role), admins=admins)}


def remove_member(public_id: str, account: Account, membership_id: object) -> Membership:
    """An admin takes someone out of the team; never the team's last admin."""
    team, _ = team_for(public_id, account, TeamAction.REMOVE_MEMBER)
    lock_memberships([team])
    target = next((m for m in team.memberships if str(m.id) == str(membership_id)), None)
    admins = sum(1 for m in team.memberships if m.role == TeamRole.ADMIN)
    rules.check_removal(TeamRole(target.role) if target else None, admins=admins)
    db.session.delete(target)
    db.session.commit()
    return target


def lock_memberships(teams: list[Team]) -> None:
    """Hold the teams' rows until the commit and read their members afresh, so that two admins
    removing each other at the same moment (on PostgreSQL, from two processes) cannot leave a
    team without one: the second waits and then counts the first's removal. SQLite writes one
    at a time anyway and renders no FOR UPDATE."""
    ids = sorted(team.id for team in teams)  # always in one order: no deadlock
    if ids:
        db.session.execute(db.select(Team.id).where(Team.id.in_(ids)).with_for_update())
    for team in teams:
        db.session.expire(team, ["memberships"])


# ---- invitations ----------------------------------------------------------------------------


@dataclass(frozen=True)
class NewInvitation:
    invitation: TeamInvitation
    token: str  # shown once, to the admin who made it; only its hash is kept


def invite(public_id: str, account: Account, role: object) -> NewInvitation:
    team, _ = team_for(public_id, account, TeamAction.INVITE_MEMBER)
    try:
        chosen = TeamRole(role or TeamRole.MEMBER.value)
    except ValueError:
        raise InvalidInput(BAD_ROLE) from None
    token = new_token()
    now = utcnow()
    invitation = TeamInvitation(
        team_id=team.id,
        token_hash=token_hash(token),
        role=chosen.value,
        created_at=now,
        expires_at=rules.invitation_expires(now),
        created_by_id=account.id,
    )
    db.session.add(invitation)
    db.session.commit()
    return NewInvitation(invitation, token)


def open_invitations(team: Team) -> list[TeamInvitation]:
    now = utcnow()
    return [i for i in team.invitations if i.used_at is None and i.expires_at > now]


def invitation_for(token: str) -> tuple[TeamInvitation, Team]:
    """A usable invitation and its team; one clear message for a used, expired or made-up one."""
    invitation = db.session.execute(
        db.select(TeamInvitation).filter_by(token_hash=token_hash(token or ""))
    ).scalar_one_or_none()
    if invitation is None:
        raise NotFound(rules.INVITATION_UNUSABLE)
    rules.check_invitation(invitation.expires_at, invitation.used_at, utcnow())
    return invitation, db.session.get(Team, invitation.team_id)


def accept(token: str, account: Account) -> Team:
    """This account joins the team with the invitation's role; the link is used up."""
    invitation, team = invitation_for(token)
    if role_in(team, account) is not None:
        raise InvalidInput(ALREADY_MEMBER)
    # Used up in the same statement that checks it is unused: two taps cannot both join.
    used = db.session.execute(
        db.update(TeamInvitation)
        .where(TeamInvitation.id == invitation.id, TeamInvitation.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if used.rowcount != 1:
        db.session.rollback()
        raise InvalidInput(rules.INVITATION_UNUSABLE)
    db.session.add(Membership(team_id=team.id, account_id=account.id, role=invitation.role))
    db.session.commit()
    return team


# ---- a meeting in a team --------------------------------------------------------------------


def is_teacher(meeting: Meeting, ref: DeviceRef | None) -> bool:
    actor = find_actor(meeting, ref)
    return actor is not None and Role.TEACHER in actor.roles


def attach(meeting_id: str, ref: DeviceRef | None, account: Account, public_id: object) -> Team:
    """The meeting's teacher attaches it to a team she is in."""
    meeting = get_meeting(meeting_id)
    if not public_id:
        raise InvalidInput(NO_TEAM_CHOSEN)
    team = db.session.execute(
        db.select(Team).filter_by(public_id=str(public_id))
    ).scalar_one_or_none()
    if team is None:
        raise NotFound(TEAM_NOT_FOUND)
    check_team(
        role_in(team, account),
        TeamAction.ATTACH_MEETING,
        teacher_of_meeting=is_teacher(meeting, ref),
    )
    if meeting.team_id != team.id:
        # Sharing was with the team it was in: a team it moves to sees nothing shared before.
        meeting.shared_with_team = False
    meeting.team_id = team.id
    if meeting.step_minutes is None and meeting.current_stage in (Stage.PREPARING, Stage.LOBBY):
        # Not begun yet: the meeting takes the team's minutes per step, as if made in it.
        adopt_minutes(meeting, team.step_minutes)
    commit(meeting)
    return team


def adopt_minutes(meeting: Meeting, stored: str | None) -> None:
    meeting.step_minutes = stored
    plan_step_times(meeting)


def detach(meeting_id: str, ref: DeviceRef | None) -> None:
    """The teacher takes her meeting out of its team (no account needed): the team no longer
    sees it at all, and a later team sees nothing shared before."""
    meeting, _ = act(meeting_id, ref, Action.LEAVE_TEAM)
    meeting.team_id = None
    meeting.shared_with_team = False
    commit(meeting)


def share(meeting_id: str, ref: DeviceRef | None, shared: bool) -> None:
    """The teacher says whether her team may read the meeting's content."""
    meeting, _ = act(meeting_id, ref, Action.SHARE_WITH_TEAM)
    meeting.shared_with_team = bool(shared) and meeting.team_id is not None
    commit(meeting)


def teacher_team_page(meeting_id: str, ref: DeviceRef | None, account: Account | None) -> dict:
    """What the teacher's "Team" page shows: her meeting's team and the teams she could pick."""
    meeting, _ = act(meeting_id, ref, Action.LEAVE_TEAM)
    return {
        "meeting": meeting,
        "team": meeting.team,
        "teams": [team for team, _ in my_teams(account)] if account else [],
    }


# ---- the overview ---------------------------------------------------------------------------


@dataclass(frozen=True)
class MeetingRow:
    """One meeting as the team sees it: metadata and outcome figures; content only if shared."""

    id: str
    meeting_date: date
    start_time: time | None
    place: str
    teacher: str
    pupil: str
    group: str
    stage: Stage
    evaluation_date: date | None
    worth_it: int
    votes: int
    result: str | None  # the evaluation's label: gehaald / deels / niet
    shared: bool
    planned: bool = False  # a slot no teacher has taken yet: no meeting, no pupil


def row_of_slot(slot: Slot) -> MeetingRow:
    return MeetingRow(
        id="",
        meeting_date=slot.slot_date,
        start_time=slot.start_time,
        place=slot.place,
        teacher=slot.presenter,
        pupil="",
        group="",
        stage=Stage.PREPARING,
        evaluation_date=None,
        worth_it=0,
        votes=0,
        result=None,
        shared=False,
        planned=True,
    )


@dataclass
class Overview:
    team: Team
    role: TeamRole
    upcoming: list[MeetingRow] = field(default_factory=list)
    running: list[MeetingRow] = field(default_factory=list)
    overdue: list[MeetingRow] = field(default_factory=list)
    closed: list[MeetingRow] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.upcoming or self.running or self.overdue or self.closed)


def row_of(meeting: Meeting, role: TeamRole) -> MeetingRow:
    counted = tally(meeting.votes)
    result = meeting.evaluation_result
    return MeetingRow(
        id=meeting.id,
        meeting_date=meeting.meeting_date,
        start_time=meeting.start_time,
        place=meeting.place,
        teacher=teacher_of(meeting).name,
        pupil=meeting.pupil_alias,
        group=meeting.group_name,
        stage=meeting.current_stage,
        evaluation_date=evaluation_day(meeting),
        worth_it=counted.yes,
        votes=counted.yes + counted.no,
        result=RESULT_LABELS[Result(result)] if result else None,
        shared=team_may_see(role, TeamView.CONTENT, shared=meeting.shared_with_team),
    )


def overview(public_id: str, account: Account | None) -> Overview:
    """The team's meetings: planned, running, evaluation overdue, closed."""
    team, role = team_for(public_id, account, TeamAction.VIEW_OVERVIEW)
    meetings = db.session.execute(
        db.select(Meeting)
        .where(Meeting.team_id == team.id)
        .order_by(Meeting.meeting_date, Meeting.start_time, Meeting.created_at)
    ).scalars()
    result = Overview(team, role)
    now = today()
    for meeting in meetings:
        row = row_of(meeting, role)
        stage = meeting.current_stage
        if stage is Stage.PREPARING:
            result.upcoming.append(row)
        elif stage.is_open:
            result.running.append(row)
        elif row.evaluation_date is not None and row.evaluation_date < now:
            result.overdue.append(row)
        else:
            result.closed.append(row)
    slots = db.session.execute(
        db.select(Slot).where(
            Slot.team_id == team.id, Slot.meeting_id.is_(None), Slot.slot_date >= now
        )
    ).scalars()
    result.upcoming.extend(row_of_slot(slot) for slot in slots)
    result.upcoming.sort(key=lambda row: (row.meeting_date, row.start_time or time.min))
    result.closed.reverse()  # the latest first
    return result


def shared_meeting(
    public_id: str, account: Account | None, meeting_id: str
) -> tuple[Team, Meeting]:
    """A meeting's content for the team: only a meeting of this team its teacher shared."""
    team, role = team_for(public_id, account, TeamAction.VIEW_OVERVIEW)
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None or meeting.team_id != team.id:
        raise NotFound(N_("Deze bijeenkomst hoort niet (meer) bij dit team."))
    if not team_may_see(role, TeamView.CONTENT, shared=meeting.shared_with_team):
        raise Forbidden(
            N_("De inbrenger heeft de inhoud van deze bijeenkomst niet met het team gedeeld.")
        )
    return team, meeting


# ---- deleting an account --------------------------------------------------------------------

WRONG_PASSWORD = N_("Dat wachtwoord klopt niet. Je account is niet verwijderd.")


def delete_account(account: Account, password: object) -> None:
    """The account goes, with its memberships; a team it was alone in goes too (its meetings
    stay, without a team). Refused while it is the only admin of a team with others in it."""
    from board.team.accounts import check_password_limited

    check_password_limited(account.login, account, password, WRONG_PASSWORD)
    lock_memberships([team for team, _ in my_teams(account)])
    teams = [
        (
            team,
            role,
            sum(1 for m in team.memberships if m.role == TeamRole.ADMIN),
            len(team.memberships),
        )
        for team, role in my_teams(account)
    ]
    rules.check_account_removal((team.name, role, admins, n) for team, role, admins, n in teams)
    for team, _, _, members_count in teams:
        if members_count == 1:
            db.session.delete(team)
    db.session.delete(account)
    db.session.commit()

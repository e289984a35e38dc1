"""The meeting and what it produces, stored with SQLAlchemy. Rules live in board.domain."""

import hashlib
from datetime import date, datetime, time, timedelta

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String, Text, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from board.domain.goal import Goal
from board.domain.permissions import Role
from board.domain.steps import Stage, minutes_per_step
from board.domain.timer import Timer
from board.extensions import db

CASCADE = "all, delete-orphan"


def meeting_fk() -> Mapped[str]:
    return mapped_column(ForeignKey("meeting.id", ondelete="CASCADE"), index=True)


class Meeting(db.Model):
    """One consultation about one pupil, from preparation to yield."""

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    pupil_alias: Mapped[str] = mapped_column(String(30))
    group_name: Mapped[str] = mapped_column(String(30))
    meeting_date: Mapped[date]
    start_time: Mapped[time | None]
    place: Mapped[str] = mapped_column(String(100), default="", server_default=text("''"))
    title: Mapped[str] = mapped_column(String(100), default="")
    stage: Mapped[str] = mapped_column(String(16), default=Stage.PREPARING.value)
    version: Mapped[int] = mapped_column(default=1)
    teacher_token: Mapped[str] = mapped_column(String(64), unique=True)
    screen_token: Mapped[str] = mapped_column(String(64), unique=True)
    prep_token: Mapped[str] = mapped_column(String(64), unique=True)
    join_code: Mapped[str] = mapped_column(String(12), unique=True)
    timekeeper_id: Mapped[int | None] = mapped_column(
        ForeignKey("participant.id", use_alter=True, ondelete="SET NULL")
    )
    created_at: Mapped[datetime]
    started_at: Mapped[float | None]  # when step 1 began (seconds since the epoch, as timers)
    closed_at: Mapped[datetime | None]
    # Set when made and with every change (services.common.commit); a meeting never closed is
    # purged after RETENTION_DAYS without any. Empty only if a row was written some other way.
    last_active_at: Mapped[datetime | None]
    prep_reason: Mapped[str] = mapped_column(Text, default="")
    prep_worries: Mapped[str] = mapped_column(Text, default="")
    prep_explanations: Mapped[str] = mapped_column(Text, default="")
    prep_strengths: Mapped[str] = mapped_column(Text, default="")
    prep_parents: Mapped[str] = mapped_column(Text, default="")
    prep_questions: Mapped[str] = mapped_column(Text, default="")
    prep_aim: Mapped[str] = mapped_column(Text, default="")
    prep_expectations: Mapped[str] = mapped_column(Text, default="")
    goal_text: Mapped[str] = mapped_column(Text, default="")
    goal_behaviour: Mapped[str] = mapped_column(Text, default="")
    goal_duration: Mapped[str] = mapped_column(Text, default="")
    goal_frequency: Mapped[str] = mapped_column(Text, default="")
    goal_moment: Mapped[str] = mapped_column(Text, default="")
    goal_level: Mapped[str] = mapped_column(Text, default="")
    goal_evaluation_how: Mapped[str] = mapped_column(Text, default="")
    goal_evaluation_when: Mapped[str] = mapped_column(Text, default="")
    teacher_notes: Mapped[str] = mapped_column(Text, default="")
    support_needs: Mapped[str] = mapped_column(Text, default="")
    plan_note: Mapped[str] = mapped_column(Text, default="")
    # The follow-up: the date the teacher picked (else the one her goal names), her answer to
    # "Is het doel gehaald?" and when she gave it.
    evaluation_date: Mapped[date | None]
    evaluation_result: Mapped[str | None] = mapped_column(String(16))
    evaluation_worked: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    evaluation_not_worked: Mapped[str] = mapped_column(Text, default="", server_default=text("''"))
    evaluated_on: Mapped[date | None]
    # The meeting this one follows up: a plain id, not a foreign key, so that deleting one
    # meeting of a chain never touches another (the link then simply leads nowhere).
    previous_meeting_id: Mapped[str | None] = mapped_column(String(16), index=True)
    # The team space: the team this meeting is attached to (by its teacher), whether she
    # shares its content with the team (metadata and figures only otherwise), and the minutes
    # per step copied from the team when the meeting was made (None: the method's).
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("team.id", ondelete="SET NULL"), index=True
    )
    shared_with_team: Mapped[bool] = mapped_column(default=False, server_default=false())
    step_minutes: Mapped[str | None] = mapped_column(String(40))

    participants: Mapped[list["Participant"]] = relationship(
        back_populates="meeting",
        cascade=CASCADE,
        foreign_keys="Participant.meeting_id",
        order_by="Participant.id",
        passive_deletes=True,
    )
    timekeeper: Mapped["Participant | None"] = relationship(
        foreign_keys=[timekeeper_id], post_update=True
    )
    step_times: Mapped[list["StepTime"]] = relationship(
        cascade=CASCADE, order_by="StepTime.step", passive_deletes=True
    )
    prep_reads: Mapped[list["PrepRead"]] = relationship(
        cascade=CASCADE, order_by="PrepRead.read_at", passive_deletes=True
    )
    questions: Mapped[list["Question"]] = relationship(
        cascade=CASCADE, order_by="Question.id", passive_deletes=True
    )
    suggestions: Mapped[list["GoalSuggestion"]] = relationship(
        cascade=CASCADE, order_by="GoalSuggestion.id", passive_deletes=True
    )
    needs: Mapped[list["NeedCard"]] = relationship(
        cascade=CASCADE, order_by="NeedCard.id", passive_deletes=True
    )
    agreements: Mapped[list["Agreement"]] = relationship(
        cascade=CASCADE, order_by="Agreement.id", passive_deletes=True
    )
    votes: Mapped[list["YieldVote"]] = relationship(
        cascade=CASCADE, order_by="YieldVote.id", passive_deletes=True
    )

    team: Mapped["Team | None"] = relationship(back_populates="meetings")

    @property
    def minutes(self) -> tuple[int, ...]:
        """The planned minutes of the seven steps: the team's when it was made in one."""
        return minutes_per_step(self.step_minutes)

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=sum(self.minutes))

    @property
    def current_stage(self) -> Stage:
        return Stage(self.stage)

    @property
    def goal(self) -> Goal:
        return Goal(**{key: getattr(self, f"goal_{key}") for key in Goal.__dataclass_fields__})

    @property
    def current_step_time(self) -> "StepTime | None":
        info = self.current_stage.step
        if info is None:
            return None
        return next((row for row in self.step_times if row.step == info.number), None)


class Participant(db.Model):
    """A person in the meeting: the teacher (one, on any number of devices) or a colleague."""

    __table_args__ = (UniqueConstraint("meeting_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    role: Mapped[str] = mapped_column(String(16))
    joined_at: Mapped[datetime]

    meeting: Mapped[Meeting] = relationship(
        back_populates="participants", foreign_keys=[meeting_id]
    )

    def roles(self) -> frozenset[Role]:
        """The participant's roles; the timekeeper keeps their own role as well."""
        roles = {Role(self.role)}
        if self.meeting.timekeeper_id == self.id:
            roles.add(Role.TIMEKEEPER)
        return frozenset(roles)


class StepTime(db.Model):
    """The timer of one step: planned and actual seconds, extensions, and whether it runs."""

    __table_args__ = (UniqueConstraint("meeting_id", "step"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    step: Mapped[int]
    planned_seconds: Mapped[int]
    extra_seconds: Mapped[int] = mapped_column(default=0)
    elapsed_seconds: Mapped[float] = mapped_column(default=0.0)
    started_at: Mapped[float | None]

    @property
    def timer(self) -> Timer:
        return Timer(
            self.planned_seconds, self.extra_seconds, self.elapsed_seconds, self.started_at
        )

    @timer.setter
    def timer(self, timer: Timer) -> None:
        self.extra_seconds = timer.extra_seconds
        self.elapsed_seconds = timer.elapsed_seconds
        self.started_at = timer.started_at


class PrepRead(db.Model):
    """A colleague said they read the preparation before the meeting."""

    __table_args__ = (UniqueConstraint("meeting_id", "name_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    name: Mapped[str] = mapped_column(String(40))
    name_key: Mapped[str] = mapped_column(String(40))
    read_at: Mapped[datetime]


class Question(db.Model):
    """A clarifying question card of step 2."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    author_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    answered: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class GoalSuggestion(db.Model):
    """A colleague's wording for the goal (step 3), which the teacher may adopt."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    author_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    adopted: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime]


class NeedCard(db.Model):
    """'Om dit doel te halen heeft deze leerling … nodig' (step 4), marked in step 5."""

    __table_args__ = (UniqueConstraint("meeting_id", "client_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    author_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    client_key: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    feasibility: Mapped[str | None] = mapped_column(String(16))
    per_week: Mapped[int | None]
    plan_place: Mapped[str] = mapped_column(Text, default="")
    subgroup: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]
    # Set aside by the timekeeper (step 4): why, and for a duplicate the card it repeats.
    aside_reason: Mapped[str | None] = mapped_column(String(16))
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("need_card.id", ondelete="SET NULL")
    )

    author: Mapped[Participant] = relationship()
    duplicate_of: Mapped["NeedCard | None"] = relationship(remote_side=[id])

    @property
    def on_board(self) -> bool:
        """Not set aside: on the room screen, in the lists and in step 5."""
        return self.aside_reason is None


class Agreement(db.Model):
    """An agreement of step 6: what, who and when, under a topic."""

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    author_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    topic: Mapped[str] = mapped_column(String(16))
    what: Mapped[str] = mapped_column(Text)
    who: Mapped[str] = mapped_column(String(100), default="")
    when: Mapped[str] = mapped_column(String(100), default="")
    created_at: Mapped[datetime]


class YieldVote(db.Model):
    """One participant's verdict in step 7: worth the time or not, and why."""

    __table_args__ = (UniqueConstraint("meeting_id", "participant_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[str] = meeting_fk()
    participant_id: Mapped[int] = mapped_column(ForeignKey("participant.id", ondelete="CASCADE"))
    worth_it: Mapped[bool]
    why: Mapped[str] = mapped_column(Text, default="")
    brought: Mapped[str] = mapped_column(Text, default="")
    voted_at: Mapped[datetime]


# ---- the team space: accounts for organisers only ------------------------------------------


class Account(UserMixin, db.Model):
    """An organiser's login: an e-mail address or user name, a display name and a password
    hash, nothing more. Colleagues in a meeting never have one."""

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(120), unique=True)  # normalised, lowercase
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Part of the session's user id: bumping it logs the account out on every device.
    session_epoch: Mapped[int] = mapped_column(default=0, server_default=text("0"))
    created_at: Mapped[datetime]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="account", cascade=CASCADE, passive_deletes=True
    )
    logins: Mapped[list["AccountLogin"]] = relationship(cascade=CASCADE, passive_deletes=True)

    def get_id(self) -> str:
        """Flask-Login's id: the account, its session epoch (see board.team.accounts) and a
        stamp of its password hash. SQLite gives a deleted last row's id to the next account:
        the stamp (its salt is new) keeps the old account's cookies out of the new one."""
        stamp = hashlib.sha256(self.password_hash.encode()).hexdigest()[:16]
        return f"{self.id}.{self.session_epoch}.{stamp}"


class AccountLogin(db.Model):
    """One login of an account on one device. Its session holds a random token, this row only
    the token's hash (SHA-256): "Uitloggen" deletes the row, so a copy of the cookie taken
    before no longer opens the account (board.team.accounts)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(index=True)


class Team(db.Model):
    """A school location's team of organisers (IB'er, team leader) and its meetings."""

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = mapped_column(String(16), unique=True)  # in URLs: /team/<public_id>
    name: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime]
    # The secret of the team's .ics feed: a new one revokes the old; None means no feed.
    feed_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Minutes for the seven steps, comma-separated ("5,10,2,10,5,5,2"); None: the method's.
    step_minutes: Mapped[str | None] = mapped_column(String(40))

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="team", cascade=CASCADE, passive_deletes=True, order_by="Membership.id"
    )
    invitations: Mapped[list["TeamInvitation"]] = relationship(
        cascade=CASCADE, passive_deletes=True, order_by="TeamInvitation.id"
    )
    slots: Mapped[list["Slot"]] = relationship(
        cascade=CASCADE, passive_deletes=True, order_by="Slot.slot_date"
    )
    meetings: Mapped[list[Meeting]] = relationship(back_populates="team", passive_deletes=True)


class Membership(db.Model):
    """An account in a team, as admin or member (board.domain.permissions.TeamRole)."""

    __table_args__ = (UniqueConstraint("team_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("account.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(8))

    team: Mapped[Team] = relationship(back_populates="memberships")
    account: Mapped[Account] = relationship(back_populates="memberships")


class TeamInvitation(db.Model):
    """A one-time link to join a team; only a hash of its token is kept."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(8))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="SET NULL"))


class Slot(db.Model):
    """A planned turn in the team's cycle: who brings in a pupil when; a meeting once taken."""

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    slot_date: Mapped[date]
    start_time: Mapped[time | None]
    place: Mapped[str] = mapped_column(String(100), default="", server_default=text("''"))
    presenter: Mapped[str] = mapped_column(String(60))
    presenter_account_id: Mapped[int | None] = mapped_column(
        ForeignKey("account.id", ondelete="SET NULL")
    )
    # A plain id, like previous_meeting_id: deleting the meeting leaves the slot alone.
    meeting_id: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime]

"""The one permission table: role × stage × action. Nothing else decides who may act."""

from collections.abc import Iterable
from enum import StrEnum

from board.domain.errors import Forbidden, MeetingClosed, NotFound, WrongStage
from board.domain.steps import STEP_STAGES, Stage, next_stage, previous_stage
from board.domain.text import N_


class Role(StrEnum):
    """Who a device is in a meeting. A timekeeper is also a colleague (or the teacher)."""

    TEACHER = "teacher"
    COLLEAGUE = "colleague"
    TIMEKEEPER = "timekeeper"
    SCREEN = "screen"


class Action(StrEnum):
    """Everything a device can ask the board to do."""

    EDIT_PREPARATION = "edit_preparation"
    OPEN_LOBBY = "open_lobby"
    ASSIGN_TIMEKEEPER = "assign_timekeeper"
    START_MEETING = "start_meeting"
    NEXT_STEP = "next_step"
    PREVIOUS_STEP = "previous_step"
    RUN_TIMER = "run_timer"
    CLOSE_MEETING = "close_meeting"
    ASK_QUESTION = "ask_question"
    MARK_QUESTION_ANSWERED = "mark_question_answered"
    WRITE_GOAL = "write_goal"
    SUGGEST_GOAL = "suggest_goal"
    ADOPT_SUGGESTION = "adopt_suggestion"
    WRITE_NOTES = "write_notes"
    ADD_NEED = "add_need"
    CHANGE_OWN_NEED = "change_own_need"
    SET_ASIDE_NEED = "set_aside_need"
    MARK_NEED = "mark_need"
    WRITE_SUPPORT = "write_support"
    ADD_AGREEMENT = "add_agreement"
    CHANGE_AGREEMENT = "change_agreement"
    VOTE = "vote"
    VIEW_SUMMARY = "view_summary"
    DELETE_MEETING = "delete_meeting"
    SET_EVALUATION_DATE = "set_evaluation_date"
    EVALUATE_GOAL = "evaluate_goal"
    START_FOLLOW_UP = "start_follow_up"
    # The team space: the teacher takes her meeting out of its team, or says whether the team
    # may see its content, at any time and without an account (attaching needs one: see
    # TeamAction.ATTACH_MEETING).
    LEAVE_TEAM = "leave_team"
    SHARE_WITH_TEAM = "share_with_team"


ALL = frozenset(Stage)
STEPS = STEP_STAGES
# The first and last step, decided once (board/domain/steps.py): a step moves on while there
# is a step after it, and back while there is one before it.
MOVING_FORWARD = frozenset(s for s in STEP_STAGES if next_stage(s) in STEP_STAGES)
MOVING_BACK = frozenset(s for s in STEP_STAGES if previous_stage(s) is not None)
T, C, K = Role.TEACHER, Role.COLLEAGUE, Role.TIMEKEEPER

# action → role → the stages in which that role may do it.
PERMISSIONS: dict[Action, dict[Role, frozenset[Stage]]] = {
    Action.EDIT_PREPARATION: {T: frozenset({Stage.PREPARING, Stage.LOBBY})},
    Action.OPEN_LOBBY: {T: frozenset({Stage.PREPARING})},
    Action.ASSIGN_TIMEKEEPER: {T: frozenset({Stage.LOBBY})},
    Action.START_MEETING: {T: frozenset({Stage.LOBBY}), K: frozenset({Stage.LOBBY})},
    Action.NEXT_STEP: {T: MOVING_FORWARD, K: MOVING_FORWARD},
    Action.PREVIOUS_STEP: {T: MOVING_BACK, K: MOVING_BACK},
    Action.RUN_TIMER: {T: STEPS, K: STEPS},
    Action.CLOSE_MEETING: {T: STEPS, K: STEPS},
    Action.ASK_QUESTION: {C: frozenset({Stage.QUESTIONS})},
    Action.MARK_QUESTION_ANSWERED: {T: frozenset({Stage.QUESTIONS})},
    Action.WRITE_GOAL: {T: frozenset({Stage.GOAL})},
    Action.SUGGEST_GOAL: {C: frozenset({Stage.GOAL})},
    Action.ADOPT_SUGGESTION: {T: frozenset({Stage.GOAL})},
    Action.WRITE_NOTES: {T: STEPS},
    Action.ADD_NEED: {C: frozenset({Stage.NEEDS})},
    Action.CHANGE_OWN_NEED: {C: frozenset({Stage.NEEDS})},
    # The timekeeper guards "no discussion, no yes-but" (set aside, put back); the teacher
    # is their backup, as with the clock.
    Action.SET_ASIDE_NEED: {T: frozenset({Stage.NEEDS}), K: frozenset({Stage.NEEDS})},
    Action.MARK_NEED: {T: frozenset({Stage.FEASIBILITY})},
    Action.WRITE_SUPPORT: {T: frozenset({Stage.FEASIBILITY})},
    Action.ADD_AGREEMENT: {T: frozenset({Stage.AGREEMENTS}), C: frozenset({Stage.AGREEMENTS})},
    Action.CHANGE_AGREEMENT: {T: frozenset({Stage.AGREEMENTS})},
    Action.VOTE: {T: frozenset({Stage.YIELD}), C: frozenset({Stage.YIELD})},
    Action.VIEW_SUMMARY: {T: ALL},
    Action.DELETE_MEETING: {T: ALL},
    # The follow-up is the teacher's own, after the meeting: she may still correct the date.
    Action.SET_EVALUATION_DATE: {T: ALL},
    Action.EVALUATE_GOAL: {T: frozenset({Stage.CLOSED})},
    Action.START_FOLLOW_UP: {T: frozenset({Stage.CLOSED})},
    Action.LEAVE_TEAM: {T: ALL},
    Action.SHARE_WITH_TEAM: {T: ALL},
}

FORBIDDEN_MESSAGES: dict[Action, str] = {
    Action.ADD_NEED: N_("De inbrenger luistert in deze stap en voegt zelf geen behoeften toe."),
    Action.CHANGE_OWN_NEED: N_("Je kunt alleen je eigen kaartjes aanpassen."),
    Action.SET_ASIDE_NEED: N_("Alleen de tijdbewaker (of de inbrenger) zet kaartjes apart."),
    Action.MARK_NEED: N_("Alleen de inbrenger bepaalt wat haalbaar is."),
    Action.WRITE_GOAL: N_("Alleen de inbrenger schrijft het doel; stuur gerust een suggestie."),
    Action.LEAVE_TEAM: N_(
        "Alleen de inbrenger van deze bijeenkomst kan hem loskoppelen van het team."
    ),
    Action.SHARE_WITH_TEAM: N_(
        "Alleen de inbrenger van deze bijeenkomst bepaalt of het team de inhoud ziet."
    ),
}
DEFAULT_FORBIDDEN = N_("Dat mag jouw rol niet doen in deze bijeenkomst.")
CLOSED_MESSAGE = N_("De bijeenkomst is afgesloten; je kunt niets meer wijzigen.")
WRONG_STAGE_MESSAGE = N_("Dat kan nu niet: de bijeenkomst is in een andere stap.")
WRONG_STAGE_MESSAGES: dict[Action, str] = {
    Action.EVALUATE_GOAL: N_("Het doel evalueer je nadat de bijeenkomst is afgesloten."),
    Action.START_FOLLOW_UP: N_(
        "Een vervolgbijeenkomst kan pas als deze bijeenkomst is afgesloten. Sluit hem eerst af."
    ),
}


def allowed_stages(roles: Iterable[Role], action: Action) -> frozenset[Stage]:
    """Every stage in which any of these roles may do the action."""
    rules = PERMISSIONS[action]
    return frozenset().union(*(rules.get(role, frozenset()) for role in roles))


def may(roles: Iterable[Role], stage: Stage, action: Action) -> bool:
    """Whether a device with these roles may do the action in this stage."""
    return stage in allowed_stages(roles, action)


def check(roles: Iterable[Role], stage: Stage, action: Action) -> None:
    """Raise Forbidden (wrong role), MeetingClosed or WrongStage unless the action is allowed."""
    stages = allowed_stages(tuple(roles), action)
    if not stages:
        raise Forbidden(FORBIDDEN_MESSAGES.get(action, DEFAULT_FORBIDDEN))
    if stage in stages:
        return
    if stage is Stage.CLOSED:
        raise MeetingClosed(CLOSED_MESSAGE)
    raise WrongStage(WRONG_STAGE_MESSAGES.get(action, WRONG_STAGE_MESSAGE))


# ---- the team space: team role × action ---------------------------------------------------
#
# A team has admins (the IB'er, a team leader) and members (teachers with an account). Someone
# who is not in the team (or not logged in) may do nothing with it: the team does not exist
# for them (404), so nobody learns which teams there are.


class TeamRole(StrEnum):
    """Someone's role in a team."""

    ADMIN = "admin"
    MEMBER = "member"


class TeamAction(StrEnum):
    """Everything an account can ask of a team."""

    VIEW_OVERVIEW = "view_overview"
    INVITE_MEMBER = "invite_member"
    REMOVE_MEMBER = "remove_member"
    PLAN_SLOT = "plan_slot"
    TAKE_SLOT = "take_slot"
    MANAGE_FEED = "manage_feed"
    SET_STEP_MINUTES = "set_step_minutes"
    VIEW_FIGURES = "view_figures"
    # Only the meeting's own teacher (the holder of its teacher link), and only into a team
    # she is in. Taking it out again, and sharing its content or not, are hers alone in the
    # meeting's table (Action.LEAVE_TEAM, Action.SHARE_WITH_TEAM).
    ATTACH_MEETING = "attach_meeting"


A, M = TeamRole.ADMIN, TeamRole.MEMBER
TEAM_PERMISSIONS: dict[TeamAction, frozenset[TeamRole]] = {
    TeamAction.VIEW_OVERVIEW: frozenset({A, M}),
    TeamAction.INVITE_MEMBER: frozenset({A}),
    TeamAction.REMOVE_MEMBER: frozenset({A}),
    TeamAction.PLAN_SLOT: frozenset({A}),
    TeamAction.TAKE_SLOT: frozenset({A, M}),
    TeamAction.MANAGE_FEED: frozenset({A}),
    TeamAction.SET_STEP_MINUTES: frozenset({A}),
    TeamAction.VIEW_FIGURES: frozenset({A, M}),
    TeamAction.ATTACH_MEETING: frozenset({A, M}),
}
# Actions on one meeting that its teacher alone may take, whatever her role in the team.
TEACHER_ONLY: frozenset[TeamAction] = frozenset({TeamAction.ATTACH_MEETING})

TEAM_FORBIDDEN_MESSAGES: dict[TeamAction, str] = {
    TeamAction.INVITE_MEMBER: N_("Alleen een beheerder van het team nodigt nieuwe leden uit."),
    TeamAction.REMOVE_MEMBER: N_("Alleen een beheerder van het team haalt leden uit het team."),
    TeamAction.PLAN_SLOT: N_("Alleen een beheerder van het team plant de inbrengmomenten."),
    TeamAction.MANAGE_FEED: N_("Alleen een beheerder van het team beheert de agendalink."),
    TeamAction.SET_STEP_MINUTES: N_(
        "Alleen een beheerder van het team stelt de minuten per stap in."
    ),
    TeamAction.ATTACH_MEETING: N_(
        "Alleen de inbrenger van deze bijeenkomst kan hem aan een team koppelen."
    ),
}
TEAM_DEFAULT_FORBIDDEN = N_("Dat mag jouw rol in dit team niet.")
TEAM_NOT_FOUND = N_("Dit team bestaat niet, of je bent er geen lid van.")


def may_team(
    role: TeamRole | None, action: TeamAction, *, teacher_of_meeting: bool = False
) -> bool:
    """Whether someone with this role in the team (None: not in it) may do the action. For
    an action on one meeting (TEACHER_ONLY), she must also be that meeting's teacher."""
    if role is None or role not in TEAM_PERMISSIONS[action]:
        return False
    return teacher_of_meeting or action not in TEACHER_ONLY


def check_team(
    role: TeamRole | None, action: TeamAction, *, teacher_of_meeting: bool = False
) -> None:
    """NotFound for someone outside the team, Forbidden for a role (or a person) that may
    not; nothing when the action is allowed."""
    if role is None:
        raise NotFound(TEAM_NOT_FOUND)
    if not may_team(role, action, teacher_of_meeting=teacher_of_meeting):
        raise Forbidden(TEAM_FORBIDDEN_MESSAGES.get(action, TEAM_DEFAULT_FORBIDDEN))


class TeamView(StrEnum):
    """What the team may see of a meeting attached to it."""

    # Date, time, place, who brings it in, pupil alias, group, where the meeting is, the
    # evaluation date.
    METADATA = "metadata"
    # Outcome figures: the yield votes (worth it or not, counted), time per step against the
    # plan, the goal's evaluation (reached / partly / not).
    FIGURES = "figures"
    # The content: preparation, goal text, cards, notes, support, agreements, remarks.
    CONTENT = "content"


def team_may_see(role: TeamRole | None, view: TeamView, *, shared: bool) -> bool:
    """Privacy by default: a team member sees a meeting's metadata and figures; its content
    only when the meeting's teacher shared it with the team. Outsiders see nothing."""
    if role is None:
        return False
    if view is TeamView.CONTENT:
        return shared
    return True

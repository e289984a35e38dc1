"""The one permission table: role × stage × action. Nothing else decides who may act."""

from collections.abc import Iterable
from enum import StrEnum

from board.domain.errors import Forbidden, MeetingClosed, WrongStage
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
}

FORBIDDEN_MESSAGES: dict[Action, str] = {
    Action.ADD_NEED: N_("De inbrenger luistert in deze stap en voegt zelf geen behoeften toe."),
    Action.CHANGE_OWN_NEED: N_("Je kunt alleen je eigen kaartjes aanpassen."),
    Action.SET_ASIDE_NEED: N_("Alleen de tijdbewaker (of de inbrenger) zet kaartjes apart."),
    Action.MARK_NEED: N_("Alleen de inbrenger bepaalt wat haalbaar is."),
    Action.WRITE_GOAL: N_("Alleen de inbrenger schrijft het doel; stuur gerust een suggestie."),
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

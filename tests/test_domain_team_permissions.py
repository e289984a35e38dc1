"""The team space's permission table: team role × action, and what a team sees of a meeting."""

import itertools

import pytest

from board.domain.errors import Forbidden, NotFound
from board.domain.permissions import (
    TEACHER_ONLY,
    TEAM_PERMISSIONS,
    TeamAction,
    TeamRole,
    TeamView,
    check_team,
    may_team,
    team_may_see,
)

ADMIN, MEMBER = TeamRole.ADMIN, TeamRole.MEMBER

# What the issue and DESIGN.md say, written out once more by hand: role → allowed actions.
EXPECTED = {
    ADMIN: set(TeamAction),
    MEMBER: {
        TeamAction.VIEW_OVERVIEW,
        TeamAction.TAKE_SLOT,
        TeamAction.VIEW_FIGURES,
        TeamAction.ATTACH_MEETING,
    },
    None: set(),
}


def test_the_table_has_a_rule_for_every_action():
    assert set(TEAM_PERMISSIONS) == set(TeamAction)


@pytest.mark.parametrize(("role", "action"), list(itertools.product(EXPECTED, TeamAction)))
def test_each_role_may_do_exactly_its_actions(role, action):
    # For the actions on one meeting, the meeting's own teacher; the rule below covers others.
    allowed = may_team(role, action, teacher_of_meeting=True)
    assert allowed is (action in EXPECTED[role])


@pytest.mark.parametrize(("role", "action"), list(itertools.product(EXPECTED, TeamAction)))
def test_check_refuses_clearly_what_may_team_refuses(role, action):
    if role is None:
        with pytest.raises(NotFound) as refused:
            check_team(role, action, teacher_of_meeting=True)
        assert refused.value.status == 404
    elif action in EXPECTED[role]:
        check_team(role, action, teacher_of_meeting=True)
    else:
        with pytest.raises(Forbidden) as refused:
            check_team(role, action, teacher_of_meeting=True)
        assert refused.value.status == 403
        assert "team" in refused.value.message


@pytest.mark.parametrize(("role", "action"), list(itertools.product((ADMIN, MEMBER), TEACHER_ONLY)))
def test_only_the_meetings_own_teacher_attaches_it(role, action):
    assert not may_team(role, action, teacher_of_meeting=False)
    with pytest.raises(Forbidden) as refused:
        check_team(role, action, teacher_of_meeting=False)
    assert "inbrenger" in refused.value.message


def test_being_a_meetings_teacher_gives_no_team_rights_beyond_the_role():
    assert not may_team(MEMBER, TeamAction.INVITE_MEMBER, teacher_of_meeting=True)
    assert not may_team(None, TeamAction.ATTACH_MEETING, teacher_of_meeting=True)


@pytest.mark.parametrize("role", [ADMIN, MEMBER])
def test_a_team_sees_metadata_and_figures_and_content_only_when_shared(role):
    for shared in (False, True):
        assert team_may_see(role, TeamView.METADATA, shared=shared)
        assert team_may_see(role, TeamView.FIGURES, shared=shared)
    assert not team_may_see(role, TeamView.CONTENT, shared=False)
    assert team_may_see(role, TeamView.CONTENT, shared=True)


def test_someone_outside_the_team_sees_nothing_even_of_a_shared_meeting():
    assert not any(team_may_see(None, view, shared=True) for view in TeamView)


def test_taking_a_meeting_out_of_its_team_or_sharing_it_is_the_teachers_alone():
    from board.domain.permissions import Action, Role, may
    from board.domain.steps import Stage

    for action in (Action.LEAVE_TEAM, Action.SHARE_WITH_TEAM):
        for stage in Stage:
            assert may([Role.TEACHER], stage, action)
            assert not may([Role.COLLEAGUE, Role.TIMEKEEPER], stage, action)
            assert not may([Role.SCREEN], stage, action)

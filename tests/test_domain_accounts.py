"""Team accounts in the pure domain: logins, passwords, invitations and who may leave."""

from datetime import datetime, timedelta

import pytest

from board.domain import accounts
from board.domain.errors import Forbidden, InvalidInput, NotFound
from board.domain.permissions import TeamRole

NOW = datetime(2026, 12, 2, 9, 0)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("IB@Regenboog.NL", "ib@regenboog.nl"), ("  sanne ", "sanne"), ("j.de-vries", "j.de-vries")],
)
def test_a_login_is_kept_lowercase_and_trimmed(typed, stored):
    assert accounts.clean_login(typed) == stored


@pytest.mark.parametrize("typed", ["", "ab", "juf sanne", "sanne<script>", "x" * 121, None, 5])
def test_an_unusable_login_is_refused(typed):
    with pytest.raises(InvalidInput):
        accounts.clean_login(typed)


def test_the_common_password_list_is_shipped_and_large():
    common = accounts.common_passwords()
    assert len(common) > 10_000
    assert {"password", "welkom", "wachtwoord", "qwertyuiop"} <= common
    assert not any(line.startswith("#") for line in common)


@pytest.mark.parametrize(
    "password",
    [
        "kort",
        "elf tekens!",
        "password1234",
        "Wachtwoord2026!",
        "qwertyuiop12",
        "aaaaaaaaaaaaaaaa",
        "121212121212",
        "ib@regenboog.nl",
        "x" * 201,
        None,
    ],
)
def test_a_short_common_or_personal_password_is_refused(password):
    with pytest.raises(InvalidInput):
        accounts.check_password(password, login="ib@regenboog.nl", display_name="Ineke")


@pytest.mark.parametrize(
    "password", ["paarse olifant danst", "de kring duurt vijftien minuten", "Tr0mpet-Vis-Zee"]
)
def test_a_long_uncommon_password_is_accepted(password):
    assert accounts.check_password(password, login="ib", display_name="Ineke") == password


def test_an_invitation_works_once_until_it_expires():
    expires = accounts.invitation_expires(NOW)
    assert expires == NOW + timedelta(days=7)
    accounts.check_invitation(expires, None, NOW + timedelta(days=6, hours=23))
    for used, now in ((NOW, NOW), (None, expires), (None, expires + timedelta(days=1))):
        with pytest.raises(InvalidInput):
            accounts.check_invitation(expires, used, now)


def test_the_last_admin_stays_and_anyone_else_may_go():
    with pytest.raises(Forbidden):
        accounts.check_removal(TeamRole.ADMIN, admins=1)
    accounts.check_removal(TeamRole.ADMIN, admins=2)
    accounts.check_removal(TeamRole.MEMBER, admins=1)
    with pytest.raises(NotFound):
        accounts.check_removal(None, admins=1)


def test_an_account_that_is_the_only_admin_of_a_team_with_others_stays():
    with pytest.raises(Forbidden, match="De Regenboog"):
        accounts.check_account_removal([("De Regenboog", TeamRole.ADMIN, 1, 3)])
    accounts.check_account_removal([("Alleen ik", TeamRole.ADMIN, 1, 1)])
    accounts.check_account_removal([("Samen", TeamRole.ADMIN, 2, 3)])
    accounts.check_account_removal([("Lid", TeamRole.MEMBER, 1, 3)])

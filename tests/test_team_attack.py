"""The team space attacked from outside: a login that sends someone to another site, a
meeting that carries its sharing into another team, and guessing accounts by registering."""

import contextlib
import threading

import pytest

from board.domain import accounts as accounts_rules
from board.extensions import db
from board.models import Account, Meeting, Membership
from tests import test_team
from tests.conftest import TEST_DATABASE, every_row
from tests.test_team import (
    PASSWORD,
    assert_refused,
    attached_meeting,
    invitation_link,
    join,
    log_in,
    membership_id,
    new_team,
    text_of,
)

school = test_team.school  # the fixture: Regenboog (Ineke, Sanne) and Zonnebloem (Piet)


@pytest.mark.parametrize(
    "target",
    [
        "/\t/evil.example",  # browsers drop the tab: "//evil.example"
        "/\n/evil.example",
        "/\r\n/evil.example",
        "/ /evil.example",
        "/\\/evil.example",
        "/team\\..\\\\evil.example",
        "/\x00/evil.example",
    ],
)
def test_logging_in_never_sends_someone_to_another_site(app, school, target):
    client = app.test_client()
    page = client.get("/team/inloggen", query_string={"next": target})
    assert page.status_code == 200 and 'name="next"' not in page.text
    response = client.post(
        "/team/inloggen", data={"login": "sanne", "password": PASSWORD, "next": target}
    )
    assert response.status_code == 303
    assert response.headers["Location"] == "/team"


def test_a_path_on_this_site_is_still_where_logging_in_leads(app, school):
    target = f"/team/{school['team']}?tab=leden"
    response = app.test_client().post(
        "/team/inloggen", data={"login": "sanne", "password": PASSWORD, "next": target}
    )
    assert response.headers["Location"] == target


def test_a_meeting_moved_to_another_team_is_not_shared_with_it(app, school):
    """Sharing was said to one team: attached to another without detaching first, the new
    team sees the metadata, never the content shared with the old one."""
    driver = attached_meeting(app, school)
    teacher = school["member"]
    assert teacher.post(f"/m/{driver.id}/team/delen", data={"shared": "1"}).status_code == 303
    # The teacher (Sanne) joins Piet's team too, and moves her meeting there.
    link = invitation_link(school["non-member"], school["other"])
    path = link.split("board.test", 1)[-1]
    assert teacher.post(path, data={"how": "account"}).status_code == 303
    moved = teacher.post(f"/m/{driver.id}/team", data={"team": school["other"]})
    assert moved.status_code == 303

    content = f"/team/{school['other']}/bijeenkomst/{driver.id}"
    refused = school["non-member"].get(content)
    assert refused.status_code == 403 and "Geheime aanleiding" not in refused.text
    assert "Nu niet gedeeld" in text_of(teacher.get(f"/m/{driver.id}/team"))
    with app.app_context():
        assert db.session.get(Meeting, driver.id).shared_with_team is False


def test_attaching_again_to_the_same_team_keeps_the_sharing(app, school):
    driver = attached_meeting(app, school)
    teacher = school["member"]
    teacher.post(f"/m/{driver.id}/team/delen", data={"shared": "1"})
    teacher.post(f"/m/{driver.id}/team", data={"team": school["team"]})
    assert school["admin"].get(f"/team/{school['team']}/bijeenkomst/{driver.id}").status_code == 200


def register(app, login, path="/team/nieuw"):
    return app.test_client().post(
        path,
        data={
            "how": "register",
            "team_name": "Team",
            "login": login,
            "display_name": "Gast",
            "password": PASSWORD,
        },
    )


def test_asking_whether_logins_exist_by_registering_is_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN_ADDRESS="3/minute")
    new_team(app)  # one try from this address
    for _ in range(2):
        assert "bestaat al een account" in text_of(register(app, "ib@regenboog.nl"))
    before = every_row(app)
    blocked = register(app, "ib@regenboog.nl")
    assert_refused(app, before, blocked, 429, "Te veel pogingen vanaf dit adres")
    assert "bestaat al" not in blocked.text and blocked.headers["Retry-After"]
    # A new login is refused just the same: nothing tells which logins exist.
    assert_refused(app, before, register(app, "nieuw@regenboog.nl"), 429, "Te veel pogingen")


def test_making_accounts_is_limited_per_address_with_an_invitation_too(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN_ADDRESS="3/minute")
    admin, team_id = new_team(app)
    link = invitation_link(admin, team_id).split("board.test", 1)[-1]
    assert register(app, "een@regenboog.nl").status_code == 303
    assert register(app, "twee@regenboog.nl").status_code == 303
    before = every_row(app)
    assert_refused(app, before, register(app, "drie", link), 429, "Te veel pogingen")
    with app.app_context():
        assert db.session.execute(db.select(Account).filter_by(login="drie")).first() is None


def test_an_old_session_never_opens_a_new_account_that_got_the_same_id(app):
    """SQLite gives the next row the id of a deleted last row: a cookie kept from the deleted
    account must not log in as the next person who makes one."""
    owner, _ = new_team(app, "weg@regenboog.nl", "Weg", "Weg")
    kept, response = log_in(app, "weg@regenboog.nl")  # her phone, or a copied cookie
    assert response.status_code == 303
    assert owner.post("/team/account/verwijderen", data={"password": PASSWORD}).status_code == 200
    _, secret_team = new_team(app, "nieuw@zonnebloem.nl", "Nieuw", "Geheim team")
    assert "Geheim team" not in kept.get("/team").text
    assert kept.get(f"/team/{secret_team}").status_code == 302  # to the login page


def test_a_login_typed_in_wide_letters_logs_in_as_it_was_made(app):
    """A phone keyboard may type full-width letters: the account was made with the login
    normalised (NFKC), so logging in normalises the same way."""
    new_team(app, "ｉｂ＠ｒｅｇｅｎｂｏｏｇ.ｎｌ")
    for typed in ("ｉｂ＠ｒｅｇｅｎｂｏｏｇ.ｎｌ", "ib@regenboog.nl", "ib@regen\u200bboog.nl"):
        assert log_in(app, typed)[1].status_code == 303


def test_flask_team_create_finds_an_existing_login_however_it_is_typed(app):
    """The command line looks a login up as the forms store it: a second team for the same
    IB'er, typed in wide letters, is hers, not a new account."""
    new_team(app, "ib@regenboog.nl")
    result = app.test_cli_runner().invoke(
        args=["team", "create", "--name", "De Vlinder", "--login", "ＩＢ＠regenboog.nl"]
    )
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.execute(db.select(db.func.count()).select_from(Account)).scalar() == 1
        db.session.remove()


@pytest.mark.skipif(
    TEST_DATABASE != "postgresql", reason="SQLite writes one at a time: no two removals overlap"
)
def test_two_admins_removing_each_other_at_once_leave_the_team_an_admin(app, school, monkeypatch):
    """Each removal counts the admins, then deletes. Both counting 2 before either deletes
    would leave none; the team's row is locked first, so the second counts afresh."""
    second_admin = join(
        app, invitation_link(school["admin"], school["team"], "admin"), "bea", "Bea"
    )
    ineke, bea = membership_id(app, "ib@regenboog.nl"), membership_id(app, "bea")
    both_counted = threading.Barrier(2)
    check = accounts_rules.check_removal

    def check_when_both_counted(*args, **kwargs):
        # With the lock the other removal waits on the row: the barrier then times out.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_counted.wait(timeout=2)
        return check(*args, **kwargs)

    monkeypatch.setattr(accounts_rules, "check_removal", check_when_both_counted)
    removals = [
        (school["admin"], f"/team/{school['team']}/leden/{bea}/verwijderen"),
        (second_admin, f"/team/{school['team']}/leden/{ineke}/verwijderen"),
    ]
    statuses = []
    threads = [
        threading.Thread(target=lambda c=c, u=u: statuses.append(c.post(u).status_code))
        for c, u in removals
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(statuses) == [200, 403]  # one removed, the other refused
    with app.app_context():
        admins = db.session.execute(
            db.select(db.func.count()).select_from(Membership).where(Membership.role == "admin")
        ).scalar_one()
        db.session.remove()
    assert admins == 2  # Piet in his own team, and one of the two in De Regenboog

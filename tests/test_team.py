"""The team space through its routes: accounts, teams, invitations, members, the overview and
a meeting attached by its teacher. Every refusal says why in Dutch and changes nothing."""

import hashlib
import re
from datetime import timedelta

import pytest
from sqlalchemy.exc import OperationalError

from board.domain.steps import DEFAULT_MINUTES
from board.extensions import db
from board.models import Account, AccountLogin, Meeting, Membership, Team, TeamInvitation
from tests.conftest import MeetingDriver, every_row

PASSWORD = "paarse olifant danst op het plein"
WRONG_LOGIN = "Deze combinatie van inlognaam en wachtwoord kennen we niet."


# ---- helpers: people in the team space ------------------------------------------------------


def new_team(app, login="ib@regenboog.nl", name="Ineke", team_name="De Regenboog"):
    """A logged-in client of a new team's first admin, and the team's public id."""
    client = app.test_client()
    response = client.post(
        "/team/nieuw",
        data={"team_name": team_name, "login": login, "display_name": name, "password": PASSWORD},
    )
    assert response.status_code == 303, response.text
    return client, response.headers["Location"].rsplit("/", 1)[-1]


def invitation_link(admin, public_id, role="member") -> str:
    response = admin.post(f"/team/{public_id}/uitnodigen", data={"role": role})
    assert response.status_code == 200, response.text
    return re.search(r'id="invite-link"[^>]*value="([^"]+)"', response.text).group(1)


def join(app, link, login, name):
    """A new client that makes an account with the invitation link (and is logged in)."""
    client = app.test_client()
    path = link.split("board.test", 1)[-1]
    response = client.post(
        path,
        data={"how": "register", "login": login, "display_name": name, "password": PASSWORD},
    )
    assert response.status_code == 303, response.text
    return client


def log_in(app, login, password=PASSWORD, client=None):
    client = client or app.test_client()
    return client, client.post("/team/inloggen", data={"login": login, "password": password})


@pytest.fixture
def school(app):
    """Team Regenboog (admin Ineke, member Sanne) and team Zonnebloem (admin Piet)."""
    admin, team_id = new_team(app)
    member = join(app, invitation_link(admin, team_id), "sanne", "Sanne")
    other, other_id = new_team(app, "piet@zonnebloem.nl", "Piet", "De Zonnebloem")
    return {
        "admin": admin,
        "member": member,
        "non-member": other,
        "logged out": app.test_client(),
        "team": team_id,
        "other": other_id,
    }


def membership_id(app, login) -> int:
    with app.app_context():
        return db.session.execute(
            db.select(Membership.id).join(Account).where(Account.login == login)
        ).scalar_one()


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.text))


def assert_refused(app, before, response, status, message):
    assert response.status_code == status, response.text
    assert message in text_of(response)
    assert every_row(app) == before


# ---- every role × team action of the permission table ---------------------------------------

WHO = ("admin", "member", "non-member", "logged out")


@pytest.mark.parametrize("who", WHO)
def test_view_overview(app, school, who):
    response = school[who].get(f"/team/{school['team']}")
    expected = {"admin": 200, "member": 200, "non-member": 404, "logged out": 302}[who]
    assert response.status_code == expected
    if expected == 200:
        assert "De Regenboog" in response.text and "Sanne" in response.text
        # Only an admin gets the remove buttons, and none for the team's only admin.
        buttons = response.text.count("Uit het team halen")
        assert buttons == (1 if who == "admin" else 0)
    if who == "non-member":
        assert "Dit team bestaat niet, of je bent er geen lid van." in text_of(response)
        assert "De Regenboog" not in response.text
    if who == "logged out":
        assert "/team/inloggen" in response.headers["Location"]


@pytest.mark.parametrize("who", WHO)
def test_invite_member(app, school, who):
    before = every_row(app)
    response = school[who].post(f"/team/{school['team']}/uitnodigen", data={"role": "member"})
    if who == "admin":
        assert response.status_code == 200
        assert "Kopieer de link" in response.text and "mailto:" in response.text
        with app.app_context():
            assert db.session.query(TeamInvitation).count() == 2
        return
    if who == "member":
        assert_refused(app, before, response, 403, "Alleen een beheerder van het team nodigt")
    elif who == "non-member":
        assert_refused(app, before, response, 404, "Dit team bestaat niet")
    else:
        assert response.status_code == 302 and every_row(app) == before


@pytest.mark.parametrize("who", WHO)
def test_remove_member(app, school, who):
    sanne = membership_id(app, "sanne")
    before = every_row(app)
    response = school[who].post(f"/team/{school['team']}/leden/{sanne}/verwijderen")
    if who == "admin":
        assert response.status_code == 200
        assert "Sanne is uit het team gehaald." in text_of(response)
        assert school["member"].get(f"/team/{school['team']}").status_code == 404
        return
    if who == "member":
        assert_refused(app, before, response, 403, "Alleen een beheerder van het team haalt")
    elif who == "non-member":
        assert_refused(app, before, response, 404, "Dit team bestaat niet")
    else:
        assert response.status_code == 302 and every_row(app) == before


def teacher_device(app, client):
    """A meeting made on this client's device: it holds the teacher link."""
    response = client.post(
        "/meetings", data={"pupil_alias": "Thomas", "group_name": "3", "meeting_date": "2030-01-07"}
    )
    client.get(response.headers["Location"])
    with app.app_context():
        return db.session.execute(db.select(Meeting.id)).scalars().all()[-1]


@pytest.mark.parametrize("who", WHO)
def test_attach_meeting_as_its_teacher(app, school, who):
    meeting_id = teacher_device(app, school[who])
    before = every_row(app)
    response = school[who].post(f"/m/{meeting_id}/team", data={"team": school["team"]})
    if who in ("admin", "member"):
        assert response.status_code == 303
        overview = school["admin"].get(f"/team/{school['team']}")
        assert "Thomas" in overview.text
        return
    if who == "non-member":
        assert_refused(app, before, response, 404, "Dit team bestaat niet")
    else:
        assert_refused(app, before, response, 403, "Log eerst in met je teamaccount")


@pytest.mark.parametrize("who", ("admin", "member"))
def test_attaching_someone_elses_meeting_is_refused(app, school, who):
    meeting_id = teacher_device(app, app.test_client())  # another teacher's device
    before = every_row(app)
    response = school[who].post(f"/m/{meeting_id}/team", data={"team": school["team"]})
    assert_refused(
        app, before, response, 403, "Alleen de inbrenger van deze bijeenkomst kan hem aan een team"
    )


# ---- bad input and rules ----------------------------------------------------------------------


def test_a_wrong_password_and_an_unknown_account_get_the_same_message(app, school):
    before = every_row(app)
    _, wrong = log_in(app, "ib@regenboog.nl", "niet het goede wachtwoord")
    _, unknown = log_in(app, "niemand@regenboog.nl", "niet het goede wachtwoord")
    assert wrong.status_code == unknown.status_code == 422
    assert WRONG_LOGIN in text_of(wrong) and WRONG_LOGIN in text_of(unknown)
    assert every_row(app) == before


def test_the_login_is_case_insensitive_and_lands_on_the_team_space(app, school):
    client, response = log_in(app, "  IB@Regenboog.NL ")
    assert response.status_code == 303
    assert "De Regenboog" in client.get("/team").text


def test_login_attempts_are_limited_per_account(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="3/minute")
    new_team(app)
    for _ in range(3):
        assert log_in(app, "ib@regenboog.nl", "fout fout fout fout")[1].status_code == 422
    _, blocked = log_in(app, "ib@regenboog.nl")  # the right password, too late
    assert blocked.status_code == 429
    assert "Te veel inlogpogingen" in text_of(blocked)
    assert blocked.headers["Retry-After"]
    # Another account from the same address is not blocked by this one's count.
    new_team(app, "piet@zonnebloem.nl", "Piet", "De Zonnebloem")
    assert log_in(app, "piet@zonnebloem.nl")[1].status_code == 303


def test_login_attempts_are_limited_per_address(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN_ADDRESS="4/minute")
    new_team(app)  # making the account counts as one try from this address
    for n in range(3):
        assert log_in(app, f"gok{n}@regenboog.nl", "fout fout fout fout")[1].status_code == 422
    _, blocked = log_in(app, "ib@regenboog.nl")
    assert blocked.status_code == 429


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("kort", "gebruik minstens 12 tekens"),
        ("", "Wachtwoord: vul dit in."),
        ("password1234", "te makkelijk te raden"),
        ("Welkom2026!!", "te makkelijk te raden"),
        ("aaaaaaaaaaaaaaa", "te makkelijk te raden"),
        ("ib@regenboog.nl", "te makkelijk te raden"),
    ],
)
def test_a_weak_password_makes_no_account_and_no_team(app, password, message):
    before = every_row(app)
    response = app.test_client().post(
        "/team/nieuw",
        data={
            "team_name": "De Regenboog",
            "login": "ib@regenboog.nl",
            "display_name": "Ineke",
            "password": password,
        },
    )
    assert_refused(app, before, response, 422, message)
    assert 'value="De Regenboog"' in response.text  # what she typed stays


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("login", "i b", "E-mailadres of gebruikersnaam: gebruik minstens 3 tekens"),
        ("display_name", "", "Je naam: vul dit in."),
        ("team_name", "", "Naam van het team: vul dit in."),
    ],
)
def test_a_bad_field_makes_no_account_and_no_team(app, field, value, message):
    data = {
        "team_name": "De Regenboog",
        "login": "ib@regenboog.nl",
        "display_name": "Ineke",
        "password": PASSWORD,
        field: value,
    }
    before = every_row(app)
    response = app.test_client().post("/team/nieuw", data=data)
    assert_refused(app, before, response, 422, message)


def test_a_taken_login_is_refused(app, school):
    before = every_row(app)
    response = app.test_client().post(
        "/team/nieuw",
        data={
            "team_name": "Nog een team",
            "login": "IB@regenboog.nl",
            "display_name": "Iemand",
            "password": PASSWORD,
        },
    )
    assert_refused(app, before, response, 422, "Er bestaat al een account met deze inlognaam")


def test_an_invitation_works_once(app, school):
    link = invitation_link(school["admin"], school["team"])
    join(app, link, "bram", "Bram")
    before = every_row(app)
    path = link.split("board.test", 1)[-1]
    again = app.test_client().post(
        path,
        data={"how": "register", "login": "kees", "display_name": "Kees", "password": PASSWORD},
    )
    assert_refused(app, before, again, 422, "Deze uitnodiging werkt niet (meer)")


def test_an_expired_invitation_is_refused(app, school):
    link = invitation_link(school["admin"], school["team"])
    with app.app_context():
        newest = (
            db.session.execute(db.select(TeamInvitation).order_by(TeamInvitation.id.desc()))
            .scalars()
            .first()
        )
        newest.expires_at = newest.created_at - timedelta(seconds=1)
        db.session.commit()
    before = every_row(app)
    path = link.split("board.test", 1)[-1]
    page = app.test_client().get(path)
    assert_refused(app, before, page, 422, "Deze uitnodiging werkt niet (meer)")
    response = app.test_client().post(
        path,
        data={"how": "register", "login": "kees", "display_name": "Kees", "password": PASSWORD},
    )
    assert_refused(app, before, response, 422, "Deze uitnodiging werkt niet (meer)")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"how": "register", "password": "Welkom123456"}, "te makkelijk te raden"),
        ({"how": "register", "login": "IB@regenboog.nl"}, "Er bestaat al een account"),
        ({"how": "login", "login": "ib@regenboog.nl", "password": "fout fout fout"}, WRONG_LOGIN),
        ({"how": "login", "login": "niemand", "password": "fout fout fout"}, WRONG_LOGIN),
    ],
)
def test_bad_input_with_an_invitation_joins_no_one_and_keeps_the_link(app, school, data, message):
    link = invitation_link(school["admin"], school["team"])
    path = link.split("board.test", 1)[-1]
    before = every_row(app)
    typed = {"login": "bram", "display_name": "Bram", "password": PASSWORD, **data}
    response = app.test_client().post(path, data=typed)
    assert_refused(app, before, response, 422, message)
    join(app, link, "bram", "Bram")  # the link still works


def test_a_made_up_invitation_is_refused(app, school):
    before = every_row(app)
    response = app.test_client().get("/team/uitnodiging/verzonnen")
    assert_refused(app, before, response, 404, "Deze uitnodiging werkt niet (meer)")


def test_the_invitation_is_kept_as_a_hash_only(app, school):
    link = invitation_link(school["admin"], school["team"])
    token = link.rsplit("/", 1)[-1]
    assert token not in str(every_row(app))


def test_an_admin_invitation_makes_an_admin(app, school):
    link = invitation_link(school["admin"], school["team"], role="admin")
    bram = join(app, link, "bram", "Bram")
    page = bram.get(f"/team/{school['team']}")
    assert "Je bent hier beheerder." in page.text


def test_a_logged_in_account_accepts_with_one_button(app, school):
    link = invitation_link(school["non-member"], school["other"])
    response = school["member"].post(link.split("board.test", 1)[-1], data={"how": "account"})
    assert response.status_code == 303
    assert school["member"].get(f"/team/{school['other']}").status_code == 200


def test_the_last_admin_cannot_remove_themself(app, school):
    ineke = membership_id(app, "ib@regenboog.nl")
    before = every_row(app)
    response = school["admin"].post(f"/team/{school['team']}/leden/{ineke}/verwijderen")
    assert_refused(app, before, response, 403, "Je bent de enige beheerder van dit team")


def test_an_admin_may_leave_when_another_admin_stays(app, school):
    join(app, invitation_link(school["admin"], school["team"], "admin"), "bram", "Bram")
    ineke = membership_id(app, "ib@regenboog.nl")
    response = school["admin"].post(f"/team/{school['team']}/leden/{ineke}/verwijderen")
    assert response.status_code == 303
    assert school["admin"].get(f"/team/{school['team']}").status_code == 404


def test_removing_a_member_of_another_team_changes_nothing(app, school):
    piet = membership_id(app, "piet@zonnebloem.nl")
    before = every_row(app)
    response = school["admin"].post(f"/team/{school['team']}/leden/{piet}/verwijderen")
    assert_refused(app, before, response, 404, "Deze persoon is geen lid (meer) van dit team.")


# ---- sessions -----------------------------------------------------------------------------------


def test_logging_in_starts_a_new_session_but_keeps_the_meetings_of_the_device(app, school):
    client = app.test_client()
    meeting_id = teacher_device(app, client)
    with client.session_transaction() as session:
        session["planted"] = "by someone else"
    log_in(app, "sanne", client=client)
    with client.session_transaction() as session:
        assert "planted" not in session
        assert meeting_id in session["devices"]
    assert client.get(f"/m/{meeting_id}/team").status_code == 200


def test_logging_out_everywhere_ends_every_session_of_the_account(app, school):
    laptop = school["member"]
    phone, _ = log_in(app, "sanne")
    assert phone.get(f"/team/{school['team']}").status_code == 200
    response = laptop.post("/team/uitloggen-overal")
    assert "op al je apparaten uitgelogd" in text_of(response)
    assert phone.get(f"/team/{school['team']}").status_code == 302
    assert laptop.get(f"/team/{school['team']}").status_code == 302
    again, _ = log_in(app, "sanne")
    assert again.get(f"/team/{school['team']}").status_code == 200


def test_logging_out(app, school):
    school["member"].post("/team/uitloggen")
    assert school["member"].get(f"/team/{school['team']}").status_code == 302


def copy_of_cookie(app, client):
    """Another client with the same session cookie: a copy taken from the browser."""
    name = app.config["SESSION_COOKIE_NAME"]
    copy = app.test_client()
    copy.set_cookie(name, client.get_cookie(name, domain="board.test").value, domain="board.test")
    return copy


def logins_of(app, login) -> list[str]:
    with app.app_context():
        account = db.session.execute(db.select(Account).filter_by(login=login)).scalar_one()
        return [row.token_hash for row in account.logins]


def test_logging_out_ends_the_login_for_every_copy_of_its_cookie_but_not_other_logins(app, school):
    laptop = school["member"]
    phone, _ = log_in(app, "sanne")
    copy = copy_of_cookie(app, laptop)
    team = f"/team/{school['team']}"
    assert copy.get(team).status_code == 200  # a copy opens the account while she is logged in
    assert len(logins_of(app, "sanne")) == 2

    laptop.post("/team/uitloggen")

    assert copy.get(team).status_code == 302
    assert "/team/inloggen" in copy.get(team).headers["Location"]
    assert laptop.get(team).status_code == 302
    assert phone.get(team).status_code == 200  # her other login goes on
    assert len(logins_of(app, "sanne")) == 1


def test_a_login_is_kept_as_a_hash_of_its_token_and_an_old_session_without_one_ends(app, school):
    client, _ = log_in(app, "sanne")
    with client.session_transaction() as session:
        token = session["login"]
    assert hashlib.sha256(token.encode()).hexdigest() in logins_of(app, "sanne")
    assert token not in str(every_row(app))
    # A session from before logins were rows (or with its token taken out) is no login.
    with client.session_transaction() as session:
        del session["login"]
    assert client.get(f"/team/{school['team']}").status_code == 302


def test_logging_in_again_on_a_device_ends_the_login_it_held_for_every_copy_too(app, school):
    laptop = school["member"]
    copy = copy_of_cookie(app, laptop)
    team = f"/team/{school['team']}"
    before = logins_of(app, "sanne")
    log_in(app, "sanne", client=laptop)
    assert copy.get(team).status_code == 302  # the login the copy holds is gone
    assert laptop.get(team).status_code == 200
    assert len(logins_of(app, "sanne")) == 1 and not set(before) & set(logins_of(app, "sanne"))
    laptop.post("/team/uitloggen")
    assert logins_of(app, "sanne") == []


def test_a_logout_the_database_could_not_record_leaves_the_device_logged_in(
    app, school, monkeypatch
):
    """The device must be able to log out again: it keeps its login until the row is gone."""
    laptop = school["member"]
    team = f"/team/{school['team']}"
    commit = db.session.commit

    def fails():
        raise OperationalError("DELETE", {}, Exception("database is locked"))

    with app.app_context():
        monkeypatch.setattr(db.session, "commit", fails)
        response = laptop.post("/team/uitloggen")
        monkeypatch.setattr(db.session, "commit", commit)
    assert response.status_code >= 500
    assert laptop.get(team).status_code == 200
    assert len(logins_of(app, "sanne")) == 1
    laptop.post("/team/uitloggen")
    assert laptop.get(team).status_code == 302
    assert logins_of(app, "sanne") == []


def test_flask_purge_forgets_logins_older_than_the_cookie(app, school):
    lifetime = app.permanent_session_lifetime
    with app.app_context():
        row = db.session.execute(db.select(AccountLogin)).scalars().first()
        row.created_at -= lifetime + timedelta(minutes=1)
        db.session.commit()
        total = db.session.query(AccountLogin).count()
    result = app.test_cli_runner().invoke(args=["purge"])
    assert "forgot 1 team login(s)" in result.output, result.output
    with app.app_context():
        assert db.session.query(AccountLogin).count() == total - 1


def test_logins_older_than_the_cookie_go_at_the_next_login_and_open_nothing(app, school):
    copy = copy_of_cookie(app, school["member"])
    lifetime = app.permanent_session_lifetime
    with app.app_context():
        rows = db.session.execute(db.select(AccountLogin)).scalars().all()
        for row in rows:
            row.created_at -= lifetime + timedelta(minutes=1)
        db.session.commit()
        old = {row.token_hash for row in rows}
    assert copy.get(f"/team/{school['team']}").status_code == 302
    log_in(app, "piet@zonnebloem.nl")
    with app.app_context():
        left = set(db.session.execute(db.select(AccountLogin.token_hash)).scalars())
    assert len(left) == 1 and not left & old


def test_logging_out_everywhere_and_deleting_the_account_leave_no_login(app, school):
    phone, _ = log_in(app, "sanne")
    school["member"].post("/team/uitloggen-overal")
    assert logins_of(app, "sanne") == []
    laptop, _ = log_in(app, "sanne")
    response = laptop.post("/team/account/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 200, response.text
    with app.app_context():
        assert db.session.execute(db.select(AccountLogin)).scalars().all() != []  # others'
        sanne = db.session.execute(db.select(Account).filter_by(login="sanne")).scalar()
        assert sanne is None
        accounts = set(db.session.execute(db.select(Account.id)).scalars())
        owners = set(db.session.execute(db.select(AccountLogin.account_id)).scalars())
    assert owners <= accounts


def test_a_login_page_never_sends_someone_to_another_site(app, school):
    _, response = log_in(app, "sanne", client=None)
    client = app.test_client()
    response = client.post(
        "/team/inloggen?next=//evil.example/x", data={"login": "sanne", "password": PASSWORD}
    )
    assert response.headers["Location"] == "/team"


def test_passwords_are_stored_as_argon2_hashes(production_passwords, app, school):
    with app.app_context():
        hashes = db.session.execute(db.select(Account.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    # ... at production's cost (the other tests hash at a lower one, conftest.cheap_passwords)
    assert not any(production_passwords.check_needs_rehash(h) for h in hashes)
    assert PASSWORD not in str(every_row(app))


# ---- a meeting in the team: privacy by default ------------------------------------------------


def attached_meeting(app, school, who="member"):
    driver = MeetingDriver(app)
    driver.teacher = school[who]
    response = school[who].get(f"/t/{driver.teacher_token}")
    assert response.status_code == 302
    with school[who].session_transaction() as session:
        assert driver.id in session["devices"]
    assert (
        school[who].post(f"/m/{driver.id}/team", data={"team": school["team"]}).status_code == 303
    )
    with app.app_context():
        meeting = db.session.get(Meeting, driver.id)
        meeting.prep_reason = "Geheime aanleiding uit de voorbereiding"
        meeting.goal_text = "Thomas blijft vier minuten zitten"
        db.session.commit()
    return driver


def test_the_team_sees_metadata_not_content_until_the_teacher_shares(app, school):
    driver = attached_meeting(app, school)
    overview = school["admin"].get(f"/team/{school['team']}")
    assert "Thomas" in overview.text and "niet gedeeld" in overview.text
    assert "Geheime aanleiding" not in overview.text and "vier minuten" not in overview.text
    content = f"/team/{school['team']}/bijeenkomst/{driver.id}"
    refused = school["admin"].get(content)
    assert refused.status_code == 403 and "Geheime aanleiding" not in refused.text

    assert (
        school["member"].post(f"/m/{driver.id}/team/delen", data={"shared": "1"}).status_code == 303
    )
    overview = school["admin"].get(f"/team/{school['team']}")
    assert "Inhoud lezen" in overview.text
    page = school["admin"].get(content)
    assert page.status_code == 200
    assert "Geheime aanleiding" in page.text and "vier minuten" in page.text
    assert school["non-member"].get(content).status_code == 404

    school["member"].post(f"/m/{driver.id}/team/delen", data={})
    assert school["admin"].get(content).status_code == 403


def test_the_teacher_detaches_without_an_account_and_the_team_sees_nothing(app, school):
    driver = attached_meeting(app, school)
    school["member"].post(f"/m/{driver.id}/team/delen", data={"shared": "1"})
    school["member"].post("/team/uitloggen")
    response = school["member"].post(f"/m/{driver.id}/team/los")
    assert response.status_code == 303
    assert "Thomas" not in school["admin"].get(f"/team/{school['team']}").text
    with app.app_context():
        meeting = db.session.get(Meeting, driver.id)
        assert meeting.team_id is None and meeting.shared_with_team is False


@pytest.mark.parametrize("path", ["/team/los", "/team/delen"])
def test_only_the_teacher_detaches_or_shares(app, school, path):
    driver = attached_meeting(app, school)
    driver.open_lobby()
    colleague = driver.join("Anna")
    before = every_row(app)
    response = colleague.post(f"/m/{driver.id}{path}", data={"shared": "1"})
    assert_refused(app, before, response, 403, "Alleen de inbrenger van deze bijeenkomst")
    # The team's admin, who never joined the meeting, neither.
    response = school["admin"].post(f"/m/{driver.id}{path}", data={"shared": "1"})
    assert_refused(app, before, response, 403, "Je doet niet mee aan deze bijeenkomst")


def test_the_teacher_page_asks_a_logged_out_teacher_to_log_in(app, school):
    client = app.test_client()
    meeting_id = teacher_device(app, client)
    page = client.get(f"/m/{meeting_id}/team")
    assert page.status_code == 200
    assert "Inloggen in de teamruimte" in page.text
    assert app.test_client().get(f"/m/{meeting_id}/team").status_code == 403


def test_the_overview_groups_meetings_and_shows_overdue_evaluations(app, school):
    driver = attached_meeting(app, school)
    with app.app_context():
        meeting = db.session.get(Meeting, driver.id)
        meeting.stage = "closed"
        meeting.meeting_date = meeting.meeting_date - timedelta(days=60)
        meeting.evaluation_date = meeting.meeting_date + timedelta(days=30)
        db.session.commit()
    page = school["member"].get(f"/team/{school['team']}").text
    assert "Thomas" in section(page, "overdue") and "Thomas" not in section(page, "closed")
    with app.app_context():
        db.session.get(Meeting, driver.id).evaluation_result = "reached"
        db.session.commit()
    page = school["member"].get(f"/team/{school['team']}").text
    assert "Thomas" not in section(page, "overdue")
    assert "Thomas" in section(page, "closed") and "Gehaald" in section(page, "closed")


def section(page: str, name: str) -> str:
    return re.search(rf'aria-labelledby="{name}-title".*?</section>', page, re.S).group(0)


def test_a_meeting_attached_before_it_starts_takes_the_teams_minutes(app, school):
    with app.app_context():
        team = db.session.execute(db.select(Team).filter_by(public_id=school["team"])).scalar_one()
        team.step_minutes = "6,12,3,12,6,6,3"
        db.session.commit()
    driver = attached_meeting(app, school)
    with app.app_context():
        meeting = db.session.get(Meeting, driver.id)
        assert meeting.step_minutes == "6,12,3,12,6,6,3"
        assert [row.planned_seconds for row in meeting.step_times] == [
            m * 60 for m in (6, 12, 3, 12, 6, 6, 3)
        ]


def test_a_meeting_without_a_team_keeps_the_methods_minutes(app):
    driver = MeetingDriver(app)
    with app.app_context():
        meeting = driver.meeting()
        assert meeting.team_id is None and meeting.shared_with_team is False
        assert [row.planned_seconds for row in meeting.step_times] == [
            m * 60 for m in DEFAULT_MINUTES
        ]


def test_the_home_page_leads_to_the_team_space(app):
    page = app.test_client().get("/")
    assert 'href="/team"' in page.text and "Teamruimte" in page.text


# ---- the command line -------------------------------------------------------------------------


def test_flask_team_create_bootstraps_the_first_admin(app):
    result = app.test_cli_runner().invoke(
        args=[
            "team",
            "create",
            "--name",
            "De Regenboog",
            "--login",
            "ib@regenboog.nl",
            "--display-name",
            "Ineke",
            "--password",
            PASSWORD,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Team 'De Regenboog' aangemaakt" in result.output
    public_id = re.search(r"/team/(\S+)", result.output).group(1)
    client, _ = log_in(app, "ib@regenboog.nl")
    assert "Je bent hier beheerder." in client.get(f"/team/{public_id}").text


def test_flask_team_create_refuses_a_weak_password(app):
    before = every_row(app)
    result = app.test_cli_runner().invoke(
        args=[
            "team",
            "create",
            "--name",
            "X",
            "--login",
            "ib@regenboog.nl",
            "--display-name",
            "Ineke",
            "--password",
            "welkom",
        ]
    )
    assert result.exit_code != 0
    assert "minstens 12 tekens" in result.output
    assert every_row(app) == before


# ---- deleting an account ------------------------------------------------------------------------


def test_a_member_deletes_her_account_at_once(app, school):
    response = school["member"].post("/team/account/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 200 and "Account verwijderd" in response.text
    with app.app_context():
        assert db.session.execute(db.select(Account).filter_by(login="sanne")).first() is None
    assert school["member"].get(f"/team/{school['team']}").status_code == 302
    assert log_in(app, "sanne")[1].status_code == 422


def test_a_wrong_password_deletes_nothing(app, school):
    before = every_row(app)
    response = school["member"].post("/team/account/verwijderen", data={"password": "niet goed"})
    assert_refused(app, before, response, 422, "Dat wachtwoord klopt niet.")


def test_the_only_admin_of_a_team_with_others_cannot_delete_her_account(app, school):
    before = every_row(app)
    response = school["admin"].post("/team/account/verwijderen", data={"password": PASSWORD})
    assert_refused(app, before, response, 403, "Je bent de enige beheerder van De Regenboog.")


def test_a_team_its_admin_was_alone_in_goes_with_her_account_its_meetings_stay(app, school):
    piet = school["non-member"]
    meeting_id = teacher_device(app, piet)
    assert piet.post(f"/m/{meeting_id}/team", data={"team": school["other"]}).status_code == 303
    response = piet.post("/team/account/verwijderen", data={"password": PASSWORD})
    assert response.status_code == 200
    with app.app_context():
        assert (
            db.session.execute(db.select(Team).filter_by(public_id=school["other"])).first() is None
        )
        meeting = db.session.get(Meeting, meeting_id)
        assert meeting is not None and meeting.team_id is None
    assert piet.get(f"/m/{meeting_id}").status_code == 200


def test_logging_in_leads_back_to_the_page_asked_for(app, school):
    client = app.test_client()
    response = client.get(f"/team/{school['team']}")
    login_page = response.headers["Location"]
    assert "/team/inloggen?next=" in login_page
    next_path = client.get(login_page)
    assert f'value="/team/{school["team"]}"' in next_path.text
    response = client.post(
        "/team/inloggen",
        data={"login": "sanne", "password": PASSWORD, "next": f"/team/{school['team']}"},
    )
    assert response.headers["Location"] == f"/team/{school['team']}"


def test_guessing_the_password_to_delete_an_account_is_limited_too(make_app):
    app = make_app(RATELIMIT_ENABLED=True, RATELIMIT_LOGIN="2/minute")
    client, _ = new_team(app)
    for _ in range(2):
        response = client.post("/team/account/verwijderen", data={"password": "geraden wachtwoord"})
        assert response.status_code == 422
    before = every_row(app)
    response = client.post("/team/account/verwijderen", data={"password": PASSWORD})
    assert_refused(app, before, response, 429, "Te veel inlogpogingen")


def closed_attached_meeting(app, school):
    """The member's meeting, attached to De Regenboog, run to the end and closed."""
    from tests.test_followup import close

    driver = attached_meeting(app, school)
    driver.open_lobby()
    driver.join("Anna")
    driver.join("Bram")
    close(driver)
    return driver


def follow_up_team(app, driver) -> int | None:
    response = driver.post("teacher", "/follow-up", htmx=False)
    assert response.status_code == 303, response.text
    with app.app_context():
        follow = db.session.execute(
            db.select(Meeting).where(Meeting.previous_meeting_id == driver.id)
        ).scalar_one()
        team_id = follow.team_id
        db.session.remove()
    return team_id


def test_a_follow_up_stays_in_the_team_while_its_teacher_is_a_member(app, school):
    driver = closed_attached_meeting(app, school)
    with app.app_context():
        team_id = db.session.get(Meeting, driver.id).team_id
    assert follow_up_team(app, driver) == team_id


@pytest.mark.parametrize("gone", ["removed", "logged out"])
def test_a_follow_up_joins_no_team_its_teacher_is_no_longer_in(app, school, gone):
    driver = closed_attached_meeting(app, school)
    if gone == "removed":
        sanne = membership_id(app, "sanne")
        path = f"/team/{school['team']}/leden/{sanne}/verwijderen"
        assert school["admin"].post(path).status_code == 200
    else:
        assert school["member"].post("/team/uitloggen").status_code in (302, 303)
    assert follow_up_team(app, driver) is None

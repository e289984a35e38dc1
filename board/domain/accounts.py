"""Team accounts, in plain Python: what a login, a display name, a password and a team name
must be, when an invitation still works, and who may leave the team. Organisers only:
colleagues in a meeting never need an account."""

import re
import unicodedata
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import cache
from pathlib import Path

from board.domain.errors import Forbidden, InvalidInput, NotFound
from board.domain.permissions import TeamRole
from board.domain.text import INVISIBLE, LIMITS, N_, clean_name, clean_text

PASSWORD_MIN = 12
PASSWORD_MAX = 200  # argon2 takes any length; a megabyte of password is abuse
LOGIN_MAX = 120
DISPLAY_NAME_MAX = LIMITS["name"]  # shown as the inbrenger's name in her meetings
TEAM_NAME_MAX = 80
# The same limits as the forms' maxlength and minlength (a template global).
ACCOUNT_LIMITS = {
    "login": LOGIN_MAX,
    "display_name": DISPLAY_NAME_MAX,
    "password_min": PASSWORD_MIN,
    "password_max": PASSWORD_MAX,
    "team_name": TEAM_NAME_MAX,
}
INVITATION_DAYS = 7
COMMON_PASSWORDS_FILE = Path(__file__).resolve().parent.parent / "common_passwords.txt"

LOGIN_SHAPE = re.compile(r"^[a-z0-9._%+@-]+$")
TRAILING = "0123456789!?.,;:@#$%^&*()-_=+ "

# The one message for a failed login, whether or not the account exists.
WRONG_LOGIN = N_("Deze combinatie van inlognaam en wachtwoord kennen we niet.")
INVITATION_UNUSABLE = N_(
    "Deze uitnodiging werkt niet (meer): hij is al gebruikt, verlopen of ingetrokken. "
    "Vraag de beheerder van het team om een nieuwe link."
)
LAST_ADMIN = N_(
    "Je bent de enige beheerder van dit team. Nodig eerst een tweede beheerder uit; "
    "anders kan niemand het team nog beheren."
)
NOT_A_MEMBER = N_("Deze persoon is geen lid (meer) van dit team.")


def login_key(value: object) -> str:
    """A login as it is stored and looked up: without invisible characters, NFKC (full-width
    letters from a phone keyboard) and lowercase. Anything else gives "" (no account)."""
    if not isinstance(value, str):
        return ""
    visible_text = INVISIBLE.sub("", unicodedata.normalize("NFC", value))
    return unicodedata.normalize("NFKC", visible_text).strip().casefold()[:LOGIN_MAX]


def clean_login(value: object) -> str:
    """An e-mail address or user name, lowercase: how an account is found."""
    text = clean_text(value, limit=LOGIN_MAX, label=N_("E-mailadres of gebruikersnaam"))
    login = login_key(text)
    if not LOGIN_SHAPE.match(login) or len(login) < 3:
        raise InvalidInput(
            N_(
                "E-mailadres of gebruikersnaam: gebruik minstens 3 tekens, alleen letters "
                "zonder accent, cijfers en . _ - + @ (geen spaties)."
            )
        )
    return login


def clean_display_name(value: object) -> str:
    """The name the team sees (and the teacher's meetings list as inbrenger)."""
    return clean_name(value, label=N_("Je naam"))


def clean_team_name(value: object) -> str:
    return clean_text(value, limit=TEAM_NAME_MAX, label=N_("Naam van het team"))


@cache
def common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def check_password(
    password: object, *, login: str = "", display_name: str = "", common: Iterable[str] = ()
) -> str:
    """The password when it is long and uncommon enough; InvalidInput saying why not."""
    if not isinstance(password, str) or not password:
        raise InvalidInput(N_("Wachtwoord: vul dit in."))
    if len(password) < PASSWORD_MIN:
        raise InvalidInput(
            N_(
                "Wachtwoord: gebruik minstens %(n)s tekens. "
                "Een zin van een paar woorden werkt goed."
            ),
            n=PASSWORD_MIN,
        )
    if len(password) > PASSWORD_MAX:
        raise InvalidInput(N_("Wachtwoord: gebruik hoogstens %(n)s tekens."), n=PASSWORD_MAX)
    lowered = password.casefold()
    base = lowered.rstrip(TRAILING)
    common = frozenset(common) or common_passwords()
    personal = {login.casefold(), login.casefold().split("@")[0], display_name.casefold()}
    personal.discard("")
    if (
        lowered in common
        or base in common
        or len(set(lowered)) <= 3
        or lowered in personal
        or base in personal
    ):
        raise InvalidInput(
            N_(
                "Wachtwoord: dit wachtwoord is te makkelijk te raden. Kies iets dat niet in "
                "lijsten van veelgebruikte wachtwoorden staat, bijvoorbeeld een zin van een "
                "paar woorden."
            )
        )
    return password


def invitation_expires(created: datetime) -> datetime:
    return created + timedelta(days=INVITATION_DAYS)


def check_invitation(expires_at: datetime, used_at: datetime | None, now: datetime) -> None:
    """A one-time link works once, until it expires."""
    if used_at is not None or now >= expires_at:
        raise InvalidInput(INVITATION_UNUSABLE)


def check_removal(target_role: TeamRole | None, *, admins: int) -> None:
    """May this membership go? Not the last admin's: the team would be left without anyone
    to run it (only an admin removes, so that admin would be removing themself). Whether the
    remover may remove at all is the permission table's question (TeamAction.REMOVE_MEMBER)."""
    if target_role is None:
        raise NotFound(NOT_A_MEMBER)
    if target_role is TeamRole.ADMIN and admins <= 1:
        raise Forbidden(LAST_ADMIN)


LAST_ADMIN_OF = N_(
    "Je bent de enige beheerder van %(team)s. Nodig eerst een tweede beheerder uit, of haal "
    "de anderen uit het team; dan kun je je account verwijderen."
)


def check_account_removal(teams: Iterable[tuple[str, TeamRole, int, int]]) -> None:
    """May an account go? Not while it is the only admin of a team with other members in it
    (name, her role, the team's admins, the team's members). A team she is alone in goes
    with her account."""
    for name, role, admins, members in teams:
        if role is TeamRole.ADMIN and admins <= 1 and members > 1:
            raise Forbidden(LAST_ADMIN_OF, team=name)

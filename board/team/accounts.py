"""Team accounts: argon2 password hashes, Flask-Login sessions, login attempts limited per
account and per address, a new session on login, and logging out on this device or on every
device.

A login is a row (AccountLogin) as well as a session: the session holds a random token, the
row its hash. A session opens the account only while its row is there; logging out deletes
it, so a copy of the cookie taken before is no longer a login either."""

import hmac

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import Flask, current_app, has_request_context, request, session
from flask_login import LoginManager, current_user, login_user, logout_user

from board import access, ratelimit
from board.domain import accounts as rules
from board.domain.codes import new_token, token_hash
from board.domain.errors import InvalidInput, TooManyRequests
from board.domain.limits import client_key
from board.domain.text import N_
from board.extensions import db
from board.models import Account, AccountLogin
from board.services.common import utcnow

login_manager = LoginManager()
hasher = PasswordHasher()
# Verified when the login is unknown, so that a wrong name takes as long as a wrong password.
DUMMY_HASH = hasher.hash("no account has this password")

TOO_MANY_LOGINS = N_(
    "Te veel inlogpogingen in korte tijd. Wacht %(seconds)s seconden en probeer het dan opnieuw."
)
TOO_MANY_FROM_ADDRESS = N_(
    "Te veel pogingen vanaf dit adres in korte tijd. Wacht %(seconds)s seconden en probeer "
    "het dan opnieuw."
)
LOGIN_TAKEN = N_(
    "Er bestaat al een account met deze inlognaam. Log in, of kies een andere inlognaam."
)
PLEASE_LOG_IN = N_("Log in om de teamruimte te gebruiken.")
LOGIN_KEY = "login"  # the session's login token; an AccountLogin row holds its hash


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "team.login"
    # The login page says why it is shown (it gets ?next=); nothing is flashed.
    login_manager.login_message = None
    # Not "strong": a phone that changes network must not lose its login.
    login_manager.session_protection = "basic"


@login_manager.user_loader
def load_account(user_id: str) -> Account | None:
    """The account of the session while its login is there (not logged out on this device,
    nor everywhere, and less than the cookie's lifetime since logging in), unless the
    account is gone (a new account with the same id has another stamp)."""
    account_id = user_id.partition(".")[0]
    if not account_id.isdigit():
        return None
    account = db.session.get(Account, int(account_id))
    if account is None or not hmac.compare_digest(account.get_id(), user_id):
        return None
    token = session.get(LOGIN_KEY)
    if not isinstance(token, str) or not token:
        return None
    login = db.session.execute(
        db.select(AccountLogin.id).where(
            AccountLogin.token_hash == token_hash(token),
            AccountLogin.account_id == account.id,
            AccountLogin.created_at > utcnow() - current_app.permanent_session_lifetime,
        )
    ).first()
    return account if login is not None else None


def hash_password(password: str) -> str:
    return hasher.hash(password)


def password_matches(account: Account | None, password: str) -> bool:
    try:
        return hasher.verify(account.password_hash if account else DUMMY_HASH, password) and (
            account is not None
        )
    except (VerificationError, InvalidHashError):
        return False


def new_account(login: object, display_name: object, password: object) -> Account:
    """A new account (not yet committed); InvalidInput for a taken login or a weak password."""
    clean_login = rules.clean_login(login)
    name = rules.clean_display_name(display_name)
    secret = rules.check_password(password, login=clean_login, display_name=name)
    # From a browser, every try counts against the address's login limit: "this login is
    # taken" must not tell a guesser faster which accounts exist than a login would, and
    # each new account costs an argon2 hash (the command line is not limited).
    guard = address_guard() if has_request_context() else None
    if guard is not None:
        decision = ratelimit.peek(*guard)
        if not decision.allowed:
            seconds = max(1, round(decision.retry_after))
            raise TooManyRequests(TOO_MANY_FROM_ADDRESS, seconds=seconds)
        ratelimit.hit(*guard)
    if db.session.execute(db.select(Account.id).filter_by(login=clean_login)).first():
        raise InvalidInput(LOGIN_TAKEN)
    account = Account(
        login=clean_login,
        display_name=name,
        password_hash=hash_password(secret),
        session_epoch=0,
        created_at=utcnow(),
    )
    db.session.add(account)
    return account


def address_guard() -> tuple[str, str]:
    return ("login_address", f"address:{client_key(request.remote_addr)}")


def limits(login: str) -> tuple[tuple[str, str], ...]:
    return (("login", f"account:{login}"), address_guard())


def authenticate(login: object, password: object) -> Account:
    """The account these credentials open; one message for every wrong combination. Failed
    attempts count per account and per address; while either is full nothing is checked."""
    typed = rules.login_key(login)  # as clean_login() stored it
    account = db.session.execute(db.select(Account).filter_by(login=typed)).scalar_one_or_none()
    check_password_limited(typed, account, password, rules.WRONG_LOGIN)
    if hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
        db.session.commit()
    return account


def check_password_limited(
    login: str, account: Account | None, password: object, message: str
) -> None:
    """InvalidInput(message) unless the password is the account's; every miss counts against
    the account and the address, and while either is full no password is checked at all."""
    guards = limits(login)
    for name, key in guards:
        decision = ratelimit.peek(name, key)
        if not decision.allowed:
            raise TooManyRequests(TOO_MANY_LOGINS, seconds=max(1, round(decision.retry_after)))
    if not password_matches(account, password if isinstance(password, str) else ""):
        for name, key in guards:
            ratelimit.hit(name, key)
        raise InvalidInput(message)


def start_session(account: Account) -> None:
    """Log in on a fresh session: everything the old one held goes (a planted or stolen
    session learns nothing), except the meetings this device holds as teacher or screen. A
    login the device held before ends with it, for every copy of its cookie too."""
    now = utcnow()
    _forget_login(session.get(LOGIN_KEY))
    forget_expired_logins(now)
    token = new_token()
    login = AccountLogin(account_id=account.id, token_hash=token_hash(token), created_at=now)
    db.session.add(login)
    db.session.commit()
    devices = session.get(access.SESSION_KEY)
    session.clear()
    if devices:
        session[access.SESSION_KEY] = devices
    session.permanent = True
    session[LOGIN_KEY] = token
    login_user(account)


def _forget_login(token: object) -> None:
    if isinstance(token, str) and token:
        db.session.execute(db.delete(AccountLogin).filter_by(token_hash=token_hash(token)))


def forget_expired_logins(now=None) -> int:
    """Logins whose cookies have expired go, whoever's they were (at every login, and by
    `flask purge`). A login lasts the cookie's lifetime from logging in. Not committed."""
    cutoff = (now or utcnow()) - current_app.permanent_session_lifetime
    return db.session.execute(
        db.delete(AccountLogin).where(AccountLogin.created_at <= cutoff)
    ).rowcount


def end_session() -> None:
    """Log out on this device: its login row goes, so no copy of this cookie opens the
    account any more. The session lets go of the login only once the row is gone: if the
    database fails, the device stays logged in and can try again."""
    token = session.get(LOGIN_KEY)
    if isinstance(token, str) and token:
        _forget_login(token)
        db.session.commit()
    session.pop(LOGIN_KEY, None)
    logout_user()
    session.pop("csrf_token", None)


def log_out_everywhere(account: Account) -> None:
    """Every session of this account, on any device, stops working: its logins go and its
    epoch moves on."""
    db.session.execute(db.delete(AccountLogin).filter_by(account_id=account.id))
    account.session_epoch += 1
    db.session.commit()
    end_session()


def signed_in() -> Account | None:
    return current_user if current_user.is_authenticated else None

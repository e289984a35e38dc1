"""Domain errors. Each carries an HTTP-like status and a Dutch message for the user."""


class DomainError(Exception):
    """A rule of the method or of the input was broken; nothing may change."""

    status = 400

    def __init__(self, message: str, **params: object) -> None:
        text = Message(message, params)
        super().__init__(text)
        self.message = text


class Message(str):
    """A Dutch message as shown by default, which remembers its msgid and placeholders
    (`%(label)s`) so that the place that shows it can translate it."""

    msgid: str
    params: dict[str, object]

    def __new__(cls, msgid: str, params: dict[str, object] | None = None) -> "Message":
        text = super().__new__(cls, msgid % params if params else msgid)
        text.msgid = msgid
        text.params = params or {}
        return text


class Forbidden(DomainError):
    """This role may never do this."""

    status = 403


class WrongStage(DomainError):
    """This role may do this, but not in the meeting's current stage."""

    status = 409


class MeetingClosed(WrongStage):
    """The meeting has been closed; everything is read-only."""


class NotFound(DomainError):
    """The thing asked for does not exist (or is not yours to see)."""

    status = 404


class InvalidInput(DomainError):
    """The input is empty, too long or otherwise unusable."""

    status = 422


class Unconfirmed(InvalidInput):
    """The input is probably fine, but the person must confirm it first (the form asks)."""


class TooManyRequests(DomainError):
    """Too many attempts in too short a time."""

    status = 429

"""Which meeting a device has joined, and as whom: kept in the signed session cookie."""

from dataclasses import dataclass

from flask import session

SESSION_KEY = "devices"
SCREEN = "screen"


@dataclass(frozen=True)
class DeviceRef:
    """What the cookie says about this device in one meeting (not yet checked against the db)."""

    participant_id: int | None = None
    screen: bool = False


def _devices() -> dict:
    return dict(session.get(SESSION_KEY, {}))


def remember_participant(meeting_id: str, participant_id: int) -> None:
    """This device is this participant in this meeting from now on."""
    devices = _devices()
    devices[meeting_id] = participant_id
    session[SESSION_KEY] = devices
    session.permanent = True


def remember_screen(meeting_id: str) -> None:
    """This device is the room screen of this meeting from now on."""
    devices = _devices()
    devices[meeting_id] = SCREEN
    session[SESSION_KEY] = devices
    session.permanent = True


def forget(meeting_id: str) -> None:
    devices = _devices()
    devices.pop(meeting_id, None)
    session[SESSION_KEY] = devices


def device_ref(meeting_id: str) -> DeviceRef | None:
    """This device's entry for the meeting, or None when it never joined."""
    entry = session.get(SESSION_KEY, {}).get(meeting_id)
    if entry == SCREEN:
        return DeviceRef(screen=True)
    if isinstance(entry, int) and not isinstance(entry, bool):
        return DeviceRef(participant_id=entry)
    return None


def participant_ids() -> dict[str, int]:
    """Every meeting this device joined as a participant, with who it is there."""
    return {
        meeting_id: entry
        for meeting_id, entry in session.get(SESSION_KEY, {}).items()
        if isinstance(entry, int) and not isinstance(entry, bool)
    }

"""Socket.IO events. Handlers join rooms and report versions; they hold no business rules."""

import time
from urllib.parse import urlsplit

from flask import current_app, request
from flask_socketio import SocketIO, emit, join_room

from board import access
from board.audience import room
from board.extensions import db
from board.language import select_locale
from board.models import Meeting
from board.services.common import find_actor


def same_origin() -> bool:
    """Only pages we served may connect: the Origin must be our own host."""
    origin = request.headers.get("Origin")
    if not origin:
        return False
    public = current_app.config.get("PUBLIC_URL")
    if public and origin == public:
        return True
    return urlsplit(origin).netloc == request.host


def register(socketio: SocketIO) -> None:
    @socketio.on("connect")
    def connect(auth):
        """A board page connects with {meeting, version}; it joins its audience's room in its
        language (the lang cookie of the handshake, as for its pages)."""
        if not same_origin() or not isinstance(auth, dict):
            return False
        meeting = db.session.get(Meeting, str(auth.get("meeting", "")))
        if meeting is None:
            return False
        actor = find_actor(meeting, access.device_ref(meeting.id))
        if actor is None:
            return False
        join_room(room(meeting.id, actor.audience, select_locale()))
        seen = auth.get("version")
        emit(
            "welcome",
            {
                "version": meeting.version,
                "server_time": time.time(),
                "stale": not isinstance(seen, int) or seen < meeting.version,
            },
        )
        return True

"""The board's floors: what a need card would cost if the board did less than it does.

`bench.run --floor stack` serves the board with its need-card command replaced by what the
bare server does for a change (one emit of a fixed payload to the meeting's rooms), after
the board's own stack has handled the request as for a card: the guard, the session
cookie, the CSRF check, the form, the device's cookie, the response and its headers.
`--floor write` keeps the command itself (the seat read, the permission check, the INSERT,
the version bump, the commit) and replaces only its push, the renders and emits, by that
one emit. Set-up and every other route are the board's.

Against the bare transport in the same run the floors say how much of a card's cost is the
stack, the database and the push (docs/performance.md). Served as the board is:
`gunicorn -c gunicorn.conf.py bench.floor_server:app` with BENCH_FLOOR set.
"""

import os

# Only the standard library at the top: bench.run reads FLOORS and must not load the board.
FLOORS = ("stack", "write")
PAYLOAD_BYTES = 850  # about a new card's push in step 4 (the default run's "push" figure)
ENDPOINT = "board.add_need"
FIRST_VERSION = 10**6  # above any version the set-up reached: the floor counts on from here


def floored(app, floor: str, size: int = PAYLOAD_BYTES):
    """The board's Flask app with its need-card command cut down to `floor` (FLOORS)."""
    from flask import request

    from board.audience import Audience, room
    from board.extensions import socketio
    from board.routes import device, done
    from board.services import common

    def emit_fixed(meeting_id: str, version: int) -> None:
        """What the bare server does for a change: one payload to every room of the meeting
        (its Dutch rooms: the benchmark's devices); then, as the board does, the writers."""
        rooms = [room(meeting_id, audience) for audience in Audience]
        payload = {"version": version, "regions": {"needs": "x" * size}}
        socketio.emit("regions", payload, to=rooms)
        socketio.sleep(0)

    if floor == "stack":
        versions: dict[str, int] = {}  # each meeting's versions, counted in this process

        def add_need(meeting_id: str):
            """The form read and the device's cookie checked; no database, no render."""
            request.form.get("text")
            device(meeting_id)
            version = versions[meeting_id] = versions.get(meeting_id, FIRST_VERSION) + 1
            emit_fixed(meeting_id, version)
            return done(meeting_id, version)

        app.view_functions[ENDPOINT] = add_need
    elif floor == "write":
        # The command as it is; its push (common.notify) becomes the one fixed emit.
        common.notify = lambda meeting, regions, added=None: emit_fixed(meeting.id, meeting.version)
    else:
        raise ValueError(f"BENCH_FLOOR is one of {FLOORS}, not {floor!r}")
    return app


if os.environ.get("BENCH_FLOOR"):  # served by gunicorn's gevent worker (it patched first)
    from wsgi import app

    floored(app, os.environ["BENCH_FLOOR"])

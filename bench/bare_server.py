"""The floor of the transport: a bare Flask-SocketIO broadcast server, served like the board.

A socket connects with {"room": name} and joins that room. `POST /broadcast/<room>` emits
one fixed payload of `?bytes=N` characters to the room and answers 204: what the board
does for a change, minus the database, the permission check and the rendering. Served by
the same gunicorn gevent worker (`gunicorn -c gunicorn.conf.py bench.bare_server:app`).
"""

from gevent import monkey

monkey.patch_all()

import os  # noqa: E402

from flask import Flask, request  # noqa: E402
from flask_socketio import SocketIO, join_room  # noqa: E402

app = Flask(__name__)
socketio = SocketIO(
    app,
    async_mode="gevent",
    message_queue=os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
    cors_allowed_origins=None,
)


@app.get("/healthz")
def healthz():
    """Liveness, as the board answers it."""
    return {"status": "ok"}


@app.post("/broadcast/<room>")
def broadcast(room: str):
    """A load generator asks for one push of N bytes to everyone in the room."""
    size = int(request.args.get("bytes", "2000"))
    seq = int(request.args.get("seq", "0"))
    socketio.emit("regions", {"version": seq, "regions": {"needs": "x" * size}}, to=room)
    return "", 204


@socketio.on("connect")
def connect(auth):
    """A load-generator socket joins the room it names."""
    if not isinstance(auth, dict) or not auth.get("room"):
        return False
    join_room(str(auth["room"]))
    return True

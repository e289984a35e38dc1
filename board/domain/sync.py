"""How a device stays in step when a push is lost (a message queue down, a socket that looks
alive but is not): every HEARTBEAT_SECONDS it asks the meeting's version, and fetches its
regions again when it is behind."""

HEARTBEAT_SECONDS = 25

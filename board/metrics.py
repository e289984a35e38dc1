"""Prometheus metrics at /metrics for the host's monitoring: requests by route and status,
sockets connected, pushes sent, the time from a change's commit to its last push, meetings
open, Python's garbage-collection pauses, and the process's own figures (memory, CPU).

Every process counts its own: with several gunicorn processes, scrape each one's port.
Only the addresses in METRICS_ALLOW may read them (behind TRUSTED_PROXIES, the client's own
address). Counting a request is one dictionary lookup and one counter increment.
"""

import gc
import ipaddress
import time

from flask import Blueprint, Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    ProcessCollector,
    generate_latest,
)

from board.domain.steps import Stage
from board.extensions import db, socketio
from board.models import Meeting

REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
REQUESTS = Counter(
    "intervisiebord_requests",
    "HTTP requests by route (the URL rule, never the path with its tokens) and status.",
    ("route", "status"),
    registry=REGISTRY,
)
SOCKETS = Gauge(
    "intervisiebord_sockets_connected",
    "Board pages connected over Socket.IO to this process.",
    registry=REGISTRY,
)
PUSHES = Counter(
    "intervisiebord_pushes",
    "Socket.IO messages emitted to the rooms of a meeting.",
    registry=REGISTRY,
)
COMMIT_TO_EMIT = Histogram(
    "intervisiebord_commit_to_emit_seconds",
    "From a change's commit to the last of its pushes emitted.",
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
    registry=REGISTRY,
)
GC_PAUSES = Histogram(
    "intervisiebord_gc_pause_seconds",
    "Python's garbage collections by generation: each stops the process, every socket waits.",
    ("generation",),
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0),
    registry=REGISTRY,
)
MEETINGS_OPEN = Gauge(
    "intervisiebord_meetings_open",
    "Meetings in the lobby or in one of the seven steps.",
    registry=REGISTRY,
)
UNMATCHED = "unmatched"
NOT_OPEN = (Stage.PREPARING.value, Stage.CLOSED.value)
LOOPBACK = "127.0.0.0/8,::1"

# route → status → the counter of that pair: found again without building a label tuple.
_requests: dict[str, dict[int, Counter]] = {}

bp = Blueprint("metrics", __name__)


def count_request(response: Response) -> Response:
    """After every request: one more for its URL rule and status."""
    rule = request.url_rule
    route = rule.rule if rule is not None else UNMATCHED
    status = response.status_code
    statuses = _requests.get(route)
    if statuses is None:
        statuses = _requests[route] = {}
    counter = statuses.get(status)
    if counter is None:
        counter = statuses[status] = REQUESTS.labels(route, str(status))
    counter.inc()
    return response


def pushed(emits: int, committed: float) -> None:
    """After a change's pushes: how many went out, and how long since the commit."""
    PUSHES.inc(emits)
    COMMIT_TO_EMIT.observe(time.perf_counter() - committed)


def allowed_networks(setting: str) -> tuple:
    """METRICS_ALLOW: addresses or networks, separated by commas."""
    try:
        return tuple(
            ipaddress.ip_network(part.strip(), strict=False)
            for part in setting.split(",")
            if part.strip()
        )
    except ValueError as error:
        raise ValueError(f"METRICS_ALLOW: {error}") from None


def may_read(address: str | None) -> bool:
    """Whether the client address is in one of the allowed networks."""
    try:
        client = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    client = getattr(client, "ipv4_mapped", None) or client
    return any(client in network for network in current_app.extensions["metrics_allow"])


def connected_sockets() -> int:
    """Sockets of this process on the board's namespace (every one is in the room None)."""
    return len(socketio.server.manager.rooms.get("/", {}).get(None, ()))


@bp.get("/metrics")
def metrics():
    """The metrics in Prometheus's text format, for the addresses METRICS_ALLOW names."""
    if not may_read(request.remote_addr):
        return Response("Niet toegestaan vanaf dit adres (METRICS_ALLOW).\n", 403)
    SOCKETS.set(connected_sockets())
    open_meetings = db.select(db.func.count(Meeting.id)).where(Meeting.stage.not_in(NOT_OPEN))
    MEETINGS_OPEN.set(db.session.execute(open_meetings).scalar_one())
    return Response(generate_latest(REGISTRY), content_type=CONTENT_TYPE_LATEST)


class _CollectionTimer:
    """A gc callback: how long each collection stopped the process, by generation."""

    def __init__(self) -> None:
        self.started = 0.0
        self.pauses = [GC_PAUSES.labels(str(generation)) for generation in range(3)]

    def __call__(self, phase: str, info: dict) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.pauses[info["generation"]].observe(time.perf_counter() - self.started)


def time_collections() -> None:
    """Time the process's garbage collections (once per process, whatever the apps)."""
    if not any(isinstance(callback, _CollectionTimer) for callback in gc.callbacks):
        gc.callbacks.append(_CollectionTimer())


def init_app(app: Flask) -> None:
    time_collections()
    app.extensions["metrics_allow"] = allowed_networks(app.config["METRICS_ALLOW"])
    app.after_request(count_request)
    app.register_blueprint(bp)

"""Where a delivery's time goes: `bench.run --timeline` splits each one into three parts.

    send → start     from the load generator sending the POST to the board's WSGI app
                     starting on it (the client's request, the wire, gunicorn's parsing)
    start → emit     from there to the emit that carries the change to the device's
                     audience (Flask, the session, CSRF, the statements, the renders)
    emit → arrival   from that emit to the push arriving at the device (the transport's
                     writes, the client's reading)

The server side (`record`, armed in the gunicorn worker by gunicorn.conf.py when
BENCH_TIMELINE names a file) writes one line per emit: the meeting, the version, when its
request started and when the emit happened, on the clock the load generator also reads
(time.perf_counter is CLOCK_MONOTONIC, one clock for every process of the machine). The
load generator sends what it timed; `split` puts the two together.
"""

import statistics
import time
from collections.abc import Iterable

STARTED = "bench.timeline.started"
PARTS = ("send → start", "start → emit", "emit → arrival", "total")
AUDIENCES = ("teacher", "screen", "colleague")  # device 0 is the teacher, 1 the screen


def record(app, path: str):
    """Stamp every request's start; log every emit of a push with it (one process). Returns
    the log, open for the worker's life (a caller that ends sooner closes it)."""
    from flask import has_request_context, request

    from board.extensions import socketio

    log = open(path, "a", buffering=1)  # noqa: SIM115 (open for the worker's life)
    inner = app.wsgi_app

    def stamped(environ, start_response):
        environ[STARTED] = time.perf_counter()
        return inner(environ, start_response)

    emit = socketio.emit

    def logged(event, data=None, *args, **kwargs):
        emitted = time.perf_counter()
        rooms = kwargs.get("to")
        rooms = rooms if isinstance(rooms, list) else [rooms]
        started = request.environ.get(STARTED) if has_request_context() else None
        if event == "regions" and started is not None and rooms[0]:
            meeting = str(rooms[0]).split(":")[1]
            audiences = ",".join(str(room).split(":")[2] for room in rooms)
            log.write(f"{meeting} {data['version']} {started:.6f} {emitted:.6f} {audiences}\n")
        return emit(event, data, *args, **kwargs)

    app.wsgi_app = stamped
    socketio.emit = logged
    return log


def audience_of(index: int) -> str:
    return AUDIENCES[min(index, 2)]


def split(lines: Iterable[str], sent: Iterable[tuple]) -> dict[str, dict]:
    """The medians and p99s of the three parts (ms), over every delivery to a device other
    than the poster. `sent`: (meeting, version, poster, started, [(device, arrived)])."""
    emits: dict[tuple[str, int], list[tuple[float, float, str]]] = {}
    for line in lines:
        meeting, version, started, emitted, audiences = line.split()
        emits.setdefault((meeting, int(version)), []).append(
            (float(started), float(emitted), audiences)
        )
    parts: list[list[float]] = [[] for _ in PARTS]
    for meeting, version, poster, sent_at, arrivals in sent:
        found = emits.get((meeting, version))
        if not found:
            continue
        for device, arrived in arrivals:
            if device == poster:
                continue
            audience = audience_of(device)
            emit = next((e for e in found if audience in e[2].split(",")), None)
            if emit is None:
                continue
            started, emitted, _ = emit
            for values, value in zip(
                parts,
                (started - sent_at, emitted - started, arrived - emitted, arrived - sent_at),
                strict=True,
            ):
                values.append(value * 1000)
    return {
        name: {
            "deliveries": len(values),
            "p50_ms": round(statistics.median(values), 2) if values else None,
            "p99_ms": round(sorted(values)[int(0.99 * len(values))], 2) if values else None,
        }
        for name, values in zip(PARTS, parts, strict=True)
    }

"""gunicorn settings for `make serve`: one gevent worker per process, WebSockets included.

We use simple-websocket, not gevent-websocket: engineio's gevent driver upgrades the
connection itself, so the plain `gevent` worker carries WebSockets. Socket.IO keeps state
per connection in the process, so a process has exactly one worker; scale by running
several processes (each on its own port) behind a proxy with a shared message queue.
"""

import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"
worker_class = "gevent"
workers = 1
worker_connections = int(os.environ.get("WORKER_CONNECTIONS", "10000"))
# Long-polling requests and WebSockets stay open; the gevent worker's timeout only checks
# that the worker process is alive (it notifies the arbiter between requests).
timeout = 60
graceful_timeout = 10
keepalive = 5
# X-Forwarded-Proto from these proxies sets the scheme (https) that Origin checks compare.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "warning")
wsgi_app = "wsgi:app"


def post_fork(server, worker):
    """For `bench.run --profile`: yappi (CPU time, per greenlet) in the worker, on from one
    signal to the next. cProfile charges a greenlet's waits to whatever it was calling."""
    path = os.environ.get("BENCH_PROFILE")
    if not path:
        return
    import signal

    import yappi

    yappi.set_clock_type("cpu")
    yappi.set_context_backend("greenlet")

    def stop(*_):
        yappi.stop()
        yappi.get_func_stats().save(path, type="pstat")

    signal.signal(signal.SIGRTMIN + 1, lambda *_: yappi.start())
    signal.signal(signal.SIGRTMIN + 2, stop)


# Python's collections stop the process, every socket's push with it. Objects from start-up
# are frozen out of the scans. With 3,000 sockets the young generation always holds thousands
# of gevent waiters and timers (each socket's pending read and write, made anew for every
# push), so a young collection takes 15–25 ms under load however little garbage there is, and
# a middle one 40–110 ms; each lined up with a cluster of the slowest deliveries in
# `make bench`. Requests now leave little cyclic garbage (about 8 objects each: werkzeug's
# route matcher), so a young collection waits for 20,000 new objects instead of 2,000: 2
# collections in 40 s of the default benchmark instead of 17 (docs/performance.md). The
# middle and the full collection come after as many new objects as before: 200,000 and 20
# million. /metrics shows every collection's pause (intervisiebord_gc_pause_seconds).
GC_THRESHOLD = (20000, 10, 100)


def post_worker_init(worker):
    import gc

    import gevent

    from board.config import record_serving

    # A greenlet need not record the stack that spawned it (engineio spawns one per ping).
    gevent.config.track_greenlet_tree = False
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    # `flask demo` prints links for the port this process serves.
    if timeline := os.environ.get("BENCH_TIMELINE"):  # bench.run --timeline
        from bench.timeline import record

        record(worker.wsgi, timeline)
    host, port = worker.sockets[0].getsockname()[:2]
    record_serving(worker.wsgi.instance_path, host, port)

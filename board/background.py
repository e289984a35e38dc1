"""CPU-heavy work of a request (a PDF, a Word file) in a real thread: under gevent one
greenlet that computes for seconds holds up every other request of the process, /healthz too;
in a thread of gevent's pool it shares the CPU with the event loop instead."""

from collections.abc import Callable

from flask import copy_current_request_context


def off_the_loop(function: Callable[..., bytes], *args) -> bytes:
    """function(*args) in gevent's thread pool, with this request's context; called directly
    where gevent does not run the server (the test client, the threading dev server)."""
    from gevent import get_hub, monkey

    if not monkey.is_module_patched("threading"):
        return function(*args)
    return get_hub().threadpool.apply(copy_current_request_context(function), args)

"""Where rate-limit hits are kept: this process's memory, or Redis to hold across processes.

The arithmetic is in board.domain.limits; a store keeps the times of the allowed hits per
key and asks the domain. `hit()` (count an attempt) and `peek()` (would one more be allowed?)
are what services call.
"""

import hashlib
import logging
import threading
import time
import uuid
from typing import Protocol

from flask import Flask, current_app

from board.domain.limits import Decision, Limit, decide, parse, recent

log = logging.getLogger(__name__)


class Store(Protocol):
    def hit(self, key: str, limit: Limit, now: float) -> Decision:
        """Count one hit on key if the limit allows it; say whether it did."""

    def peek(self, key: str, limit: Limit, now: float) -> Decision:
        """Whether one more hit on key would be allowed now; counts nothing."""


class MemoryStore:
    """Hit times in this process (one server process, tests); forgotten once they expire."""

    SWEEP_SECONDS = 60

    def __init__(self) -> None:
        self._hits: dict[str, tuple[float, list[float]]] = {}  # key → (forget at, times)
        self._lock = threading.Lock()
        self._swept = 0.0

    def hit(self, key: str, limit: Limit, now: float) -> Decision:
        with self._lock:
            self._sweep(now)
            _, times = self._hits.get(key, (0.0, []))
            kept = recent(limit, times, now)
            decision = decide(limit, kept, now)
            if decision.allowed:
                kept.append(now)
            if kept:
                self._hits[key] = (kept[-1] + limit.seconds, kept)
            else:
                self._hits.pop(key, None)
        return decision

    def peek(self, key: str, limit: Limit, now: float) -> Decision:
        with self._lock:
            return decide(limit, self._hits.get(key, (0.0, []))[1], now)

    def _sweep(self, now: float) -> None:
        """Once a minute, drop every key (an address, a device) whose hits no longer count."""
        if now - self._swept < self.SWEEP_SECONDS:
            return
        self._swept = now
        self._hits = {key: entry for key, entry in self._hits.items() if entry[0] > now}


class RedisStore:
    """Hit times in a Redis sorted set per key, shared by every process; keys expire."""

    def __init__(self, url: str, namespace: str) -> None:
        import redis

        self._redis = redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)
        self._namespace = namespace

    def hit(self, key: str, limit: Limit, now: float) -> Decision:
        name, mine = f"rl:{self._namespace}:{key}", uuid.uuid4().hex
        # Add first, then look: two processes racing for the last slot cannot both get it.
        pipe = self._redis.pipeline()
        pipe.zremrangebyscore(name, "-inf", now - limit.seconds)
        pipe.zadd(name, {mine: now})
        pipe.expire(name, int(limit.seconds) + 1)
        pipe.zrange(name, 0, -1, withscores=True)
        *_, entries = pipe.execute()
        others = [score for member, score in entries if member.decode() != mine]
        decision = decide(limit, others, now)
        if not decision.allowed:
            self._redis.zrem(name, mine)
        return decision

    def peek(self, key: str, limit: Limit, now: float) -> Decision:
        name = f"rl:{self._namespace}:{key}"
        scores = self._redis.zrangebyscore(name, now - limit.seconds, "+inf", withscores=True)
        return decide(limit, [score for _, score in scores], now)


def make_store(url: str | None, namespace: str = "board") -> Store:
    """A Redis store for a redis:// URL, memory otherwise."""
    if url and url.startswith(("redis://", "rediss://", "unix://")):
        return RedisStore(url, namespace)
    return MemoryStore()


def hit(name: str, key: str) -> Decision:
    """One attempt at the limited thing `name` (a RATELIMIT_<NAME> setting) by `key`."""
    return _ask("hit", name, key)


def peek(name: str, key: str) -> Decision:
    """Would one more attempt at `name` by `key` be allowed now? Counts nothing."""
    return _ask("peek", name, key)


def _ask(operation: str, name: str, key: str) -> Decision:
    app = current_app
    enabled = app.config.get("RATELIMIT_ENABLED")
    if not (enabled if enabled is not None else not app.testing):
        return Decision(True)
    limit = parse(app.config[f"RATELIMIT_{name.upper()}"])
    store = app.extensions["ratelimit"]
    try:
        return getattr(store, operation)(f"{name}:{key}", limit, time.time())
    except Exception:  # a broken Redis must not stop a meeting: let the attempt through
        log.warning("rate-limit store unavailable; %s not limited", name)
        return Decision(True)


def init_app(app: Flask) -> None:
    """Processes that share a database share counters; two boards sharing a Redis do not."""
    database = app.config["SQLALCHEMY_DATABASE_URI"].encode()
    namespace = hashlib.sha256(database).hexdigest()[:12]
    app.extensions["ratelimit"] = make_store(app.config.get("RATELIMIT_STORAGE"), namespace)

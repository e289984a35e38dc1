"""Limits: rate-limit arithmetic (a sliding-window log, pure and clock-free), and how much
one meeting holds.

A limit allows `count` hits in any stretch of `seconds`. A store keeps, per key, the
times of the hits it allowed (never more than `count` of them); this module says whether
one more hit may happen now and, if not, when it may.
"""

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass

from board.domain.errors import InvalidInput
from board.domain.text import N_

UNITS = {"second": 1, "minute": 60, "hour": 3600}
SPEC = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*(second|minute|hour)s?\s*$")


@dataclass(frozen=True)
class Limit:
    """At most `count` hits in any `seconds`."""

    count: int
    seconds: float

    def __post_init__(self) -> None:
        if self.count < 1 or self.seconds <= 0:
            raise ValueError(f"a limit needs a count ≥ 1 and a period > 0, not {self}")


@dataclass(frozen=True)
class Decision:
    """Whether one more hit is allowed now, and if not, in how many seconds to try again."""

    allowed: bool
    retry_after: float = 0.0


def parse(spec: str) -> Limit:
    """'10/minute', '5/second', '100 / 2 hours' → Limit; ValueError for anything else."""
    match = SPEC.match(spec.lower())
    if match is None:
        raise ValueError(f"not a rate limit: {spec!r} (write e.g. '10/minute')")
    count, multiple, unit = match.groups()
    return Limit(int(count), int(multiple or 1) * UNITS[unit])


def recent(limit: Limit, hits: Iterable[float], now: float) -> list[float]:
    """The hits that still count now, oldest first: those less than `seconds` ago."""
    return sorted(t for t in hits if now - limit.seconds < t <= now)


def decide(limit: Limit, hits: Iterable[float], now: float) -> Decision:
    """May one more hit happen now, given the times of the hits allowed before?"""
    counted = recent(limit, hits, now)
    if len(counted) < limit.count:
        return Decision(True)
    # Wait until the oldest hit that keeps the log full has slid out of the window.
    wait = counted[-limit.count] + limit.seconds - now
    return Decision(False, min(max(wait, 0.0), limit.seconds))  # no float drift past either end


def client_key(address: str | None) -> str:
    """Who is counted as one client: an IPv4 address, or an IPv6 address's /64 network (one
    home or school gets a whole /64, so counting single IPv6 addresses would count nothing)."""
    try:
        parsed = ipaddress.ip_address(address or "")
    except ValueError:
        return address or "-"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


# ---- how much one meeting holds ------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    """At most `most` of one kind of thing in a meeting: far above what a real meeting (39
    minutes, a team of up to ~15) reaches, low enough that every page and export stays quick."""

    most: int
    message: str


CAPACITY = {
    "participants": Capacity(
        40, N_("Deze bijeenkomst is vol: er doen al %(most)s mensen mee. Meedoen kan niet meer.")
    ),
    "questions": Capacity(
        100, N_("Er staan al %(most)s vragen op het bord; meer kan er niet bij.")
    ),
    "suggestions": Capacity(
        50, N_("Er zijn al %(most)s suggesties voor het doel; meer kan er niet bij.")
    ),
    "needs": Capacity(
        400, N_("Er liggen al %(most)s kaartjes met onderwijsbehoeften; meer kan er niet bij.")
    ),
    "agreements": Capacity(40, N_("Er zijn al %(most)s afspraken; meer kan er niet bij.")),
}


def check_room(kind: str, present: int) -> None:
    """InvalidInput with a Dutch message when the meeting already holds the most of a kind."""
    capacity = CAPACITY[kind]
    if present >= capacity.most:
        raise InvalidInput(capacity.message, most=capacity.most)

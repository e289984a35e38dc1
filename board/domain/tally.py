"""The yield vote of step 7, counted: how many said yes, no, and the reasons given."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol


class Vote(Protocol):
    worth_it: bool
    why: str
    brought: str


@dataclass(frozen=True)
class Tally:
    yes: int
    no: int
    reasons: list[tuple[bool, str, str]]

    @property
    def total(self) -> int:
        return self.yes + self.no


def tally(votes: Iterable[Vote]) -> Tally:
    votes = list(votes)
    yes = sum(1 for vote in votes if vote.worth_it)
    reasons = [(v.worth_it, v.why, v.brought) for v in votes if v.why or v.brought]
    return Tally(yes=yes, no=len(votes) - yes, reasons=reasons)

"""The live regions: the one place a region is defined.

Each region is an element id and its partial (`partials/<name>.html`, whose root element has
that id), the audiences that receive it, a context builder that loads only what it shows,
which audiences see the same HTML (rendered once per language for all of them), and, for
the lists that grow card by card, how a new card is appended. Services commit these
constants; `notify` and the resync route read them.
"""

from collections.abc import Callable, Hashable
from dataclasses import dataclass

from board.audience import Audience
from board.models import Meeting, NeedCard, Question
from board.views import (
    Can,
    agreements_context,
    board_context,
    card_context,
    clock_context,
    goal_context,
    needs_context,
    needs_head_context,
    prep_context,
    questions_context,
    questions_head_context,
    yield_context,
)

EVERYONE = frozenset(Audience)
TEACHER_ONLY = frozenset({Audience.TEACHER})


def per_audience(can: Can) -> Hashable:
    """Every audience sees its own HTML."""
    return can.audience


def same_for_all(can: Can) -> Hashable:
    """Every audience sees the same HTML: one render per language."""
    return None


def depends_on(*names: str) -> Callable[[Can], Hashable]:
    """Audiences with the same grants for these actions see the same HTML."""
    return lambda can: tuple(getattr(can, name) for name in names)


def context_only(build: Callable[[Meeting], dict]) -> Callable[[Meeting, float], dict]:
    return lambda meeting, now: build(meeting)


@dataclass(frozen=True)
class Append:
    """A list that grows card by card: a new card is rendered alone and appended to it; a
    card that changed (marked, answered) is rendered alone and swapped for its element."""

    item: str  # the card's partial, the one the list includes for every card
    head: "Region"  # the region above the list that counts the cards
    into: Callable[[NeedCard | Question], str]  # the element id of the list that shows it
    element: Callable[[NeedCard | Question], str]  # the card's own element id (its root's)
    name: str  # what the partial calls the card
    count: str  # what the head calls the number of cards
    variant: Callable[[Can], Hashable]


@dataclass(frozen=True)
class Region:
    name: str
    audiences: frozenset[Audience]
    build: Callable[[Meeting, float], dict]
    variant: Callable[[Can], Hashable] = per_audience
    append: Append | None = None

    @property
    def template(self) -> str:
        return f"partials/{self.name}.html"


STAGE = Region("stage", EVERYONE, board_context)
CLOCK = Region("clock", EVERYONE, clock_context, depends_on("run_timer"))
CONTROLS = Region("controls", EVERYONE, clock_context)
PARTICIPANTS = Region(
    "participants", EVERYONE, context_only(card_context), depends_on("assign_timekeeper")
)
PREP = Region("prep", EVERYONE, prep_context)
# Who read the preparation and her own notes are for the teacher (on each of her devices).
PREP_READS = Region("prep_reads", TEACHER_ONLY, context_only(card_context))
NOTES = Region("notes", TEACHER_ONLY, context_only(card_context))
QUESTIONS_HEAD = Region("questions_head", EVERYONE, questions_head_context, same_for_all)
QUESTIONS = Region(
    "questions",
    EVERYONE,
    questions_context,
    depends_on("mark_question_answered"),
    Append(
        "partials/question_card.html",
        QUESTIONS_HEAD,
        lambda card: "question-list",
        lambda card: f"question-{card.id}",
        "question",
        "questions_count",
        depends_on("mark_question_answered"),
    ),
)
GOAL = Region("goal", EVERYONE, goal_context)
NEEDS_HEAD = Region("needs_head", EVERYONE, needs_head_context, same_for_all)
# The list shows cards set aside to their authors and to whoever may put them back: each
# audience its own. A new card is the same for all but the one who may mark it and the
# colleagues who may change their own (its controls for the timekeeper: data-reveal).
NEEDS = Region(
    "needs",
    EVERYONE,
    needs_context,
    per_audience,
    Append(
        "partials/need_card.html",
        NEEDS_HEAD,
        lambda card: f"need-list-{card.category}",
        lambda card: f"need-{card.id}",
        "card",
        "needs_count",
        depends_on("mark_need", "change_own_need"),
    ),
)
SUPPORT = Region("support", EVERYONE, context_only(card_context), depends_on("write_support"))
AGREEMENTS = Region("agreements", EVERYONE, agreements_context, depends_on("change_agreement"))
YIELD = Region("yield", EVERYONE, yield_context, same_for_all)

REGISTRY: tuple[Region, ...] = (
    STAGE,
    CLOCK,
    CONTROLS,
    PARTICIPANTS,
    PREP,
    PREP_READS,
    NOTES,
    QUESTIONS_HEAD,
    QUESTIONS,
    GOAL,
    NEEDS_HEAD,
    NEEDS,
    SUPPORT,
    AGREEMENTS,
    YIELD,
)
APPENDED_TO: dict[type, Region] = {NeedCard: NEEDS, Question: QUESTIONS}


@dataclass(frozen=True)
class CardPush:
    """A card pushed alone: a new one appended to its list, with the header that counts; a
    changed one swapped for its own element. Nothing else of the list is loaded or sent."""

    region: Region  # the list's region, whose append rule says how
    into: str | None  # the list a new card is appended to; None for a changed card
    element: str  # the card's own element id
    context: dict


def new_card(meeting: Meeting, card: NeedCard | Question, count: int) -> CardPush:
    """How a new need card or question reaches the screens, with the count of its list read
    in the transaction that added it; pushed after the commit."""
    region = APPENDED_TO[type(card)]
    rule = region.append
    context = {**card_context(meeting), rule.name: card, rule.count: count}
    return CardPush(region, rule.into(card), rule.element(card), context)


def changed_card(meeting: Meeting, card: NeedCard | Question) -> CardPush:
    """A card on the board that changed in place (a need marked, a question answered): every
    audience that shows the list shows it, so it goes alone, not with the whole list again.
    Not for a card set aside or put back: which lists show it differs per audience."""
    region = APPENDED_TO[type(card)]
    rule = region.append
    context = {**card_context(meeting), rule.name: card}
    return CardPush(region, None, rule.element(card), context)

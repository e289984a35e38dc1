"""Need cards (step 4), the cards set aside, and their feasibility (step 5)."""

from collections.abc import Collection
from enum import StrEnum

from board.domain.errors import InvalidInput
from board.domain.text import N_


class Category(StrEnum):
    INSTRUCTION = "instructie"
    TASKS = "opdrachten"
    FEEDBACK = "feedback"
    TEACHER = "leerkracht"
    PEERS = "groepsgenoten"
    PARENTS = "ouders"
    OTHER = "anders"


CATEGORY_LABELS: dict[Category, str] = {
    Category.INSTRUCTION: N_("Instructie"),
    Category.TASKS: N_("Opdrachten en activiteiten"),
    Category.FEEDBACK: N_("Feedback"),
    Category.TEACHER: N_("Leerkracht"),
    Category.PEERS: N_("Groepsgenoten"),
    Category.PARENTS: N_("Ouders"),
    Category.OTHER: N_("Anders"),
}


class Feasibility(StrEnum):
    FEASIBLE = "feasible"
    NOT_NOW = "not_now"


class Subgroup(StrEnum):
    BASIS = "basis"
    INTENSIVE = "intensief"
    MORE = "meer"


class AsideReason(StrEnum):
    """Why the timekeeper set a card aside: it breaks the rules of step 4."""

    DISCUSSION = "discussion"
    LABEL = "label"
    DUPLICATE = "duplicate"


ASIDE_REASON_LABELS: dict[AsideReason, str] = {
    AsideReason.DISCUSSION: N_("Discussie of 'ja, maar'"),
    AsideReason.LABEL: N_("Een etiket, geen behoefte"),
    AsideReason.DUPLICATE: N_("Dubbel: staat al op een ander kaartje"),
}
NO_ASIDE_REASON = N_("Kies waarom het kaartje apart gaat: discussie, een etiket of dubbel.")
NO_ORIGINAL = N_("Kies het kaartje waar dit kaartje een dubbel van is.")


def aside_reason(
    reason: object, original: object, card_id: int, on_board: Collection[int]
) -> tuple[AsideReason, int | None]:
    """The reason to set a card aside, and for a duplicate the card it repeats: another card
    still on the board. InvalidInput (with a Dutch message) for anything else."""
    try:
        chosen = AsideReason(reason)
    except ValueError:
        raise InvalidInput(NO_ASIDE_REASON) from None
    if chosen is not AsideReason.DUPLICATE:
        return chosen, None
    original_id = next((i for i in on_board if str(i) == str(original) and i != card_id), None)
    if original_id is None:
        raise InvalidInput(NO_ORIGINAL)
    return chosen, original_id


PER_WEEK_MAX = 50


def clean_per_week(value: object) -> int | None:
    """How often a week (1–50), from a form field; None when left empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise InvalidInput("Hoe vaak per week: vul een heel getal in.") from None
    if not 0 < number <= PER_WEEK_MAX:
        raise InvalidInput("Hoe vaak per week: kies een getal van 1 tot en met 50.")
    return number

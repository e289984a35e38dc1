"""Need cards (step 4) and their feasibility (step 5), and the label nudge."""

import re
from enum import StrEnum

from board.domain.errors import InvalidInput
from board.domain.text import N_

SENTENCE_START = N_("Om dit doel te halen heeft deze leerling")
SENTENCE_END = N_("nodig.")


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


LABELS = (
    "adhd",
    "add",
    "autist",
    "autistisch",
    "autisme",
    "ass",
    "pdd-nos",
    "dyslect",
    "dyslectisch",
    "dyscalculie",
    "lui",
    "ongemotiveerd",
    "gedemotiveerd",
    "druk",
    "brutaal",
    "dom",
    "zwak",
    "zwakke",
    "moeilijk",
    "lastig",
    "probleemkind",
    "gedragsprobleem",
    "stout",
    "agressief",
    "onhandelbaar",
    "dwars",
    "koppig",
    "traag",
    "chaotisch",
    "hoogbegaafd",
    # the inflected forms before a noun: "een drukke jongen"
    "luie",
    "drukke",
    "brutale",
    "domme",
    "lastige",
    "moeilijke",
    "stoute",
    "agressieve",
    "onhandelbare",
    "dwarse",
    "koppige",
    "trage",
    "chaotische",
    "ongemotiveerde",
    "gedemotiveerde",
    "autistische",
    "dyslectische",
    "hoogbegaafde",
)
LABEL_PATTERN = re.compile(r"\b(?:" + "|".join(map(re.escape, LABELS)) + r")\b", re.IGNORECASE)
NUDGE = N_(
    "'{word}' is een etiket. Beschrijf liever wat deze leerling nodig heeft, "
    "bijvoorbeeld: korte instructie aan de instructietafel."
)


def label_nudge(text: str) -> str | None:
    """The first label the card uses instead of a need, or None when it names a need."""
    match = LABEL_PATTERN.search(text)
    return match.group(0) if match else None


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

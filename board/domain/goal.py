"""The goal of step 3 and the goal check: concrete and measurable, or a hint why not.

The check advises; it never blocks. Its hints are Dutch messages marked for translation.
"""

import re
from dataclasses import dataclass, fields

from board.domain.text import N_

NUMBER_WORDS = (
    "één|twee|drie|vier|vijf|zes|zeven|acht|negen|tien|elf|twaalf|dertien|veertien|"
    "vijftien|twintig|dertig|veertig|vijftig|honderd|half|halve|kwart"
)
# "een" is mostly the article; it only counts as a number before a unit ("een keer per week").
ONE_UNIT = "keer|maal|kwartier|minuut|uur|dag|week|maand|ochtend|middag|les"
NUMBER = re.compile(rf"\d|\b(?:{NUMBER_WORDS})\b|\been\s+(?:{ONE_UNIT})\b", re.IGNORECASE)
FREQUENCY = re.compile(
    r"\b(?:per|elke|iedere|elk|ieder|keer|maal|dagelijks|wekelijks|x)\b|\d+\s*x\b"
    r"|\b(?:ochtenden|middagen|dagen|lessen|momenten)\b",
    re.IGNORECASE,
)
TIME_FRAME = re.compile(
    r"\b(?:minuut|minuten|min|uur|uren|kwartier|seconden|dag|dagen|week|weken|maand|maanden|"
    r"periode|blok|vakantie|kerstvakantie|voorjaarsvakantie|meivakantie|zomervakantie|"
    r"herfstvakantie|januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|"
    r"november|december|les|lessen|kring|pauze|ochtend|middag)\b"
    # Dutch compounds: "rekenles", "taaluur", "ochtendkring" (not a bare "\w*les": "alles")
    r"|\b(?:reken|taal|lees|spel|spelling|schrijf|gym|muziek|teken)(?:les|lessen|uur)\b"
    r"|\b\w*(?:kring|pauze)\b",
    re.IGNORECASE,
)
MOMENT = re.compile(
    r"\d|\b(?:eind|einde|na|over|week|weken|maand|vakantie|vrijdag|maandag|dinsdag|woensdag|"
    r"donderdag|dagelijks|wekelijks|elke|iedere|januari|februari|maart|april|mei|juni|juli|"
    r"augustus|september|oktober|november|december|periode|blok)\b",
    re.IGNORECASE,
)
VAGUE_VERBS = re.compile(
    r"\b(?:verbeter\w*|vergrot\w*|vergroten|bevorder\w*|stimuler\w*|ontwikkel\w*|"
    r"versterk\w*|optimaliser\w*|werken aan|beter\w*|meer)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Goal:
    """The goal with its parts, as the teacher writes it in step 3."""

    text: str = ""
    behaviour: str = ""
    duration: str = ""
    frequency: str = ""
    moment: str = ""
    level: str = ""
    evaluation_how: str = ""
    evaluation_when: str = ""

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, field.name).strip() for field in fields(self))

    @property
    def described(self) -> str:
        """The goal sentence and its parts, as one text to check."""
        parts = (self.text, self.behaviour, self.duration, self.frequency, self.moment, self.level)
        return " ".join(part for part in parts if part)


GOAL_PART_KEYS: tuple[str, ...] = tuple(field.name for field in fields(Goal))

HINT_EMPTY = N_("Schrijf het doel: wat moet de leerling kunnen of laten zien?")
HINT_NUMBER = N_("Er staat geen getal in: hoeveel minuten, opgaven of keren?")
HINT_FREQUENCY = N_("Hoe vaak? Bijvoorbeeld: op drie ochtenden per week.")
HINT_TIME_FRAME = N_("Hoe lang of wanneer? Noem een duur of een moment van de dag.")
HINT_EVALUATION = N_("Wanneer en hoe evalueer je? Bijvoorbeeld: aan het eind van de week.")
HINT_VAGUE = N_(
    "'{word}' is vaag: niemand kan zien of het gelukt is. Beschrijf wat de leerling "
    "dan precies doet."
)


@dataclass(frozen=True)
class GoalHint:
    message: str
    word: str = ""


def check_goal(goal: Goal) -> list[GoalHint]:
    """What is missing or vague in the goal; an empty list means concrete enough."""
    if goal.is_empty:
        return [GoalHint(HINT_EMPTY)]
    described = goal.described
    hints = [GoalHint(HINT_VAGUE, match.group(0)) for match in VAGUE_VERBS.finditer(described)]
    if not NUMBER.search(described):
        hints.append(GoalHint(HINT_NUMBER))
    if not FREQUENCY.search(described):
        hints.append(GoalHint(HINT_FREQUENCY))
    if not TIME_FRAME.search(described):
        hints.append(GoalHint(HINT_TIME_FRAME))
    evaluation = f"{goal.evaluation_how} {goal.evaluation_when}".strip()
    if not evaluation or not MOMENT.search(evaluation):
        hints.append(GoalHint(HINT_EVALUATION))
    return hints

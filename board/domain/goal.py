"""The goal of step 3 and the goal check: concrete and measurable, or a hint why not.

The check advises; it never blocks. Its hints are Dutch messages marked for translation.
"""

import re
from dataclasses import dataclass, fields
from datetime import date

from board.domain.dutch_dates import date_on_or_after
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
MONTHS = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|"
    "jan|feb|mrt|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
WEEKDAYS = "maandag|dinsdag|woensdag|donderdag|vrijdag"
COUNT = rf"(?:\d+|{NUMBER_WORDS}|een\s+paar|een|anderhalve)"
# A date: "15 maart", "15-3-2027", "2027-03-15", "op 15-3" (a bare "8-10" is a range).
DATE = (
    rf"\b\d{{1,2}}\s+(?:{MONTHS})\b(?:\s+\d{{4}})?"
    r"|\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b|\b\d{4}-\d{2}-\d{2}\b"
    r"|\b(?:op|tot|voor|vóór|per)\s+\d{1,2}[-/]\d{1,2}\b"
)
# A moment by which the goal is reached, and so checked: it counts alone in the sentence.
DEADLINE = re.compile(
    rf"{DATE}"
    rf"|\b(?:na|over|binnen)\s+{COUNT}\s+(?:dagen|dag|weken|week|maanden|maand)\b"
    r"|\b(?:voor|vóór|tot|na)\s+de\s+\w*vakantie\b"
    rf"|\b(?:eind|einde|begin|half|medio)\s+(?:{MONTHS})\b"
    r"|\b(?:aan\s+het\s+|op\s+het\s+)?einde?\s+van\s+(?:het|de|dit|deze)\s+"
    r"(?:blok|periode|schooljaar|trimester|maand|thema)\b"
    r"|\b(?:in|tot|na|vanaf)\s+week\s+\d{1,2}\b|\bvolgende\s+maand\b",
    re.IGNORECASE,
)
# The word that says the goal is checked, and a moment it is checked at.
EVALUATE = re.compile(
    r"\b(?:evaluatie\w*|evalu\w*|geëvalueerd|nabespre\w*|bespre\w*|vieren|viert|"
    r"meten|meet|meting|toets\w*|kijk\w*(?:\s+\w+){0,3}\s+terug|terugkijken|terug\s+te\s+kijken)\b",
    re.IGNORECASE,
)
CHECK_MOMENT = re.compile(
    rf"\b(?:op\s+|elke\s+|iedere\s+)?(?:{WEEKDAYS})(?:middag|ochtend)?\b"
    r"|\b(?:aan\s+het\s+|op\s+het\s+)?einde?\s+van\s+(?:de|het|deze|dit|elke|iedere)\s+\w+"
    r"|\b(?:elke|iedere)\s+(?:week|dag|maand)\b|\b(?:wekelijks|dagelijks|maandelijks)\b"
    r"|\bvolgende\s+week\b",
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
    if evaluation_moment(goal) is None:
        hints.append(GoalHint(HINT_EVALUATION))
    return hints


def evaluation_moment(goal: Goal) -> str | None:
    """When the goal is checked, as the teacher wrote it: in the evaluation fields, or in
    the sentence itself ("evaluatie na zes weken", "over 4 weken evalueren", a date)."""
    for part in (goal.evaluation_when, goal.evaluation_how):
        if part.strip() and MOMENT.search(part):
            return part.strip()
    if deadline := DEADLINE.search(goal.text):
        return deadline.group(0)
    if EVALUATE.search(goal.text) and (moment := CHECK_MOMENT.search(goal.text)):
        return moment.group(0)
    return None


def evaluation_date(text: str, meeting_date: date) -> date | None:
    """The date the evaluation moment in this text means, counted from the meeting:
    "na zes weken", "over 4 weken", "15 maart", "15-3-2027", "eind januari", "in week 12".
    None when the text names no date, or one before the meeting (see dutch_dates)."""
    return date_on_or_after(text, meeting_date)


def planned_evaluation_date(goal: Goal, meeting_date: date, picked: date | None) -> date | None:
    """The evaluation date: the one the teacher picked, else the one her goal names (the
    "when" field first, then "how", then the goal sentence)."""
    if picked is not None:
        return picked
    for text in (goal.evaluation_when, goal.evaluation_how):
        if found := evaluation_date(text, meeting_date):
            return found
    # In the goal sentence only a deadline counts: "8-10 minuten" there is no date.
    for deadline in DEADLINE.finditer(goal.text):
        if found := evaluation_date(deadline.group(0), meeting_date):
            return found
    return None

"""The next small step after the evaluation, as the method builds up: a goal reached raises
one part a little ("vier minuten" → "vijf minuten"); a goal not reached is lowered until it
will be reached; a goal reached in part is kept, and made easier or practised longer."""

import re
from dataclasses import dataclass
from enum import StrEnum

from board.domain.dutch_dates import NUMBER_NAMES, NUMBER_VALUES
from board.domain.goal import DEADLINE
from board.domain.text import N_


class Result(StrEnum):
    """The answer to "Is het doel gehaald?"."""

    REACHED = "reached"
    PARTLY = "partly"
    NOT_REACHED = "not_reached"


RESULT_LABELS: dict[Result, str] = {
    Result.REACHED: N_("Gehaald"),
    Result.PARTLY: N_("Deels gehaald"),
    Result.NOT_REACHED: N_("Niet gehaald"),
}

ADVICE = {
    Result.REACHED: N_("Gehaald: maak één onderdeel een klein beetje moeilijker."),
    Result.PARTLY: N_(
        "Deels gehaald: houd dit doel nog een periode vast, of maak het iets makkelijker "
        "zodat het zeker lukt."
    ),
    Result.NOT_REACHED: N_("Niet gehaald: maak het doel kleiner, zodat het zeker lukt."),
}
NO_NUMBER = N_(
    "Er staat geen getal in het doel om aan te passen. Kies zelf één onderdeel en verander "
    "het een klein beetje."
)
CANNOT_LOWER = N_(
    "Dit getal kan niet kleiner. Maak het doel op een andere manier makkelijker, "
    "bijvoorbeeld met een korter moment of meer hulp."
)

# Units with their singular and plural; what is counted (minutes, sums) goes before how often.
AMOUNT_UNITS: dict[str, str] = {
    "minuut": "minuten",
    "seconde": "seconden",
    "kwartier": "kwartier",
    "som": "sommen",
    "opgave": "opgaven",
    "opdracht": "opdrachten",
    "woord": "woorden",
    "zin": "zinnen",
    "bladzijde": "bladzijden",
    "blz": "blz",
    "regel": "regels",
    "vraag": "vragen",
    "letter": "letters",
    "boek": "boeken",
    "beurt": "beurten",
    "stap": "stappen",
    "taak": "taken",
    "taakje": "taakjes",
    "fout": "fouten",
}
FREQUENCY_UNITS: dict[str, str] = {
    "keer": "keer",
    "maal": "maal",
    "ochtend": "ochtenden",
    "middag": "middagen",
    "dag": "dagen",
    "les": "lessen",
    "moment": "momenten",
}
# Fewer of these is better: reaching the goal lowers them.
FEWER_IS_BETTER = {"fout", "beurt"}
UNITS = {**AMOUNT_UNITS, **FREQUENCY_UNITS}
SINGULAR = {plural: singular for singular, plural in UNITS.items()} | {s: s for s in UNITS}
_NUMBER = "|".join(sorted((*NUMBER_NAMES, "een", "eén"), key=len, reverse=True))
_UNIT = "|".join(sorted(SINGULAR, key=len, reverse=True))
QUANTITY = re.compile(rf"\b(\d+|{_NUMBER})(\s+(?:\w+\s+)?)({_UNIT})\b", re.IGNORECASE)


@dataclass(frozen=True)
class NextStep:
    """The proposal: the goal sentence with one part changed (or None), and why."""

    sentence: str | None
    advice: str
    note: str = ""


def propose_next_step(sentence: str, result: Result) -> NextStep:
    """Propose the next small step for this goal sentence and this evaluation result."""
    if result is Result.PARTLY:
        return NextStep(sentence, ADVICE[result])
    found = _quantity(sentence)
    if found is None:
        return NextStep(None, ADVICE[result], NO_NUMBER)
    value = _value(found.group(1))
    harder = result is Result.REACHED
    if SINGULAR[found.group(3).lower()] in FEWER_IS_BETTER:
        harder = not harder
    changed = _raise(value) if harder else _lower(value)
    if changed is None:
        return NextStep(None, ADVICE[result], CANNOT_LOWER)
    return NextStep(_rewrite(sentence, found, changed), ADVICE[result])


def _quantity(sentence: str) -> re.Match[str] | None:
    """The number to change: an amount before a frequency, never the evaluation moment."""
    deadlines = [match.span() for match in DEADLINE.finditer(sentence)]
    candidates = [
        match
        for match in QUANTITY.finditer(sentence)
        if not any(start <= match.start() < end for start, end in deadlines)
        and not (match.group(1).lower() in ("een", "eén") and match.group(2).strip())
    ]
    for units in (AMOUNT_UNITS, FREQUENCY_UNITS):
        for match in candidates:
            if SINGULAR[match.group(3).lower()] in units:
                return match
    return None


def _value(number: str) -> int:
    return int(number) if number.isdigit() else NUMBER_VALUES[number.lower()]


def _step(value: int) -> int:
    """A modest step: one up to ten, then about a fifth (10 → 12, 20 → 24)."""
    return 1 if value < 10 else max(2, round(value / 5))


def _raise(value: int) -> int:
    return value + _step(value)


def _lower(value: int) -> int | None:
    lower = value - _step(value)
    return lower if lower >= 1 else None


def _spell(value: int, like: str) -> str:
    if like.isdigit() or value >= len(NUMBER_NAMES):
        return str(value)
    word = NUMBER_NAMES[value]
    # A capital on "één" drops its first accent: "Eén minuut".
    return word.capitalize().replace("Éé", "Eé") if like[:1].isupper() else word


def _rewrite(sentence: str, match: re.Match[str], value: int) -> str:
    number, gap, unit = match.group(1), match.group(2), match.group(3)
    singular = SINGULAR[unit.lower()]
    word = singular if value == 1 else UNITS[singular]
    if unit.lower() == word.lower() or (unit.lower() == singular and value == 1):
        word = unit
    return sentence[: match.start()] + _spell(value, number) + gap + word + sentence[match.end() :]


def follow_up_preparation(
    previous_date: str,
    goal: str,
    tried: list[str],
    result_label: str | None,
    worked: str,
    not_worked: str,
    proposal: NextStep | None,
) -> dict[str, str]:
    """The preparation of a follow-up meeting, prefilled from the one before (Dutch text the
    teacher edits further): the previous goal, the needs tried, the evaluation."""
    reason = [f"Vervolg op de intervisie van {previous_date}.", f"Vorig doel: {goal or '—'}"]
    if tried:
        reason.append("Geprobeerd:\n" + "\n".join(f"- {need}" for need in tried))
    if result_label:
        reason.append(f"Evaluatie: {result_label.lower()}.")
    aim = (
        f"Voorstel voor de volgende stap: {proposal.sentence}"
        if proposal and proposal.sentence
        else ""
    )
    return {
        "reason": "\n".join(reason),
        "strengths": f"Wat werkte: {worked}" if worked else "",
        "worries": f"Wat niet werkte: {not_worked}" if not_worked else "",
        "aim": aim,
    }

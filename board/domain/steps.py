"""The seven time-boxed steps of the meeting and the stages around them."""

from dataclasses import dataclass
from enum import StrEnum

from board.domain.text import N_


class Stage(StrEnum):
    """Where a meeting is: preparing → lobby → steps 1–7 → closed."""

    PREPARING = "preparing"
    LOBBY = "lobby"
    EXPLAIN = "step1"
    QUESTIONS = "step2"
    GOAL = "step3"
    NEEDS = "step4"
    FEASIBILITY = "step5"
    AGREEMENTS = "step6"
    YIELD = "step7"
    CLOSED = "closed"

    @property
    def step(self) -> "StepInfo | None":
        """The step this stage is, or None for preparing, lobby and closed."""
        return STEPS_BY_STAGE.get(self)

    @property
    def is_open(self) -> bool:
        """Whether devices may join: from the lobby until the meeting closes."""
        return self is Stage.LOBBY or self.step is not None


@dataclass(frozen=True)
class StepInfo:
    """One step of the method: its number, minutes and who acts in it."""

    number: int
    stage: Stage
    minutes: int
    actor: str  # "teacher", "colleagues" or "all"
    title: str
    short: str
    asks: str
    who_acts: str

    @property
    def planned_seconds(self) -> int:
        return self.minutes * 60


STEPS: tuple[StepInfo, ...] = (
    StepInfo(
        1,
        Stage.EXPLAIN,
        5,
        "teacher",
        N_("De inbrenger licht de vraag toe"),
        N_("Toelichting"),
        N_("De inbrenger vertelt over de leerling en de vraag, aan de hand van de voorbereiding."),
        N_("De inbrenger vertelt; de collega's luisteren."),
    ),
    StepInfo(
        2,
        Stage.QUESTIONS,
        10,
        "colleagues",
        N_("Verhelderende vragen"),
        N_("Vragen"),
        N_("Vraag door om de situatie te begrijpen. Nog geen adviezen of oplossingen."),
        N_("De collega's vragen; de inbrenger antwoordt."),
    ),
    StepInfo(
        3,
        Stage.GOAL,
        2,
        "teacher",
        N_("De inbrenger formuleert het doel"),
        N_("Doel"),
        N_(
            "Wat wil je met deze leerling bereiken? Hoe lang, hoe vaak, wanneer, op welk niveau, "
            "en hoe en wanneer evalueer je? Maak het concreet en haalbaar."
        ),
        N_("De inbrenger schrijft; de collega's helpen het concreet te maken."),
    ),
    StepInfo(
        4,
        Stage.NEEDS,
        10,
        "colleagues",
        N_("Collega's formuleren onderwijsbehoeften"),
        N_("Behoeften"),
        N_(
            "Wat heeft deze leerling nodig om het doel te halen? Geen discussie en geen 'ja, maar'."
        ),
        N_("De collega's schrijven; de inbrenger luistert en noteert."),
    ),
    StepInfo(
        5,
        Stage.FEASIBILITY,
        5,
        "teacher",
        N_("De inbrenger kiest wat haalbaar is"),
        N_("Haalbaar"),
        N_(
            "Welke behoeften kun je waarmaken, en hoe komt dat in je groepsoverzicht en "
            "groepsplan? Welke ondersteuning heb je zelf nodig?"
        ),
        N_("De inbrenger kiest; de collega's kijken mee."),
    ),
    StepInfo(
        6,
        Stage.AGREEMENTS,
        5,
        "all",
        N_("Afspraken"),
        N_("Afspraken"),
        N_(
            "Hoe informeren we de ouders, hoe betrekken we de leerling en hoe houden we "
            "collega's op de hoogte? Wie doet wat, en wanneer?"
        ),
        N_("Iedereen denkt mee; de inbrenger bevestigt."),
    ),
    StepInfo(
        7,
        Stage.YIELD,
        2,
        "all",
        N_("Opbrengst"),
        N_("Opbrengst"),
        N_("Wat heeft dit ieder opgeleverd? Was het de tijd waard, en waarom wel of niet?"),
        N_("Iedereen stemt."),
    ),
)
STEPS_BY_STAGE: dict[Stage, StepInfo] = {step.stage: step for step in STEPS}
STEP_STAGES: frozenset[Stage] = frozenset(STEPS_BY_STAGE)
TOTAL_MINUTES = sum(step.minutes for step in STEPS)


def step_number(number: int) -> StepInfo:
    """The step with this number (1–7)."""
    return STEPS[number - 1]


def next_stage(stage: Stage) -> Stage | None:
    """The stage after this one when the timekeeper moves on, or None at the end."""
    order = list(Stage)
    if stage in (Stage.YIELD, Stage.CLOSED, Stage.PREPARING):
        return None
    return order[order.index(stage) + 1]


def previous_stage(stage: Stage) -> Stage | None:
    """The step before this one, or None when there is no step to go back to."""
    info = stage.step
    if info is None or info.number == 1:
        return None
    return step_number(info.number - 1).stage


DEFAULT_MINUTES: tuple[int, ...] = tuple(step.minutes for step in STEPS)


def minutes_per_step(stored: str | None) -> tuple[int, ...]:
    """The minutes of the seven steps as a team or meeting keeps them ("5,10,2,10,5,5,2");
    the method's minutes when none are kept or what is kept is unusable."""
    if not stored:
        return DEFAULT_MINUTES
    try:
        minutes = tuple(int(part) for part in stored.split(","))
    except ValueError:
        return DEFAULT_MINUTES
    if len(minutes) != len(STEPS) or any(m < 1 for m in minutes):
        return DEFAULT_MINUTES
    return minutes

"""The eight preparation questions the teacher answers about a week before the meeting."""

from dataclasses import dataclass

from board.domain.text import N_


@dataclass(frozen=True)
class PrepQuestion:
    key: str
    question: str
    hint: str


PREP_QUESTIONS: tuple[PrepQuestion, ...] = (
    PrepQuestion(
        "reason",
        N_("Waarom breng je deze leerling in, en waarom juist nu?"),
        N_("Wat is de aanleiding?"),
    ),
    PrepQuestion(
        "worries",
        N_("Wat zijn de problemen en zorgen?"),
        N_("Beschrijf wat je ziet, in trefwoorden."),
    ),
    PrepQuestion(
        "explanations",
        N_("Welke verklaringen zijn er mogelijk?"),
        N_("Denk aan het kind zelf, aan je onderwijs en aan de thuissituatie."),
    ),
    PrepQuestion(
        "strengths",
        N_("Wat gaat er goed, en hoe kijkt de leerling er zelf tegenaan?"),
        N_(
            "Wanneer lukt het wel? Sterke kanten en kansen, en hoe je die benut. Wat ziet "
            "de leerling als probleem en als wat goed gaat, wat is volgens de leerling de "
            "oorzaak, en heeft de leerling zelf oplossingen of tips?"
        ),
    ),
    PrepQuestion(
        "parents",
        N_("Hoe kijken de ouders ertegenaan?"),
        N_(
            "Wat zien zij als probleem en als wat goed gaat, wat is volgens hen de oorzaak, "
            "en hebben zij oplossingen of tips?"
        ),
    ),
    PrepQuestion(
        "questions",
        N_("Welke vragen heb je?"),
        N_("Wat wil je precies weten, en waarom?"),
    ),
    PrepQuestion(
        "aim",
        N_("Wat wil je met deze intervisie bereiken?"),
        N_("Wat wil je straks weten of kunnen dat nu nog niet lukt?"),
    ),
    PrepQuestion(
        "expectations",
        N_("Wat verwacht en wens je van de intervisie en van je collega's?"),
        N_("Bijvoorbeeld: meedenken, tips, een concreet doel."),
    ),
)
PREP_KEYS: tuple[str, ...] = tuple(question.key for question in PREP_QUESTIONS)

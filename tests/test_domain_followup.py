"""The evaluation date understood from the goal, and the next small step after it."""

from datetime import date

import pytest

from board.domain.goal import evaluation_date
from board.domain.next_step import CANNOT_LOWER, NO_NUMBER, Result, propose_next_step

MEETING = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("evaluatie na zes weken", date(2027, 1, 13)),
        ("Over 4 weken evalueren", date(2026, 12, 30)),
        ("binnen twee weken", date(2026, 12, 16)),
        ("na tien dagen", date(2026, 12, 12)),
        ("na drie maanden", date(2027, 3, 2)),
        ("op 15 maart", date(2027, 3, 15)),
        ("15 maart 2027", date(2027, 3, 15)),
        ("10 december", date(2026, 12, 10)),
        ("15-3-2027", date(2027, 3, 15)),
        ("op 8/1", date(2027, 1, 8)),
        ("2027-02-01", date(2027, 2, 1)),
        ("eind januari", date(2027, 1, 31)),
        ("begin februari", date(2027, 2, 1)),
        ("half maart", date(2027, 3, 15)),
        ("in week 12", date(2027, 3, 26)),
        ("volgende week", date(2026, 12, 9)),
        ("volgende maand", date(2027, 1, 2)),
        ("Sam zit vier minuten stil; evaluatie na twee weken.", date(2026, 12, 16)),
        ("aan het eind van de week", None),
        ("na de kerstvakantie", None),
        ("", None),
        ("1-1-2026", None),  # before the meeting
        ("31-2-2027", None),  # no such day
    ],
)
def test_the_evaluation_date_is_understood_from_the_text(text, expected):
    assert evaluation_date(text, MEETING) == expected


R, P, N = Result.REACHED, Result.PARTLY, Result.NOT_REACHED


@pytest.mark.parametrize(
    ("sentence", "result", "expected"),
    [
        ("Sam blijft vier minuten zitten.", R, "Sam blijft vijf minuten zitten."),
        ("Sam blijft vier minuten zitten.", N, "Sam blijft drie minuten zitten."),
        (
            "Sam blijft tijdens de kring op drie ochtenden per week vier minuten zitten; "
            "evaluatie na zes weken.",
            R,
            "Sam blijft tijdens de kring op drie ochtenden per week vijf minuten zitten; "
            "evaluatie na zes weken.",
        ),
        ("Noor maakt 10 sommen zelfstandig.", R, "Noor maakt 12 sommen zelfstandig."),
        ("Noor maakt 10 sommen zelfstandig.", N, "Noor maakt 8 sommen zelfstandig."),
        ("Noor maakt 20 sommen per les.", R, "Noor maakt 24 sommen per les."),
        (
            "Ali steekt drie keer per dag zijn vinger op.",
            R,
            "Ali steekt vier keer per dag zijn vinger op.",
        ),
        (
            "Ali steekt drie keer per dag zijn vinger op.",
            N,
            "Ali steekt twee keer per dag zijn vinger op.",
        ),
        ("Twee minuten werkt Mo alleen.", N, "Eén minuut werkt Mo alleen."),
        ("Mo werkt één minuut alleen.", R, "Mo werkt twee minuten alleen."),
        ("Mo leest 15 woorden per minuut.", R, "Mo leest 18 woorden per minuut."),
        ("Mo leest 15 woorden per minuut.", N, "Mo leest 12 woorden per minuut."),
        ("Lisa schrijft vijf zinnen.", R, "Lisa schrijft zes zinnen."),
        ("Lisa leest twee bladzijden.", N, "Lisa leest één bladzijde."),
        (
            "Tim werkt op twee ochtenden per week aan zijn taak.",
            R,
            "Tim werkt op drie ochtenden per week aan zijn taak.",
        ),
        ("Tim maakt hoogstens vier fouten.", R, "Tim maakt hoogstens drie fouten."),
        ("Tim maakt hoogstens vier fouten.", N, "Tim maakt hoogstens vijf fouten."),
        ("Eva doet 3 opdrachten achter elkaar.", R, "Eva doet 4 opdrachten achter elkaar."),
        (
            "Eva doet negen opdrachten; evaluatie na vier weken.",
            R,
            "Eva doet tien opdrachten; evaluatie na vier weken.",
        ),
        ("Eva werkt twintig minuten door.", R, "Eva werkt 24 minuten door."),
        ("Sam blijft vier minuten zitten.", P, "Sam blijft vier minuten zitten."),
    ],
)
def test_the_next_step_changes_one_number_modestly(sentence, result, expected):
    assert propose_next_step(sentence, result).sentence == expected


def test_a_goal_without_a_number_gets_advice_only():
    step = propose_next_step("Sam luistert goed in de kring.", Result.REACHED)

    assert step.sentence is None
    assert step.note == NO_NUMBER


def test_one_minute_not_reached_cannot_go_lower():
    step = propose_next_step("Sam zit één minuut stil.", Result.NOT_REACHED)

    assert step.sentence is None
    assert step.note == CANNOT_LOWER

"""The next small step after the evaluation (the evaluation date: test_domain_dutch_dates)."""

from datetime import date

import pytest

from board.domain.next_step import CANNOT_LOWER, NO_NUMBER, Result, propose_next_step

MEETING = date(2026, 12, 2)  # a Wednesday


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

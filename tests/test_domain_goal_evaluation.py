"""The goal check finds the evaluation moment where the teacher writes it: in the sentence."""

import pytest

from board.domain.goal import HINT_EVALUATION, Goal, check_goal, evaluation_moment

# The goal sentence alone, and the moment the check finds in it (None: no moment in it).
SENTENCES = [
    (
        "Ahmed leest drie keer per week een kwartier hardop voor; evaluatie na zes weken.",
        "na zes weken",
    ),
    (
        "Ahmed leest drie keer per week een kwartier hardop voor, over 4 weken evalueren we.",
        "over 4 weken",
    ),
    ("Over 4 weken evalueren: Sem maakt elke ochtend vijf sommen af.", "Over 4 weken"),
    ("Sem maakt elke ochtend vijf sommen af. We evalueren binnen een maand.", "binnen een maand"),
    ("Sem maakt elke ochtend vijf sommen af, na een paar weken kijken we.", "na een paar weken"),
    ("Noor werkt dagelijks tien minuten zelfstandig; evaluatie op 15 maart.", "15 maart"),
    ("Noor werkt dagelijks tien minuten zelfstandig, evaluatie 15-3-2027.", "15-3-2027"),
    ("Noor werkt dagelijks tien minuten zelfstandig (evaluatie 2027-03-15).", "2027-03-15"),
    ("Noor werkt dagelijks tien minuten zelfstandig; we kijken op 15-3 terug.", "op 15-3"),
    ("Tot de kerstvakantie leest Ahmed elke dag tien minuten.", "Tot de kerstvakantie"),
    ("Mila maakt dagelijks vijf sommen af; evaluatie eind januari.", "eind januari"),
    ("Mila maakt dagelijks vijf sommen af tot het einde van het blok.", "einde van het blok"),
    ("Mila maakt dagelijks vijf sommen af, we evalueren in week 12.", "in week 12"),
    (
        "Thomas blijft drie ochtenden per week vier minuten; elke vrijdag kijken we samen terug.",
        "elke vrijdag",
    ),
    (
        "Thomas blijft drie ochtenden per week zitten; aan het eind van de week vieren we het.",
        "aan het eind van de week",
    ),
    (
        "Thomas blijft drie ochtenden per week vier minuten zitten, wekelijks evalueren.",
        "wekelijks",
    ),
    (
        "Thomas blijft drie ochtenden per week zitten, volgende week bespreken we het.",
        "volgende week",
    ),
    # No evaluation moment: a schedule of the behaviour is not a moment to check it.
    ("Thomas blijft tijdens de kring op drie ochtenden per week vier minuten zitten.", None),
    ("Sem werkt elke vrijdag tien minuten aan zijn rekentaak.", None),
    ("Sem maakt 2 keer per week 10 sommen, 8-10 minuten lang.", None),
    ("Aan het eind van de les ruimt Sem zijn tafel op.", None),
    ("Lisa steekt drie keer per dag haar vinger op, vier minuten lang.", None),
    ("Lisa maakt 3/4 van de sommen goed.", None),
    ("We evalueren het.", None),
    ("Noor leest om de twee weken een boek.", None),
]


@pytest.mark.parametrize(("sentence", "moment"), SENTENCES, ids=[s[:48] for s, _ in SENTENCES])
def test_the_goal_check_recognises_an_evaluation_moment_in_the_sentence(sentence, moment):
    goal = Goal(text=sentence)

    assert evaluation_moment(goal) == moment
    assert asks_for_evaluation(goal) == (moment is None)


def asks_for_evaluation(goal: Goal) -> bool:
    return any(hint.message == HINT_EVALUATION for hint in check_goal(goal))


def test_the_evaluation_fields_still_count_and_come_first():
    goal = Goal(
        text="Sem leest elke dag tien minuten; evaluatie na zes weken.",
        evaluation_when="eind januari",
    )

    assert evaluation_moment(goal) == "eind januari"


def test_a_goal_with_its_evaluation_in_the_sentence_has_nothing_missing():
    goal = Goal(
        text="Thomas zit drie ochtenden per week vier minuten in de kring; evaluatie na zes weken."
    )

    assert check_goal(goal) == []

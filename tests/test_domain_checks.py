"""The checks on what people type: the goal check, text, per week."""

import pytest

from board.domain.errors import InvalidInput
from board.domain.goal import (
    HINT_EMPTY,
    HINT_EVALUATION,
    HINT_FREQUENCY,
    HINT_NUMBER,
    HINT_TIME_FRAME,
    HINT_VAGUE,
    Goal,
    GoalHint,
    check_goal,
)
from board.domain.needs import clean_per_week
from board.domain.text import clean_text

HINT_KINDS = {
    HINT_EMPTY: "empty",
    HINT_VAGUE: "vague",
    HINT_NUMBER: "number",
    HINT_FREQUENCY: "frequency",
    HINT_TIME_FRAME: "time frame",
    HINT_EVALUATION: "evaluation",
}
ALL_MISSING = {"vague", "number", "frequency", "time frame", "evaluation"}

THOMAS = Goal(
    text="Thomas blijft tijdens de kring op drie ochtenden per week vier minuten zitten.",
    evaluation_how="Aan het eind van de week vieren Thomas en ik het samen",
    evaluation_when="elke vrijdag",
)


def hint_kinds(goal: Goal) -> set[str]:
    return {HINT_KINDS[hint.message] for hint in check_goal(goal)}


# --- goal check -------------------------------------------------------------------------


def test_the_goal_from_the_method_is_concrete_enough():
    assert check_goal(THOMAS) == []


def test_improving_the_work_attitude_is_not_a_goal():
    hints = check_goal(Goal(text="Het verbeteren van de werkhouding"))

    assert {HINT_KINDS[hint.message] for hint in hints} == ALL_MISSING
    assert GoalHint(HINT_VAGUE, "verbeteren") in hints


def test_the_vague_hint_names_the_vague_word():
    (vague,) = [hint for hint in check_goal(Goal(text="De woordenschat vergroten")) if hint.word]

    assert vague.word == "vergroten"
    assert "'vergroten'" in vague.message.format(word=vague.word)


def test_every_vague_word_gets_its_own_hint():
    hints = check_goal(Goal(text="Meer zelfvertrouwen ontwikkelen"))

    assert [hint.word for hint in hints if hint.message == HINT_VAGUE] == ["Meer", "ontwikkelen"]


@pytest.mark.parametrize(
    ("goal", "expected"),
    [
        (THOMAS, set()),
        (Goal(text="Het verbeteren van de werkhouding"), ALL_MISSING),
        (Goal(text="De woordenschat vergroten"), ALL_MISSING),
        (Goal(text="Noor gaat beter samenwerken"), ALL_MISSING),
        (Goal(text="Noor krijgt een betere werkhouding"), ALL_MISSING),
        (Goal(text="Daan stimuleren om zelfstandig te werken"), ALL_MISSING),
        (
            Goal(
                text="Sanne werkt elke ochtend tien minuten zelfstandig aan haar rekentaak.",
                evaluation_when="na zes weken",
            ),
            set(),
        ),
        (
            Goal(text="Sanne werkt elke ochtend tien minuten zelfstandig aan haar rekentaak."),
            {"evaluation"},
        ),
        (
            Goal(
                text="Sanne werkt elke ochtend tien minuten zelfstandig aan haar rekentaak.",
                evaluation_how="we kijken samen hoe het ging",
            ),
            {"evaluation"},
        ),
        (
            Goal(
                text="Ahmed leest drie keer per week een kwartier hardop voor.",
                evaluation_how="AVI-toets",
                evaluation_when="eind januari",
            ),
            set(),
        ),
        (
            Goal(text="Thomas blijft vier minuten zitten.", evaluation_when="elke vrijdag"),
            {"frequency"},
        ),
        (
            Goal(
                text="Lisa steekt haar vinger op voordat ze iets zegt.",
                evaluation_when="over vier weken",
            ),
            {"number", "frequency", "time frame"},
        ),
        (
            Goal(
                text="Mila maakt dagelijks vijf sommen af tijdens de rekenles.",
                evaluation_when="aan het eind van het blok",
            ),
            set(),
        ),
        (
            Goal(
                behaviour="blijft zitten",
                duration="vier minuten",
                frequency="op drie ochtenden per week",
                moment="tijdens de kring",
                evaluation_how="samen vieren",
                evaluation_when="vrijdag",
            ),
            set(),
        ),
    ],
    ids=lambda value: value.text[:40] or value.behaviour if isinstance(value, Goal) else None,
)
def test_the_goal_check_names_what_is_missing_or_vague(goal, expected):
    assert hint_kinds(goal) == expected


@pytest.mark.parametrize(
    "goal",
    [Goal(), Goal(text="   "), Goal(text="\n", evaluation_when="  ")],
)
def test_an_empty_goal_gets_only_the_hint_to_write_one(goal):
    assert check_goal(goal) == [GoalHint(HINT_EMPTY)]


# --- clean_text -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("  Sinds wanneer?  ", "Sinds wanneer?"),
        ("\n\tSinds wanneer?\n", "Sinds wanneer?"),
        ("regel 1\nregel 2", "regel 1\nregel 2"),
        ("regel 1\r\nregel 2", "regel 1\nregel 2"),
        ("regel 1\rregel 2", "regel 1\nregel 2"),
        ("kolom\tkolom", "kolom\tkolom"),
        ("Zoë en Anaïs", "Zoë en Anaïs"),
    ],
)
def test_clean_text_trims_the_ends_and_keeps_the_text_inside(typed, kept):
    assert clean_text(typed, limit=100, label="Vraag") == kept


@pytest.mark.parametrize("typed", ["a\x00b", "abc\x00", "a\x07b", "a\x1bb", "a\x7fb", "a\x0bb"])
def test_clean_text_refuses_control_characters(typed):
    with pytest.raises(InvalidInput) as caught:
        clean_text(typed, limit=100, label="Vraag")

    assert caught.value.status == 422
    assert caught.value.message == "Vraag: de tekst bevat ongeldige tekens."


@pytest.mark.parametrize("typed", [None, "", "   ", "\n\t\r\n"])
def test_clean_text_refuses_empty_text_when_it_is_required(typed):
    with pytest.raises(InvalidInput) as caught:
        clean_text(typed, limit=100, label="Vraag")

    assert caught.value.message == "Vraag: vul dit in."


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_clean_text_gives_empty_text_when_it_is_optional(typed):
    assert clean_text(typed, limit=100, label="Notities", required=False) == ""


def test_clean_text_accepts_text_of_exactly_the_limit_after_trimming():
    assert clean_text("  " + "x" * 10 + "  ", limit=10, label="Kaartje") == "x" * 10


def test_clean_text_refuses_text_over_the_limit_and_says_the_limit():
    with pytest.raises(InvalidInput) as caught:
        clean_text("x" * 281, limit=280, label="Kaartje")

    message = caught.value.message
    assert message.startswith("Kaartje:")
    assert "280" in message
    assert "281" in message


@pytest.mark.parametrize("typed", [5, 2.5, b"bytes", ["tekst"], {"tekst": 1}])
def test_clean_text_refuses_what_is_not_text(typed):
    with pytest.raises(InvalidInput) as caught:
        clean_text(typed, limit=100, label="Vraag")

    assert caught.value.message == "Vraag: dit is geen tekst."


# --- clean_per_week ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "per_week"),
    [("", None), ("  ", None), (None, None), ("3", 3), (" 3 ", 3), ("1", 1), ("50", 50), (4, 4)],
)
def test_how_often_a_week_is_a_whole_number_or_left_empty(typed, per_week):
    assert clean_per_week(typed) == per_week


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("0", "1 tot en met 50"),
        ("-1", "1 tot en met 50"),
        ("51", "1 tot en met 50"),
        ("x", "heel getal"),
        ("2.5", "heel getal"),
        ("drie", "heel getal"),
    ],
)
def test_how_often_a_week_refuses_other_input_with_a_clear_message(typed, message):
    with pytest.raises(InvalidInput) as caught:
        clean_per_week(typed)

    assert caught.value.status == 422
    assert message in caught.value.message

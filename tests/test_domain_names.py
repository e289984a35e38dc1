"""The pupil's alias, the group and the teacher's default name, as typed at creation."""

import pytest

from board.domain.errors import InvalidInput, Unconfirmed
from board.domain.names import (
    NOT_A_FULL_NAME,
    TWO_NAMES,
    clean_alias,
    clean_group,
    teacher_name,
)

# --- the pupil's alias ------------------------------------------------------------------


@pytest.mark.parametrize(
    "alias",
    ["Thomas", "thomas", "T.V.", "T. V.", "Thomas V.", "Anne-Sophie", "Eva de V.", "  Thomas  "],
)
def test_a_first_name_or_initials_is_a_good_pupil_alias(alias):
    assert clean_alias(alias) == alias.strip()


@pytest.mark.parametrize(
    "alias",
    [
        "Thomas de Vries",
        "thomas de vries",
        "Thomas De Vries",
        "THOMAS DE VRIES",
        "Thomas de vries",
        "Thomas van der Berg",
        "thomas van der berg",
        "Thomas Van Der Berg",
        "Sem van den Heuvel",
        "Noor in ’t Veld",
        "Lotte op de Beek",
        "de Vries",
        "Ayoub el Amrani",
        "Thomas 12-03-2017",
        "Thomas 2017",
        "Anna Maria Louise Jansen",
    ],
)
def test_a_surname_or_birth_date_is_refused_whatever_the_case(alias):
    for confirmed in (False, True):
        with pytest.raises(InvalidInput) as caught:
            clean_alias(alias, confirmed=confirmed)

        assert not isinstance(caught.value, Unconfirmed)
        assert caught.value.message == NOT_A_FULL_NAME
        assert "voornaam of initialen" in caught.value.message


@pytest.mark.parametrize(
    "alias", ["Mohammed Ali", "mohammed ali", "Anna Maria", "thomas jansen", "Thomas Jansen"]
)
def test_two_name_words_ask_the_teacher_to_confirm_one_first_name(alias):
    with pytest.raises(Unconfirmed) as caught:
        clean_alias(alias)

    assert caught.value.status == 422
    assert caught.value.message.msgid == TWO_NAMES
    assert f"'{alias}'" in caught.value.message


@pytest.mark.parametrize("alias", ["Mohammed Ali", "mohammed ali", "Anna Maria", "Jan Willem T."])
def test_two_name_words_pass_once_the_teacher_confirms(alias):
    assert clean_alias(alias, confirmed=True) == alias


@pytest.mark.parametrize(("typed", "message"), [("", "vul dit in"), ("T" * 31, "hooguit 30")])
def test_a_pupil_alias_is_required_and_short(typed, message):
    with pytest.raises(InvalidInput) as caught:
        clean_alias(typed)

    assert message in caught.value.message


# --- the group --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "group"),
    [
        ("4", "4"),
        ("groep 4", "4"),
        ("Groep 4", "4"),
        ("GROEP 4", "4"),
        ("groep4", "4"),
        ("gr. 4", "4"),
        ("4a", "4a"),
        ("4A", "4a"),
        ("4 a", "4a"),
        ("groep 4b", "4b"),
        ("3/4", "3/4"),
        ("3 / 4", "3/4"),
        ("3-4", "3/4"),
        ("groep 3 en 4", "3/4"),
        ("groepen 7/8", "7/8"),
        ("1/2/3", "1/2/3"),
        ("kleuters", "kleuters"),
        ("groep Dolfijnen", "Dolfijnen"),
        ("Groenland", "Groenland"),
    ],
)
def test_the_group_is_normalised_so_the_page_says_groep_once(typed, group):
    assert clean_group(typed) == group


@pytest.mark.parametrize("typed", ["groep", "Groep 9", "0", "12", "groep 45", "4 en", "4ab"])
def test_a_group_that_is_not_a_group_is_refused_with_an_example(typed):
    with pytest.raises(InvalidInput) as caught:
        clean_group(typed)

    assert "bijvoorbeeld 4, 4a of 3/4" in caught.value.message


@pytest.mark.parametrize(("typed", "message"), [("", "Groep: vul dit in."), ("g" * 31, "te lang")])
def test_a_group_is_required_and_short(typed, message):
    with pytest.raises(InvalidInput) as caught:
        clean_group(typed)

    assert message in caught.value.message


# --- the teacher's name -----------------------------------------------------------------


def test_the_teacher_keeps_the_name_she_typed():
    assert teacher_name("  Juf Sanne ", "Thomas") == "Juf Sanne"


@pytest.mark.parametrize("typed", [None, "", "   "])
def test_a_blank_teacher_name_becomes_one_that_reads_well(typed):
    name = teacher_name(typed, "Thomas")

    assert name == "Leerkracht van Thomas"
    assert "inbrenger" not in name.casefold()


def test_a_default_teacher_name_that_would_be_too_long_is_shorter():
    assert teacher_name("", "A" * 30) == "Leerkracht"

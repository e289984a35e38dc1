"""Join codes people type from the projector, and the secret links nobody can guess."""

import re

import pytest

from board.domain.codes import (
    JOIN_ALPHABET,
    JOIN_CODE_LENGTH,
    TOKEN_BYTES,
    format_join_code,
    new_join_code,
    new_token,
    normalize_join_code,
)

URLSAFE = re.compile(r"^[A-Za-z0-9_-]+$")
SAMPLE = 200


def test_a_join_code_has_seven_characters_from_the_join_alphabet():
    codes = [new_join_code() for _ in range(SAMPLE)]

    assert JOIN_CODE_LENGTH == 7
    assert all(len(code) == 7 for code in codes)
    assert all(set(code) <= set(JOIN_ALPHABET) for code in codes)


@pytest.mark.parametrize("look_alike", ["0", "O", "1", "I", "L", "U"])
def test_the_join_alphabet_has_no_characters_that_look_alike(look_alike):
    assert look_alike not in JOIN_ALPHABET


def test_the_join_alphabet_is_upper_case_letters_and_digits_without_repeats():
    assert len(set(JOIN_ALPHABET)) == len(JOIN_ALPHABET)
    assert JOIN_ALPHABET.isupper()
    assert JOIN_ALPHABET.isalnum()


def test_a_join_code_has_at_least_30_bits_of_entropy():
    assert len(JOIN_ALPHABET) ** JOIN_CODE_LENGTH >= 2**30


def test_join_codes_differ_from_one_meeting_to_the_next():
    assert len({new_join_code() for _ in range(SAMPLE)}) == SAMPLE


def test_a_secret_token_carries_at_least_128_random_bits():
    token = new_token()

    assert TOKEN_BYTES * 8 >= 128
    assert len(token) * 6 >= 128  # token_urlsafe: six bits per character
    assert URLSAFE.match(token)


def test_secret_tokens_are_never_the_same():
    assert len({new_token() for _ in range(SAMPLE)}) == SAMPLE


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("ABCDEFG", "ABCDEFG"),
        ("abcdefg", "ABCDEFG"),
        ("ABC DEFG", "ABCDEFG"),
        ("abc-defg", "ABCDEFG"),
        ("  abc - defg  ", "ABCDEFG"),
        ("a-b c\td", "ABCD"),
        ("", ""),
        (None, ""),
    ],
)
def test_a_typed_join_code_loses_spaces_and_dashes_and_is_upper_case(typed, stored):
    assert normalize_join_code(typed) == stored


def test_a_join_code_is_shown_in_two_groups_that_read_back_as_the_code():
    code = new_join_code()

    shown = format_join_code(code)

    assert shown == f"{code[:3]} {code[3:]}"
    assert normalize_join_code(shown) == code

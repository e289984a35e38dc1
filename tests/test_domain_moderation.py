"""Why a card is set aside in step 4: one of three reasons; a duplicate names another card."""

import pytest

from board.domain.errors import InvalidInput
from board.domain.needs import NO_ASIDE_REASON, NO_ORIGINAL, AsideReason, aside_reason

ON_BOARD = [3, 7, 9]


@pytest.mark.parametrize(("reason", "kept"), [("discussion", "discussion"), ("label", "label")])
def test_a_reason_other_than_duplicate_names_no_card(reason, kept):
    assert aside_reason(reason, "7", 3, ON_BOARD) == (AsideReason(kept), None)


def test_a_duplicate_names_another_card_on_the_board():
    assert aside_reason("duplicate", "7", 3, ON_BOARD) == (AsideReason.DUPLICATE, 7)


@pytest.mark.parametrize("reason", [None, "", "ruzie", "DISCUSSION", 3])
def test_an_unknown_reason_is_refused(reason):
    with pytest.raises(InvalidInput) as caught:
        aside_reason(reason, "", 3, ON_BOARD)

    assert caught.value.message == NO_ASIDE_REASON
    assert caught.value.status == 422


@pytest.mark.parametrize("original", [None, "", "3", "4", "zeven", "7.0"])
def test_a_duplicate_of_itself_or_of_no_card_on_the_board_is_refused(original):
    with pytest.raises(InvalidInput) as caught:
        aside_reason("duplicate", original, 3, ON_BOARD)

    assert caught.value.message == NO_ORIGINAL

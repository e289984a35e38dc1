"""What the group produces in steps 2–7: questions, goal, needs, marks, agreements, votes."""

from collections.abc import Mapping

from sqlalchemy.exc import IntegrityError

from board import queries, ratelimit, regions
from board.access import DeviceRef
from board.domain.agreements import Topic
from board.domain.errors import Forbidden, InvalidInput, NotFound, TooManyRequests
from board.domain.goal import GOAL_PART_KEYS
from board.domain.labels import label_nudge
from board.domain.limits import check_room
from board.domain.needs import Category, Feasibility, Subgroup, aside_reason, clean_per_week
from board.domain.permissions import Action
from board.domain.text import LIMITS, N_, clean_text
from board.extensions import db
from board.models import Agreement, GoalSuggestion, Meeting, NeedCard, Question, YieldVote
from board.queries import insert_once
from board.services.common import (
    act,
    act_to_add,
    commit,
    ensure_room,
    load,
    utcnow,
)

NOT_YOUR_CARD = N_("Je kunt alleen je eigen kaartjes aanpassen.")
NO_CARD = N_("Dat kaartje bestaat niet (meer).")
NOT_ON_BOARD = N_("Dat kaartje staat niet (meer) op het bord: het is apart gezet.")
SUPPORT_FIELDS = ("support_needs", "plan_note")
TOO_MANY_CARDS = N_(
    "Rustig aan: je stuurt te veel kaartjes tegelijk. Wacht even en probeer het opnieuw."
)


def _find(items: list, item_id: object, message: str):
    found = next((item for item in items if str(item.id) == str(item_id)), None)
    if found is None:
        raise NotFound(message)
    return found


def _choice(enum, value: object, message: str):
    try:
        return enum(value)
    except ValueError:
        raise InvalidInput(message) from None


def limit_cards(meeting: Meeting, actor) -> None:
    """New cards (questions, suggestions, needs, agreements) are limited per device."""
    if not ratelimit.hit("cards", f"{meeting.id}:{actor.participant_id}").allowed:
        raise TooManyRequests(TOO_MANY_CARDS)


def ask_question(meeting_id: str, ref: DeviceRef | None, text: object, expected=None) -> int:
    """A colleague posts a clarifying question card (step 2)."""
    meeting, actor, seat = act_to_add(Question, meeting_id, ref, Action.ASK_QUESTION, expected)
    clean = clean_text(text, limit=LIMITS["card"], label=N_("Vraag"))
    check_room("questions", seat.rows)
    limit_cards(meeting, actor)
    question = queries.add_card(
        Question,
        meeting_id=meeting.id,
        author_id=actor.participant_id,
        text=clean,
        created_at=utcnow(),
    )
    return commit(meeting, added=question)


def mark_answered(meeting_id: str, ref: DeviceRef | None, question_id: object) -> int:
    """The teacher marks a question answered (or not) by toggling it."""
    meeting, _ = act(meeting_id, ref, Action.MARK_QUESTION_ANSWERED)
    question = _find(meeting.questions, question_id, "Die vraag bestaat niet (meer).")
    question.answered = not question.answered
    return commit(meeting, changed=question)


def save_goal(meeting_id: str, ref: DeviceRef | None, field: object, value: object) -> int:
    """Autosave one part of the goal (step 3)."""
    meeting, _ = act(meeting_id, ref, Action.WRITE_GOAL)
    if field not in GOAL_PART_KEYS:
        raise InvalidInput("Onbekend onderdeel van het doel.")
    clean = clean_text(value, limit=LIMITS["goal_part"], label=N_("Doel"), required=False)
    setattr(meeting, f"goal_{field}", clean)
    return commit(meeting, regions.GOAL)


def suggest_goal(meeting_id: str, ref: DeviceRef | None, text: object, expected=None) -> int:
    """A colleague sends a wording for the goal."""
    meeting, actor = act(meeting_id, ref, Action.SUGGEST_GOAL, expected)
    clean = clean_text(text, limit=LIMITS["goal_part"], label=N_("Suggestie"))
    ensure_room(meeting, "suggestions", GoalSuggestion)
    limit_cards(meeting, actor)
    meeting.suggestions.append(
        GoalSuggestion(author_id=actor.participant_id, text=clean, created_at=utcnow())
    )
    return commit(meeting, regions.GOAL)


def adopt_suggestion(meeting_id: str, ref: DeviceRef | None, suggestion_id: object) -> int:
    """The teacher takes a colleague's wording as the goal sentence, with one tap."""
    meeting, _ = act(meeting_id, ref, Action.ADOPT_SUGGESTION)
    suggestion = _find(meeting.suggestions, suggestion_id, "Die suggestie bestaat niet (meer).")
    meeting.goal_text = suggestion.text
    suggestion.adopted = True
    return commit(meeting, regions.GOAL, regions.STAGE)


def save_notes(meeting_id: str, ref: DeviceRef | None, text: object) -> int:
    """The teacher's private notes; pushed to her own devices only."""
    meeting, _ = act(meeting_id, ref, Action.WRITE_NOTES)
    meeting.teacher_notes = clean_text(
        text, limit=LIMITS["notes"], label=N_("Aantekeningen"), required=False
    )
    return commit(meeting, regions.NOTES)


def _clean_card(form: Mapping[str, str]) -> tuple[Category, str]:
    category = _choice(Category, form.get("category"), "Kies een categorie voor de behoefte.")
    text = clean_text(form.get("text"), limit=LIMITS["card"], label=N_("Onderwijsbehoefte"))
    return category, text


def add_need(meeting_id: str, ref: DeviceRef | None, form: Mapping[str, str]) -> int | None:
    """A colleague adds a need card; the same client key twice gives one card."""
    # The key is looked up cleaned (a NUL byte is an error on PostgreSQL), but an unusable
    # one is refused only once the device may add a card at all: a closed meeting says so.
    try:
        key, bad_key = clean_text(form.get("client_key"), limit=64, label=N_("Kaartsleutel")), None
    except InvalidInput as refused:
        key, bad_key = None, refused
    meeting, actor, seat = act_to_add(
        NeedCard, meeting_id, ref, Action.ADD_NEED, form.get("stage"), client_key=key
    )
    if bad_key is not None:
        raise bad_key
    if seat.existing is not None:
        return
    category, text = _clean_card(form)
    check_room("needs", seat.rows)
    limit_cards(meeting, actor)
    try:
        card = queries.add_card(
            NeedCard,
            meeting_id=meeting.id,
            author_id=actor.participant_id,
            client_key=key,
            category=category,
            text=text,
            created_at=utcnow(),
        )
    except IntegrityError:  # the same card, sent twice at the same moment
        db.session.rollback()
        return
    return commit(meeting, added=card)


def _own_card(meeting: Meeting, participant_id: int, card_id: object) -> NeedCard:
    card = _find(meeting.needs, card_id, "Dat kaartje bestaat niet (meer).")
    if card.author_id != participant_id:
        raise Forbidden(NOT_YOUR_CARD)
    return card


def need_editor(meeting_id: str, ref: DeviceRef | None, card_id: object) -> NeedCard:
    """The colleague's own card, to open its editor (step 4)."""
    meeting, actor = act(meeting_id, ref, Action.CHANGE_OWN_NEED)
    return _own_card(meeting, actor.participant_id, card_id)


def edit_need(meeting_id: str, ref: DeviceRef | None, card_id: object, form) -> int:
    """A colleague rewrites their own card (step 4)."""
    meeting, actor = act(meeting_id, ref, Action.CHANGE_OWN_NEED)
    card = _own_card(meeting, actor.participant_id, card_id)
    card.category, card.text = _clean_card(form)
    return commit(meeting, regions.NEEDS)


def withdraw_need(meeting_id: str, ref: DeviceRef | None, card_id: object) -> int:
    """A colleague takes back their own card (step 4)."""
    meeting, actor = act(meeting_id, ref, Action.CHANGE_OWN_NEED)
    card = _own_card(meeting, actor.participant_id, card_id)
    meeting.needs.remove(card)
    return commit(meeting, regions.NEEDS)


def label_in_need(meeting_id: str, ref: DeviceRef | None, text: object) -> str | None:
    """The label in a need card being typed, if any: the nudge before it is posted."""
    meeting, _ = load(meeting_id, ref)
    typed = text[: LIMITS["card"]] if isinstance(text, str) else ""
    return label_nudge(typed, meeting.pupil_alias)


def _need_of(meeting: Meeting, card_id: object) -> NeedCard:
    """One need card of the meeting, loaded alone: a mark must not load all the cards."""
    key = str(card_id)
    found = None
    if key.isascii() and key.isdigit() and key == str(int(key)) and len(key) < 19:
        found = db.session.get(NeedCard, int(key))
    if found is None or found.meeting_id != meeting.id:
        raise NotFound(NO_CARD)
    return found


def _card_on_board(meeting: Meeting, card_id: object) -> NeedCard:
    card = _need_of(meeting, card_id)
    if not card.on_board:
        raise NotFound(NOT_ON_BOARD)
    return card


def aside_editor(
    meeting_id: str, ref: DeviceRef | None, card_id: object
) -> tuple[NeedCard, list[NeedCard]]:
    """The form to set a card aside, fetched when asked for: the card and the others on the
    board (the one a duplicate repeats is chosen from them)."""
    meeting, _ = act(meeting_id, ref, Action.SET_ASIDE_NEED)
    card = _card_on_board(meeting, card_id)
    return card, [other for other in meeting.needs if other.on_board and other is not card]


def set_aside(meeting_id: str, ref: DeviceRef | None, card_id: object, form) -> int:
    """The timekeeper (or the teacher) sets a card aside, with a reason (step 4)."""
    meeting, _ = act(meeting_id, ref, Action.SET_ASIDE_NEED, form.get("stage"))
    card = _find(meeting.needs, card_id, NO_CARD)
    on_board = {other.id: other for other in meeting.needs if other.on_board}
    reason, original = aside_reason(form.get("reason"), form.get("original"), card.id, on_board)
    card.aside_reason = reason
    # The relationship, not only its column: the push right after renders from it.
    card.duplicate_of = on_board.get(original)
    return commit(meeting, regions.NEEDS)


def put_back(meeting_id: str, ref: DeviceRef | None, card_id: object, expected=None) -> int | None:
    """The timekeeper (or the teacher) puts a card set aside back on the board."""
    meeting, _ = act(meeting_id, ref, Action.SET_ASIDE_NEED, expected)
    card = _find(meeting.needs, card_id, NO_CARD)
    if card.on_board:
        return
    card.aside_reason = None
    card.duplicate_of = None
    return commit(meeting, regions.NEEDS)


MARK_CHOICES = ("feasibility", "per_week", "subgroup", "plan_place")
CHOOSE_FEASIBILITY = N_("Kies haalbaar of niet nu.")
FEASIBLE_FIRST = N_(
    "Kies eerst haalbaar: hoe vaak, subgroep en plek horen bij een haalbaar kaartje."
)


def _clean_mark(form: Mapping[str, str]) -> dict:
    """The choices this form carries, each checked; the ones it leaves out stay as they are."""
    cleaners = {
        "feasibility": lambda v: _choice(Feasibility, v, CHOOSE_FEASIBILITY),
        "per_week": clean_per_week,
        "subgroup": lambda v: _choice(Subgroup, v, "Kies basis, intensief of meer.") if v else None,
        "plan_place": lambda v: clean_text(
            v, limit=LIMITS["short"], label=N_("Plek in het plan"), required=False
        ),
    }
    choices = {name: cleaners[name](form.get(name)) for name in MARK_CHOICES if name in form}
    if not choices:
        raise InvalidInput(CHOOSE_FEASIBILITY)
    return choices


def mark_need(meeting_id: str, ref: DeviceRef | None, card_id: object, form) -> int:
    """The teacher marks a need, one choice at a time (or all at once without JavaScript):
    feasible or not now; for a feasible need how often a week, the subgroup, the place."""
    meeting, _ = act(meeting_id, ref, Action.MARK_NEED)
    card = _card_on_board(meeting, card_id)
    choices = _clean_mark(form)
    feasibility = choices.pop("feasibility", card.feasibility)
    if feasibility != Feasibility.FEASIBLE and "feasibility" not in form:
        raise InvalidInput(FEASIBLE_FIRST)
    card.feasibility = feasibility
    if feasibility == Feasibility.FEASIBLE:
        for name, value in choices.items():
            setattr(card, name, value)
    else:
        card.per_week, card.subgroup, card.plan_place = None, None, ""
    return commit(meeting, changed=card)


def save_support(meeting_id: str, ref: DeviceRef | None, field: object, value: object) -> int:
    """Autosave the teacher's support needs or the note on the group plan (step 5)."""
    meeting, _ = act(meeting_id, ref, Action.WRITE_SUPPORT)
    if field not in SUPPORT_FIELDS:
        raise InvalidInput("Onbekend veld.")
    clean = clean_text(value, limit=LIMITS["answer"], label=N_("Tekst"), required=False)
    setattr(meeting, field, clean)
    return commit(meeting, regions.SUPPORT)


def _clean_agreement(form: Mapping[str, str]) -> dict:
    return {
        "topic": _choice(Topic, form.get("topic"), "Kies een onderwerp voor de afspraak."),
        "what": clean_text(form.get("what"), limit=LIMITS["agreement"], label=N_("Afspraak")),
        "who": clean_text(form.get("who"), limit=LIMITS["short"], label=N_("Wie"), required=False),
        "when": clean_text(
            form.get("when"), limit=LIMITS["short"], label=N_("Wanneer"), required=False
        ),
    }


def add_agreement(meeting_id: str, ref: DeviceRef | None, form: Mapping[str, str]) -> int:
    """Anyone adds an agreement (step 6)."""
    meeting, actor = act(meeting_id, ref, Action.ADD_AGREEMENT, form.get("stage"))
    fields = _clean_agreement(form)
    ensure_room(meeting, "agreements", Agreement)
    limit_cards(meeting, actor)
    meeting.agreements.append(
        Agreement(author_id=actor.participant_id, created_at=utcnow(), **fields)
    )
    return commit(meeting, regions.AGREEMENTS)


def edit_agreement(meeting_id: str, ref: DeviceRef | None, agreement_id: object, form) -> int:
    """The teacher rewrites an agreement."""
    meeting, _ = act(meeting_id, ref, Action.CHANGE_AGREEMENT)
    agreement = _find(meeting.agreements, agreement_id, "Die afspraak bestaat niet (meer).")
    for name, value in _clean_agreement(form).items():
        setattr(agreement, name, value)
    return commit(meeting, regions.AGREEMENTS)


def remove_agreement(meeting_id: str, ref: DeviceRef | None, agreement_id: object) -> int:
    """The teacher removes an agreement."""
    meeting, _ = act(meeting_id, ref, Action.CHANGE_AGREEMENT)
    agreement = _find(meeting.agreements, agreement_id, "Die afspraak bestaat niet (meer).")
    meeting.agreements.remove(agreement)
    return commit(meeting, regions.AGREEMENTS)


def vote(
    meeting_id: str, ref: DeviceRef | None, form: Mapping[str, str]
) -> tuple[Meeting, queries.Ballot, int]:
    """Each participant votes once; a new vote replaces the old one until the meeting closes.
    Returns the meeting, the vote as stored and the new version: the voter's form shows
    them without reading either again."""
    meeting, actor = act(meeting_id, ref, Action.VOTE, form.get("stage"))
    worth = {"yes": True, "no": False}.get(form.get("worth_it", ""))
    if worth is None:
        raise InvalidInput("Kies ja of nee: was het de tijd waard?")
    why = clean_text(form.get("why"), limit=LIMITS["yield"], label=N_("Waarom"), required=False)
    brought = clean_text(
        form.get("brought"), limit=LIMITS["yield"], label=N_("Wat het je bracht"), required=False
    )
    ballot = {"worth_it": worth, "why": why, "brought": brought, "voted_at": utcnow()}
    row = {"meeting_id": meeting.id, "participant_id": actor.participant_id, **ballot}
    insert_once(YieldVote, row, unique=("meeting_id", "participant_id"), replace=tuple(ballot))
    db.session.expire(meeting, ["votes"])
    version = commit(meeting, regions.YIELD)
    return meeting, queries.Ballot(worth, why, brought), version

"""The label nudge: does a need card label the pupil instead of naming what they need?

A diagnosis or a labelling noun always gets the nudge ("ADHD", "dyslexie", "probleemkind").
An adjective gets it only when it describes the pupil: said of them ("hij is druk", "Sem is
lui"), before a word for a child ("een drukke jongen"), or standing alone, the card's own
subject being the pupil ("ongemotiveerd"). Said of a thing it is a situation worth naming
("de moeilijke woorden", "een drukke klas"). The same check runs while the colleague types
and on the posted card.
"""

import re

from board.domain.text import N_

NUDGE = N_(
    "'{word}' klinkt als een etiket: het zegt wat voor kind het is, niet wat het nodig heeft. "
    "Wat zou deze leerling helpen? Bijvoorbeeld: korte instructie aan de instructietafel."
)


def words(text: str) -> frozenset[str]:
    """A set of words, written as one string for the eye."""
    return frozenset(text.split())


# Diagnoses and labelling nouns: always a label, whatever the sentence around them.
DIAGNOSES = (
    "adhd",
    "add",
    "ass",
    "odd",
    "pdd-nos",
    "dcd",
    "tos",
    "autisme",
    "autist",
    "autistisch",
    "autistische",
    "dyslexie",
    "dyslect",
    "dyslectisch",
    "dyslectische",
    "dyscalculie",
    "dyscalculisch",
    "dyscalculische",
    "dyspraxie",
    "hoogbegaafd",
    "hoogbegaafde",
    "hoogbegaafdheid",
    "probleemkind",
    "probleemleerling",
    "gedragsprobleem",
    "gedragsproblemen",
    "lastpak",
    "etterbak",
)
ALWAYS = re.compile(
    r"\b(?:" + "|".join(map(re.escape, DIAGNOSES)) + r"|\w*stoornis(?:sen)?)\b", re.IGNORECASE
)

_ALWAYS_PARTS = (*DIAGNOSES, "stoornis")  # every match of ALWAYS holds one of these

# Adjectives that hardly describe anything but a person: their plain form is a label
# wherever it stands ("Sem is lui"); before a noun, only before a word for a child.
PERSON_ADJECTIVES = {
    "lui": "luie",
    "brutaal": "brutale",
    "stout": "stoute",
    "koppig": "koppige",
    "eigenwijs": "eigenwijze",
    "ongemotiveerd": "ongemotiveerde",
    "gedemotiveerd": "gedemotiveerde",
    "agressief": "agressieve",
    "onhandelbaar": "onhandelbare",
    "dwars": "dwarse",
    "ongeconcentreerd": "ongeconcentreerde",
    "faalangstig": "faalangstige",
    "onbeleefd": "onbeleefde",
    "sloom": "slome",
    "dom": "domme",
}
# Adjectives as often said of a thing or a situation: a label only when said of the pupil.
CONTEXT_ADJECTIVES = {
    "druk": "drukke",
    "moeilijk": "moeilijke",
    "lastig": "lastige",
    "zwak": "zwakke",
    "traag": "trage",
    "chaotisch": "chaotische",
    "onrustig": "onrustige",
    "vervelend": "vervelende",
}
PLAIN = {**PERSON_ADJECTIVES, **CONTEXT_ADJECTIVES}
INFLECTED = {inflected: plain for plain, inflected in PLAIN.items()}
ADJECTIVES = (*PLAIN, *INFLECTED)

# Words for the pupil as a person: after an adjective they make it a label.
CHILD_NOUNS = words(
    "kind kindje jongen jongetje meisje meid knul kleuter leerling leerlinge ventje kereltje "
    "mannetje type persoon puber lezer rekenaar leerder kinderen jongens meisjes leerlingen"
)
# Words that stand for the pupil as the subject of a sentence.
PUPIL_WORDS = words("hij zij ze ie kind jongen meisje leerling knul meid kleuter")
# Words that may stand between the pupil and what is said of them: "hij is soms erg druk".
LINKS = words(
    "is was wordt werd lijkt leek blijkt bleek blijft bleef oogt raakt raakte doet deed "
    "erg heel zo zó gewoon vaak snel nogal best soms altijd echt wat beetje een te ook nog wel "
    "niet nooit vrij enorm ontzettend super extreem behoorlijk tamelijk redelijk zeer "
    "eigenlijk toch meestal regelmatig al die"
)
# A plural verb: "ze zijn moeilijk" is said of things (or of others), not of the pupil.
PLURAL_VERBS = words("zijn waren worden werden lijken bleken blijven raken")
# "Dat vindt hij moeilijk": the adjective says how something is for the pupil.
FINDING = words("vind vindt vond vonden")
ARTICLES = words("de het een die deze dat dit zijn haar mijn onze jullie hun")
CLAUSE_ENDS = words("en of maar dus want omdat")
MAX_LINKS = 4
# "druk bezig", "druk aan het werk".
BUSY = words("bezig aan")

TOKEN = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*|[.,;:!?()/\n]")


def label_nudge(text: str, pupil: str = "") -> str | None:
    """The first word that labels the pupil (as written), or None when the card names a need.

    `pupil` is the pupil's alias: "Sem is druk" is about Sem.
    """
    # Most cards hold no word of the lists: a substring test rules that out before the
    # search and the tokens. Only for ASCII text, where ignoring case is lowering it
    # (IGNORECASE also folds a few other letters, such as the long s).
    lowered = text.lower() if text.isascii() else None
    hits = []
    if lowered is None or any(part in lowered for part in _ALWAYS_PARTS):
        hits += [match.start() for match in [ALWAYS.search(text)] if match]
    if lowered is None or any(word in lowered for word in ADJECTIVES):
        tokens = list(TOKEN.finditer(text))
        names = {part.lower() for part in pupil.split()}
        found = next(
            (token for index, token in enumerate(tokens) if _describes_pupil(tokens, index, names)),
            None,
        )
        if found is not None:
            hits.append(found.start())
    if not hits:
        return None
    first = min(hits)
    match = ALWAYS.match(text, first) or TOKEN.match(text, first)
    return match.group(0)


def _describes_pupil(tokens: list[re.Match], index: int, names: set[str]) -> bool:
    word = tokens[index].group(0).lower()
    if word in INFLECTED:
        return _before_child(tokens, index + 1)
    if word not in PLAIN:
        return False
    following = _word(tokens, index + 1)
    if word in PERSON_ADJECTIVES or following in CHILD_NOUNS:  # "Sem is lui", "een druk kind"
        return True
    if following in BUSY:  # "druk bezig": busy, not restless
        return False
    return _said_of_pupil(tokens, index, names) or _stands_alone(tokens, index)


def _word(tokens: list[re.Match], index: int) -> str:
    return tokens[index].group(0).lower() if 0 <= index < len(tokens) else ""


def _before_child(tokens: list[re.Match], index: int) -> bool:
    """An inflected adjective before a word for a child, maybe after more adjectives."""
    while _word(tokens, index) in INFLECTED or _word(tokens, index) in {",", "en"}:
        index += 1
    return _word(tokens, index) in CHILD_NOUNS


def _said_of_pupil(tokens: list[re.Match], index: int, names: set[str]) -> bool:
    """'hij is (soms erg) druk', 'omdat Sem druk is', 'is hij druk': the pupil is the subject."""
    position = index - 1
    while position >= 0 and index - position <= MAX_LINKS + 1:
        word = _word(tokens, position)
        if _is_pupil(tokens, position, names):
            plural = word in {"ze", "zij"} and _word(tokens, index + 1) in PLURAL_VERBS
            finding = _word(tokens, position - 1) in FINDING or _word(tokens, index + 1) in FINDING
            return not plural and not finding
        if word not in LINKS:
            return False
        position -= 1
    return False


def _is_pupil(tokens: list[re.Match], position: int, names: set[str]) -> bool:
    token = tokens[position].group(0)
    word = token.lower()
    if word in PUPIL_WORDS or word in names:
        return True
    # A capital inside a sentence, not after an article: a name ("volgens mij is Sem druk").
    before = _word(tokens, position - 1)
    starts_clause = position == 0 or not before[:1].isalpha()
    return token[:1].isupper() and not starts_clause and before not in ARTICLES


def _stands_alone(tokens: list[re.Match], index: int) -> bool:
    """'Erg druk.' or 'Druk en chaotisch': no subject, so the card's own one, the pupil."""
    if any(_word(tokens, position) not in LINKS for position in range(index)):
        return False
    following = _word(tokens, index + 1)
    return not following or not following[:1].isalpha() or following in CLAUSE_ENDS

"""Checking free text that people type: required, length limits, nothing a document cannot
hold, nothing invisible; display names compared on what they look like."""

import re
import unicodedata

from board.domain.errors import InvalidInput


def N_(message: str) -> str:
    """Mark a Dutch message for translation; it is translated where it is shown."""
    return message


# What XML 1.0 (Word's files, the PDF's HTML) cannot hold, refused: control characters other
# than tab and line breaks (NUL included), lone surrogates, U+FFFE and U+FFFF.
UNUSABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
# Invisible characters that hide or reorder what is shown, removed from every text: zero-width
# space, word joiner and invisible operators, soft hyphen, byte-order mark, and every bidi
# control (marks, embeddings, overrides, isolates). Zero-width joiners stay: emoji need them.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Fillers that show as nothing although Unicode calls them letters.
FILLERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
# Letters of other scripts (and digits) that look like Latin ones, after casefold: a name
# written with them is the same name (UTS #39's confusable skeleton, for the letters a Dutch
# team meets; NFKC already folds full-width and mathematical letters).
LOOKALIKES = str.maketrans(
    {
        **dict(zip("абвсеһіјӏкмнорԛѕтԝхуԁ", "abbcehijlkmhopqstwxyd", strict=True)),
        **dict(zip("αβεηικνορτυχγ", "abenikvoptuxy", strict=True)),
        **dict(zip("01|ı", "olli", strict=True)),
    }
)

LIMITS = {
    "name": 40,
    "alias": 30,
    "group": 30,
    "title": 100,
    "answer": 2000,
    "card": 280,
    "goal_part": 300,
    "notes": 5000,
    "agreement": 300,
    "short": 100,
    "yield": 500,
}


def clean_text(value: object, *, limit: int, label: str, required: bool = True) -> str:
    """The text as typed (NFC, without invisible characters), trimmed at both ends, or
    InvalidInput with a Dutch message; whatever it returns, every export format can hold.
    The label is a Dutch msgid too: the message names the field in the reader's language."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(N_("%(label)s: dit is geen tekst."), label=label)
    text = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    text = INVISIBLE.sub("", text).strip()
    if UNUSABLE.search(text):
        raise InvalidInput(N_("%(label)s: de tekst bevat ongeldige tekens."), label=label)
    if required and not text:
        raise InvalidInput(N_("%(label)s: vul dit in."), label=label)
    if len(text) > limit:
        raise InvalidInput(
            N_(
                "%(label)s: dit is te lang (%(length)s tekens, hooguit %(limit)s). Maak het korter."
            ),
            label=label,
            length=len(text),
            limit=limit,
        )
    return text


def visible(text: str) -> str:
    """NFKC, without format characters (zero width, bidi) or fillers, inner spaces single."""
    text = unicodedata.normalize("NFKC", text)
    kept = (c for c in text if unicodedata.category(c) != "Cf" and c not in FILLERS)
    return " ".join("".join(kept).split())


def clean_name(value: object, *, label: str = N_("Naam")) -> str:
    """A person's display name as everyone will see it (see visible()); refused when it holds
    no letter or digit that shows."""
    name = visible(clean_text(value, limit=LIMITS["name"], label=label))
    if not name:
        raise InvalidInput(N_("%(label)s: vul dit in."), label=label)
    if not any(unicodedata.category(c)[0] in "LN" for c in name):
        raise InvalidInput(
            N_("%(label)s: gebruik letters of cijfers die je kunt zien."), label=label
        )
    return name


def _without_accents(character: str) -> str:
    decomposed = unicodedata.normalize("NFD", character)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base if len(base) == 1 else character


def name_key(name: str) -> str:
    """How names are compared: two names that look alike are one name. Case, spacing,
    accents, invisible characters and look-alike letters of other scripts do not make a
    different person ("Anna", "anna", "Ánna", "Anna\u200b", "\u202eannA", Cyrillic "Аnna")."""
    plain = "".join(map(_without_accents, visible(name)))
    return plain.casefold().translate(LOOKALIKES)

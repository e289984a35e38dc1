"""The pupil's alias, the group and the teacher's name as the teacher types them at creation.

Privacy decides the alias: a first name or initials, never a surname or a birth date. A
surname after a particle ("de Vries", "van der Berg") is refused; two name words may be one
first name ("Mohammed Ali", "Anna Maria") or a first name and a surname ("Thomas Jansen"):
the teacher is asked, and confirms. The same rule holds whatever the case of the letters.
"""

import re

from board.domain.errors import InvalidInput, Unconfirmed
from board.domain.text import LIMITS, N_, clean_text

ALIAS_LABEL = N_("Naam leerling")
NOT_A_FULL_NAME = N_(
    "Naam leerling: vul alleen een voornaam of initialen in, geen achternaam of geboortedatum."
)
TWO_NAMES = N_(
    "Naam leerling: is '%(alias)s' één voornaam, of een voornaam met een achternaam? "
    "Is het één voornaam, vink dat dan aan. Een achternaam vul je hier niet in."
)
# Words that start a Dutch (or Flemish, French, German, Portuguese) surname.
PARTICLES = frozenset(
    ("van", "de", "der", "den", "ter", "ten", "te", "het", "'t", "in", "op")
    + ("von", "vom", "zu", "la", "le", "du", "d'", "da", "das", "di", "do", "dos", "del")
)
INITIAL = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]?|[^\W\d_]", re.UNICODE)
APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'"})

GROUP_LABEL = N_("Groep")
GROUP_FORMAT = N_("Groep: vul het nummer van de groep in, bijvoorbeeld 4, 4a of 3/4.")
# "groep 4", "Groep4", "gr. 4", "groepen 3/4": the word itself is shown by the page already.
GROUP_WORD = re.compile(r"^(?:groepen|groep|grp|gr)(?![^\W\d_])\.?\s*", re.IGNORECASE)
YEAR_SEPARATOR = r"\s*(?:/|-|–|&|\+|,|en)\s*"
GROUP_YEARS = re.compile(
    rf"([1-8])(?:{YEAR_SEPARATOR}([1-8]))?(?:{YEAR_SEPARATOR}([1-8]))?\s*([^\W\d_])?",
    re.IGNORECASE,
)

TEACHER_LABEL = N_("Jouw naam")
TEACHER_DEFAULT = "Leerkracht van {alias}"
TEACHER_FALLBACK = "Leerkracht"


def _is_initial(word: str) -> bool:
    return INITIAL.fullmatch(word) is not None


def _has_surname_after_particle(words: list[str]) -> bool:
    """A particle followed (after any further particles) by a name word: "de Vries",
    "van der berg"; a particle before an initial ("Eva de V.") names nobody."""
    for index, word in enumerate(words):
        if word.casefold() not in PARTICLES:
            continue
        rest = [w for w in words[index + 1 :] if w.casefold() not in PARTICLES]
        if rest and not _is_initial(rest[0]):
            return True
    return False


def name_words(alias: str) -> list[str]:
    """The words of an alias that are names: not an initial, not a particle."""
    words = alias.translate(APOSTROPHES).split()
    return [w for w in words if not _is_initial(w) and w.casefold() not in PARTICLES]


def clean_alias(value: object, *, confirmed: bool = False) -> str:
    """A pupil alias: a first name or initials, never a full name (privacy). Two name words
    pass only when the teacher confirmed they are one first name (`Unconfirmed` otherwise)."""
    alias = clean_text(value, limit=LIMITS["alias"], label=ALIAS_LABEL)
    words = alias.translate(APOSTROPHES).split()
    if re.search(r"\d", alias) or _has_surname_after_particle(words):
        raise InvalidInput(NOT_A_FULL_NAME)
    count = len(name_words(alias))
    if count > 2:
        raise InvalidInput(NOT_A_FULL_NAME)
    if count == 2 and not confirmed:
        raise Unconfirmed(TWO_NAMES, alias=alias)
    return alias


def clean_group(value: object) -> str:
    """The group as the page shows it after the word "groep": "4", "4a", "3/4", or a
    group's own name ("kleuters"). "groep 4", "Groep 4A", "3-4" and "3 en 4" are normalised."""
    typed = clean_text(value, limit=LIMITS["group"], label=GROUP_LABEL)
    group = GROUP_WORD.sub("", typed, count=1).strip()
    if not group:
        raise InvalidInput(GROUP_FORMAT)
    if match := GROUP_YEARS.fullmatch(group):
        years = "/".join(year for year in match.groups()[:3] if year)
        return years + (match.group(4) or "").lower()
    if re.search(r"\d", group):
        raise InvalidInput(GROUP_FORMAT)
    return group


def teacher_name(value: object, alias: str) -> str:
    """The teacher's display name, or one that reads well beside the badge "inbrenger"."""
    name = clean_text(value, limit=LIMITS["name"], label=TEACHER_LABEL, required=False)
    if name:
        return name
    default = TEACHER_DEFAULT.format(alias=alias)
    return default if len(default) <= LIMITS["name"] else TEACHER_FALLBACK

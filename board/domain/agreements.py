"""Agreements of step 6: three fixed topics plus any other."""

from enum import StrEnum

from board.domain.text import N_


class Topic(StrEnum):
    PARENTS = "parents"
    PUPIL = "pupil"
    COLLEAGUES = "colleagues"
    OTHER = "other"


TOPIC_LABELS: dict[Topic, str] = {
    Topic.PARENTS: N_("Hoe informeren we de ouders?"),
    Topic.PUPIL: N_("Hoe betrekken we de leerling?"),
    Topic.COLLEAGUES: N_("Hoe houden we collega's op de hoogte?"),
    Topic.OTHER: N_("Overige afspraken"),
}

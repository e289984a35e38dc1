"""The five groepsplan columns (beginsituatie, doel, onderwijsbehoeften, aanpak, evaluatie) as
lines of text.

Every document format lays these out its own way; the copy blocks on the summary page give
each column as plain text, ready to paste into a Word table or a school system's text field.
"""

from dataclasses import dataclass

from flask_babel import gettext as _

from board.domain.dutch_dates import dutch_date
from board.domain.text import N_
from board.services.summary import GroupPlanEntry, PlanNeed

GOAL_PARTS = (
    ("behaviour", N_("Gedrag of vaardigheid")),
    ("duration", N_("Hoe lang")),
    ("frequency", N_("Hoe vaak")),
    ("moment", N_("Wanneer en waar")),
    ("level", N_("Niveau")),
)


@dataclass(frozen=True)
class Line:
    """One paragraph of a column; an item is one point of a bulleted list."""

    text: str
    item: bool = False
    number: int | None = None  # a numbered point: the needs and their approach share numbers

    @property
    def plain(self) -> str:
        return numbered(self.number, self.text) if self.number else self.text


@dataclass(frozen=True)
class PlanColumn:
    """One column of the groepsplan row."""

    key: str
    label: str
    lines: tuple[Line, ...]

    @property
    def text(self) -> str:
        """Plain text that reads as Markdown: items as '- ' bullets, wrapped lines indented."""
        return "\n".join(bulleted(line.plain) if line.item else line.plain for line in self.lines)


def bulleted(text: str) -> str:
    """A list item; its own line breaks stay inside the item."""
    return "- " + text.replace("\n", "\n  ")


def per_week(need: PlanNeed) -> str:
    return _("%(n)s× per week", n=need.per_week) if need.per_week else ""


# The starting situation is a summary of the preparation: long answers are cut here.
SHORT = 300


def short(text: str) -> str:
    """The text up to about SHORT characters, cut at a word and marked with '…'."""
    text = " ".join(text.split())
    if len(text) <= SHORT:
        return text
    return text[:SHORT].rsplit(" ", 1)[0] + " …"


def approach(need: PlanNeed) -> str:
    """How often, in which subgroup and how it is organised, without the need's own text
    (that stands under the same number in the next column): '3× per week, subgroep basis;
    instructietafel'."""
    subgroup = _("subgroep %(name)s", name=need.subgroup) if need.subgroup else ""
    often = ", ".join(part for part in (per_week(need), subgroup) if part)
    return "; ".join(part for part in (often, need.plan_note) if part) or "—"


def numbered(index: int, text: str) -> str:
    """'1. …': the needs and their approach share a number, so neither repeats the other."""
    return f"{index}. " + text.replace("\n", "\n   ")


def starting_lines(entry: GroupPlanEntry) -> tuple[Line, ...]:
    start = entry.starting_situation
    parts = (
        (_("Wat goed gaat"), start.goes_well),
        (_("Mogelijke verklaringen"), start.explanations),
    )
    return tuple(Line(f"{label}: {short(text)}") for label, text in parts if text.strip())


def goal_lines(entry: GroupPlanEntry) -> tuple[Line, ...]:
    parts = [
        Line(f"{_(label)}: {getattr(entry.goal, key)}", item=True)
        for key, label in GOAL_PARTS
        if getattr(entry.goal, key)
    ]
    return tuple([Line(entry.goal.text)] if entry.goal.text else []) + tuple(parts)


def needs_lines(entry: GroupPlanEntry) -> tuple[Line, ...]:
    if not entry.feasible_needs:
        return ()
    lead = Line(_("Om dit doel te halen heeft %(pupil)s nodig:", pupil=entry.pupil))
    items = (
        Line(f"{_(need.category_label)}: {need.text}", number=index)
        for index, need in enumerate(entry.feasible_needs, 1)
    )
    return (lead, *items)


def approach_lines(entry: GroupPlanEntry) -> tuple[Line, ...]:
    lines = [
        Line(approach(need), number=index) for index, need in enumerate(entry.feasible_needs, 1)
    ]
    if entry.plan_note:
        lines.append(Line(_("In groepsoverzicht en groepsplan: %(note)s", note=entry.plan_note)))
    return tuple(lines)


def evaluation_lines(entry: GroupPlanEntry) -> tuple[Line, ...]:
    """How and when; the date too, also when it was only understood from the goal sentence
    ("evaluatie na zes weken"): the plan says the day."""
    how, when = entry.goal.evaluation_how, entry.goal.evaluation_when
    day = dutch_date(entry.evaluation_date) if entry.evaluation_date else ""
    lines = [Line(_("Hoe: %(how)s", how=how))] if how else []
    if when and day:
        lines.append(Line(_("Wanneer: %(when)s (%(date)s)", when=when, date=day)))
    elif when or day:
        lines.append(Line(_("Wanneer: %(when)s", when=when or day)))
    return tuple(lines)


def plan_columns(entry: GroupPlanEntry) -> list[PlanColumn]:
    """The groepsplan row of this entry, column by column."""
    return [
        PlanColumn("beginsituatie", _("Beginsituatie"), starting_lines(entry)),
        PlanColumn("doel", _("Doel"), goal_lines(entry)),
        PlanColumn("onderwijsbehoeften", _("Onderwijsbehoeften"), needs_lines(entry)),
        PlanColumn("aanpak", _("Aanpak en organisatie"), approach_lines(entry)),
        PlanColumn("evaluatie", _("Evaluatie"), evaluation_lines(entry)),
    ]

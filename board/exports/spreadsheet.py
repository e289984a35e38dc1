"""CSV that Dutch Excel opens as it is: UTF-8 with a BOM, ';' between the fields.

One row per feasible need with the goal repeated on every row, so the rows can be pasted
straight into a groepsplan sheet. With no feasible need yet there is one row with the goal.
"""

import csv
import io

from flask_babel import gettext as _

from board.exports.wording import status_word
from board.services.summary import GroupPlanEntry, PlanNeed

# Excel runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a cell; text that Excel would take for a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header() -> list[str]:
    return [
        _("Status"),
        _("Leerling"),
        _("Groep"),
        _("Datum"),
        _("Doel"),
        _("Evaluatie: hoe"),
        _("Evaluatie: wanneer"),
        _("Onderwijsbehoefte"),
        _("Soort"),
        _("Per week"),
        _("Plek in het plan"),
        _("Aanpak"),
    ]


def row(entry: GroupPlanEntry, need: PlanNeed | None) -> list[str]:
    goal = entry.goal
    fields = [status_word(entry), entry.pupil, entry.group, entry.date.isoformat()]
    fields += [goal.text, goal.evaluation_how, goal.evaluation_when]
    if need is None:
        fields += [None] * 5
    else:
        fields += [need.text, _(need.category_label), need.per_week, need.plan_note, need.subgroup]
    return [cell(value) for value in fields]


def render_csv(entry: GroupPlanEntry) -> bytes:
    """The CSV file as bytes, BOM first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header())
    writer.writerows(row(entry, need) for need in entry.feasible_needs or [None])
    return buffer.getvalue().encode("utf-8-sig")

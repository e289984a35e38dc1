"""CSV that Dutch Excel opens as it is: UTF-8 with a BOM, ';' between the fields.

One row per feasible need. The goal, the starting situation and the evaluation belong to the
whole entry: they stand on the first row only, as in a groepsplan sheet with merged cells, so
a sheet that counts or filters goals sees one goal, not one per need. With no feasible need
yet there is one row with the goal. The column names are those of the screen, PDF and Word.
"""

import csv
import io

from flask_babel import gettext as _

from board.exports.columns import approach, plan_columns
from board.exports.wording import period_text, status_word
from board.services.summary import GroupPlanEntry, PlanNeed

# Excel runs a cell that starts with one of these as a formula (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> str:
    """A value as a cell; text that Excel would take for a formula gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def header(entry: GroupPlanEntry) -> list[str]:
    """The entry's own fields, then the groepsplan columns under the names of every format."""
    own = [_("Status"), _("Leerling"), _("Groep"), _("Datum"), _("Leerkracht"), _("Periode")]
    return own + [column.label for column in plan_columns(entry)]


def rows(entry: GroupPlanEntry) -> list[list[str]]:
    """One row per feasible need; what belongs to the whole entry only on the first row."""
    columns = {column.key: column for column in plan_columns(entry)}
    first = [status_word(entry), entry.pupil, entry.group, entry.date.isoformat()]
    first += [entry.teacher, period_text(entry)]
    first += [columns[key].text for key in ("beginsituatie", "doel")]
    needs = entry.feasible_needs or [None]
    result = []
    for index, need in enumerate(needs):
        own = first if index == 0 else [""] * len(first)
        per_need = ["", ""] if need is None else [need_text(need), approach(need)]
        evaluation = columns["evaluatie"].text if index == 0 else ""
        result.append([cell(value) for value in (*own, *per_need, evaluation)])
    return result


def need_text(need: PlanNeed) -> str:
    return f"{_(need.category_label)}: {need.text}"


def render_csv(entry: GroupPlanEntry) -> bytes:
    """The CSV file as bytes, BOM first."""
    return table_csv(header(entry), rows(entry))


def table_csv(head: list[str], body: list[list[str]]) -> bytes:
    """A sheet as Dutch Excel opens it: BOM first, ';' between the fields, CRLF line ends.
    Cells come in as cell() made them."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(head)
    writer.writerows(body)
    return buffer.getvalue().encode("utf-8-sig")

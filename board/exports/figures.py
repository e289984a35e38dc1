"""A team's figures as a CSV file: one row per meeting, with what each chart is made of (the
yield vote, the planned and actual minutes per step, the goal at the evaluation), in the
conventions of the group-plan CSV (Dutch Excel: BOM, ';', and a decimal comma)."""

from flask_babel import gettext as _

from board.domain.next_step import RESULT_LABELS
from board.domain.steps import STEPS
from board.domain.team_figures import NOT_YET, MeetingRecord
from board.exports.spreadsheet import cell, table_csv


def decimal(value: float) -> str:
    """1.5 → "1,5"; whole numbers without a decimal."""
    return f"{value:.1f}".replace(".", ",").removesuffix(",0")


def header() -> list[str]:
    head = [_("Datum"), _("Inbrenger"), _("De tijd waard"), _("Stemmen"), _("De tijd waard (%)")]
    for step in STEPS:
        name = f"{step.number}. {_(step.short)}"
        head += [
            _("%(step)s gepland (min)", step=name),
            _("%(step)s werkelijk (min)", step=name),
        ]
    return [*head, _("Doel bij de evaluatie")]


def row(record: MeetingRecord) -> list[str]:
    votes = record.worth_votes + record.not_worth_votes
    share = str(round(100 * record.worth_votes / votes)) if votes else ""
    values = [record.day.isoformat(), record.label, str(record.worth_votes), str(votes), share]
    runs = {run.number: run for run in record.steps}
    for step in STEPS:
        run = runs.get(step.number)
        ran = run is not None and run.actual_seconds > 0
        values += [
            decimal(run.planned_seconds / 60) if run else "",
            decimal(run.actual_seconds / 60) if ran else "",
        ]
    if record.result is not None:
        values.append(_(RESULT_LABELS[record.result]))
    else:
        values.append(_(NOT_YET) if record.closed else "")
    return [cell(value) for value in values]


def figures_csv(records: list[MeetingRecord]) -> bytes:
    """The CSV file as bytes, oldest meeting first."""
    ordered = sorted(records, key=lambda record: record.day)
    return table_csv(header(), [row(record) for record in ordered])

"""The school's own Word template: GROUPPLAN_TEMPLATE names a .docx with docxtpl placeholders
(docs/groupplan-template.md lists them), filled from the same GroupPlanEntry as every format.

Without the setting the Word export is our own layout (worddoc.py). The template is the
school's, so it is trusted like configuration; it still renders in Jinja's sandbox, and every
text is escaped for Word's XML.
"""

import io
import logging
import zipfile

from docx.opc.exceptions import PackageNotFoundError
from docxtpl import DocxTemplate
from flask import current_app
from flask_babel import gettext as _
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

from board.domain.dutch_dates import dutch_date
from board.domain.errors import DomainError
from board.domain.text import N_
from board.exports.columns import approach, plan_columns
from board.exports.worddoc import render_docx
from board.exports.wording import period_text, status_word
from board.services.summary import GroupPlanEntry

log = logging.getLogger(__name__)

BROKEN = N_(
    "Het Word-sjabloon van de school kon niet worden gevuld (%(reason)s). "
    "Vraag de beheerder het sjabloon na te kijken; de andere downloads werken gewoon."
)


class BrokenTemplate(DomainError):
    """GROUPPLAN_TEMPLATE is missing, no Word file, or its placeholders do not parse."""

    status = 503


def placeholders(entry: GroupPlanEntry) -> dict:
    """What a school template can use; docs/groupplan-template.md describes every name."""
    goal, start, period = entry.goal, entry.starting_situation, entry.period
    return {
        "status": status_word(entry),
        "leerling": entry.pupil,
        "groep": entry.group,
        "datum": dutch_date(entry.date),
        "leerkracht": entry.teacher,
        "periode": {
            "start": dutch_date(period.start) if period else dutch_date(entry.date),
            "eind": period.end if period else "",
            "tekst": period_text(entry),
        },
        "beginsituatie": {"goed": start.goes_well, "verklaringen": start.explanations},
        "doel": {
            "tekst": goal.text,
            "gedrag": goal.behaviour,
            "hoe_lang": goal.duration,
            "hoe_vaak": goal.frequency,
            "wanneer_waar": goal.moment,
            "niveau": goal.level,
        },
        "behoeften": [
            {
                "nummer": number,
                "soort": _(need.category_label),
                "tekst": need.text,
                "per_week": need.per_week or "",
                "subgroep": need.subgroup or "",
                "organisatie": need.plan_note,
                "aanpak": approach(need),
            }
            for number, need in enumerate(entry.feasible_needs, 1)
        ],
        "evaluatie": {"hoe": goal.evaluation_how, "wanneer": goal.evaluation_when},
        "ondersteuning": entry.support_needs,
        "groepsplan_notitie": entry.plan_note,
        "afspraken": [
            {"onderwerp": _(a.topic_label), "wat": a.what, "wie": a.who, "wanneer": a.when}
            for a in entry.agreements
        ],
        "niet_nu": [{"soort": _(n.category_label), "tekst": n.text} for n in entry.not_now_needs],
        "kolommen": {column.key: column.text for column in plan_columns(entry)},
    }


def fill_template(path: str, entry: GroupPlanEntry) -> bytes:
    """The school's template filled in, as bytes; BrokenTemplate if it cannot be."""
    try:
        document = DocxTemplate(path)
        document.render(placeholders(entry), SandboxedEnvironment(autoescape=True))
        buffer = io.BytesIO()
        document.save(buffer)
    except (OSError, zipfile.BadZipFile, PackageNotFoundError, KeyError) as error:
        log.warning("GROUPPLAN_TEMPLATE %s cannot be opened: %s", path, error)
        raise BrokenTemplate(BROKEN, reason=N_("het bestand is geen Word-document")) from error
    except TemplateError as error:
        log.warning("GROUPPLAN_TEMPLATE %s has a broken placeholder: %s", path, error)
        raise BrokenTemplate(
            BROKEN, reason=N_("een veld tussen {{ }} of {% %} klopt niet")
        ) from error
    return buffer.getvalue()


def render_word(entry: GroupPlanEntry) -> bytes:
    """The school's own template when GROUPPLAN_TEMPLATE is set, else our own layout."""
    path = current_app.config.get("GROUPPLAN_TEMPLATE")
    return fill_template(path, entry) if path else render_docx(entry)

"""The entry as one Markdown document: the four columns, then everything around them."""

from flask_babel import gettext as _

from board.exports.columns import bulleted, plan_columns
from board.exports.wording import heading, meta_line, status_line
from board.services.summary import GroupPlanEntry, PlanNeed


def section(title: str, body: str) -> str:
    return f"## {title}\n\n{body or '—'}\n"


def needs_list(needs: list[PlanNeed]) -> str:
    return "\n".join(bulleted(f"{_(n.category_label)}: {n.text}") for n in needs)


def agreements_list(entry: GroupPlanEntry) -> str:
    lines = []
    for agreement in entry.agreements:
        who_when = [
            _("wie: %(who)s", who=agreement.who) if agreement.who else "",
            _("wanneer: %(when)s", when=agreement.when) if agreement.when else "",
        ]
        extra = "; ".join(part for part in who_when if part)
        line = f"**{_(agreement.topic_label)}** {agreement.what}"
        lines.append(bulleted(f"{line} ({extra})" if extra else line))
    return "\n".join(lines)


def render_markdown(entry: GroupPlanEntry) -> bytes:
    """The whole entry as Markdown; 'not now' needs get their own section, apart."""
    parts = [f"# {heading(entry)}\n", f"**{status_line(entry)}**\n", meta_line(entry) + "\n"]
    parts += [section(column.label, column.text) for column in plan_columns(entry)]
    parts.append(section(_("Afspraken"), agreements_list(entry)))
    parts.append(section(_("Ondersteuning die de leerkracht nodig heeft"), entry.support_needs))
    if entry.teacher_notes:
        parts.append(section(_("Mijn aantekeningen"), entry.teacher_notes))
    parts.append(section(_("Niet nu"), needs_list(entry.not_now_needs)))
    if entry.unmarked_needs:
        parts.append(section(_("Nog niet beoordeeld"), needs_list(entry.unmarked_needs)))
    return "\n".join(parts).encode("utf-8")

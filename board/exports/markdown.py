"""The entry as one Markdown document: the four columns, then everything around them.

Whatever people typed reads literally in any Markdown viewer: every character Markdown or
HTML would act on is escaped, so no text becomes a tag, an image, a link or a heading.
"""

import re

from flask_babel import gettext as _

from board.exports.columns import Line, PlanColumn, bulleted, numbered, plan_columns
from board.exports.wording import heading, meta_line, plan_line, status_line
from board.services.summary import GroupPlanEntry, PlanNeed

# Markdown's and HTML's own characters anywhere in a line, and what starts a block (a list
# item, a heading underline, a numbered item) at the start of one.
ACTIVE = re.compile(r"([\\`*_{}\[\]()<>#!|~&])")
BLOCK_START = re.compile(r"^(\s*)([-+=])", re.MULTILINE)
NUMBERED = re.compile(r"^(\s*\d+)([.)])", re.MULTILINE)


def literal(text: str) -> str:
    """The text, escaped so that a Markdown viewer shows it as typed and loads nothing."""
    text = ACTIVE.sub(r"\\\1", text)
    text = BLOCK_START.sub(r"\1\\\2", text)
    return NUMBERED.sub(r"\1\\\2", text)


def section(title: str, body: str) -> str:
    return f"## {title}\n\n{body or '—'}\n"


def column_line(line: Line) -> str:
    """One line of a column: its text escaped, its own bullet or number kept as Markdown."""
    text = numbered(line.number, literal(line.text)) if line.number else literal(line.text)
    return bulleted(text) if line.item else text


def column_text(column: PlanColumn) -> str:
    return "\n".join(column_line(line) for line in column.lines)


def needs_list(needs: list[PlanNeed]) -> str:
    return "\n".join(bulleted(literal(f"{_(n.category_label)}: {n.text}")) for n in needs)


def agreements_list(entry: GroupPlanEntry) -> str:
    lines = []
    for agreement in entry.agreements:
        who_when = [
            _("wie: %(who)s", who=agreement.who) if agreement.who else "",
            _("wanneer: %(when)s", when=agreement.when) if agreement.when else "",
        ]
        extra = "; ".join(part for part in who_when if part)
        line = f"**{literal(_(agreement.topic_label))}** {literal(agreement.what)}"
        lines.append(bulleted(f"{line} ({literal(extra)})" if extra else line))
    return "\n".join(lines)


def render_markdown(entry: GroupPlanEntry) -> bytes:
    """The whole entry as Markdown; 'not now' needs get their own section, apart."""
    parts = [
        f"# {literal(heading(entry))}\n",
        f"**{literal(status_line(entry))}**\n",
        literal(meta_line(entry)) + "\n",
        literal(plan_line(entry)) + "\n",
    ]
    parts += [section(column.label, column_text(column)) for column in plan_columns(entry)]
    parts.append(section(_("Afspraken"), agreements_list(entry)))
    parts.append(
        section(_("Ondersteuning die de leerkracht nodig heeft"), literal(entry.support_needs))
    )
    parts.append(section(_("Niet nu"), needs_list(entry.not_now_needs)))
    if entry.unmarked_needs:
        parts.append(section(_("Nog niet beoordeeld"), needs_list(entry.unmarked_needs)))
    return "\n".join(parts).encode("utf-8")

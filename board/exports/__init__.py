"""The meeting's result for the teacher's groepsplan: print page, PDF, Word, CSV, Markdown, JSON.

Every format renders from the one view model, GroupPlanEntry (board.services.summary).
"""

from collections.abc import Callable
from dataclasses import dataclass

from board.domain.text import N_
from board.exports.jsondata import render_json
from board.exports.markdown import render_markdown
from board.exports.paper import render_pdf
from board.exports.schooltemplate import render_word
from board.exports.spreadsheet import render_csv
from board.services.summary import GroupPlanEntry


@dataclass(frozen=True)
class Format:
    """A downloadable file format: its extension, content type and renderer."""

    extension: str
    content_type: str
    render: Callable[[GroupPlanEntry], bytes]
    label: str  # the button on the summary page (a msgid)
    with_notes: str | None = None  # the button with the teacher's notes, where a format has one


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# In the order the summary page offers them.
FORMATS: dict[str, Format] = {
    "docx": Format(
        "docx", DOCX, render_word, N_("Word (.docx)"), N_("Word met mijn aantekeningen")
    ),
    "pdf": Format(
        "pdf", "application/pdf", render_pdf, N_("PDF"), N_("PDF met mijn aantekeningen")
    ),
    "csv": Format("csv", "text/csv; charset=utf-8", render_csv, N_("Excel (.csv)")),
    "md": Format(
        "md",
        "text/markdown; charset=utf-8",
        render_markdown,
        N_("Markdown (.md)"),
        N_("Markdown met mijn aantekeningen"),
    ),
    "json": Format("json", "application/json", render_json, N_("JSON voor schoolsystemen")),
}

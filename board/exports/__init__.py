"""The meeting's result for the teacher's groepsplan: print page, PDF, Word, CSV, Markdown, JSON.

Every format renders from the one view model, GroupPlanEntry (board.services.summary).
"""

from collections.abc import Callable
from dataclasses import dataclass

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


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
FORMATS: dict[str, Format] = {
    "json": Format("json", "application/json", render_json),
    "csv": Format("csv", "text/csv; charset=utf-8", render_csv),
    "md": Format("md", "text/markdown; charset=utf-8", render_markdown),
    "docx": Format("docx", DOCX, render_word),
    "pdf": Format("pdf", "application/pdf", render_pdf),
}

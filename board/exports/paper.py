"""The paper version: the A4 print page, and the PDF that WeasyPrint makes of that same page."""

from flask import render_template

from board.background import off_the_loop
from board.exports.columns import plan_columns
from board.services.summary import GroupPlanEntry


def print_html(entry: GroupPlanEntry) -> str:
    """The print page: the groepsplan row, agreements, support; 'not now' apart."""
    return render_template("print.html", entry=entry, columns=plan_columns(entry))


def render_pdf(entry: GroupPlanEntry) -> bytes:
    """The print page as a PDF file, made off the event loop (seconds for a full meeting)."""
    # WeasyPrint takes seconds to import: load it on the first PDF, not with every process
    # (and here, in the request: the import runs a subprocess, which a pool thread cannot).
    from board.exports.pdf import html_to_pdf

    return off_the_loop(html_to_pdf, print_html(entry))

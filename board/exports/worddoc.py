"""A Word document (python-docx): the groepsplan row as a table, then agreements and support.

Landscape A4 like the PDF, with the same column widths, so the five columns have room; no
row splits over two pages. It opens in Word and
LibreOffice alike: only the styles of python-docx's default template are used.
"""

import io
from datetime import UTC, datetime

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.table import Table, _Cell
from flask_babel import gettext as _

from board.background import off_the_loop
from board.exports.columns import Line, plan_columns
from board.exports.wording import heading, meta_line, plan_line, status_line, status_word
from board.services.summary import GroupPlanEntry, PlanNeed


def landscape_a4(document: WordDocument) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(15))
    section.top_margin = section.bottom_margin = Mm(12)
    section.header_distance = Mm(6)


def dutch_proofing(document: WordDocument) -> None:
    """Word's spelling check in Dutch: the template's default language is American English."""
    for language in document.styles.element.iter(qn("w:lang")):
        language.set(qn("w:val"), "nl-NL")


def describe(document: WordDocument, entry: GroupPlanEntry) -> None:
    """File properties: no author name of ours or of the library, the status in the title."""
    core = document.core_properties
    core.title = f"{heading(entry)} ({status_word(entry)})"
    core.author = core.last_modified_by = "Intervisiebord"
    core.created = core.modified = datetime.now(UTC)
    core.keywords = status_word(entry)
    core.comments = ""


def header_row(table: Table, labels: list[str]) -> None:
    """Bold labels in the first row, repeated at the top of every page."""
    for cell, label in zip(table.rows[0].cells, labels, strict=True):
        run = cell.paragraphs[0].add_run(label)
        run.bold, run.font.size = True, TABLE_TEXT
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    table.rows[0]._tr.get_or_add_trPr().append(repeat)


def keep_rows_whole(rows) -> None:
    """Word's 'row may not break across pages', on these rows."""
    for row in rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def column_widths(table: Table, shares: tuple[int, ...]) -> None:
    """Widths in percent of the 267 mm between the margins (the same as print.css)."""
    table.autofit = False
    for column, share in zip(table.columns, shares, strict=True):
        column.width = Mm(267 * share / 100)  # the table grid: LibreOffice reads this one
        for cell in column.cells:
            cell.width = Mm(267 * share / 100)


# Smaller than the body text, as in print.css, so the plan row fits under the heading.
TABLE_TEXT = Pt(9)


def fill(cell: _Cell, lines: tuple[Line, ...] | list[Line]) -> None:
    """Paragraphs into a cell: items as bullets, line breaks kept, '—' when empty."""
    lines = lines or [Line("—")]
    first = cell.paragraphs[0]
    for index, line in enumerate(lines):
        paragraph = first if index == 0 else cell.add_paragraph()
        paragraph.add_run(line.plain).font.size = TABLE_TEXT
        paragraph.paragraph_format.space_after = Pt(2)  # Word's default 8 pt wastes the page
        if line.item:
            paragraph.style = "List Bullet"


def table(
    document: WordDocument,
    labels: list[str],
    rows: list[list[list[Line]]],
    shares: tuple[int, ...],
    rows_whole: bool = True,
) -> None:
    """A table with a header row; its rows are kept whole on a page, or (rows_whole=False)
    may go on over the next page, under the repeated header."""
    grid = document.add_table(rows=1, cols=len(labels))
    grid.style = "Table Grid"
    header_row(grid, labels)
    for cells in rows:
        for cell, lines in zip(grid.add_row().cells, cells, strict=True):
            fill(cell, lines)
    keep_rows_whole(grid.rows if rows_whole else grid.rows[:1])
    column_widths(grid, shares)


# Percent of the width per column, as .col-* in print.css.
PLAN_SHARES = (17, 18, 26, 25, 14)
AGREEMENT_SHARES = (22, 40, 18, 20)


def plan_row(document: WordDocument, entry: GroupPlanEntry) -> None:
    columns = plan_columns(entry)
    labels = [column.label for column in columns]
    # The plan row goes on under its heading: kept whole, a row taller than what is left of
    # the first page would leave the heading alone on it (as print.css).
    table(document, labels, [[c.lines for c in columns]], PLAN_SHARES, rows_whole=False)


def agreements(document: WordDocument, entry: GroupPlanEntry) -> None:
    document.add_heading(_("Afspraken"), level=2)
    if not entry.agreements:
        document.add_paragraph("—")
        return
    labels = [_("Onderwerp"), _("Wat"), _("Wie"), _("Wanneer")]
    rows = [
        [[Line(_(a.topic_label))], [Line(a.what)], [Line(a.who)], [Line(a.when)]]
        for a in entry.agreements
    ]
    table(document, labels, rows, AGREEMENT_SHARES)


def text_section(document: WordDocument, title: str, text: str) -> None:
    document.add_heading(title, level=2)
    document.add_paragraph(text or "—")


def needs_apart(document: WordDocument, title: str, needs: list[PlanNeed]) -> None:
    document.add_heading(title, level=2)
    if not needs:
        document.add_paragraph("—")
    for need in needs:
        document.add_paragraph(f"{_(need.category_label)}: {need.text}", style="List Bullet")


def render_docx(entry: GroupPlanEntry) -> bytes:
    """The .docx file, made off the event loop (seconds of CPU for a full meeting)."""
    return off_the_loop(word_file, entry)


def word_file(entry: GroupPlanEntry) -> bytes:
    """The .docx file as bytes; 'not now' needs have a section of their own, after the plan."""
    document = Document()
    landscape_a4(document)
    dutch_proofing(document)
    describe(document, entry)
    document.sections[0].header.paragraphs[0].text = f"{heading(entry)} · {status_word(entry)}"
    document.add_heading(heading(entry), level=1)
    status = document.add_paragraph()
    status.add_run(status_line(entry)).bold = True
    for paragraph in (status, document.add_paragraph(meta_line(entry))):
        paragraph.paragraph_format.space_after = Pt(2)
    document.add_paragraph(plan_line(entry))
    plan_row(document, entry)
    agreements(document, entry)
    text_section(document, _("Ondersteuning die de leerkracht nodig heeft"), entry.support_needs)
    if entry.teacher_notes:
        text_section(document, _("Mijn aantekeningen"), entry.teacher_notes)
    needs_apart(document, _("Niet nu"), entry.not_now_needs)
    if entry.unmarked_needs:
        needs_apart(document, _("Nog niet beoordeeld"), entry.unmarked_needs)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

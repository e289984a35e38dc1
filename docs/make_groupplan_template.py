"""Build docs/groupplan-template.docx, the sample school template (run once, from the root):
`python docs/make_groupplan_template.py`. A school copies the result and changes its layout
in Word; the placeholders are described in docs/groupplan-template.md."""

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

TARGET = Path(__file__).with_name("groupplan-template.docx")


def table(document, header: list[str], loop: str, cells: list[str], shares: list[int]) -> None:
    """A header row (repeated on every page), then one row per item between docxtpl's
    {%tr for %} and {%tr endfor %}; widths in percent of the 267 mm between the margins."""
    grid = document.add_table(rows=4, cols=len(header))
    grid.style = "Table Grid"
    grid.autofit = False
    for column, share in zip(grid.columns, shares, strict=True):
        column.width = Mm(267 * share / 100)
        for cell in column.cells:
            cell.width = Mm(267 * share / 100)
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    grid.rows[0]._tr.get_or_add_trPr().append(repeat)
    for cell, label in zip(grid.rows[0].cells, header, strict=True):
        cell.paragraphs[0].add_run(label).bold = True
    grid.rows[1].cells[0].text = "{%tr for " + loop + " %}"
    for cell, text in zip(grid.rows[2].cells, cells, strict=True):
        cell.text = text
    grid.rows[3].cells[0].text = "{%tr endfor %}"
    for row in grid.rows:
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))


def main() -> None:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    section.left_margin = section.right_margin = Mm(15)
    document.add_heading("Groepsplan {{ leerling }}, groep {{ groep }}", level=1)
    document.add_paragraph("Leerkracht: {{ leerkracht }} · Periode: {{ periode.tekst }}")
    document.add_paragraph("Status: {{ status }} · intervisie van {{ datum }}")
    document.add_heading("Beginsituatie", level=2)
    document.add_paragraph("Wat goed gaat: {{ beginsituatie.goed }}")
    document.add_paragraph("Mogelijke verklaringen: {{ beginsituatie.verklaringen }}")
    document.add_heading("Doel", level=2)
    document.add_paragraph("{{ doel.tekst }}")
    document.add_heading("Onderwijsbehoeften en aanpak", level=2)
    table(
        document,
        ["Onderwijsbehoeften", "Aanpak en organisatie"],
        "b in behoeften",
        ["{{ b.nummer }}. {{ b.soort }}: {{ b.tekst }}", "{{ b.aanpak }}"],
        [55, 45],
    )
    document.add_heading("Evaluatie", level=2)
    document.add_paragraph("Hoe: {{ evaluatie.hoe }}")
    document.add_paragraph("Wanneer: {{ evaluatie.wanneer }}")
    document.add_heading("Ondersteuning die de leerkracht nodig heeft", level=2)
    document.add_paragraph("{{ ondersteuning }}")
    document.add_heading("Afspraken", level=2)
    table(
        document,
        ["Onderwerp", "Wat", "Wie", "Wanneer"],
        "a in afspraken",
        ["{{ a.onderwerp }}", "{{ a.wat }}", "{{ a.wie }}", "{{ a.wanneer }}"],
        [22, 40, 18, 20],
    )
    document.save(TARGET)


if __name__ == "__main__":
    main()

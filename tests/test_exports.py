"""The meeting's result, exported into the teacher's groepsplan in every format.

Print page, PDF, Word, CSV, Markdown and JSON all render from one GroupPlanEntry. The goal
and the feasible needs land in the plan; the 'not now' needs are listed apart, never mixed
in. Only the teacher may export. PDF rendering takes a second or two, so only a few tests
ask for a PDF.
"""

import csv
import html
import io
import json
import re
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import unquote, urlsplit

import docx
import pypdf
import pytest

from board.exports.jsondata import SCHEMA
from board.exports.markdown import literal
from board.extensions import db
from board.models import Meeting
from board.templating import dutch_date

GOAL = "Thomas blijft in de kring vier minuten zitten, op drie ochtenden per week."
FEASIBLE = (
    "korte instructie aan de instructietafel",
    "een taakje in de kring, zoals de kalender omslaan",
)
NOT_NOW = ("een maatje dat naast hem zit", "eerst twee minuten bewegen na de kring")
EVALUATION = "Elke vrijdag tellen juf en Thomas de stempels op zijn kaart."
SUPPORT = "Een collega uit groep 2 die één keer komt meekijken."
AGREEMENT = "De juf vertelt de ouders vrijdag over het doel."
# Accents, emoji, line breaks and texts near the length limits: all must come through. The
# emoji are ones the server's fonts can draw (DejaVu has them), or the PDF shows a box.
TRICKY_GOAL = "Zoë blijft zitten 😀 in de kring,\nook op maandag: één, twee, drie… " + "ké " * 70
TRICKY_NEED = "een rustig plekje ☀ bij de juf\n(café-tafel, naïef)" + " lange zin" * 22
TRICKY_SUPPORT = "Hulp van de IB'er:\n– één keer per week 😊\n– " + "veel tekst " * 150
APPROACH = "3× per week, subgroep basis; instructietafel"
EXPORTS = ("json", "csv", "md", "docx", "pdf")
PATHS = ("/print", *(f"/export.{fmt}" for fmt in EXPORTS))


def mark(meeting, text: str, **form) -> None:
    with meeting.app.app_context():
        card = next(c for c in meeting.meeting().needs if c.text == text)
        card_id = card.id
    assert meeting.post("teacher", f"/needs/{card_id}/mark", form).status_code == 200


def fill(
    meeting,
    goal=GOAL,
    feasible=FEASIBLE,
    not_now=NOT_NOW,
    unmarked=(),
    support=SUPPORT,
    close=False,
):
    """Drive the meeting through every step, as the teacher and colleagues would."""
    meeting.go_to(2)
    assert meeting.post("Anna", "/questions", {"text": "Sinds wanneer?"}).status_code == 204
    meeting.go_to(3)
    for field, value in (("text", goal), ("evaluation_how", EVALUATION)):
        response = meeting.post("teacher", "/goal", {"field": field, "value": value})
        assert response.status_code == 200, response.text
    meeting.go_to(4)
    for index, text in enumerate((*feasible, *not_now, *unmarked)):
        form = {"text": text, "category": "instructie", "client_key": f"k{index}"}
        response = meeting.post("Bram", "/needs", form)
        assert response.status_code == 204, response.text
    meeting.go_to(5)
    for text in feasible:
        form = {"per_week": "3", "subgroup": "basis", "plan_place": "instructietafel"}
        mark(meeting, text, feasibility="feasible", **form)
    for text in not_now:
        mark(meeting, text, feasibility="not_now")
    form = {"field": "support_needs", "value": support}
    assert meeting.post("teacher", "/support", form).status_code == 200
    meeting.go_to(6)
    form = {"topic": "parents", "what": AGREEMENT, "who": "Juf Sanne", "when": "vrijdag"}
    assert meeting.post("Anna", "/agreements", form).status_code == 204
    meeting.go_to(7)
    form = {"worth_it": "yes", "why": "Concreet doel 😀"}
    assert meeting.post("Anna", "/vote", form).status_code == 200
    if close:
        assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204


def export(meeting, fmt: str, who: str = "teacher"):
    response = meeting.device(who).get(f"{meeting.url}/export.{fmt}")
    assert response.status_code == 200, response.text
    return response


def squash(text: str) -> str:
    """Text as compared across formats: no whitespace (PDF lines wrap anywhere)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


# What WeasyPrint writes after a page's text: list bullets, the page header, the page number.
PAGE_FURNITURE = re.compile(r"•\s*|\d+ / \d+|.*(Concept|Definitief)")


def pdf_text(data: bytes) -> str:
    """The PDF's text page after page, without what repeats on every page."""
    pages = []
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        lines = page.extract_text().splitlines()
        while lines and PAGE_FURNITURE.fullmatch(lines[-1]):
            lines.pop()
        pages.append("\n".join(lines))
    return "\n".join(pages)


def word(data: bytes) -> docx.document.Document:
    return docx.Document(io.BytesIO(data))


def plan_row(document) -> list[str]:
    """The cells of the groepsplan row: the first table's second row."""
    return [cell.text for cell in document.tables[0].rows[1].cells]


def after_plan(document) -> str:
    return "\n".join(paragraph.text for paragraph in document.paragraphs)


def csv_rows(data: bytes) -> list[dict[str, str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "Excel needs the BOM to read UTF-8"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


TYPES = {
    "string": str,
    "integer": int,
    "boolean": bool,
    "object": dict,
    "array": list,
    "null": type(None),
}


def is_type(value, name: str) -> bool:
    if isinstance(value, bool) and name == "integer":
        return False
    return isinstance(value, TYPES[name])


def schema_errors(value, schema: dict, path: str = "$") -> list[str]:
    """Where the value breaks the schema (the part of JSON Schema that SCHEMA uses)."""
    if "$ref" in schema:  # only "#/$defs/<name>" occurs
        schema = SCHEMA["$defs"][schema["$ref"].removeprefix("#/$defs/")]
    kinds = schema.get("type")
    kinds = [kinds] if isinstance(kinds, str) else kinds
    if kinds and not any(is_type(value, kind) for kind in kinds):
        return [f"{path}: {value!r} is not {kinds}"]
    errors = []
    if "enum" in schema and value not in schema["enum"]:
        errors.append(f"{path}: {value!r} not in {schema['enum']}")
    if "const" in schema and value != schema["const"]:
        errors.append(f"{path}: {value!r} is not {schema['const']!r}")
    if isinstance(value, int) and not schema.get("minimum", value) <= value:
        errors.append(f"{path}: {value} is below {schema['minimum']}")
    if isinstance(value, int) and not value <= schema.get("maximum", value):
        errors.append(f"{path}: {value} is above {schema['maximum']}")
    if (
        schema.get("format") == "date"
        and isinstance(value, str)
        and not re.fullmatch(r"\d{4}-\d\d-\d\d", value)
    ):
        errors.append(f"{path}: {value!r} is not a date")
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        errors += [f"{path}: {key} is missing" for key in schema["required"] if key not in value]
        if schema.get("additionalProperties") is False:
            errors += [f"{path}: {key} is not allowed" for key in value if key not in properties]
        for key, inner in properties.items():
            if key in value:
                errors += schema_errors(value[key], inner, f"{path}.{key}")
    if isinstance(value, list):
        for index, item in enumerate(value):
            errors += schema_errors(item, schema["items"], f"{path}[{index}]")
    return errors


KEYWORDS = {"$schema", "title", "$defs", "$ref", "type", "required", "properties"}
KEYWORDS |= {"additionalProperties", "items", "enum", "const", "minimum", "maximum", "format"}


def keywords(schema: dict) -> set[str]:
    """Every keyword the schema uses, at any depth."""
    found = set(schema)
    inner = [*schema.get("properties", {}).values(), *schema.get("$defs", {}).values()]
    for part in [*inner, *([schema["items"]] if "items" in schema else [])]:
        found |= keywords(part)
    return found


def test_every_format_puts_goal_and_feasible_needs_in_the_plan_and_not_now_apart(meeting):
    fill(meeting, close=True)

    document = word(export(meeting, "docx").data)
    row = plan_row(document)
    assert GOAL in row[1] and EVALUATION in row[4]
    assert all(need in row[2] for need in FEASIBLE)
    assert not any(need in "\n".join(row) for need in NOT_NOW)
    rest = after_plan(document).split("Niet nu")[1]
    assert all(need in rest for need in NOT_NOW)

    text = squash(pdf_text(export(meeting, "pdf").data))
    in_plan, apart = text.split("Nietnu", 1)
    assert squash(GOAL) in in_plan and squash(EVALUATION) in in_plan
    assert all(squash(need) in in_plan for need in FEASIBLE)
    assert not any(squash(need) in in_plan for need in NOT_NOW)
    assert all(squash(need) in apart for need in NOT_NOW)

    markdown = export(meeting, "md").data.decode()
    in_plan, apart = markdown.split("## Niet nu")
    assert GOAL in in_plan and all(need in in_plan for need in FEASIBLE)
    assert not any(need in in_plan for need in NOT_NOW)
    assert all(need in apart for need in NOT_NOW)

    data = json.loads(export(meeting, "json").data)
    assert data["goal"]["text"] == GOAL and data["evaluation"]["how"] == EVALUATION
    assert [need["text"] for need in data["feasible_needs"]] == list(FEASIBLE)
    assert [need["text"] for need in data["not_now_needs"]] == list(NOT_NOW)


def test_the_colleagues_yield_remarks_stay_out_of_every_export_and_on_the_summary(meeting):
    fill(meeting, close=True)
    remark = squash("Concreet doel 😀")
    files = {
        "docx": "\n".join(p.text for p in word(export(meeting, "docx").data).paragraphs),
        "pdf": pdf_text(export(meeting, "pdf").data),
        **{fmt: export(meeting, fmt).data.decode("utf-8-sig") for fmt in ("md", "json", "csv")},
        "print": meeting.teacher.get(meeting.url + "/print").text,
    }
    for fmt, text in files.items():
        assert remark not in squash(text), fmt
        assert "was het de tijd waard" not in text, fmt  # the tally line
    summary = meeting.teacher.get(meeting.url + "/summary").text
    assert "Concreet doel 😀" in summary and "niet over de leerling" in summary


def test_csv_opens_in_dutch_excel_with_one_row_per_feasible_need(meeting):
    fill(meeting)

    response = export(meeting, "csv")

    assert response.content_type == "text/csv; charset=utf-8"
    assert response.data.decode("utf-8-sig").splitlines()[0].count(";") == 10
    rows = csv_rows(response.data)
    assert [row["Onderwijsbehoeften"] for row in rows] == [f"Instructie: {n}" for n in FEASIBLE]
    assert [row["Aanpak en organisatie"] for row in rows] == [APPROACH] * len(FEASIBLE)
    assert [row["Leerling"] for row in rows] == ["Thomas", ""]
    assert [row["Datum"] for row in rows] == [date.today().isoformat(), ""]
    assert not any(need in response.data.decode("utf-8-sig") for need in NOT_NOW)


def test_csv_without_feasible_needs_still_carries_the_goal(meeting):
    fill(meeting, feasible=())

    rows = csv_rows(export(meeting, "csv").data)

    assert len(rows) == 1
    assert rows[0]["Doel"] == GOAL and rows[0]["Onderwijsbehoeften"] == ""


def test_csv_cells_that_excel_would_run_as_a_formula_are_defused(meeting):
    fill(meeting, feasible=('=HYPERLINK("http://x.test";"klik")',))

    rows = csv_rows(export(meeting, "csv").data)

    assert rows[0]["Onderwijsbehoeften"] == 'Instructie: =HYPERLINK("http://x.test";"klik")'


def test_json_keeps_to_its_schema_during_the_meeting_and_after_close(meeting):
    assert keywords(SCHEMA) <= KEYWORDS, "the test's validator must know every keyword"
    fill(meeting, unmarked=("nog niet besproken",))
    during = json.loads(export(meeting, "json").data)
    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    after = json.loads(export(meeting, "json").data)

    assert schema_errors(during, SCHEMA) == []
    assert schema_errors(after, SCHEMA) == []
    assert (during["status"], after["status"]) == ("concept", "final")
    assert after["agreements"] == [
        {
            "topic": "parents",
            "topic_label": "Hoe informeren we de ouders?",
            "what": AGREEMENT,
            "who": "Juf Sanne",
            "when": "vrijdag",
        }
    ]
    assert after["feasible_needs"][0]["per_week"] == 3
    assert after["unmarked_needs"][0]["text"] == "nog niet besproken"
    assert "yield" not in after


def test_the_schema_validator_spots_a_broken_export():
    broken = {"status": "klaar", "pupil": 3, "extra": True}

    errors = "\n".join(schema_errors(broken, SCHEMA))

    assert "status: 'klaar' not in" in errors
    assert "pupil: 3 is not" in errors
    assert "goal is missing" in errors
    assert "extra is not allowed" in errors


def test_the_documented_schema_is_the_one_the_export_keeps_to():
    page = (Path(__file__).parent.parent / "docs" / "export-schema.md").read_text()

    schema_part = page.split("### Schema")[1]
    documented = re.search(r"```json\n(.*?)\n```", schema_part, re.DOTALL).group(1)

    assert json.loads(documented) == SCHEMA


def test_accents_emoji_long_texts_and_line_breaks_survive_every_format(meeting):
    fill(meeting, goal=TRICKY_GOAL, feasible=(TRICKY_NEED,), support=TRICKY_SUPPORT)

    data = json.loads(export(meeting, "json").data)
    assert data["goal"]["text"] == TRICKY_GOAL.strip()
    assert data["feasible_needs"][0]["text"] == TRICKY_NEED
    assert data["support_needs"] == TRICKY_SUPPORT.strip()
    row = csv_rows(export(meeting, "csv").data)[0]
    assert row["Doel"] == TRICKY_GOAL.strip()
    assert row["Onderwijsbehoeften"] == f"Instructie: {TRICKY_NEED}"
    markdown = export(meeting, "md").data.decode()
    assert TRICKY_GOAL.strip() in markdown and TRICKY_SUPPORT.strip() in markdown
    # a numbered item keeps its lines; Markdown's own characters are escaped (the parentheses)
    assert literal(TRICKY_NEED).replace("\n", "\n   ") in markdown
    document = word(export(meeting, "docx").data)
    assert TRICKY_GOAL.strip() in plan_row(document)[1]
    assert TRICKY_NEED.replace("\n", "\n   ") in plan_row(document)[2]
    assert TRICKY_SUPPORT.strip() in after_plan(document)
    page = html.unescape(meeting.teacher.get(meeting.url + "/print").text)
    assert TRICKY_GOAL.strip() in page
    assert TRICKY_NEED.replace("\n", "\n   ") in page
    pdf = squash(pdf_text(export(meeting, "pdf").data))
    for text in (TRICKY_GOAL, TRICKY_NEED, TRICKY_SUPPORT):
        assert squash(text) in pdf
    assert pdf.startswith("CONCEPT:")


def test_an_export_is_concept_during_the_meeting_and_final_after_close(meeting):
    fill(meeting)

    def status_texts() -> dict[str, str]:
        texts = {fmt: export(meeting, fmt).data.decode("utf-8-sig") for fmt in ("csv", "md")}
        texts["json"] = json.loads(export(meeting, "json").data)["status"]
        document = word(export(meeting, "docx").data)
        texts["docx"] = document.sections[0].header.paragraphs[0].text + after_plan(document)
        texts["print"] = meeting.teacher.get(meeting.url + "/print").text
        return texts

    during = status_texts()
    assert meeting.post("teacher", "/close", {"confirm": "yes"}).status_code == 204
    after = status_texts()

    assert (during.pop("json"), after.pop("json")) == ("concept", "final")
    for fmt in during:
        assert "Concept" in during[fmt] and "Definitief" not in during[fmt], fmt
        assert "Definitief" in after[fmt] and "Concept" not in after[fmt], fmt


def test_the_print_page_shows_the_status_and_is_plain_a4(meeting):
    fill(meeting)

    response = meeting.teacher.get(meeting.url + "/print")

    page = response.text
    assert response.status_code == 200
    assert "Concept" in page and GOAL in page
    assert 'class="topbar"' not in page and "<nav" not in page
    assert "css/print.css" in page and "css/board.css" not in page
    assert "<script" not in page and "style=" not in page  # the CSP allows neither inline
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"
    stylesheet = Path(meeting.app.static_folder, "css", "print.css").read_text()
    assert "size: A4" in stylesheet


@pytest.mark.parametrize("who", ["Anna", "screen", "stranger"])
def test_only_the_teacher_may_export(meeting, who):
    for path in PATHS:
        response = meeting.device(who).get(meeting.url + path)

        assert response.status_code == 403, path
        assert "Content-Disposition" not in response.headers
        assert "Thomas" not in response.text


def test_an_unknown_meeting_has_no_export(meeting):
    for path in PATHS:
        response = meeting.teacher.get("/m/bestaat-niet" + path)

        assert response.status_code == 404, path
        assert "bestaat niet" in response.text


def test_a_colleague_is_refused_with_a_clear_message(meeting):
    response = meeting.device("Anna").get(meeting.url + "/export.docx")

    assert "Dat mag jouw rol niet doen in deze bijeenkomst." in response.text


def new_meeting(app, alias: str):
    """A fresh meeting for this pupil alias; returns the teacher's client and the meeting id."""
    teacher = app.test_client()
    today = date.today().isoformat()
    form = {"pupil_alias": alias, "group_name": "5/6", "meeting_date": today}
    response = teacher.post("/meetings", data=form)
    assert response.status_code == 303, response.text
    teacher.get(response.headers["Location"])
    with app.app_context():
        meeting_id = db.session.execute(db.select(Meeting.id).filter_by(pupil_alias=alias))
        return teacher, meeting_id.scalar_one()


@pytest.mark.parametrize(
    ("alias", "utf8_name", "ascii_name"),
    [
        ("Thomas", "groepsplan-Thomas-{date}.{ext}", "groepsplan-Thomas-{date}.{ext}"),
        ("Zoë", "groepsplan-Zoë-{date}.{ext}", "groepsplan-Zoe-{date}.{ext}"),
        ("../Zoë🦊", "groepsplan-Zoë-{date}.{ext}", "groepsplan-Zoe-{date}.{ext}"),
        ('A\\"B"', "groepsplan-A-B-{date}.{ext}", "groepsplan-A-B-{date}.{ext}"),
        ("🦊", "groepsplan-leerling-{date}.{ext}", "groepsplan-leerling-{date}.{ext}"),
    ],
)
def test_file_names_carry_alias_and_date_safely(app, alias, utf8_name, ascii_name):
    teacher, meeting_id = new_meeting(app, alias)
    today = date.today().isoformat()

    for ext in ("json", "csv", "md", "docx"):
        header = teacher.get(f"/m/{meeting_id}/export.{ext}").headers["Content-Disposition"]
        fallback = re.search(r'filename="([^"]*)"', header).group(1)
        encoded = unquote(re.search(r"filename\*=UTF-8''(\S+)$", header).group(1))

        assert header.startswith("attachment;")
        assert fallback == ascii_name.format(date=today, ext=ext)
        assert encoded == utf8_name.format(date=today, ext=ext)
        assert not re.search(r"[/\\]|\.\.", fallback + encoded)
        assert fallback.isascii()


def test_summary_page_offers_every_export_and_a_copy_block_per_column(meeting):
    fill(meeting)

    page = meeting.teacher.get(meeting.url + "/summary").text

    for path in PATHS:
        assert f'href="{meeting.url}{path}"' in page
    for column in ("beginsituatie", "doel", "onderwijsbehoeften", "aanpak", "evaluatie"):
        assert f'<textarea id="copy-{column}"' in page
        assert f'data-copy="copy-{column}"' in page
    assert 'src="/static/js/copy.js?v=' in page
    assert not re.search(r"<script(?![^>]*\bsrc=)", page), "no inline script under the CSP"
    assert " style=" not in page and " onclick=" not in page


def test_copy_blocks_hold_the_groepsplan_columns_as_plain_text(meeting):
    fill(meeting)

    page = meeting.teacher.get(meeting.url + "/summary").text

    def block(column: str) -> str:
        found = re.search(rf'<textarea id="copy-{column}"[^>]*>(.*?)</textarea>', page, re.S)
        return html.unescape(found.group(1))

    assert block("doel") == GOAL
    assert block("onderwijsbehoeften").splitlines()[1:] == [
        f"{n}. Instructie: {need}" for n, need in enumerate(FEASIBLE, 1)
    ]
    assert block("aanpak").splitlines() == [f"{n}. {APPROACH}" for n in (1, 2)]
    assert block("evaluatie") == f"Hoe: {EVALUATION}"
    assert not any(need in page.split("Niet nu")[0] for need in NOT_NOW)


def test_the_pdf_reads_only_our_own_static_files(app):
    from board.exports.pdf import StaticFiles

    fetcher = StaticFiles(app.static_folder, "https://intervisiebord.invalid/static/")

    response = fetcher.fetch("https://intervisiebord.invalid/static/css/print.css")
    assert b"size: A4" in response.read() and response.content_type == "text/css"
    for url in (
        "https://example.com/static/css/print.css",
        "https://intervisiebord.invalid/static/../board/config.py",
        "https://intervisiebord.invalid/static/css/bestaat-niet.css",
        "file:///etc/passwd",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_the_finished_demo_is_a_closed_meeting_with_every_export(app, runner):
    result = runner.invoke(args=["demo", "--finished", "--json"])
    assert result.exit_code == 0, result.output
    links = json.loads(result.output)
    teacher = app.test_client()

    teacher.get(urlsplit(links["teacher_url"]).path)

    meeting_url = f"/m/{links['meeting_id']}"
    assert teacher.get(meeting_url + "/summary").status_code == 200
    for path in PATHS:
        assert teacher.get(meeting_url + path).status_code == 200, path
    data = json.loads(teacher.get(meeting_url + "/export.json").data)
    assert schema_errors(data, SCHEMA) == []
    assert data["status"] == "final" and data["pupil"] == "Thomas"
    assert len(data["feasible_needs"]) >= 3 and len(data["not_now_needs"]) >= 2
    assert all(need["per_week"] and need["plan_note"] for need in data["feasible_needs"])
    assert {a["topic"] for a in data["agreements"]} >= {"parents", "pupil", "colleagues"}
    assert "yield" not in data
    assert all(data["goal"].values()) and all(data["evaluation"].values())
    assert data["support_needs"] and data["plan_note"]
    assert all(row["actual_seconds"] > 0 for row in data["minutes"])


GOES_WELL = "In de kleine kring met de juf erbij lukt zitten blijven wel."
EXPLANATIONS = "Hij slaapt slecht sinds de verhuizing; de kring duurt lang."
EVALUATION_WHEN = "na zes weken"
# The board understands "na zes weken": the period ends on that date.
EVALUATION_DATE = date.today() + timedelta(weeks=6)
TEACHER = "Leerkracht: Leerkracht van Thomas"  # the default name when she gives none


def prepare_and_fill(meeting, **options) -> None:
    """The preparation's answers and the evaluation moment, then the whole meeting."""
    with meeting.app.app_context():
        stored = meeting.meeting()
        stored.prep_strengths, stored.prep_explanations = GOES_WELL, EXPLANATIONS
        db.session.commit()
    fill(meeting, **options)
    with meeting.app.app_context():
        meeting.meeting().goal_evaluation_when = EVALUATION_WHEN
        db.session.commit()


COLUMN_NAMES = ["Beginsituatie", "Doel", "Onderwijsbehoeften", "Aanpak en organisatie", "Evaluatie"]


def test_every_format_names_the_groepsplan_columns_alike(meeting):
    prepare_and_fill(meeting)

    summary = meeting.teacher.get(meeting.url + "/summary").text
    copy_labels = re.findall(r'<label for="copy-[a-z]+">([^<]+)</label>', summary)
    csv_header = export(meeting, "csv").data.decode("utf-8-sig").splitlines()[0].split(";")
    docx_header = [cell.text for cell in word(export(meeting, "docx").data).tables[0].rows[0].cells]
    print_page = meeting.teacher.get(meeting.url + "/print").text
    print_header = re.findall(r'<th scope="col" class="col-[a-z]+">([^<]+)</th>', print_page)
    markdown = export(meeting, "md").data.decode()

    assert copy_labels == COLUMN_NAMES
    assert csv_header[-5:] == COLUMN_NAMES
    assert docx_header == COLUMN_NAMES
    assert print_header[:5] == COLUMN_NAMES
    assert all(f"## {name}" in markdown for name in COLUMN_NAMES)


def test_the_entry_carries_starting_situation_teacher_and_period(meeting):
    prepare_and_fill(meeting)
    period = f"→ {dutch_date(EVALUATION_DATE)}"

    document = word(export(meeting, "docx").data)
    assert GOES_WELL in plan_row(document)[0] and EXPLANATIONS in plan_row(document)[0]
    assert period in after_plan(document) and TEACHER in after_plan(document)
    markdown = export(meeting, "md").data.decode()
    assert GOES_WELL in markdown and period in markdown and TEACHER in markdown
    first = csv_rows(export(meeting, "csv").data)[0]
    assert EXPLANATIONS in first["Beginsituatie"] and first["Periode"].endswith(period)
    assert first["Leerkracht"] == "Leerkracht van Thomas"
    page = html.unescape(meeting.teacher.get(meeting.url + "/print").text)
    assert GOES_WELL in page and period in page


def test_a_long_preparation_answer_is_cut_short_in_the_starting_situation(meeting):
    with meeting.app.app_context():
        meeting.meeting().prep_strengths = "goed " * 200
        db.session.commit()

    column = markdown_section(export(meeting, "md").data.decode(), "Beginsituatie")

    assert column.endswith("…") and len(column) < 400


def markdown_section(markdown: str, title: str) -> str:
    return markdown.split(f"## {title}\n\n")[1].split("\n\n## ")[0].strip()


def test_the_approach_column_does_not_repeat_the_needs(meeting):
    prepare_and_fill(meeting)

    markdown = export(meeting, "md").data.decode()
    approach = markdown_section(markdown, "Aanpak en organisatie")
    row = plan_row(word(export(meeting, "docx").data))
    summary = meeting.teacher.get(meeting.url + "/summary").text
    copy = html.unescape(re.search(r'id="copy-aanpak"[^>]*>(.*?)</textarea>', summary, re.S)[1])

    for text in (approach, row[3], copy):
        assert text.splitlines() == [f"1. {APPROACH}", f"2. {APPROACH}"]
        assert not any(need in text for need in FEASIBLE)


def test_csv_gives_the_goal_once_on_the_first_row(meeting):
    prepare_and_fill(meeting)

    rows = csv_rows(export(meeting, "csv").data)

    assert [row["Doel"] for row in rows] == [GOAL, ""]
    assert [bool(row["Evaluatie"]) for row in rows] == [True, False]
    assert [bool(row["Beginsituatie"]) for row in rows] == [True, False]


def test_pdf_and_word_are_landscape_and_keep_rows_whole(meeting):
    prepare_and_fill(meeting)

    for page in pypdf.PdfReader(io.BytesIO(export(meeting, "pdf").data)).pages:
        assert page.mediabox.width > page.mediabox.height
    document = word(export(meeting, "docx").data)
    section = document.sections[0]
    assert section.orientation == docx.enum.section.WD_ORIENT.LANDSCAPE
    assert section.page_width > section.page_height
    plan, *others = document.tables
    assert others, "the agreements' table"
    whole = docx.oxml.ns.qn("w:cantSplit")
    for table in others:
        for row in table.rows:
            assert row._tr.trPr.find(whole) is not None
    # The plan row may go on over the next page (a tall one would leave its heading alone).
    header, row = plan.rows
    assert header._tr.trPr.find(whole) is not None
    assert row._tr.trPr is None or row._tr.trPr.find(whole) is None
    widths = [cell.width for cell in document.tables[0].rows[1].cells]
    assert len(set(widths)) > 1, "the columns get widths by their content, not equal ones"
    # LibreOffice lays a table out by its grid, Word by its cells: both say the same.
    assert [column.width for column in document.tables[0].columns] == widths
    labels = [cell.text for cell in document.tables[0].rows[0].cells]
    assert max(widths) == widths[labels.index("Onderwijsbehoeften")]
    stylesheet = Path(meeting.app.static_folder, "css", "print.css").read_text()
    assert "size: A4 landscape" in stylesheet
    assert re.search(r"(^|\n)tr \{ break-inside: avoid; \}", stylesheet)
    assert re.search(r"(^|\n)\.plan-row tr \{ break-inside: auto; \}", stylesheet)


SAMPLE_TEMPLATE = Path(__file__).parent.parent / "docs" / "groupplan-template.docx"


def test_the_sample_template_repeats_its_table_headers_and_sets_column_widths():
    document = docx.Document(str(SAMPLE_TEMPLATE))
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(docx.oxml.ns.qn("w:tblHeader")) is not None
        widths = [column.width for column in table.columns]
        assert len(set(widths)) > 1 or len(widths) == 1


def document_text(document) -> str:
    cells = (cell.text for table in document.tables for row in table.rows for cell in row.cells)
    return "\n".join([*(p.text for p in document.paragraphs), *cells])


def test_the_school_template_is_filled_from_the_same_entry(meeting, monkeypatch):
    prepare_and_fill(meeting, close=True)
    monkeypatch.setitem(meeting.app.config, "GROUPPLAN_TEMPLATE", str(SAMPLE_TEMPLATE))

    text = document_text(word(export(meeting, "docx").data))

    assert "Groepsplan Thomas, groep 3" in text
    assert "Leerkracht: Leerkracht van Thomas" in text
    assert f"→ {dutch_date(EVALUATION_DATE)}" in text
    assert GOES_WELL in text and EXPLANATIONS in text and GOAL in text and EVALUATION in text
    assert f"1. Instructie: {FEASIBLE[0]}" in text and f"2. Instructie: {FEASIBLE[1]}" in text
    assert text.count(APPROACH) == 2 and AGREEMENT in text and SUPPORT in text
    assert "{{" not in text and "{%" not in text
    assert not any(need in text for need in NOT_NOW)
    assert "Concreet doel" not in text  # the yield stays out here too


def test_the_school_template_escapes_what_the_meeting_wrote(meeting, monkeypatch):
    fill(meeting, goal="Thomas & de kring <samen>")
    monkeypatch.setitem(meeting.app.config, "GROUPPLAN_TEMPLATE", str(SAMPLE_TEMPLATE))

    text = document_text(word(export(meeting, "docx").data))

    assert "Thomas & de kring <samen>" in text


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"no word file", "geen Word-document"),
        (None, "klopt niet"),
    ],
)
def test_a_broken_school_template_gives_a_clear_message(
    meeting, monkeypatch, tmp_path, content, reason
):
    fill(meeting)
    broken = tmp_path / "sjabloon.docx"
    if content is None:  # a real Word file with a placeholder left open
        document = docx.Document()
        document.add_paragraph("Groepsplan {{ leerling ")
        document.add_paragraph("{% for b in behoeften %}")
        document.save(broken)
    else:
        broken.write_bytes(content)
    monkeypatch.setitem(meeting.app.config, "GROUPPLAN_TEMPLATE", str(broken))

    response = meeting.teacher.get(f"{meeting.url}/export.docx")

    assert response.status_code == 503
    assert "Word-sjabloon van de school" in response.text and reason in response.text
    assert export(meeting, "md").status_code == 200  # the other formats still work


def test_a_broken_school_template_is_explained_in_english_too(meeting, monkeypatch, tmp_path):
    fill(meeting)
    broken = tmp_path / "sjabloon.docx"
    broken.write_bytes(b"no word file")
    monkeypatch.setitem(meeting.app.config, "GROUPPLAN_TEMPLATE", str(broken))

    meeting.teacher.get("/taal/en")
    response = meeting.teacher.get(f"{meeting.url}/export.docx")

    assert response.status_code == 503
    assert "Word template could not be filled in" in response.text
    assert "the file is not a Word document" in response.text


def test_the_yield_goes_to_a_meeting_report_for_the_teacher_alone(meeting):
    fill(meeting, close=True)

    response = meeting.teacher.get(meeting.url + "/report")

    report = html.unescape(response.text)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Concreet doel 😀" in report and "1 keer ja, 0 keer nee" in report
    assert "Tijd per stap" in report and "Totaal" in report
    assert GOAL not in report and not any(need in report for need in FEASIBLE)
    summary = meeting.teacher.get(meeting.url + "/summary").text
    assert f'href="{meeting.url}/report"' in summary
    for who in ("Anna", "Bram"):
        refused = meeting.device(who).get(meeting.url + "/report")
        assert refused.status_code == 403 and "Concreet doel" not in refused.text


def test_json_carries_teacher_period_and_starting_situation(meeting):
    prepare_and_fill(meeting)

    data = json.loads(export(meeting, "json").data)

    assert data["schema_version"] == 4 and schema_errors(data, SCHEMA) == []
    assert data["teacher"] == "Leerkracht van Thomas"
    assert data["period"] == {
        "start": date.today().isoformat(),
        "end": EVALUATION_WHEN,
        "end_date": EVALUATION_DATE.isoformat(),
    }
    assert data["starting_situation"] == {"goes_well": GOES_WELL, "explanations": EXPLANATIONS}


def gallery_script():
    """docs/gallery/make_groupplan_pages.py, whose realistic meeting the layout tests use."""
    import importlib.util

    script = Path(__file__).parent.parent / "docs" / "gallery" / "make_groupplan_pages.py"
    spec = importlib.util.spec_from_file_location("make_groupplan_pages", script)
    pages = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(pages)
    return pages


def test_a_realistic_plan_row_starts_on_the_first_page_of_the_pdf(app):
    """Ten feasible needs and long answers (docs/gallery/make_groupplan_pages.py): the row
    of five columns fits under the heading, no page holds the heading alone."""
    from board.exports.paper import render_pdf
    from board.services.summary import group_plan_entry

    pages = gallery_script()
    with app.test_request_context():
        entry = group_plan_entry(pages.realistic_meeting())
        assert len(entry.feasible_needs) == 10
        pdf = pypdf.PdfReader(io.BytesIO(render_pdf(entry)))

    first = " ".join(pdf.pages[0].extract_text().split())
    assert "Aanpak en organisatie" in first and "10. Groepsgenoten" in first


def test_a_plan_row_taller_than_the_first_page_starts_under_its_heading(app):
    """Fifteen feasible needs with long texts and a long starting situation: the row is
    taller than a page. It starts on the first page, under the heading, and goes on over the
    next pages under the repeated column labels; no page holds the heading alone."""
    from board.exports.paper import render_pdf
    from board.services.summary import group_plan_entry

    pages = gallery_script()
    more = " — met een uitgebreide toelichting voor de collega's" * 4
    with app.test_request_context():
        meeting = pages.realistic_meeting()
        meeting.prep_strengths = (pages.LONG_GOES_WELL * 3).strip()
        for card in meeting.needs:
            card.text += more
            card.feasibility = "feasible"
        db.session.commit()
        entry = group_plan_entry(meeting)
        assert len(entry.feasible_needs) == 15
        last = squash(entry.feasible_needs[-1].text[:40])
        pdf = pypdf.PdfReader(io.BytesIO(render_pdf(entry)))

    texts = [squash(page.extract_text()) for page in pdf.pages]
    assert squash("Wat goed gaat") in texts[0] and squash("1. Instructie") in texts[0]
    assert last not in texts[0]
    assert squash("Onderwijsbehoeften") in texts[1] and last in "".join(texts[1:])


def test_the_evaluation_column_names_the_day_also_when_only_the_goal_says_when(meeting):
    prepare_and_fill(meeting)
    with meeting.app.app_context():
        stored = meeting.meeting()
        stored.goal_evaluation_how = stored.goal_evaluation_when = ""
        stored.goal_text = "Thomas blijft vier minuten zitten; evaluatie na zes weken."
        day = dutch_date(stored.meeting_date + timedelta(weeks=6))
        db.session.commit()

    column = csv_rows(export(meeting, "csv").data)[0]["Evaluatie"]
    markdown = markdown_section(export(meeting, "md").data.decode(), "Evaluatie")

    assert column == f"Wanneer: {day}"
    assert f"Wanneer: {day}" in markdown

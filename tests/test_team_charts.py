"""A team's charts and figures file: self-contained SVG, legible numbers, a CSV for Excel."""

import csv
import io
import re
from datetime import date

import pytest
from lxml import etree

from board.domain.next_step import Result
from board.domain.team_figures import MeetingRecord, StepRun, team_figures
from board.exports.charts import CHARTS, chart_svg
from board.exports.figures import figures_csv

SVG = "{http://www.w3.org/2000/svg}"
PLANNED = (5, 10, 2, 10, 5, 5, 2)


def runs(*actual: float) -> list[StepRun]:
    return [
        StepRun(n, minutes * 60, seconds * 60)
        for n, (minutes, seconds) in enumerate(zip(PLANNED, actual, strict=True), start=1)
    ]


RECORDS = [
    MeetingRecord(
        date(2026, 1, 15), 4, 1, runs(6, 12, 2, 10, 5, 5, 2), Result.REACHED, True, "Sanne"
    ),
    MeetingRecord(
        date(2026, 2, 5), 2, 3, runs(5, 9.5, 3, 10, 5, 5, 2), Result.PARTLY, True, "Joost"
    ),
    MeetingRecord(date(2026, 3, 12), 5, 0, runs(5, 10, 2, 0, 0, 0, 0), None, True, "=Fatima"),
]


@pytest.fixture
def context(app):
    with app.test_request_context():
        yield


def texts(svg: bytes) -> list[str]:
    root = etree.fromstring(svg)
    return [node.text for node in root.iter(f"{SVG}text") if node.text]


@pytest.mark.parametrize("kind", CHARTS)
@pytest.mark.parametrize("narrow", [False, True])
def test_a_chart_runs_no_script_and_asks_no_other_host(context, kind, narrow):
    svg = chart_svg(kind, team_figures(RECORDS), narrow)

    root = etree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    assert not [node for node in root.iter() if str(node.tag).endswith("script")]
    assert set(re.findall(rb"https?://[^\"'\s<>)]+", svg)) == {
        b"http://www.w3.org/2000/svg",
        b"http://www.w3.org/1999/xlink",
    }
    assert b"<!--" not in svg
    assert b"href" not in svg.replace(b"xmlns:xlink", b"")


@pytest.mark.parametrize("kind", CHARTS)
def test_a_chart_has_a_dutch_title_and_points_at_its_table(context, kind):
    root = etree.fromstring(chart_svg(kind, team_figures(RECORDS)))

    title = root.find(f"{SVG}title").text
    assert title in {
        "Was het de tijd waard? (% van de stemmen)",
        "Gemiddelde uitloop per stap (minuten)",
        "Doelen bij de evaluatie (aantal)",
    }
    assert "tabel" in root.find(f"{SVG}desc").text


def test_the_yield_chart_names_each_meeting_with_its_share(context):
    labels = texts(chart_svg("opbrengst", team_figures(RECORDS)))

    assert "15-01-2026 Sanne: 80% (4 van 5)" in labels
    assert "05-02-2026 Joost: 40% (2 van 5)" in labels
    assert "15-01: 80%" in texts(chart_svg("opbrengst", team_figures(RECORDS), narrow=True))


def test_the_overrun_chart_shows_the_average_minutes_over_per_step(context):
    labels = texts(chart_svg("uitloop", team_figures(RECORDS)))

    assert "1. Toelichting: +0,3" in labels
    assert "2. Vragen: +0,5" in labels
    assert "4. Behoeften: 0" in labels


def test_the_goals_chart_counts_the_results(context):
    labels = texts(chart_svg("doelen", team_figures(RECORDS)))

    assert {"Gehaald: 1", "Deels gehaald: 1", "Niet gehaald: 0", "Nog niet geëvalueerd: 1"} <= set(
        labels
    )


@pytest.mark.parametrize("kind", CHARTS)
def test_a_team_without_meetings_gets_a_chart_that_says_so(context, kind):
    assert "Nog geen cijfers" in texts(chart_svg(kind, team_figures([])))


def test_a_phone_gets_a_narrow_chart_as_tall_as_its_bars(context):
    wide = etree.fromstring(chart_svg("uitloop", team_figures(RECORDS)))
    narrow = etree.fromstring(chart_svg("uitloop", team_figures(RECORDS), narrow=True))

    assert wide.get("viewBox").split()[2] == "600"
    assert narrow.get("viewBox").split()[2] == "360"
    assert narrow.get("viewBox").split()[3] == wide.get("viewBox").split()[3]


def test_the_figures_csv_has_one_row_per_meeting_for_dutch_excel(context):
    body = figures_csv(RECORDS)

    assert body.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:5] == ["Datum", "Inbrenger", "De tijd waard", "Stemmen", "De tijd waard (%)"]
    assert rows[0][5:7] == ["1. Toelichting gepland (min)", "1. Toelichting werkelijk (min)"]
    assert rows[0][-1] == "Doel bij de evaluatie"
    assert rows[1][:7] == ["2026-01-15", "Sanne", "4", "5", "80", "5", "6"]
    assert rows[2][7:9] == ["10", "9,5"]
    assert rows[1][-1] == "Gehaald"
    assert rows[3][-1] == "Nog niet geëvalueerd"
    assert rows[3][11:13] == ["10", ""]  # step 4 never ran in the meeting closed early
    assert rows[3][1] == "'=Fatima"  # never run as a formula

"""A team's figures as SVG charts, drawn on the server with pygal.

Each chart is a file of its own, shown with <img>: it runs no script and asks no other host
for anything (pygal's own tooltip script, its comments with links and its config script are
taken out). The bars lie down, each with its label and number in words beside it, so no
text sits on a bar or on a crowded axis. Each chart comes in two widths, for a laptop and for
a phone, so that its text stays as large as the page's own. The numbers are in a table beside
every chart too; the chart is a picture of that table.
"""

import sys
from collections.abc import Callable

import pygal
from flask_babel import gettext as _
from pygal.style import Style

from board.domain.next_step import Result
from board.domain.team_figures import GoalCount, StepOverrun, TeamFigures, YieldPoint

# pygal puts an old-style import hook for its map plugins (which we do not use) on
# sys.meta_path; Python then warns (ImportWarning) on every later import that reaches it.
sys.meta_path[:] = [hook for hook in sys.meta_path if type(hook).__name__ != "PluginImportFixer"]

INK, MUTED, LINE = "#14213d", "#4a5568", "#cbd5e1"
BRAND, OK, WARN, BAD = "#1d4f91", "#0f6b3a", "#8a4b00", "#a4161a"
RESULT_COLOURS = {Result.REACHED: OK, Result.PARTLY: WARN, Result.NOT_REACHED: BAD, None: MUTED}
CHARTS = ("opbrengst", "uitloop", "doelen")
WIDTHS = {"breed": 600, "smal": 360}  # the height follows the number of bars
ROW = 46  # px per bar lying down
SVG_NAMESPACES = ("http://www.w3.org/2000/svg", "http://www.w3.org/1999/xlink")

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground=INK,
    foreground_strong=INK,
    foreground_subtle=LINE,
    font_family="system-ui, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif",
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=15,
    value_label_font_size=15,
    title_font_size=18,
    legend_font_size=15,
    no_data_font_size=18,
    colors=(BRAND,),
    opacity="1",
    opacity_hover="1",
)


def chart_svg(kind: str, figures: TeamFigures, narrow: bool = False) -> bytes:
    """One chart ("opbrengst", "uitloop" or "doelen") as a self-contained SVG file."""
    chart = DRAW[kind](figures, narrow)
    chart.add_xml_filter(_self_contained(chart.config.title))
    return chart.render()


def _config(title: str, rows: int, narrow: bool) -> dict:
    width = WIDTHS["smal" if narrow else "breed"]
    return {
        "title": title,
        "width": width,
        "height": 110 + ROW * max(rows, 2),
        "style": STYLE,
        "js": [],
        "show_legend": False,
        # Lying bars swap pygal's axes: "x" is the value axis here. The numbers stand in
        # the labels, so the value axis and its guides are left out.
        "show_x_labels": False,
        "show_x_guides": False,
        "show_y_guides": False,
        "truncate_label": -1,
        "margin": 12,
        "spacing": 12,
        "no_data_text": _("Nog geen cijfers"),
    }


def _self_contained(title: str) -> Callable:
    """An xml filter: no script, no comment (pygal's carry links), our own title and a
    description that points at the table."""

    def clean(root):
        for parent in list(root.iter()):
            for child in list(parent):
                if not isinstance(child.tag, str) or child.tag.endswith("script"):
                    parent.remove(child)
        for node in root.iter():
            if (
                isinstance(node.tag, str)
                and node.tag.endswith("title")
                and node.getparent() is root
            ):
                node.text = title
                desc = node.makeelement(node.tag.replace("title", "desc"), {})
                desc.text = _("De cijfers van deze grafiek staan ook in de tabel ernaast.")
                node.addnext(desc)
                break
        return root

    return clean


def _yield_chart(figures: TeamFigures, narrow: bool) -> pygal.Graph:
    points: list[YieldPoint] = figures.yields
    title = _("Was het de tijd waard? (% van de stemmen)")
    chart = pygal.HorizontalBar(range=(0, 100), **_config(title, len(points), narrow))
    chart.x_labels = [_yield_label(point, narrow) for point in reversed(points)]
    chart.add(_("De tijd waard"), [point.percent for point in reversed(points)])
    return chart


def _yield_label(point: YieldPoint, narrow: bool) -> str:
    """ "12-03-2026 Sanne: 75% (3 van 4)"; on a phone "12-03: 75%" (the table has the rest)."""
    if narrow:
        return f"{point.day:%d-%m}: {point.percent}%"
    counts = {"percent": point.percent, "worth": point.worth, "votes": point.votes}
    share = _("%(percent)s%% (%(worth)s van %(votes)s)", **counts)
    return " ".join(filter(None, (f"{point.day:%d-%m-%Y}", point.label))) + f": {share}"


def _overrun_chart(figures: TeamFigures, narrow: bool) -> pygal.Graph:
    steps: list[StepOverrun] = [step for step in figures.overruns if step.meetings]
    title = _("Gemiddelde uitloop per stap (minuten)")
    chart = pygal.HorizontalBar(**_config(title, len(steps), narrow))
    chart.x_labels = [
        f"{step.number}. {_(step.title)}: {minutes(step.overrun_minutes)}"
        for step in reversed(steps)
    ]
    chart.add(
        _("Uitloop"),
        [
            {"value": step.overrun_minutes, "color": BAD if step.overrun_minutes > 0 else OK}
            for step in reversed(steps)
        ],
    )
    return chart


def minutes(value: float) -> str:
    """Signed minutes with a decimal comma: "+1,5", "-0,5", "0"."""
    if value == 0:
        return "0"
    return f"{value:+.1f}".replace(".", ",").removesuffix(",0")


def _goals_chart(figures: TeamFigures, narrow: bool) -> pygal.Graph:
    goals: list[GoalCount] = figures.goals if any(g.count for g in figures.goals) else []
    title = _("Doelen bij de evaluatie (aantal)")
    chart = pygal.HorizontalBar(**_config(title, len(goals), narrow))
    chart.x_labels = [f"{_(goal.label)}: {goal.count}" for goal in reversed(goals)]
    chart.add(
        _("Doelen"),
        [{"value": goal.count, "color": RESULT_COLOURS[goal.result]} for goal in reversed(goals)],
    )
    return chart


DRAW: dict[str, Callable[[TeamFigures, bool], pygal.Graph]] = {
    "opbrengst": _yield_chart,
    "uitloop": _overrun_chart,
    "doelen": _goals_chart,
}

"""The teacher's exports of the group-plan entry: the print page and the downloadable files."""

from flask import Blueprint, Response, render_template, request

from board import access
from board.exports import FORMATS, wording
from board.exports.columns import GOAL_PARTS, approach, plan_columns
from board.exports.filenames import content_disposition, filename
from board.exports.paper import print_html
from board.services.summary import GroupPlanEntry, summary_for

exports = Blueprint("exports", __name__)
# The summary page shows the groepsplan columns as copy blocks; every page the same plan line.
# The print page says what every format says: the one wording module and the one format list.
exports.add_app_template_global(plan_columns)
exports.add_app_template_global(approach)
exports.add_app_template_global(GOAL_PARTS, "goal_parts")
exports.add_app_template_global(FORMATS, "export_formats")
for name in ("heading", "status_word", "status_note", "meta_line", "plan_line"):
    exports.add_app_template_global(getattr(wording, name))

# Pupil data: no cache, shared or private, may keep a copy.
NO_STORE = {"Cache-Control": "no-store"}
FORMAT_NAMES = ", ".join(FORMATS)


def entry_for(meeting_id: str) -> GroupPlanEntry:
    """The entry, for the teacher only (403 for anyone else, 404 for an unknown meeting)."""
    with_notes = request.args.get("notities") == "ja"  # she chose to include her notes
    return summary_for(meeting_id, access.device_ref(meeting_id), with_notes)["entry"]


@exports.get("/m/<meeting_id>/print")
def print_page(meeting_id: str):
    """The A4 print page: the teacher's paper version of the group-plan entry."""
    return Response(print_html(entry_for(meeting_id)), headers=NO_STORE)


@exports.get("/m/<meeting_id>/report")
def report_page(meeting_id: str):
    """The meeting report for the teacher: time per step and the yield, apart from the plan."""
    result = summary_for(meeting_id, access.device_ref(meeting_id))
    return Response(render_template("report.html", **result), headers=NO_STORE)


@exports.get(f"/m/<meeting_id>/export.<any({FORMAT_NAMES}):fmt>")
def download(meeting_id: str, fmt: str):
    """The group-plan entry as a file: JSON, CSV, Markdown, Word or PDF."""
    entry = entry_for(meeting_id)
    export = FORMATS[fmt]
    disposition = content_disposition(filename(entry, export.extension))
    return Response(
        export.render(entry),
        content_type=export.content_type,
        headers={"Content-Disposition": disposition, **NO_STORE},
    )

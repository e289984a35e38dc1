"""The teacher's exports of the group-plan entry: the print page and the downloadable files."""

from flask import Blueprint, Response, render_template

from board import access
from board.exports import FORMATS
from board.exports.columns import approach, plan_columns
from board.exports.filenames import content_disposition, filename
from board.exports.paper import print_html
from board.exports.wording import plan_line
from board.services.summary import GroupPlanEntry, summary_for

exports = Blueprint("exports", __name__)
# The summary page shows the groepsplan columns as copy blocks; every page the same plan line.
exports.add_app_template_global(plan_columns)
exports.add_app_template_global(plan_line)
exports.add_app_template_global(approach)

# Pupil data: no cache, shared or private, may keep a copy.
NO_STORE = {"Cache-Control": "no-store"}
FORMAT_NAMES = ", ".join(FORMATS)


def entry_for(meeting_id: str) -> GroupPlanEntry:
    """The entry, for the teacher only (403 for anyone else, 404 for an unknown meeting)."""
    return summary_for(meeting_id, access.device_ref(meeting_id))["entry"]


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

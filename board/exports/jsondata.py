"""The entry as JSON for school systems and scripts, and the JSON Schema it keeps to.

docs/export-schema.md documents the same schema; a test keeps the two equal.
"""

import json
from dataclasses import asdict

from board.domain.agreements import Topic
from board.domain.needs import Category, Subgroup
from board.services.summary import GroupPlanEntry, StepMinutes

# 2: the yield left the export (it is about the meeting, not the pupil).
# 3: the teacher, the starting situation and the period were added.
SCHEMA_VERSION = 3
GOAL_KEYS = ("text", "behaviour", "duration", "frequency", "moment", "level")


def minutes_data(row: StepMinutes) -> dict:
    return {
        "step": row.number,
        "title": row.title,
        "planned_seconds": row.planned_seconds,
        "actual_seconds": row.actual_seconds,
    }


def entry_data(entry: GroupPlanEntry) -> dict:
    """Plain data, labels in Dutch as stored: what the JSON file holds."""
    goal = entry.goal
    return {
        "schema_version": SCHEMA_VERSION,
        "status": entry.status,
        "pupil": entry.pupil,
        "group": entry.group,
        "date": entry.date.isoformat(),
        "title": entry.title,
        "participants": entry.participants,
        "teacher": entry.teacher,
        "period": {
            "start": (entry.period.start if entry.period else entry.date).isoformat(),
            "end": entry.period.end if entry.period else "",
            "end_date": entry.period.end_date.isoformat()
            if entry.period and entry.period.end_date
            else None,
        },
        "starting_situation": asdict(entry.starting_situation),
        "goal": {key: getattr(goal, key) for key in GOAL_KEYS},
        "evaluation": {"how": goal.evaluation_how, "when": goal.evaluation_when},
        "feasible_needs": [asdict(need) for need in entry.feasible_needs],
        "not_now_needs": [asdict(need) for need in entry.not_now_needs],
        "unmarked_needs": [asdict(need) for need in entry.unmarked_needs],
        "support_needs": entry.support_needs,
        "plan_note": entry.plan_note,
        "agreements": [asdict(agreement) for agreement in entry.agreements],
        "minutes": [minutes_data(row) for row in entry.minutes],
    }


def render_json(entry: GroupPlanEntry) -> bytes:
    """UTF-8 JSON; accents and emoji as themselves, not as escapes."""
    return json.dumps(entry_data(entry), ensure_ascii=False, indent=2).encode("utf-8")


TEXT = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}


def record(properties: dict) -> dict:
    """An object schema with exactly these properties, all of them required."""
    return {
        "type": "object",
        "required": list(properties),
        "properties": properties,
        "additionalProperties": False,
    }


def array(items: dict) -> dict:
    return {"type": "array", "items": items}


NEED = record(
    {
        "text": TEXT,
        "category": {"enum": [category.value for category in Category]},
        "category_label": TEXT,
        "per_week": {"type": ["integer", "null"], "minimum": 1, "maximum": 50},
        "plan_note": TEXT,
        "subgroup": {"enum": [subgroup.value for subgroup in Subgroup] + [None]},
    }
)
AGREEMENT = record(
    {
        "topic": {"enum": [topic.value for topic in Topic]},
        "topic_label": TEXT,
        "what": TEXT,
        "who": TEXT,
        "when": TEXT,
    }
)
MINUTES = record(
    {
        "step": {"type": "integer", "minimum": 1, "maximum": 7},
        "title": TEXT,
        "planned_seconds": COUNT,
        "actual_seconds": COUNT,
    }
)
SCHEMA: dict = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "Intervisiebord: groepsplan-export",
    "$defs": {"need": NEED, "agreement": AGREEMENT},
    **record(
        {
            "schema_version": {"const": SCHEMA_VERSION},
            "status": {"enum": ["concept", "final"]},
            "pupil": TEXT,
            "group": TEXT,
            "date": {"type": "string", "format": "date"},
            "title": TEXT,
            "participants": COUNT,
            "teacher": TEXT,
            "period": record(
                {
                    "start": {"type": "string", "format": "date"},
                    "end": TEXT,
                    "end_date": {"type": ["string", "null"], "format": "date"},
                }
            ),
            "starting_situation": record({"goes_well": TEXT, "explanations": TEXT}),
            "goal": record(dict.fromkeys(GOAL_KEYS, TEXT)),
            "evaluation": record({"how": TEXT, "when": TEXT}),
            "feasible_needs": array({"$ref": "#/$defs/need"}),
            "not_now_needs": array({"$ref": "#/$defs/need"}),
            "unmarked_needs": array({"$ref": "#/$defs/need"}),
            "support_needs": TEXT,
            "plan_note": TEXT,
            "agreements": array({"$ref": "#/$defs/agreement"}),
            "minutes": array(MINUTES),
        }
    ),
}

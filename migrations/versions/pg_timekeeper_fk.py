"""The meeting's timekeeper foreign key on PostgreSQL

The initial migration declared meeting.timekeeper_id -> participant.id with use_alter, which
op.create_table leaves out: SQLite got it inline, PostgreSQL never did.

Revision ID: pg_timekeeper_fk
Revises: d4_meeting_follow_up
"""

import sqlalchemy as sa
from alembic import op

revision = "pg_timekeeper_fk"
down_revision = "d4_meeting_follow_up"
branch_labels = None
depends_on = None

NAME = "fk_meeting_timekeeper_id_participant"


def has_the_key() -> bool:
    keys = sa.inspect(op.get_bind()).get_foreign_keys("meeting")
    return any(key["constrained_columns"] == ["timekeeper_id"] for key in keys)


def upgrade():
    if op.get_bind().dialect.name != "sqlite" and not has_the_key():
        op.create_foreign_key(
            NAME, "meeting", "participant", ["timekeeper_id"], ["id"], ondelete="SET NULL"
        )


def downgrade():
    if op.get_bind().dialect.name != "sqlite" and has_the_key():
        op.drop_constraint(NAME, "meeting", type_="foreignkey")

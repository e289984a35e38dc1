"""meeting.start_time and meeting.place: when and where the meeting takes place, for the
invitation (mail, calendar) and the teacher's list

Revision ID: meeting_time_place
Revises: pg_timekeeper_fk
Create Date: 2026-12-02 07:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "meeting_time_place"
down_revision = "pg_timekeeper_fk"
branch_labels = None
depends_on = None


def upgrade():
    # Added in place, like meeting_last_active: no rebuild of the meeting table.
    op.add_column("meeting", sa.Column("start_time", sa.Time(), nullable=True))
    op.add_column(
        "meeting", sa.Column("place", sa.String(length=100), nullable=False, server_default=sa.text("''"))
    )


def downgrade():
    op.drop_column("meeting", "place")
    op.drop_column("meeting", "start_time")

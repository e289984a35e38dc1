"""the follow-up on the evaluation date: the date, the evaluation and the chain of meetings

Revision ID: d4_meeting_follow_up
Revises: c1_meeting_started_at
"""

import sqlalchemy as sa
from alembic import op

revision = "d4_meeting_follow_up"
down_revision = "c1_meeting_started_at"
branch_labels = None
depends_on = None

COLUMNS = (
    sa.Column("evaluation_date", sa.Date(), nullable=True),
    sa.Column("evaluation_result", sa.String(length=16), nullable=True),
    sa.Column("evaluation_worked", sa.Text(), nullable=False, server_default=sa.text("''")),
    sa.Column("evaluation_not_worked", sa.Text(), nullable=False, server_default=sa.text("''")),
    sa.Column("evaluated_on", sa.Date(), nullable=True),
    sa.Column("previous_meeting_id", sa.String(length=16), nullable=True),
)


def upgrade():
    # In place, as meeting_last_active: rebuilding the meeting table would cascade.
    for column in COLUMNS:
        op.add_column("meeting", column)
    op.create_index(
        op.f("ix_meeting_previous_meeting_id"), "meeting", ["previous_meeting_id"], unique=False
    )


def downgrade():
    op.drop_index(op.f("ix_meeting_previous_meeting_id"), table_name="meeting")
    for column in reversed(COLUMNS):
        op.drop_column("meeting", column.name)

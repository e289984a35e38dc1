"""the meeting's start time, for the meeting clock

Revision ID: c1_meeting_started_at
Revises: b2_need_moderation
"""

import sqlalchemy as sa
from alembic import op

revision = "c1_meeting_started_at"
down_revision = "b2_need_moderation"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.Double(), nullable=True))


def downgrade():
    with op.batch_alter_table("meeting") as batch_op:
        batch_op.drop_column("started_at")

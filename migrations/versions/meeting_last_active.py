"""meeting.last_active_at: when a meeting last changed, so that a meeting never closed is
purged after RETENTION_DAYS without activity

Revision ID: meeting_last_active
Revises: 5187d1063423
Create Date: 2026-12-02 06:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "meeting_last_active"
down_revision = "5187d1063423"
branch_labels = None
depends_on = None


def upgrade():
    # Added in place (no table rebuild: with foreign keys on, rebuilding the meeting table
    # would cascade into every row that belongs to it). Existing meetings count as last
    # active when they were closed, or else when they were made.
    op.add_column("meeting", sa.Column("last_active_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE meeting SET last_active_at = COALESCE(closed_at, created_at)")


def downgrade():
    op.drop_column("meeting", "last_active_at")  # in place too (SQLite 3.35+ can)

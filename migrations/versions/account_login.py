"""account_login: one row per login of a team account (the hash of its session's token), so
that logging out on one device ends that login for every copy of its cookie

Revision ID: account_login
Revises: team_space
Create Date: 2026-12-03 09:45:00

"""

import sqlalchemy as sa
from alembic import op

revision = "account_login"
down_revision = "team_space"
branch_labels = None
depends_on = None


def upgrade():
    # Logins from before this table carry no token: they end, and their owners log in again.
    op.create_table(
        "account_login",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_account_login_account_id", "account_login", ["account_id"])
    op.create_index("ix_account_login_created_at", "account_login", ["created_at"])


def downgrade():
    op.drop_index("ix_account_login_created_at", table_name="account_login")
    op.drop_index("ix_account_login_account_id", table_name="account_login")
    op.drop_table("account_login")

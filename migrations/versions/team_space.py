"""The team space: accounts for organisers, teams, membership, invitations, the cycle's slots;
a meeting may be attached to a team, shared with it, and keep the team's minutes per step

Revision ID: team_space
Revises: meeting_time_place
Create Date: 2026-12-02 09:30:00

"""

from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision = "team_space"
down_revision = "meeting_time_place"
branch_labels = None
depends_on = None

TEAM_KEY = "fk_meeting_team_id_team"


def upgrade():
    op.create_table(
        "account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("login", sa.String(length=120), nullable=False),
        sa.Column("display_name", sa.String(length=60), nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=False),
        sa.Column("session_epoch", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("login"),
    )
    op.create_table(
        "team",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("feed_token", sa.String(length=64), nullable=True),
        sa.Column("step_minutes", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
        sa.UniqueConstraint("feed_token"),
    )
    op.create_table(
        "membership",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("team_id", "account_id"),
    )
    op.create_index("ix_membership_team_id", "membership", ["team_id"])
    op.create_index("ix_membership_account_id", "membership", ["account_id"])
    op.create_table(
        "team_invitation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by_id"], ["account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_team_invitation_team_id", "team_invitation", ["team_id"])
    op.create_table(
        "slot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("slot_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("place", sa.String(length=100), server_default=sa.text("''"), nullable=False),
        sa.Column("presenter", sa.String(length=60), nullable=False),
        sa.Column("presenter_account_id", sa.Integer(), nullable=True),
        sa.Column("meeting_id", sa.String(length=16), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["presenter_account_id"], ["account.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_slot_team_id", "slot", ["team_id"])
    # The meeting's new columns. On PostgreSQL added in place. SQLite cannot add a foreign key
    # to a table, so the meeting table is rebuilt (batch mode): with foreign keys off, or
    # dropping the old table would delete every participant, card and vote by their cascade.
    sqlite = op.get_bind().dialect.name == "sqlite"
    if sqlite:
        with foreign_keys_off():
            with op.batch_alter_table("meeting", recreate="always") as batch:
                add_meeting_columns(batch.add_column)
                batch.create_index("ix_meeting_team_id", ["team_id"])
                batch.create_foreign_key(TEAM_KEY, "team", ["team_id"], ["id"], ondelete="SET NULL")
    else:
        add_meeting_columns(lambda column: op.add_column("meeting", column))
        op.create_index("ix_meeting_team_id", "meeting", ["team_id"])
        op.create_foreign_key(TEAM_KEY, "meeting", "team", ["team_id"], ["id"], ondelete="SET NULL")


def add_meeting_columns(add_column):
    add_column(sa.Column("team_id", sa.Integer(), nullable=True))
    add_column(
        sa.Column("shared_with_team", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    add_column(sa.Column("step_minutes", sa.String(length=40), nullable=True))


@contextmanager
def foreign_keys_off():
    """SQLite's foreign keys off while a table is rebuilt (SQLite ignores the switch inside a
    transaction: then stop rather than lose rows), checked and switched on again after."""
    bind = op.get_bind()
    bind.exec_driver_sql("PRAGMA foreign_keys=OFF")
    if bind.exec_driver_sql("PRAGMA foreign_keys").scalar():
        raise RuntimeError("SQLite's foreign keys stayed on; the meeting table is not rebuilt.")
    try:
        yield
        broken = bind.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"Foreign keys broken by the rebuild: {broken}")
    finally:
        bind.exec_driver_sql("PRAGMA foreign_keys=ON")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        with foreign_keys_off():
            with op.batch_alter_table("meeting", recreate="always") as batch:
                batch.drop_index("ix_meeting_team_id")
                batch.drop_column("step_minutes")
                batch.drop_column("shared_with_team")
                batch.drop_column("team_id")
    else:
        op.drop_constraint(TEAM_KEY, "meeting", type_="foreignkey")
        op.drop_index("ix_meeting_team_id", table_name="meeting")
        op.drop_column("meeting", "step_minutes")
        op.drop_column("meeting", "shared_with_team")
        op.drop_column("meeting", "team_id")
    op.drop_index("ix_slot_team_id", table_name="slot")
    op.drop_table("slot")
    op.drop_index("ix_team_invitation_team_id", table_name="team_invitation")
    op.drop_table("team_invitation")
    op.drop_index("ix_membership_account_id", table_name="membership")
    op.drop_index("ix_membership_team_id", table_name="membership")
    op.drop_table("membership")
    op.drop_table("team")
    op.drop_table("account")

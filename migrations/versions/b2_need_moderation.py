"""need cards set aside in step 4: the reason, and the card a duplicate repeats

Revision ID: b2_need_moderation
Revises: meeting_last_active
Create Date: 2026-12-02 06:10:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b2_need_moderation'
down_revision = 'meeting_last_active'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('need_card', schema=None) as batch_op:
        batch_op.add_column(sa.Column('aside_reason', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('duplicate_of_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f('fk_need_card_duplicate_of_id_need_card'),
            'need_card',
            ['duplicate_of_id'],
            ['id'],
            ondelete='SET NULL',
        )


def downgrade():
    with op.batch_alter_table('need_card', schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f('fk_need_card_duplicate_of_id_need_card'), type_='foreignkey'
        )
        batch_op.drop_column('duplicate_of_id')
        batch_op.drop_column('aside_reason')

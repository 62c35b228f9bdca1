"""Slack request signatures seen, so a replayed request is refused on every replica (issue 11.1).

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'slacksignature',
        sa.Column('signature', sa.String(length=100), nullable=False),
        sa.Column('signed_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('signature'),
    )
    with op.batch_alter_table('slacksignature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slacksignature_signed_at'), ['signed_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('slacksignature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_slacksignature_signed_at'))
    op.drop_table('slacksignature')

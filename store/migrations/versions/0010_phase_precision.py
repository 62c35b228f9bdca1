"""A phase stated for a month ("in December 2016") keeps month precision, like scope and decisions.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('phasechange', schema=None) as batch_op:
        batch_op.add_column(sa.Column('precision', sa.String(), server_default='day', nullable=False))


def downgrade() -> None:
    with op.batch_alter_table('phasechange', schema=None) as batch_op:
        batch_op.drop_column('precision')

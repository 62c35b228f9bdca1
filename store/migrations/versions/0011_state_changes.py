"""State changes: the rows each state version wrote, so replicas read the change, not the store (issue 13).

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'statechange',
        sa.Column('version', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('touched', sa.JSON(), nullable=True),
        sa.PrimaryKeyConstraint('version'),
    )


def downgrade() -> None:
    op.drop_table('statechange')

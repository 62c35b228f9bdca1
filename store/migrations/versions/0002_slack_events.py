"""Slack events seen, so retried deliveries are answered once across replicas.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 09:37:01.368409
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('slackevent',
    sa.Column('event_id', sa.String(), nullable=False),
    sa.Column('received_at', sa.DateTime(), nullable=False),
    sa.Column('done', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('event_id')
    )


def downgrade() -> None:
    op.drop_table('slackevent')

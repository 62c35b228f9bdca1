"""Teams conversations the bot is in, with their conversation references (proactive messages).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 10:30:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('teamsconversation',
    sa.Column('conversation_id', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('tenant_id', sa.String(), nullable=False),
    sa.Column('team_id', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('service_url', sa.String(), nullable=False),
    sa.Column('reference', sa.JSON(), nullable=False),
    sa.Column('installed', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('conversation_id')
    )


def downgrade() -> None:
    op.drop_table('teamsconversation')

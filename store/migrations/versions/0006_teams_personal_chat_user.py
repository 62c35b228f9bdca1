"""Teams 1:1 chats remember who they are with, so Panel members can get direct messages.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 11:03:44.158371
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('teamsconversation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.String(), nullable=False, server_default=''))
        batch_op.create_index(batch_op.f('ix_teamsconversation_user_id'), ['user_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('teamsconversation', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_teamsconversation_user_id'))
        batch_op.drop_column('user_id')


"""RID content changed from chat: an impact summary may belong to one modification (so it leaves
the RID with it), and a content row added after the release's freeze says why (`by_exception`).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

DATED = ('participantimpact', 'impactsummary', 'documentimpact', 'cost', 'acceptancecriterion')


def upgrade() -> None:
    for table in DATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('by_exception', sa.String(), server_default='', nullable=False))
    with op.batch_alter_table('impactsummary', schema=None) as batch_op:
        batch_op.add_column(sa.Column('modification_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            'fk_impactsummary_modification_id', 'modification', ['modification_id'], ['id']
        )


def downgrade() -> None:
    with op.batch_alter_table('impactsummary', schema=None) as batch_op:
        batch_op.drop_constraint('fk_impactsummary_modification_id', type_='foreignkey')
        batch_op.drop_column('modification_id')
    for table in DATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('by_exception')

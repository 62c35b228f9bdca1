"""RID content keeps history like scope does; dates keep the precision the paper gave; changes
after a release's freeze record why they were made by exception.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 19:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

DATED = ('participantimpact', 'impactsummary', 'documentimpact', 'cost', 'acceptancecriterion')


def _text(name: str, default: str) -> sa.Column[str]:
    return sa.Column(name, sa.String(), server_default=default, nullable=False)


def upgrade() -> None:
    for table in DATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('effective', sa.Date(), nullable=True))
            batch_op.add_column(_text('precision', 'day'))
            batch_op.add_column(sa.Column('until', sa.Date(), nullable=True))
            batch_op.add_column(sa.Column('retracted_at', sa.DateTime(), nullable=True))
            batch_op.add_column(_text('actor', ''))
            batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_source_id', 'source', ['source_id'], ['id'])
    with op.batch_alter_table('ridversion', schema=None) as batch_op:
        batch_op.add_column(_text('actor', ''))
        batch_op.add_column(sa.Column('source_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key('fk_ridversion_source_id', 'source', ['source_id'], ['id'])
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.add_column(_text('precision', 'day'))
        batch_op.add_column(_text('actor', ''))
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.add_column(_text('precision', 'day'))
    with op.batch_alter_table('scopechange', schema=None) as batch_op:
        batch_op.add_column(_text('precision', 'day'))
        batch_op.add_column(_text('by_exception', ''))


def downgrade() -> None:
    with op.batch_alter_table('scopechange', schema=None) as batch_op:
        batch_op.drop_column('by_exception')
        batch_op.drop_column('precision')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_column('precision')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_column('actor')
        batch_op.drop_column('precision')
    with op.batch_alter_table('ridversion', schema=None) as batch_op:
        batch_op.drop_constraint('fk_ridversion_source_id', type_='foreignkey')
        batch_op.drop_column('source_id')
        batch_op.drop_column('actor')
    for table in DATED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(f'fk_{table}_source_id', type_='foreignkey')
            for column in ('source_id', 'actor', 'retracted_at', 'until', 'precision', 'effective'):
                batch_op.drop_column(column)

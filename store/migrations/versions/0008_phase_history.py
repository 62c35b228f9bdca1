"""Phase history: each modification's phase as dated documents stated it (issue 14, status report).

Existing stores get one entry per modification that has a phase, dated by its status date (the
issue date of the document that last described it), so reports "as of" a date have a start.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'phasechange',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('modification_id', sa.Integer(), nullable=False),
        sa.Column('phase', sa.String(), nullable=False),
        sa.Column('effective', sa.Date(), nullable=True),
        sa.Column('source_id', sa.Integer(), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['modification_id'], ['modification.id']),
        sa.ForeignKeyConstraint(['source_id'], ['source.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    with op.batch_alter_table('phasechange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_phasechange_modification_id'), ['modification_id'], unique=False)
    op.execute(
        "INSERT INTO phasechange (modification_id, phase, effective, recorded_at) "
        "SELECT id, phase, status_date, CURRENT_TIMESTAMP FROM modification WHERE phase IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table('phasechange', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_phasechange_modification_id'))
    op.drop_table('phasechange')

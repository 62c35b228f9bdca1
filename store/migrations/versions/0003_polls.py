"""Panel polls: one vote per member (a database constraint), and where each poll was posted.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 10:01:18.853089
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('poll',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('question', sa.String(), nullable=False),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('opened_by', sa.String(), nullable=False),
    sa.Column('closes_at', sa.DateTime(), nullable=False),
    sa.Column('quorum', sa.Integer(), nullable=True),
    sa.Column('secret', sa.Boolean(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('closed_at', sa.DateTime(), nullable=True),
    sa.Column('closed_by', sa.String(), nullable=True),
    sa.Column('outcome', sa.String(), nullable=True),
    sa.Column('milestone_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['milestone_id'], ['milestone.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_poll_closes_at'), ['closes_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_poll_release_id'), ['release_id'], unique=False)
        batch_op.create_index('uq_poll_open_per_release', ['release_id', 'kind'], unique=True, sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))

    op.create_table('pollmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(), nullable=False),
    sa.Column('channel', sa.String(), nullable=False),
    sa.Column('message_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'channel', 'message_id', name='uq_pollmessage')
    )
    with op.batch_alter_table('pollmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pollmessage_poll_id'), ['poll_id'], unique=False)

    op.create_table('vote',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('poll_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('choice', sa.String(), nullable=False),
    sa.Column('comment', sa.String(), nullable=False),
    sa.Column('voted_at', sa.DateTime(), nullable=False),
    sa.Column('casts', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.ForeignKeyConstraint(['poll_id'], ['poll.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('poll_id', 'member_id', name='uq_vote_poll_member')
    )
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_vote_poll_id'), ['poll_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('vote', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_vote_poll_id'))

    op.drop_table('vote')
    with op.batch_alter_table('pollmessage', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_pollmessage_poll_id'))

    op.drop_table('pollmessage')
    with op.batch_alter_table('poll', schema=None) as batch_op:
        batch_op.drop_index('uq_poll_open_per_release', sqlite_where=sa.text("state = 'open'"), postgresql_where=sa.text("state = 'open'"))
        batch_op.drop_index(batch_op.f('ix_poll_release_id'))
        batch_op.drop_index(batch_op.f('ix_poll_closes_at'))

    op.drop_table('poll')

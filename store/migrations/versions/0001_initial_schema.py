"""Initial schema: releases, modifications, scope history, milestones, impacts, members, audit.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 09:08:34.610500
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('auditevent',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('action', sa.String(), nullable=False),
    sa.Column('summary', sa.String(), nullable=False),
    sa.Column('undo', sa.JSON(), nullable=False),
    sa.Column('undone_by_id', sa.Integer(), nullable=True),
    sa.Column('undoes_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['undoes_id'], ['auditevent.id'], ),
    sa.ForeignKeyConstraint(['undone_by_id'], ['auditevent.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_auditevent_at'), ['at'], unique=False)

    op.create_table('holiday',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('added_by', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('day')
    )
    op.create_table('member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('role', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('modification',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('aliases', sa.String(), nullable=False),
    sa.Column('url', sa.String(), nullable=False),
    sa.Column('summary', sa.String(), nullable=False),
    sa.Column('path', sa.String(), nullable=True),
    sa.Column('phase', sa.String(), nullable=True),
    sa.Column('working_group', sa.String(), nullable=True),
    sa.Column('dcc_impact', sa.Boolean(), nullable=True),
    sa.Column('status_note', sa.String(), nullable=False),
    sa.Column('status_date', sa.Date(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('modification', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_modification_ref'), ['ref'], unique=True)

    op.create_table('release',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('slug', sa.String(), nullable=False),
    sa.Column('name', sa.String(), nullable=False),
    sa.Column('go_live', sa.Date(), nullable=False),
    sa.Column('status', sa.String(), nullable=False),
    sa.Column('dcc_system_impacting', sa.Boolean(), nullable=True),
    sa.Column('notes', sa.String(), nullable=False),
    sa.Column('test_strategy', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_release_slug'), ['slug'], unique=True)

    op.create_table('source',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('issued', sa.Date(), nullable=True),
    sa.Column('author', sa.String(), nullable=False),
    sa.Column('seed', sa.String(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_key'), ['key'], unique=True)

    op.create_table('stateversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('changed_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.execute("INSERT INTO stateversion (id, version, changed_at) VALUES (1, 0, CURRENT_TIMESTAMP)")
    op.create_table('acceptancecriterion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('acceptancecriterion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_acceptancecriterion_release_id'), ['release_id'], unique=False)

    op.create_table('cost',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('payer', sa.String(), nullable=False),
    sa.Column('category', sa.String(), nullable=False),
    sa.Column('amount_gbp', sa.Integer(), nullable=True),
    sa.Column('effort_days', sa.Float(), nullable=True),
    sa.Column('modification_id', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['modification_id'], ['modification.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_cost_release_id'), ['release_id'], unique=False)

    op.create_table('decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('decided_on', sa.Date(), nullable=True),
    sa.Column('reported_on', sa.Date(), nullable=True),
    sa.Column('body', sa.String(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=True),
    sa.Column('modification_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['modification_id'], ['modification.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_decision_modification_id'), ['modification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_decision_release_id'), ['release_id'], unique=False)

    op.create_table('documentimpact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=True),
    sa.Column('modification_id', sa.Integer(), nullable=False),
    sa.Column('document', sa.String(), nullable=False),
    sa.Column('document_title', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['modification_id'], ['modification.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('documentimpact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_documentimpact_modification_id'), ['modification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_documentimpact_release_id'), ['release_id'], unique=False)

    op.create_table('glossaryterm',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('term', sa.String(), nullable=False),
    sa.Column('meaning', sa.String(), nullable=False),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('glossaryterm', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_glossaryterm_term'), ['term'], unique=True)

    op.create_table('impactsummary',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('audience', sa.String(), nullable=False),
    sa.Column('area', sa.String(), nullable=False),
    sa.Column('text', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('impactsummary', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_impactsummary_release_id'), ['release_id'], unique=False)

    op.create_table('memberidentity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.String(), nullable=False),
    sa.Column('user_id', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['member.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('platform', 'user_id', name='uq_identity_platform_user')
    )
    with op.batch_alter_table('memberidentity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_memberidentity_member_id'), ['member_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=True),
    sa.Column('modification_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(), nullable=False),
    sa.Column('title', sa.String(), nullable=False),
    sa.Column('due_at', sa.DateTime(), nullable=False),
    sa.Column('all_day', sa.Boolean(), nullable=False),
    sa.Column('origin', sa.String(), nullable=False),
    sa.Column('derived_from_id', sa.Integer(), nullable=True),
    sa.Column('offset_wd', sa.Integer(), nullable=True),
    sa.Column('notes', sa.String(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['derived_from_id'], ['milestone.id'], ),
    sa.ForeignKeyConstraint(['modification_id'], ['modification.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_due_at'), ['due_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_milestone_key'), ['key'], unique=True)
        batch_op.create_index(batch_op.f('ix_milestone_release_id'), ['release_id'], unique=False)

    op.create_table('participantimpact',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('modification_id', sa.Integer(), nullable=False),
    sa.Column('party', sa.String(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['modification_id'], ['modification.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('participantimpact', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_participantimpact_release_id'), ['release_id'], unique=False)

    op.create_table('ridversion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.String(), nullable=False),
    sa.Column('issued', sa.Date(), nullable=False),
    sa.Column('changes', sa.String(), nullable=False),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('ridversion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ridversion_release_id'), ['release_id'], unique=False)

    op.create_table('scopechange',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('release_id', sa.Integer(), nullable=False),
    sa.Column('modification_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(), nullable=False),
    sa.Column('moved_to_release_id', sa.Integer(), nullable=True),
    sa.Column('effective', sa.Date(), nullable=False),
    sa.Column('note', sa.String(), nullable=False),
    sa.Column('reason', sa.String(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('actor', sa.String(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('retracted_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['modification_id'], ['modification.id'], ),
    sa.ForeignKeyConstraint(['moved_to_release_id'], ['release.id'], ),
    sa.ForeignKeyConstraint(['release_id'], ['release.id'], ),
    sa.ForeignKeyConstraint(['source_id'], ['source.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('scopechange', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_scopechange_modification_id'), ['modification_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_scopechange_release_id'), ['release_id'], unique=False)
        batch_op.create_index('ix_scopechange_release_mod', ['release_id', 'modification_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('scopechange', schema=None) as batch_op:
        batch_op.drop_index('ix_scopechange_release_mod')
        batch_op.drop_index(batch_op.f('ix_scopechange_release_id'))
        batch_op.drop_index(batch_op.f('ix_scopechange_modification_id'))

    op.drop_table('scopechange')
    with op.batch_alter_table('ridversion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ridversion_release_id'))

    op.drop_table('ridversion')
    with op.batch_alter_table('participantimpact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_participantimpact_release_id'))

    op.drop_table('participantimpact')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_release_id'))
        batch_op.drop_index(batch_op.f('ix_milestone_key'))
        batch_op.drop_index(batch_op.f('ix_milestone_due_at'))

    op.drop_table('milestone')
    with op.batch_alter_table('memberidentity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_memberidentity_member_id'))

    op.drop_table('memberidentity')
    with op.batch_alter_table('impactsummary', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_impactsummary_release_id'))

    op.drop_table('impactsummary')
    with op.batch_alter_table('glossaryterm', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_glossaryterm_term'))

    op.drop_table('glossaryterm')
    with op.batch_alter_table('documentimpact', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documentimpact_release_id'))
        batch_op.drop_index(batch_op.f('ix_documentimpact_modification_id'))

    op.drop_table('documentimpact')
    with op.batch_alter_table('decision', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_decision_release_id'))
        batch_op.drop_index(batch_op.f('ix_decision_modification_id'))

    op.drop_table('decision')
    with op.batch_alter_table('cost', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_cost_release_id'))

    op.drop_table('cost')
    with op.batch_alter_table('acceptancecriterion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_acceptancecriterion_release_id'))

    op.drop_table('acceptancecriterion')
    op.drop_table('stateversion')
    with op.batch_alter_table('source', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_key'))

    op.drop_table('source')
    with op.batch_alter_table('release', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_release_slug'))

    op.drop_table('release')
    with op.batch_alter_table('modification', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_modification_ref'))

    op.drop_table('modification')
    op.drop_table('member')
    op.drop_table('holiday')
    with op.batch_alter_table('auditevent', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_auditevent_at'))

    op.drop_table('auditevent')

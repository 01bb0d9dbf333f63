"""grading: grades, agency relations, recusal, cycles, indicators, sanctions, clearance

Revision ID: grading_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'grading_0001'
down_revision = None
branch_labels = ('grading',)
depends_on = 'orgs_0001'  # and what those depend on


def upgrade() -> None:
    op.create_table('org_grades',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=False),
    sa.Column('source', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('recorded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_org_grades_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_grades'))
    )
    with op.batch_alter_table('org_grades', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_grades_organization_id'), ['organization_id'], unique=False)
    op.create_table('eval_agency_relations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_user_id', sa.Integer(), nullable=True),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('worked_for', 'related', name='relationkind', native_enum=False, length=16), nullable=False),
    sa.Column('work_ended_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('declared_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('declared_by_id', sa.Integer(), nullable=True),
    sa.Column('withdrawn_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['evaluator_agencies.id'], name=op.f('fk_eval_agency_relations_agency_id_evaluator_agencies')),
    sa.ForeignKeyConstraint(['declared_by_id'], ['users.id'], name=op.f('fk_eval_agency_relations_declared_by_id_users')),
    sa.ForeignKeyConstraint(['evaluator_user_id'], ['users.id'], name=op.f('fk_eval_agency_relations_evaluator_user_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_eval_agency_relations_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_agency_relations'))
    )
    with op.batch_alter_table('eval_agency_relations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_agency_relations_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eval_agency_relations_evaluator_user_id'), ['evaluator_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eval_agency_relations_organization_id'), ['organization_id'], unique=False)
    op.create_table('eval_grade_cycles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('reference_date', sa.Date(), nullable=False),
    sa.Column('notice_days', sa.Integer(), nullable=False),
    sa.Column('threshold_5', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('threshold_4', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('threshold_3', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('threshold_2', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('threshold_1', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('opened_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opened_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['opened_by_id'], ['users.id'], name=op.f('fk_eval_grade_cycles_opened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_grade_cycles')),
    sa.UniqueConstraint('year', name=op.f('uq_eval_grade_cycles_year'))
    )
    op.create_table('eval_recusal_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('evaluator_user_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('requested', 'granted', 'denied', name='recusalstate', native_enum=False, length=16), nullable=False),
    sa.Column('requested_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_eval_recusal_requests_decided_by_id_users')),
    sa.ForeignKeyConstraint(['evaluator_user_id'], ['users.id'], name=op.f('fk_eval_recusal_requests_evaluator_user_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_eval_recusal_requests_organization_id_organizations')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_eval_recusal_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_recusal_requests'))
    )
    with op.batch_alter_table('eval_recusal_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_recusal_requests_evaluator_user_id'), ['evaluator_user_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eval_recusal_requests_organization_id'), ['organization_id'], unique=False)
    op.create_table('eval_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('penalty', 'investigation', name='sanctionkind', native_enum=False, length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_eval_sanctions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_eval_sanctions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_sanctions'))
    )
    with op.batch_alter_table('eval_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_sanctions_organization_id'), ['organization_id'], unique=False)
    op.create_table('eval_grade_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('state', sa.Enum('applied', 'assigned', 'scored', 'notice', 'announced', name='evaluationstate', native_enum=False, length=16), nullable=False),
    sa.Column('eligibility_reason', sa.Text(), nullable=False),
    sa.Column('applied_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('evaluator_user_id', sa.Integer(), nullable=True),
    sa.Column('total', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('proposed_grade', sa.Integer(), nullable=True),
    sa.Column('scored_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notice_starts_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('notice_ends_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('announced_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('org_grade_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['evaluator_agencies.id'], name=op.f('fk_eval_grade_evaluations_agency_id_evaluator_agencies')),
    sa.ForeignKeyConstraint(['cycle_id'], ['eval_grade_cycles.id'], name=op.f('fk_eval_grade_evaluations_cycle_id_eval_grade_cycles')),
    sa.ForeignKeyConstraint(['evaluator_user_id'], ['users.id'], name=op.f('fk_eval_grade_evaluations_evaluator_user_id_users')),
    sa.ForeignKeyConstraint(['org_grade_id'], ['org_grades.id'], name=op.f('fk_eval_grade_evaluations_org_grade_id_org_grades')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_eval_grade_evaluations_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_grade_evaluations')),
    sa.UniqueConstraint('cycle_id', 'organization_id', name=op.f('uq_eval_grade_evaluations_cycle_id'))
    )
    with op.batch_alter_table('eval_grade_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_grade_evaluations_cycle_id'), ['cycle_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_eval_grade_evaluations_organization_id'), ['organization_id'], unique=False)
    op.create_table('eval_indicators',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('cycle_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name_zh', sa.String(length=100), nullable=False),
    sa.Column('name_en', sa.String(length=200), nullable=False),
    sa.Column('max_points', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['cycle_id'], ['eval_grade_cycles.id'], name=op.f('fk_eval_indicators_cycle_id_eval_grade_cycles')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_indicators'))
    )
    with op.batch_alter_table('eval_indicators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_indicators_cycle_id'), ['cycle_id'], unique=False)
    op.create_table('eval_indicator_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('indicator_id', sa.Integer(), nullable=False),
    sa.Column('points', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['evaluation_id'], ['eval_grade_evaluations.id'], name=op.f('fk_eval_indicator_scores_evaluation_id_eval_grade_evaluations')),
    sa.ForeignKeyConstraint(['indicator_id'], ['eval_indicators.id'], name=op.f('fk_eval_indicator_scores_indicator_id_eval_indicators')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_indicator_scores')),
    sa.UniqueConstraint('evaluation_id', 'indicator_id', name=op.f('uq_eval_indicator_scores_evaluation_id'))
    )
    with op.batch_alter_table('eval_indicator_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_indicator_scores_evaluation_id'), ['evaluation_id'], unique=False)
    op.create_table('eval_reexaminations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('state', sa.Enum('requested', 'upheld', 'rejected', name='reexamstate', native_enum=False, length=16), nullable=False),
    sa.Column('requested_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_eval_reexaminations_decided_by_id_users')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['eval_grade_evaluations.id'], name=op.f('fk_eval_reexaminations_evaluation_id_eval_grade_evaluations')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_eval_reexaminations_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_reexaminations'))
    )
    with op.batch_alter_table('eval_reexaminations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_reexaminations_evaluation_id'), ['evaluation_id'], unique=False)
    op.create_table('clearance_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('never_evaluated', 'no_grade', name='clearancereason', native_enum=False, length=24), nullable=False),
    sa.Column('reason_key', sa.String(length=60), nullable=False),
    sa.Column('outcome', sa.Enum('cleared', 'kept', name='clearanceoutcome', native_enum=False, length=16), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('decided_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_clearance_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_clearance_decisions_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_clearance_decisions'))
    )
    with op.batch_alter_table('clearance_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_clearance_decisions_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    op.drop_table('clearance_decisions')
    op.drop_table('eval_reexaminations')
    op.drop_table('eval_indicator_scores')
    op.drop_table('eval_indicators')
    op.drop_table('eval_grade_evaluations')
    op.drop_table('eval_sanctions')
    op.drop_table('eval_recusal_requests')
    op.drop_table('eval_grade_cycles')
    op.drop_table('eval_agency_relations')
    op.drop_table('org_grades')

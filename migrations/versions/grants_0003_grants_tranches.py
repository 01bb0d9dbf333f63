"""venture philanthropy: decisions, grants, tranches, stage evaluations and reports

Revision ID: grants_0003
Revises: grants_0002_screening_reviews
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401


revision = 'grants_0003'
down_revision = 'grants_0002_screening_reviews'
branch_labels = None
# evaluator agencies and documents come with grants_0001's dependencies (accounts, orgs)
depends_on = None


def upgrade() -> None:
    op.create_table('grant_decisions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('funded', sa.Boolean(), nullable=False),
    sa.Column('amount', ledger.types.Money(precision=18, scale=2), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=False),
    sa.Column('decided_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_decisions_application_id_grant_applications')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_grant_decisions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['round_id'], ['grant_rounds.id'], name=op.f('fk_grant_decisions_round_id_grant_rounds')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_decisions')),
    sa.UniqueConstraint('application_id', name=op.f('uq_grant_decisions_application_id'))
    )
    with op.batch_alter_table('grant_decisions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_decisions_round_id'), ['round_id'], unique=False)

    op.create_table('grants',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('amount', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.Enum('approved', 'signed', 'completed', 'stopped', name='grantstatus', native_enum=False, length=16), nullable=False),
    sa.Column('approved_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('approved_by_id', sa.Integer(), nullable=False),
    sa.Column('reserve_txn_id', sa.Integer(), nullable=True),
    sa.Column('signed_on', sa.Date(), nullable=True),
    sa.Column('signed_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('signed_by_id', sa.Integer(), nullable=True),
    sa.Column('accepted_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('accepted_by_id', sa.Integer(), nullable=True),
    sa.Column('closed_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('stop_reason', sa.Text(), nullable=True),
    sa.Column('released', ledger.types.Money(precision=18, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['accepted_by_id'], ['users.id'], name=op.f('fk_grants_accepted_by_id_users')),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grants_application_id_grant_applications')),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_grants_approved_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_grants_organization_id_organizations')),
    sa.ForeignKeyConstraint(['round_id'], ['grant_rounds.id'], name=op.f('fk_grants_round_id_grant_rounds')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_grants_signed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grants')),
    sa.UniqueConstraint('application_id', name=op.f('uq_grants_application_id'))
    )
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grants_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_round_id'), ['round_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grants_status'), ['status'], unique=False)

    op.create_table('grant_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=True),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('report', sa.Text(), nullable=True),
    sa.Column('report_document_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('ledger_evaluation_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['evaluator_agencies.id'], name=op.f('fk_grant_evaluations_agency_id_evaluator_agencies')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_grant_evaluations_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_evaluations_grant_id_grants')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_grant_evaluations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['report_document_id'], ['documents.id'], name=op.f('fk_grant_evaluations_report_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_evaluations'))
    )
    with op.batch_alter_table('grant_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_evaluations_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_grant_evaluations_grant_id'), ['grant_id'], unique=False)

    op.create_table('grant_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('document_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['document_id'], ['documents.id'], name=op.f('fk_grant_reports_document_id_documents')),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_reports_grant_id_grants')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_grant_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_reports'))
    )
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_reports_grant_id'), ['grant_id'], unique=False)

    op.create_table('grant_tranches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('grant_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.Enum('pending', 'paid', 'cancelled', name='tranchestatus', native_enum=False, length=16), nullable=False),
    sa.Column('commit_txn_id', sa.Integer(), nullable=True),
    sa.Column('paid_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('payment_txn_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['grant_id'], ['grants.id'], name=op.f('fk_grant_tranches_grant_id_grants')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_grant_tranches_paid_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_tranches')),
    sa.UniqueConstraint('grant_id', 'number', name=op.f('uq_grant_tranches_grant_id'))
    )


def downgrade() -> None:
    op.drop_table('grant_tranches')
    with op.batch_alter_table('grant_reports', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_reports_grant_id'))

    op.drop_table('grant_reports')
    with op.batch_alter_table('grant_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_evaluations_grant_id'))
        batch_op.drop_index(batch_op.f('ix_grant_evaluations_agency_id'))

    op.drop_table('grant_evaluations')
    with op.batch_alter_table('grants', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grants_status'))
        batch_op.drop_index(batch_op.f('ix_grants_round_id'))
        batch_op.drop_index(batch_op.f('ix_grants_organization_id'))

    op.drop_table('grants')
    with op.batch_alter_table('grant_decisions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_decisions_round_id'))

    op.drop_table('grant_decisions')

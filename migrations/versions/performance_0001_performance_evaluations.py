"""performance evaluations and their requests

Revision ID: performance_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'performance_0001'
down_revision = None
branch_labels = ('performance',)
depends_on = 'contracts_0001'  # and what those depend on


def upgrade() -> None:
    op.create_table('contract_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=True),
    sa.Column('report_document_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('ledger_evaluation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_contract_evaluations_milestone_id_contract_milestones')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_contract_evaluations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['report_document_id'], ['documents.id'], name=op.f('fk_contract_evaluations_report_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_evaluations'))
    )
    with op.batch_alter_table('contract_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_evaluations_milestone_id'), ['milestone_id'], unique=False)
    op.create_table('performance_evaluation_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('requested', 'assigned', 'reported', 'cancelled', name='requeststatus', native_enum=False, length=16), nullable=False),
    sa.Column('requested_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('assigned_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_by_id', sa.Integer(), nullable=True),
    sa.Column('fee', ledger.types.Money(precision=18, scale=2), nullable=True),
    sa.Column('fee_item_id', sa.Integer(), nullable=True),
    sa.Column('fee_commit_txn_id', sa.Integer(), nullable=True),
    sa.Column('fee_payment_txn_id', sa.Integer(), nullable=True),
    sa.Column('evaluation_id', sa.Integer(), nullable=True),
    sa.Column('report', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['agency_id'], ['evaluator_agencies.id'], name=op.f('fk_performance_evaluation_requests_agency_id_evaluator_agencies')),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_performance_evaluation_requests_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_performance_evaluation_requests_contract_id_contracts')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['contract_evaluations.id'], name=op.f('fk_performance_evaluation_requests_evaluation_id_contract_evaluations')),
    sa.ForeignKeyConstraint(['fee_item_id'], ['catalog_items.id'], name=op.f('fk_performance_evaluation_requests_fee_item_id_catalog_items')),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_performance_evaluation_requests_milestone_id_contract_milestones')),
    sa.ForeignKeyConstraint(['requested_by_id'], ['users.id'], name=op.f('fk_performance_evaluation_requests_requested_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_performance_evaluation_requests'))
    )
    with op.batch_alter_table('performance_evaluation_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_performance_evaluation_requests_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_evaluation_requests_contract_id'), ['contract_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_evaluation_requests_milestone_id'), ['milestone_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_performance_evaluation_requests_status'), ['status'], unique=False)


def downgrade() -> None:
    op.drop_table('performance_evaluation_requests')
    op.drop_table('contract_evaluations')

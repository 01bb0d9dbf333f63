"""contracts, milestones, deliverable submissions

Revision ID: contracts_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'contracts_0001'
down_revision = None
branch_labels = ('contracts',)
depends_on = 'scoring_0001'  # and what those depend on


def upgrade() -> None:
    op.create_table('contracts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('catalog_item_id', sa.Integer(), nullable=False),
    sa.Column('amount', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.Enum('active', 'completed', 'terminated', name='contractstatus', native_enum=False, length=16), nullable=False),
    sa.Column('signed_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('signed_by_id', sa.Integer(), nullable=False),
    sa.Column('closed_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('termination_reason', sa.Text(), nullable=True),
    sa.Column('released', ledger.types.Money(precision=18, scale=2), nullable=True),
    sa.ForeignKeyConstraint(['award_id'], ['tender_awards.id'], name=op.f('fk_contracts_award_id_tender_awards')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_contracts_bid_id_bids')),
    sa.ForeignKeyConstraint(['catalog_item_id'], ['catalog_items.id'], name=op.f('fk_contracts_catalog_item_id_catalog_items')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_contracts_department_id_departments')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_contracts_organization_id_organizations')),
    sa.ForeignKeyConstraint(['signed_by_id'], ['users.id'], name=op.f('fk_contracts_signed_by_id_users')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_contracts_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contracts')),
    sa.UniqueConstraint('tender_id', name=op.f('uq_contracts_tender_id'))
    )
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contracts_catalog_item_id'), ['catalog_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contracts_status'), ['status'], unique=False)
    op.create_table('contract_milestones',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contract_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('percent', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('amount', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('due_date', sa.Date(), nullable=False),
    sa.Column('needs_evaluation', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'submitted', 'accepted', 'paid', 'cancelled', name='milestonestatus', native_enum=False, length=16), nullable=False),
    sa.Column('paid_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('ledger_txn_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['contract_id'], ['contracts.id'], name=op.f('fk_contract_milestones_contract_id_contracts')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_contract_milestones_paid_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_milestones')),
    sa.UniqueConstraint('contract_id', 'number', name=op.f('uq_contract_milestones_contract_id'))
    )
    with op.batch_alter_table('contract_milestones', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_milestones_contract_id'), ['contract_id'], unique=False)
    op.create_table('contract_submissions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('milestone_id', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('accepted', sa.Boolean(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('decided_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_contract_submissions_decided_by_id_users')),
    sa.ForeignKeyConstraint(['milestone_id'], ['contract_milestones.id'], name=op.f('fk_contract_submissions_milestone_id_contract_milestones')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_contract_submissions_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contract_submissions'))
    )
    with op.batch_alter_table('contract_submissions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contract_submissions_milestone_id'), ['milestone_id'], unique=False)


def downgrade() -> None:
    op.drop_table('contract_submissions')
    op.drop_table('contract_milestones')
    op.drop_table('contracts')

"""tenders, sealed bids and grades

Revision ID: tenders_0001
Revises: 
Create Date: 2026-11-29
"""
from alembic import op
import sqlalchemy as sa
import ledger.types
import market.models


revision = 'tenders_0001'
down_revision = None
branch_labels = ('tenders',)
depends_on = ['orgs_0001', 'catalogs_0001']


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

    op.create_table('tenders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalog_item_id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('procedure', sa.Enum('open', 'negotiation', name='procedure', native_enum=False, length=16), nullable=False),
    sa.Column('ceiling_price', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('eligible_categories', sa.JSON(), nullable=False),
    sa.Column('min_grade', sa.Integer(), nullable=False),
    sa.Column('allow_filed', sa.Boolean(), nullable=False),
    sa.Column('priority_rule', sa.Enum('restricted', 'price_deduction', 'score_bonus', 'tie_break', name='priorityrule', native_enum=False, length=20), nullable=False),
    sa.Column('priority_value', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('clarification_deadline', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('bid_deadline', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('opening_time', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('standstill_days', sa.Integer(), nullable=False),
    sa.Column('challenge_window_days', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', 'opened', 'evaluated', 'awarded', 'contracted', 'cancelled', 'unsuccessful', name='tenderstatus', native_enum=False, length=16), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('published_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('opened_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('awarded_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('standstill_ends_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('challenge_deadline', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['catalog_item_id'], ['catalog_items.id'], name=op.f('fk_tenders_catalog_item_id_catalog_items')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_tenders_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tenders')),
    sa.UniqueConstraint('reference', name=op.f('uq_tenders_reference'))
    )
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tenders_bid_deadline'), ['bid_deadline'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenders_catalog_item_id'), ['catalog_item_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenders_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tenders_status'), ['status'], unique=False)

    op.create_table('bids',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('submitted', 'withdrawn', name='bidstatus', native_enum=False, length=16), nullable=False),
    sa.Column('price', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('proposal', sa.Text(), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.Column('receipt_hash', sa.String(length=64), nullable=False),
    sa.Column('tender_version', sa.Integer(), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('revised_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_bids_organization_id_organizations')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_bids_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_bids_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_bids')),
    sa.UniqueConstraint('tender_id', 'organization_id', name=op.f('uq_bids_tender_id'))
    )
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_bids_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_bids_tender_id'), ['tender_id'], unique=False)

    op.create_table('tender_criteria',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('weight', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('is_price', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_criteria_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_criteria')),
    sa.UniqueConstraint('tender_id', 'position', name=op.f('uq_tender_criteria_tender_id'))
    )
    with op.batch_alter_table('tender_criteria', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_criteria_tender_id'), ['tender_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('tender_criteria', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_criteria_tender_id'))

    op.drop_table('tender_criteria')
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_bids_tender_id'))
        batch_op.drop_index(batch_op.f('ix_bids_organization_id'))

    op.drop_table('bids')
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tenders_status'))
        batch_op.drop_index(batch_op.f('ix_tenders_department_id'))
        batch_op.drop_index(batch_op.f('ix_tenders_catalog_item_id'))
        batch_op.drop_index(batch_op.f('ix_tenders_bid_deadline'))

    op.drop_table('tenders')
    with op.batch_alter_table('org_grades', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_grades_organization_id'))

    op.drop_table('org_grades')

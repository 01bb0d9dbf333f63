"""tenders, sealed bids, criteria, clarifications, notices, working-day calendar

Revision ID: tenders_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'tenders_0001'
down_revision = None
branch_labels = ('tenders',)
depends_on = ['catalogs_0001', 'orgs_0001']  # and what those depend on


def upgrade() -> None:
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
    op.create_table('calendar_days',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('is_workday', sa.Boolean(), nullable=False),
    sa.Column('note', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_days')),
    sa.UniqueConstraint('day', name=op.f('uq_calendar_days_day'))
    )
    op.create_table('notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=True),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('read_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_notifications_organization_id_organizations')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_notifications_tender_id_tenders')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_notifications_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_notifications'))
    )
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_notifications_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_notifications_user_id'), ['user_id'], unique=False)
    op.create_table('tender_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_tender_changes_by_id_users')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_changes_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_changes')),
    sa.UniqueConstraint('tender_id', 'version', name=op.f('uq_tender_changes_tender_id'))
    )
    with op.batch_alter_table('tender_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_changes_tender_id'), ['tender_id'], unique=False)
    op.create_table('tender_questions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('asked_by_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Text(), nullable=False),
    sa.Column('asked_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_tender_questions_answered_by_id_users')),
    sa.ForeignKeyConstraint(['asked_by_id'], ['users.id'], name=op.f('fk_tender_questions_asked_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tender_questions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_questions_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_questions'))
    )
    with op.batch_alter_table('tender_questions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_questions_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_questions_tender_id'), ['tender_id'], unique=False)
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('reconfirmed_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('valid', sa.Boolean(), nullable=True))
        batch_op.add_column(sa.Column('invalid_reason', sa.String(length=40), nullable=True))
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('created_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('cancelled_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_tenders_created_by_id_users'), 'users', ['created_by_id'], ['id'])


def downgrade() -> None:
    op.drop_table('tender_questions')
    op.drop_table('tender_changes')
    op.drop_table('notifications')
    op.drop_table('calendar_days')
    op.drop_table('tender_criteria')
    op.drop_table('bids')
    op.drop_table('tenders')

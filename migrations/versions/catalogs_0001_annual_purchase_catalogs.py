"""annual purchase catalogs, items, amendments, fiscal-year closes

Revision ID: catalogs_0001
Revises: accounts_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'catalogs_0001'
down_revision = 'accounts_0001'
branch_labels = ('catalogs',)
depends_on = None


def upgrade() -> None:
    op.create_table('catalogs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'returned', 'approved', name='catalogstatus', native_enum=False, length=32), nullable=False),
    sa.Column('return_reason', sa.Text(), nullable=True),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('approved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['approved_by_id'], ['users.id'], name=op.f('fk_catalogs_approved_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_catalogs_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalogs')),
    sa.UniqueConstraint('department_id', 'fiscal_year', name=op.f('uq_catalogs_department_id'))
    )
    with op.batch_alter_table('catalogs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalogs_fiscal_year'), ['fiscal_year'], unique=False)
    op.create_table('fiscal_year_closes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('fiscal_year', sa.Integer(), nullable=False),
    sa.Column('at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('lapsed_total', ledger.types.Money(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_fiscal_year_closes_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_fiscal_year_closes')),
    sa.UniqueConstraint('fiscal_year', name=op.f('uq_fiscal_year_closes_fiscal_year'))
    )
    op.create_table('catalog_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('catalog_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('service_category', sa.Enum('elderly', 'disability', 'children_youth', 'community', 'health', 'education', 'employment', 'legal_aid', 'culture_sports', 'evaluation', 'other', name='servicecategory', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('quantity', sa.Numeric(precision=12, scale=2), nullable=False),
    sa.Column('unit', sa.String(length=40), nullable=False),
    sa.Column('budget', ledger.types.Money(), nullable=False),
    sa.Column('eligible_categories', sa.JSON(), nullable=False),
    sa.Column('min_grade', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['catalog_id'], ['catalogs.id'], name=op.f('fk_catalog_items_catalog_id_catalogs')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_items')),
    sa.UniqueConstraint('catalog_id', 'position', name=op.f('uq_catalog_items_catalog_id')),
    sa.UniqueConstraint('code', name=op.f('uq_catalog_items_code'))
    )
    op.create_table('catalog_amendments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('old_budget', ledger.types.Money(), nullable=False),
    sa.Column('new_budget', ledger.types.Money(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('ledger_txn_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_catalog_amendments_by_id_users')),
    sa.ForeignKeyConstraint(['item_id'], ['catalog_items.id'], name=op.f('fk_catalog_amendments_item_id_catalog_items')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_catalog_amendments'))
    )
    with op.batch_alter_table('catalog_amendments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_catalog_amendments_item_id'), ['item_id'], unique=False)


def downgrade() -> None:
    op.drop_table('catalog_amendments')
    op.drop_table('catalog_items')
    op.drop_table('fiscal_year_closes')
    op.drop_table('catalogs')

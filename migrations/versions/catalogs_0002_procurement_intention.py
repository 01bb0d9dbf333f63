"""catalogs: procurement intentions (采购意向) on catalog items

Revision ID: catalogs_0002_procurement_intent
Revises: catalogs_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models


revision = 'catalogs_0002_procurement_intent'
down_revision = 'catalogs_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('catalog_items', schema=None) as batch_op:
        batch_op.add_column(sa.Column('intention_needs', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('intention_month', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('intention_published_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('intention_updated_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_catalog_items_intention_published_at'), ['intention_published_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('catalog_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_catalog_items_intention_published_at'))
        batch_op.drop_column('intention_updated_at')
        batch_op.drop_column('intention_published_at')
        batch_op.drop_column('intention_month')
        batch_op.drop_column('intention_needs')

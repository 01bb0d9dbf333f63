"""tenders: an index in the public list's order (published_at DESC, id DESC), so its first
page reads 50 index entries instead of sorting every published tender

Revision ID: tenders_0004_published_order
Revises: tenders_0003_provider_conditions
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = 'tenders_0004_published_order'
down_revision = 'tenders_0003_provider_conditions'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index('ix_tenders_published_order', 'tenders',
                    [sa.text('published_at DESC'), sa.text('id DESC')], unique=False)


def downgrade() -> None:
    op.drop_index('ix_tenders_published_order', table_name='tenders')

"""auditor: the ledger's chain head published each day (公布的链头)

Revision ID: auditor_0001_chain_heads
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'auditor_0001_chain_heads'
down_revision = None
branch_labels = ('auditor',)
depends_on = None  # references no other table


def upgrade() -> None:
    op.create_table('published_chain_heads',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.Column('published_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_published_chain_heads')),
    sa.UniqueConstraint('day', name=op.f('uq_published_chain_heads_day'))
    )


def downgrade() -> None:
    op.drop_table('published_chain_heads')

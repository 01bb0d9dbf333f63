"""red flags (风险提示): auditors' reviews of computed flags

Revision ID: redflags_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'redflags_0001'
down_revision = None
branch_labels = ('redflags',)
depends_on = ['accounts_0001']


def upgrade() -> None:
    op.create_table('redflag_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('reviewed_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_redflag_reviews_reviewed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_redflag_reviews')),
    sa.UniqueConstraint('key', name=op.f('uq_redflag_reviews_key'))
    )
    with op.batch_alter_table('redflag_reviews', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_redflag_reviews_kind'), ['kind'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('redflag_reviews', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_redflag_reviews_kind'))
    op.drop_table('redflag_reviews')

"""drawn committee: each seat names its draw and pool expert; an expert may decline

Revision ID: scoring_0002_drawn_committee
Revises: scoring_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'scoring_0002_drawn_committee'
down_revision = 'scoring_0001'
branch_labels = None
depends_on = 'experts_0001'


def upgrade() -> None:
    with op.batch_alter_table('tender_experts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('draw_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pool_expert_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('declined_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('decline_reason', sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f('ix_tender_experts_draw_id'), ['draw_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_tender_experts_draw_id_expert_draws'), 'expert_draws', ['draw_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_tender_experts_pool_expert_id_pool_experts'), 'pool_experts', ['pool_expert_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('tender_experts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_tender_experts_pool_expert_id_pool_experts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_tender_experts_draw_id_expert_draws'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_tender_experts_draw_id'))
        batch_op.drop_column('decline_reason')
        batch_op.drop_column('declined_at')
        batch_op.drop_column('pool_expert_id')
        batch_op.drop_column('draw_id')

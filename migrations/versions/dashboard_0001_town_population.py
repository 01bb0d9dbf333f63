"""policy-targets dashboard (政策目标): registered residents per town and year

Revision ID: dashboard_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'dashboard_0001'
down_revision = None
branch_labels = ('dashboard',)
depends_on = ['accounts_0001']  # towns, users


def upgrade() -> None:
    op.create_table('town_populations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('residents', sa.Integer(), nullable=False),
    sa.Column('recorded_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_town_populations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_town_populations_town_id_towns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_town_populations')),
    sa.UniqueConstraint('town_id', 'year', name=op.f('uq_town_populations_town_id'))
    )
    with op.batch_alter_table('town_populations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_town_populations_town_id'), ['town_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('town_populations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_town_populations_town_id'))

    op.drop_table('town_populations')

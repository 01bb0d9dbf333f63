"""expert pool: experts, unavailable periods, declared conflicts, draws and their replacements

Revision ID: experts_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'experts_0001'
down_revision = None
branch_labels = ('experts',)
depends_on = 'orgs_0001'  # organizations; and through it accounts


def upgrade() -> None:
    op.create_table('expert_draws',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('subject_kind', sa.String(length=32), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('specialty', sa.String(length=40), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('members_total', sa.Integer(), nullable=False),
    sa.Column('representative_ids', sa.JSON(), nullable=False),
    sa.Column('review_on', sa.Date(), nullable=False),
    sa.Column('seed', sa.String(length=64), nullable=False),
    sa.Column('pool', sa.JSON(), nullable=False),
    sa.Column('exclusions', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('drawn_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('drawn_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['drawn_by_id'], ['users.id'], name=op.f('fk_expert_draws_drawn_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_draws'))
    )
    with op.batch_alter_table('expert_draws', schema=None) as batch_op:
        batch_op.create_index('ix_expert_draws_subject', ['subject_kind', 'subject_id'], unique=False)

    op.create_table('pool_experts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('specialties', sa.JSON(), nullable=False),
    sa.Column('title', sa.String(length=100), nullable=False),
    sa.Column('employer_name', sa.String(length=200), nullable=False),
    sa.Column('employer_org_id', sa.Integer(), nullable=True),
    sa.Column('employer_department_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['employer_department_id'], ['departments.id'], name=op.f('fk_pool_experts_employer_department_id_departments')),
    sa.ForeignKeyConstraint(['employer_org_id'], ['organizations.id'], name=op.f('fk_pool_experts_employer_org_id_organizations')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pool_experts_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_experts')),
    sa.UniqueConstraint('user_id', name=op.f('uq_pool_experts_user_id'))
    )
    op.create_table('expert_draw_steps',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('replacement_id', sa.Integer(), nullable=True),
    sa.Column('at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['by_id'], ['users.id'], name=op.f('fk_expert_draw_steps_by_id_users')),
    sa.ForeignKeyConstraint(['draw_id'], ['expert_draws.id'], name=op.f('fk_expert_draw_steps_draw_id_expert_draws')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_expert_draw_steps'))
    )
    with op.batch_alter_table('expert_draw_steps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_expert_draw_steps_draw_id'), ['draw_id'], unique=False)

    op.create_table('pool_expert_conflicts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('declared_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['pool_experts.id'], name=op.f('fk_pool_expert_conflicts_expert_id_pool_experts')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_pool_expert_conflicts_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_pool_expert_conflicts_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_expert_conflicts'))
    )
    with op.batch_alter_table('pool_expert_conflicts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_expert_conflicts_expert_id'), ['expert_id'], unique=False)

    op.create_table('pool_expert_unavailability',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['expert_id'], ['pool_experts.id'], name=op.f('fk_pool_expert_unavailability_expert_id_pool_experts')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_pool_expert_unavailability_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pool_expert_unavailability'))
    )
    with op.batch_alter_table('pool_expert_unavailability', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_pool_expert_unavailability_expert_id'), ['expert_id'], unique=False)


def downgrade() -> None:
    op.drop_table('pool_expert_unavailability')
    op.drop_table('pool_expert_conflicts')
    op.drop_table('expert_draw_steps')
    op.drop_table('pool_experts')
    op.drop_table('expert_draws')

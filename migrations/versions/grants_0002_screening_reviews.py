"""venture philanthropy: screening and reviews

Revision ID: grants_0002_screening_reviews
Revises: grants_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models  # noqa: F401


revision = 'grants_0002_screening_reviews'
down_revision = 'grants_0001'
branch_labels = None
depends_on = 'experts_0001'  # expert draws and pool experts


def upgrade() -> None:
    op.create_table('grant_screenings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('eligible', sa.Boolean(), nullable=False),
    sa.Column('reason', sa.Enum('meets_requirements', 'category', 'grade', 'standing', 'out_of_scope', 'budget', 'incomplete', 'other', name='screeningreason', native_enum=False, length=32), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('screened_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('screened_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_screenings_application_id_grant_applications')),
    sa.ForeignKeyConstraint(['screened_by_id'], ['users.id'], name=op.f('fk_grant_screenings_screened_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_screenings')),
    sa.UniqueConstraint('application_id', name=op.f('uq_grant_screenings_application_id'))
    )
    op.create_table('grant_reviewers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('draw_id', sa.Integer(), nullable=False),
    sa.Column('pool_expert_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('declared_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('conflict', sa.Boolean(), nullable=True),
    sa.Column('conflict_note', sa.Text(), nullable=False),
    sa.Column('scores', sa.JSON(), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('assigned_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['grant_applications.id'], name=op.f('fk_grant_reviewers_application_id_grant_applications')),
    sa.ForeignKeyConstraint(['draw_id'], ['expert_draws.id'], name=op.f('fk_grant_reviewers_draw_id_expert_draws')),
    sa.ForeignKeyConstraint(['pool_expert_id'], ['pool_experts.id'], name=op.f('fk_grant_reviewers_pool_expert_id_pool_experts')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_grant_reviewers_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_reviewers'))
    )
    with op.batch_alter_table('grant_reviewers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_reviewers_application_id'), ['application_id'], unique=False)
        batch_op.create_index('ix_grant_reviewers_user', ['user_id', 'application_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('grant_reviewers', schema=None) as batch_op:
        batch_op.drop_index('ix_grant_reviewers_user')
        batch_op.drop_index(batch_op.f('ix_grant_reviewers_application_id'))
    op.drop_table('grant_reviewers')
    op.drop_table('grant_screenings')

"""venture philanthropy: rounds and applications

Revision ID: grants_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'grants_0001'
down_revision = None
branch_labels = ('grants',)
# catalog items; organizations (and through them documents, accounts: departments, towns,
# users)
depends_on = ('catalogs_0001', 'orgs_0001')


def upgrade() -> None:
    op.create_table('grant_rounds',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('department_id', sa.Integer(), nullable=False),
    sa.Column('item_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='roundstatus', native_enum=False, length=32), nullable=False),
    sa.Column('pool', ledger.types.Money(), nullable=False),
    sa.Column('cap', ledger.types.Money(), nullable=False),
    sa.Column('min_self_share', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('eligible_categories', sa.JSON(), nullable=False),
    sa.Column('min_grade', sa.Integer(), nullable=False),
    sa.Column('priority_mode', sa.Enum('score_bonus', 'reserved_share', name='prioritymode', native_enum=False, length=32), nullable=False),
    sa.Column('priority_value', sa.Numeric(precision=6, scale=2), nullable=False),
    sa.Column('startups_without_grade', sa.Boolean(), nullable=False),
    sa.Column('allow_multiple', sa.Boolean(), nullable=False),
    sa.Column('opens_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('closes_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('reviewers_per_application', sa.Integer(), nullable=False),
    sa.Column('criteria', sa.JSON(), nullable=False),
    sa.Column('questions', sa.JSON(), nullable=False),
    sa.Column('tranches', sa.JSON(), nullable=False),
    sa.Column('reporting_dates', sa.JSON(), nullable=False),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('published_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('published_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grant_rounds_created_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_grant_rounds_department_id_departments')),
    sa.ForeignKeyConstraint(['item_id'], ['catalog_items.id'], name=op.f('fk_grant_rounds_item_id_catalog_items')),
    sa.ForeignKeyConstraint(['published_by_id'], ['users.id'], name=op.f('fk_grant_rounds_published_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_rounds'))
    )
    with op.batch_alter_table('grant_rounds', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_rounds_item_id'), ['item_id'], unique=False)

    op.create_table('grant_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'submitted', 'withdrawn', name='applicationstatus', native_enum=False, length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('beneficiaries', sa.Text(), nullable=False),
    sa.Column('beneficiary_count', sa.Integer(), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('budget_lines', sa.JSON(), nullable=False),
    sa.Column('requested', ledger.types.Money(), nullable=False),
    sa.Column('self_raised', ledger.types.Money(), nullable=False),
    sa.Column('self_raised_source', sa.Text(), nullable=False),
    sa.Column('timeline', sa.Text(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_grant_applications_created_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_grant_applications_organization_id_organizations')),
    sa.ForeignKeyConstraint(['round_id'], ['grant_rounds.id'], name=op.f('fk_grant_applications_round_id_grant_rounds')),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_grant_applications_town_id_towns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_grant_applications'))
    )
    with op.batch_alter_table('grant_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_grant_applications_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index('ix_grant_applications_round_org', ['round_id', 'organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('grant_applications', schema=None) as batch_op:
        batch_op.drop_index('ix_grant_applications_round_org')
        batch_op.drop_index(batch_op.f('ix_grant_applications_organization_id'))
    op.drop_table('grant_applications')
    with op.batch_alter_table('grant_rounds', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_grant_rounds_item_id'))
    op.drop_table('grant_rounds')

"""orgs: sanctions (处罚/惩戒) — administrative penalties and investigations in the registry

Revision ID: orgs_0002_sanctions
Revises: orgs_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types


revision = 'orgs_0002_sanctions'
down_revision = 'orgs_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('warning', 'fine', 'confiscation', 'suspension', 'revocation', 'penalty', 'investigation', name='sanctionkind', native_enum=False, length=16), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('imposed_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('document_ref', sa.String(length=100), nullable=True),
    sa.Column('recorded_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_org_sanctions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_org_sanctions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_sanctions'))
    )
    with op.batch_alter_table('org_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_sanctions_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('org_sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_sanctions_organization_id'))
    op.drop_table('org_sanctions')

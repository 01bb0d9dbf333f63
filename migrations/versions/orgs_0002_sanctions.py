"""orgs: sanctions (行政处罚 / 重大违法记录)

Revision ID: orgs_0002_sanctions
Revises: orgs_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = 'orgs_0002_sanctions'
down_revision = 'orgs_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('org_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('serious', sa.Boolean(), nullable=False),
    sa.Column('imposed_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=True),
    sa.Column('lifted_on', sa.Date(), nullable=True),
    sa.Column('authority', sa.String(length=200), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_org_sanctions_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_sanctions'))
    )
    with op.batch_alter_table('org_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_sanctions_organization_id'), ['organization_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('org_sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_org_sanctions_organization_id'))
    op.drop_table('org_sanctions')

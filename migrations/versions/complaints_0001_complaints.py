"""complaints (投诉举报): complaints, their routing, answers and outcomes

Revision ID: complaints_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'complaints_0001'
down_revision = None
branch_labels = ('complaints',)
# organizations (and through them accounts: users, departments)
depends_on = ('orgs_0001',)


def upgrade() -> None:
    op.create_table('complaints',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tracking_hash', sa.String(length=64), nullable=False),
    sa.Column('subject_kind', sa.Enum('organization', 'tender', 'contract', 'payment', name='subjectkind', native_enum=False, length=16), nullable=False),
    sa.Column('subject_id', sa.Integer(), nullable=False),
    sa.Column('subject_title', sa.String(length=300), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=True),
    sa.Column('subject_department_id', sa.Integer(), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('status', sa.Enum('filed', 'routed', 'answered', 'dismissed', name='complaintstatus', native_enum=False, length=16), nullable=False),
    sa.Column('filed_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('due_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('routed_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('routed_by_id', sa.Integer(), nullable=True),
    sa.Column('department_id', sa.Integer(), nullable=True),
    sa.Column('dismissal_reason', sa.Text(), nullable=True),
    sa.Column('answered_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.Column('outcome', sa.Enum('upheld', 'partly_upheld', 'not_upheld', name='outcome', native_enum=False, length=16), nullable=True),
    sa.Column('finding', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_complaints_answered_by_id_users')),
    sa.ForeignKeyConstraint(['department_id'], ['departments.id'], name=op.f('fk_complaints_department_id_departments')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_complaints_organization_id_organizations')),
    sa.ForeignKeyConstraint(['routed_by_id'], ['users.id'], name=op.f('fk_complaints_routed_by_id_users')),
    sa.ForeignKeyConstraint(['subject_department_id'], ['departments.id'], name=op.f('fk_complaints_subject_department_id_departments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_complaints')),
    sa.UniqueConstraint('tracking_hash', name=op.f('uq_complaints_tracking_hash'))
    )
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_complaints_department_id'), ['department_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_complaints_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('complaints', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_complaints_status'))
        batch_op.drop_index(batch_op.f('ix_complaints_organization_id'))
        batch_op.drop_index(batch_op.f('ix_complaints_department_id'))

    op.drop_table('complaints')

"""credit records (信用记录): facts about an organization's credit written by higher rooms

Revision ID: credit_0001_credit_records
Revises:
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models  # noqa: F401


revision = 'credit_0001_credit_records'
down_revision = None
branch_labels = ('credit',)
depends_on = 'orgs_0001'  # organizations; and through it documents and users


def upgrade() -> None:
    op.create_table('credit_entries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('upheld_complaint', 'contract_terminated_fault', 'failed_performance_evaluation', 'sanction', 'serious_violation', 'clearance', 'annual_report_result', name='creditkind', native_enum=False, length=40), nullable=False),
    sa.Column('effect', sa.Enum('negative', 'neutral', 'positive', name='effect', native_enum=False, length=16), nullable=False),
    sa.Column('occurred_on', sa.Date(), nullable=False),
    sa.Column('in_force_until', sa.Date(), nullable=True),
    sa.Column('source_room', sa.String(length=40), nullable=False),
    sa.Column('source_kind', sa.String(length=40), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('evidence_document_id', sa.Integer(), nullable=True),
    sa.Column('evidence_ref', sa.String(length=300), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.Text(), nullable=False),
    sa.Column('recorded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['evidence_document_id'], ['documents.id'], name=op.f('fk_credit_entries_evidence_document_id_documents')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_credit_entries_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_credit_entries_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_credit_entries')),
    sa.UniqueConstraint('kind', 'source_room', 'source_kind', 'source_id', name=op.f('uq_credit_entries_kind'))
    )
    with op.batch_alter_table('credit_entries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_credit_entries_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_credit_entries_occurred_on'), ['occurred_on'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('credit_entries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_credit_entries_occurred_on'))
        batch_op.drop_index(batch_op.f('ix_credit_entries_organization_id'))
    op.drop_table('credit_entries')

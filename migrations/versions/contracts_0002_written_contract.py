"""contracts: the written contract (terms, term, PDF and its hash, acceptance, publication)

Revision ID: contracts_0002_written_contract
Revises: contracts_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models  # noqa: F401


revision = 'contracts_0002_written_contract'
down_revision = 'contracts_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('service_content', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('service_quantity', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('quality_standard', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('evaluation_method', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('liabilities', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('term_start', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('term_end', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('long_term_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('pdf_document_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('pdf_sha256', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('accepted_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('accepted_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('published_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_contracts_pdf_document_id_documents'), 'documents', ['pdf_document_id'], ['id'])
        batch_op.create_foreign_key(batch_op.f('fk_contracts_accepted_by_id_users'), 'users', ['accepted_by_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_contracts_accepted_by_id_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_contracts_pdf_document_id_documents'), type_='foreignkey')
        for column in ('published_at', 'accepted_by_id', 'accepted_at', 'pdf_sha256',
                       'pdf_document_id', 'long_term_reason', 'term_end', 'term_start',
                       'liabilities', 'evaluation_method', 'quality_standard',
                       'service_quantity', 'service_content'):
            batch_op.drop_column(column)

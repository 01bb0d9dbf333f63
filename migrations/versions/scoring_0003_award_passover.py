"""scoring: pass-over records of an award (递补: coded reason and evidence)

Revision ID: scoring_0003_award_passover
Revises: scoring_0002_drawn_committee
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models


revision = 'scoring_0003_award_passover'
down_revision = 'scoring_0002_drawn_committee'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tender_award_passovers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Enum('declined', 'not_signed', 'false_material', name='passoverreason', native_enum=False, length=20), nullable=False),
    sa.Column('evidence_document_id', sa.Integer(), nullable=True),
    sa.Column('evidence_reference', sa.String(length=300), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('award_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['award_id'], ['tender_awards.id'], name=op.f('fk_tender_award_passovers_award_id_tender_awards')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_tender_award_passovers_bid_id_bids')),
    sa.ForeignKeyConstraint(['evidence_document_id'], ['documents.id'], name=op.f('fk_tender_award_passovers_evidence_document_id_documents')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_tender_award_passovers_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_award_passovers_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_award_passovers')),
    sa.UniqueConstraint('tender_id', 'bid_id', name=op.f('uq_tender_award_passovers_tender_id'))
    )
    with op.batch_alter_table('tender_award_passovers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_award_passovers_tender_id'), ['tender_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('tender_award_passovers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tender_award_passovers_tender_id'))
    op.drop_table('tender_award_passovers')

"""tenders: amendments that move the bid deadline (顺延), final-evaluation waiver

Revision ID: tenders_0002_amendment_deadline
Revises: tenders_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models


revision = 'tenders_0002_amendment_deadline'
down_revision = 'tenders_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tender_changes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('affects_bids', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('deadline_moved_from', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('deadline_moved_to', market.models.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('final_evaluation_waiver', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_column('final_evaluation_waiver')
    with op.batch_alter_table('tender_changes', schema=None) as batch_op:
        batch_op.drop_column('deadline_moved_to')
        batch_op.drop_column('deadline_moved_from')
        batch_op.drop_column('affects_bids')

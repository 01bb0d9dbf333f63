"""tenders: provider conditions — a tender may accept 基本合格 annual reports; each bid keeps
the grade (and its validity) that held at the bid deadline, frozen at the opening

Revision ID: tenders_0003_provider_conditions
Revises: tenders_0002_amendment_deadline
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models


revision = 'tenders_0003_provider_conditions'
down_revision = 'tenders_0002_amendment_deadline'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.add_column(sa.Column('accept_basic_pass_report', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.add_column(sa.Column('grade_at_deadline', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('grade_valid_from', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('grade_valid_until', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('grade_frozen_at', market.models.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('bids', schema=None) as batch_op:
        batch_op.drop_column('grade_frozen_at')
        batch_op.drop_column('grade_valid_until')
        batch_op.drop_column('grade_valid_from')
        batch_op.drop_column('grade_at_deadline')
    with op.batch_alter_table('tenders', schema=None) as batch_op:
        batch_op.drop_column('accept_basic_pass_report')

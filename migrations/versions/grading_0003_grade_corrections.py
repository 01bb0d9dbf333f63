"""grading: a grade decision dated back is a marked correction (更正) with its reason

Revision ID: grading_0003_grade_corrections
Revises: grading_0002_sanctions_moved
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = 'grading_0003_grade_corrections'
down_revision = 'grading_0002_sanctions_moved'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('org_grades', schema=None) as batch_op:
        batch_op.add_column(sa.Column('correction', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('correction_reason', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('org_grades', schema=None) as batch_op:
        batch_op.drop_column('correction_reason')
        batch_op.drop_column('correction')

"""contracts: whose fault a termination was (organization, purchaser, force majeure)

Revision ID: contracts_0003_termination_fault
Revises: contracts_0002_written_contract
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa


revision = 'contracts_0003_termination_fault'
down_revision = 'contracts_0002_written_contract'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('termination_fault', sa.Enum('organization', 'purchaser', 'force_majeure', name='terminationfault', native_enum=False, length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('contracts', schema=None) as batch_op:
        batch_op.drop_column('termination_fault')

"""grading: sanctions move to the registry (org_sanctions); eval_sanctions is copied, then dropped

Revision ID: grading_0002_sanctions_moved
Revises: grading_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types


revision = 'grading_0002_sanctions_moved'
down_revision = 'grading_0001'
branch_labels = None
depends_on = 'orgs_0002_sanctions'


def upgrade() -> None:
    # Every recorded penalty or investigation keeps its dates and description; the
    # deciding authority was not recorded before.
    op.execute(
        "INSERT INTO org_sanctions (organization_id, kind, serious, imposed_on, ends_on, "
        "authority, reason, document_ref, recorded_at, recorded_by_id) "
        "SELECT organization_id, kind, false, started_on, ended_on, '—', note, NULL, "
        "recorded_at, recorded_by_id FROM eval_sanctions ORDER BY id")
    with op.batch_alter_table('eval_sanctions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_eval_sanctions_organization_id'))
    op.drop_table('eval_sanctions')


def downgrade() -> None:
    op.create_table('eval_sanctions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('penalty', 'investigation', name='sanctionkind', native_enum=False, length=16), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=False),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_eval_sanctions_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_eval_sanctions_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_eval_sanctions'))
    )
    with op.batch_alter_table('eval_sanctions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_eval_sanctions_organization_id'), ['organization_id'], unique=False)
    op.execute(
        "INSERT INTO eval_sanctions (organization_id, kind, started_on, ended_on, note, "
        "recorded_at, recorded_by_id) SELECT organization_id, CASE WHEN kind = "
        "'investigation' THEN 'investigation' ELSE 'penalty' END, imposed_on, ends_on, "
        "reason, recorded_at, recorded_by_id FROM org_sanctions ORDER BY id")

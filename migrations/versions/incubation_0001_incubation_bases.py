"""incubation bases (培育基地): bases, residencies, yearly evaluations, rewards

Revision ID: incubation_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'incubation_0001'
down_revision = None
branch_labels = ('incubation',)
depends_on = ['catalogs_0001', 'orgs_0001']  # and what those depend on


def upgrade() -> None:
    op.create_table('incubation_bases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.Enum('city', 'town', name='baselevel', native_enum=False, length=16), nullable=False),
    sa.Column('town_id', sa.Integer(), nullable=True),
    sa.Column('operator_id', sa.Integer(), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('services', sa.JSON(), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('created_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], name=op.f('fk_incubation_bases_created_by_id_users')),
    sa.ForeignKeyConstraint(['operator_id'], ['organizations.id'], name=op.f('fk_incubation_bases_operator_id_organizations')),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_incubation_bases_town_id_towns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation_bases')),
    sa.UniqueConstraint('name', name=op.f('uq_incubation_bases_name'))
    )
    with op.batch_alter_table('incubation_bases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubation_bases_operator_id'), ['operator_id'], unique=False)

    op.create_table('incubation_evaluations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('passed', sa.Boolean(), nullable=False),
    sa.Column('score', sa.Numeric(precision=5, scale=2), nullable=False),
    sa.Column('evaluator', sa.String(length=200), nullable=False),
    sa.Column('report_document_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['base_id'], ['incubation_bases.id'], name=op.f('fk_incubation_evaluations_base_id_incubation_bases')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_incubation_evaluations_recorded_by_id_users')),
    sa.ForeignKeyConstraint(['report_document_id'], ['documents.id'], name=op.f('fk_incubation_evaluations_report_document_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation_evaluations')),
    sa.UniqueConstraint('base_id', 'year', name=op.f('uq_incubation_evaluations_base_id'))
    )
    with op.batch_alter_table('incubation_evaluations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubation_evaluations_base_id'), ['base_id'], unique=False)

    op.create_table('incubation_residencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('admitted_on', sa.Date(), nullable=False),
    sa.Column('graduated_on', sa.Date(), nullable=True),
    sa.Column('admitted_by_id', sa.Integer(), nullable=False),
    sa.Column('graduated_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['admitted_by_id'], ['users.id'], name=op.f('fk_incubation_residencies_admitted_by_id_users')),
    sa.ForeignKeyConstraint(['base_id'], ['incubation_bases.id'], name=op.f('fk_incubation_residencies_base_id_incubation_bases')),
    sa.ForeignKeyConstraint(['graduated_by_id'], ['users.id'], name=op.f('fk_incubation_residencies_graduated_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_incubation_residencies_organization_id_organizations')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation_residencies'))
    )
    with op.batch_alter_table('incubation_residencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubation_residencies_base_id'), ['base_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubation_residencies_organization_id'), ['organization_id'], unique=False)

    op.create_table('incubation_rewards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('base_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('evaluation_id', sa.Integer(), nullable=False),
    sa.Column('catalog_item_id', sa.Integer(), nullable=False),
    sa.Column('amount', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('status', sa.Enum('proposed', 'paid', 'cancelled', name='rewardstatus', native_enum=False, length=16), nullable=False),
    sa.Column('proposed_at', ledger.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('proposed_by_id', sa.Integer(), nullable=False),
    sa.Column('paid_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('paid_by_id', sa.Integer(), nullable=True),
    sa.Column('commit_txn_id', sa.Integer(), nullable=True),
    sa.Column('pay_txn_id', sa.Integer(), nullable=True),
    sa.Column('cancelled_at', ledger.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('cancel_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['base_id'], ['incubation_bases.id'], name=op.f('fk_incubation_rewards_base_id_incubation_bases')),
    sa.ForeignKeyConstraint(['catalog_item_id'], ['catalog_items.id'], name=op.f('fk_incubation_rewards_catalog_item_id_catalog_items')),
    sa.ForeignKeyConstraint(['evaluation_id'], ['incubation_evaluations.id'], name=op.f('fk_incubation_rewards_evaluation_id_incubation_evaluations')),
    sa.ForeignKeyConstraint(['paid_by_id'], ['users.id'], name=op.f('fk_incubation_rewards_paid_by_id_users')),
    sa.ForeignKeyConstraint(['proposed_by_id'], ['users.id'], name=op.f('fk_incubation_rewards_proposed_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_incubation_rewards'))
    )
    with op.batch_alter_table('incubation_rewards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_incubation_rewards_base_id'), ['base_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_incubation_rewards_catalog_item_id'), ['catalog_item_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('incubation_rewards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubation_rewards_catalog_item_id'))
        batch_op.drop_index(batch_op.f('ix_incubation_rewards_base_id'))

    op.drop_table('incubation_rewards')
    with op.batch_alter_table('incubation_residencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubation_residencies_organization_id'))
        batch_op.drop_index(batch_op.f('ix_incubation_residencies_base_id'))

    op.drop_table('incubation_residencies')
    with op.batch_alter_table('incubation_evaluations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubation_evaluations_base_id'))

    op.drop_table('incubation_evaluations')
    with op.batch_alter_table('incubation_bases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_incubation_bases_operator_id'))

    op.drop_table('incubation_bases')

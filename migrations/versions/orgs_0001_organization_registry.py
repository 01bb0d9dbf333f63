"""organization registry: organizations, applications, annual reports, departure audits

Revision ID: orgs_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'orgs_0001'
down_revision = None
branch_labels = ('orgs',)
depends_on = 'documents_0001'  # and what those depend on


def upgrade() -> None:
    op.create_table('organizations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('credit_code', sa.String(length=18), nullable=True),
    sa.Column('track', sa.Enum('registered', 'filed', name='track', native_enum=False, length=16), nullable=False),
    sa.Column('legal_form', sa.Enum('social_group', 'social_service', 'foundation', name='legalform', native_enum=False, length=32), nullable=True),
    sa.Column('category', sa.Enum('industry', 'science', 'charity', 'community', 'other', name='category', native_enum=False, length=32), nullable=False),
    sa.Column('industry_code', sa.String(length=5), nullable=True),
    sa.Column('town_id', sa.Integer(), nullable=False),
    sa.Column('legal_representative', sa.String(length=100), nullable=False),
    sa.Column('contact_name', sa.String(length=100), nullable=False),
    sa.Column('contact_phone', sa.String(length=40), nullable=False),
    sa.Column('office_address', sa.String(length=300), nullable=False),
    sa.Column('bank_name', sa.String(length=100), nullable=True),
    sa.Column('bank_account', sa.String(length=40), nullable=True),
    sa.Column('supervising_unit', sa.String(length=200), nullable=True),
    sa.Column('no_official_declared', sa.Boolean(), nullable=False),
    sa.Column('party_org_established', sa.Boolean(), nullable=False),
    sa.Column('status', sa.Enum('pending', 'active', 'suspended', 'cleared', 'rejected', name='orgstatus', native_enum=False, length=16), nullable=False),
    sa.Column('status_reason', sa.Text(), nullable=True),
    sa.Column('registered_on', sa.Date(), nullable=True),
    sa.Column('created_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['town_id'], ['towns.id'], name=op.f('fk_organizations_town_id_towns')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organizations')),
    sa.UniqueConstraint('credit_code', name=op.f('uq_organizations_credit_code'))
    )
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_organizations_category'), ['category'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_organizations_town_id'), ['town_id'], unique=False)
    op.create_table('org_annual_reports',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('income', ledger.types.Money(), nullable=False),
    sa.Column('expenditure', ledger.types.Money(), nullable=False),
    sa.Column('net_assets', ledger.types.Money(), nullable=False),
    sa.Column('staff_count', sa.Integer(), nullable=False),
    sa.Column('party_org_established', sa.Boolean(), nullable=False),
    sa.Column('party_building', sa.Text(), nullable=True),
    sa.Column('audit_report_id', sa.Integer(), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=True),
    sa.Column('result', sa.Enum('pass', 'basic_pass', 'fail', name='inspectionresult', native_enum=False, length=16), nullable=True),
    sa.Column('result_comment', sa.Text(), nullable=True),
    sa.Column('reviewed_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('reviewed_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['audit_report_id'], ['documents.id'], name=op.f('fk_org_annual_reports_audit_report_id_documents')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_org_annual_reports_organization_id_organizations')),
    sa.ForeignKeyConstraint(['reviewed_by_id'], ['users.id'], name=op.f('fk_org_annual_reports_reviewed_by_id_users')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_org_annual_reports_submitted_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_annual_reports')),
    sa.UniqueConstraint('organization_id', 'year', name=op.f('uq_org_annual_reports_organization_id'))
    )
    with op.batch_alter_table('org_annual_reports', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_annual_reports_organization_id'), ['organization_id'], unique=False)
    op.create_table('org_applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('track', sa.Enum('registered', 'filed', name='track', native_enum=False, length=16), nullable=False),
    sa.Column('state', sa.Enum('submitted', 'returned', 'approved', 'rejected', name='applicationstate', native_enum=False, length=16), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('prior_approval_id', sa.Integer(), nullable=True),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('submissions', sa.Integer(), nullable=False),
    sa.Column('decided_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decision_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], name=op.f('fk_org_applications_applicant_id_users')),
    sa.ForeignKeyConstraint(['decided_by_id'], ['users.id'], name=op.f('fk_org_applications_decided_by_id_users')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_org_applications_organization_id_organizations')),
    sa.ForeignKeyConstraint(['prior_approval_id'], ['documents.id'], name=op.f('fk_org_applications_prior_approval_id_documents')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_applications'))
    )
    with op.batch_alter_table('org_applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_applications_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_applications_organization_id'), ['organization_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_org_applications_state'), ['state'], unique=False)
    op.create_table('org_departure_audits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('outgoing_representative', sa.String(length=100), nullable=False),
    sa.Column('incoming_representative', sa.String(length=100), nullable=False),
    sa.Column('departure_date', sa.Date(), nullable=False),
    sa.Column('audit_report_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['audit_report_id'], ['documents.id'], name=op.f('fk_org_departure_audits_audit_report_id_documents')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_org_departure_audits_organization_id_organizations')),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['users.id'], name=op.f('fk_org_departure_audits_recorded_by_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_departure_audits'))
    )
    with op.batch_alter_table('org_departure_audits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_org_departure_audits_organization_id'), ['organization_id'], unique=False)
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('organization_id', sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f('fk_users_organization_id_organizations'), 'organizations', ['organization_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_users_organization_id_organizations'), type_='foreignkey')
        batch_op.drop_column('organization_id')
    op.drop_table('org_departure_audits')
    op.drop_table('org_applications')
    op.drop_table('org_annual_reports')
    op.drop_table('organizations')

"""ledger accounts: a pattern index on the account code (PostgreSQL only), so budget
execution reads one department's accounts by code prefix instead of scanning the year's

Revision ID: ledger_0002
Revises: ledger_0001
Create Date: 2026-12-03
"""
from alembic import op


revision = "ledger_0002"
down_revision = "ledger_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_ledger_accounts_code_prefix", "ledger_accounts", ["code"],
                        postgresql_ops={"code": "varchar_pattern_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_ledger_accounts_code_prefix", table_name="ledger_accounts")

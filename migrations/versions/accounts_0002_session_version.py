"""accounts: session version, optional second factor (TOTP), login events

Revision ID: accounts_0002
Revises: accounts_0001
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import market.models


revision = 'accounts_0002'
down_revision = 'accounts_0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('kind', sa.Enum('login', 'failure', 'code_failure', 'logout', 'logout_everywhere', 'session_ended', 'two_factor_on', 'two_factor_off', name='logineventkind', native_enum=False, length=32), nullable=False),
    sa.Column('address', sa.String(length=64), nullable=True),
    sa.Column('user_agent', sa.String(length=255), nullable=True),
    sa.Column('token_hash', sa.String(length=64), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=True),
    sa.Column('remember', sa.Boolean(), nullable=False),
    sa.Column('last_seen_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('ended_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_events_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_events')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_login_events_token_hash'))
    )
    with op.batch_alter_table('login_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_login_events_user_id'), ['user_id'], unique=False)

    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('session_version', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('totp_secret', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('totp_enabled_at', market.models.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('totp_last_counter', sa.Integer(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_column('totp_last_counter')
        batch_op.drop_column('totp_enabled_at')
        batch_op.drop_column('totp_secret')
        batch_op.drop_column('session_version')

    with op.batch_alter_table('login_events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_login_events_user_id'))

    op.drop_table('login_events')

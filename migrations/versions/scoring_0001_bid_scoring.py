"""bid scoring: experts, declarations, scores, results, awards, challenges

Revision ID: scoring_0001
Revises: 
Create Date: 2026-12-02
"""
from alembic import op
import sqlalchemy as sa
import ledger.types  # noqa: F401
import market.models  # noqa: F401


revision = 'scoring_0001'
down_revision = None
branch_labels = ('scoring',)
depends_on = 'tenders_0001'  # and what those depend on


def upgrade() -> None:
    op.create_table('tender_experts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('expert_id', sa.Integer(), nullable=False),
    sa.Column('assigned_by_id', sa.Integer(), nullable=False),
    sa.Column('assigned_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('declared_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('conflict_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('conflict_note', sa.Text(), nullable=True),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assigned_by_id'], ['users.id'], name=op.f('fk_tender_experts_assigned_by_id_users')),
    sa.ForeignKeyConstraint(['expert_id'], ['users.id'], name=op.f('fk_tender_experts_expert_id_users')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_experts_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_experts')),
    sa.UniqueConstraint('tender_id', 'expert_id', name=op.f('uq_tender_experts_tender_id'))
    )
    with op.batch_alter_table('tender_experts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_experts_expert_id'), ['expert_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_experts_tender_id'), ['tender_id'], unique=False)
    op.create_table('tender_awards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('awarded_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('awarded_by_id', sa.Integer(), nullable=False),
    sa.Column('revoked_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('revoked_reason', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['awarded_by_id'], ['users.id'], name=op.f('fk_tender_awards_awarded_by_id_users')),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_tender_awards_bid_id_bids')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_awards_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_awards'))
    )
    with op.batch_alter_table('tender_awards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_awards_tender_id'), ['tender_id'], unique=False)
    op.create_table('tender_bid_results',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('grade', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Boolean(), nullable=False),
    sa.Column('valid', sa.Boolean(), nullable=False),
    sa.Column('excluded_reason', sa.String(length=40), nullable=True),
    sa.Column('criterion_scores', sa.JSON(), nullable=False),
    sa.Column('technical', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('price', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('evaluated_price', ledger.types.Money(precision=18, scale=2), nullable=False),
    sa.Column('price_score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('bonus', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('total', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('rank', sa.Integer(), nullable=True),
    sa.Column('plain_total', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.Column('plain_rank', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_tender_bid_results_bid_id_bids')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_bid_results_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_bid_results')),
    sa.UniqueConstraint('tender_id', 'bid_id', name=op.f('uq_tender_bid_results_tender_id'))
    )
    with op.batch_alter_table('tender_bid_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_bid_results_tender_id'), ['tender_id'], unique=False)
    op.create_table('tender_declarations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_row_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('conflict', sa.Boolean(), nullable=False),
    sa.Column('declared_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_tender_declarations_bid_id_bids')),
    sa.ForeignKeyConstraint(['expert_row_id'], ['tender_experts.id'], name=op.f('fk_tender_declarations_expert_row_id_tender_experts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_declarations')),
    sa.UniqueConstraint('expert_row_id', 'bid_id', name=op.f('uq_tender_declarations_expert_row_id'))
    )
    with op.batch_alter_table('tender_declarations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_declarations_expert_row_id'), ['expert_row_id'], unique=False)
    op.create_table('tender_scores',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('expert_row_id', sa.Integer(), nullable=False),
    sa.Column('bid_id', sa.Integer(), nullable=False),
    sa.Column('criterion_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Numeric(precision=7, scale=2), nullable=False),
    sa.ForeignKeyConstraint(['bid_id'], ['bids.id'], name=op.f('fk_tender_scores_bid_id_bids')),
    sa.ForeignKeyConstraint(['criterion_id'], ['tender_criteria.id'], name=op.f('fk_tender_scores_criterion_id_tender_criteria')),
    sa.ForeignKeyConstraint(['expert_row_id'], ['tender_experts.id'], name=op.f('fk_tender_scores_expert_row_id_tender_experts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_scores')),
    sa.UniqueConstraint('expert_row_id', 'bid_id', 'criterion_id', name=op.f('uq_tender_scores_expert_row_id'))
    )
    with op.batch_alter_table('tender_scores', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_scores_bid_id'), ['bid_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_scores_expert_row_id'), ['expert_row_id'], unique=False)
    op.create_table('tender_challenges',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('tender_id', sa.Integer(), nullable=False),
    sa.Column('award_id', sa.Integer(), nullable=False),
    sa.Column('organization_id', sa.Integer(), nullable=False),
    sa.Column('submitted_by_id', sa.Integer(), nullable=False),
    sa.Column('grounds', sa.Text(), nullable=False),
    sa.Column('document_ids', sa.JSON(), nullable=False),
    sa.Column('submitted_at', market.models.UTCDateTime(timezone=True), nullable=False),
    sa.Column('status', sa.Enum('open', 'upheld', 'rejected', 'superseded', name='challengestatus', native_enum=False, length=16), nullable=False),
    sa.Column('answer', sa.Text(), nullable=True),
    sa.Column('answered_at', market.models.UTCDateTime(timezone=True), nullable=True),
    sa.Column('answered_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by_id'], ['users.id'], name=op.f('fk_tender_challenges_answered_by_id_users')),
    sa.ForeignKeyConstraint(['award_id'], ['tender_awards.id'], name=op.f('fk_tender_challenges_award_id_tender_awards')),
    sa.ForeignKeyConstraint(['organization_id'], ['organizations.id'], name=op.f('fk_tender_challenges_organization_id_organizations')),
    sa.ForeignKeyConstraint(['submitted_by_id'], ['users.id'], name=op.f('fk_tender_challenges_submitted_by_id_users')),
    sa.ForeignKeyConstraint(['tender_id'], ['tenders.id'], name=op.f('fk_tender_challenges_tender_id_tenders')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tender_challenges'))
    )
    with op.batch_alter_table('tender_challenges', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tender_challenges_award_id'), ['award_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_challenges_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_tender_challenges_tender_id'), ['tender_id'], unique=False)


def downgrade() -> None:
    op.drop_table('tender_challenges')
    op.drop_table('tender_scores')
    op.drop_table('tender_declarations')
    op.drop_table('tender_bid_results')
    op.drop_table('tender_awards')
    op.drop_table('tender_experts')

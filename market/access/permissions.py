"""Roles and permissions: the one table that says who may do what.

Routes check a permission with ``permission_required``; per-object rules
("only members of this organization") live in each feature's fetch-or-403 helper.
"""
from __future__ import annotations

from enum import StrEnum

from market.access.labels import ROLE_LABELS


class Role(StrEnum):
    CIVIL_AFFAIRS = "civil_affairs"  # 民政局 — registration authority, platform operator
    TOWN_OFFICER = "town_officer"  # 镇（区）备案管理 — town-level filing authority
    FINANCE = "finance"  # 财政局
    DEPARTMENT = "department"  # 职能部门 — the purchaser
    ORGANIZATION = "organization"  # 社会组织
    EVALUATOR = "evaluator"  # 第三方评估机构
    EXPERT = "expert"  # 评审专家
    AUDITOR = "auditor"  # 监察 / 审计 / 财政监督

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


# Roles whose users must act for a body: the column on User that names it.
ROLE_AFFILIATION = {
    Role.DEPARTMENT: "department_id",
    Role.TOWN_OFFICER: "town_id",
    Role.EVALUATOR: "agency_id",
    # An organization user may exist before its organization is approved.
}


class Permission(StrEnum):
    """Named scope:resource:action."""

    ORGS_APPLY = "orgs:application:create"
    ORGS_REVIEW_REGISTRATION = "orgs:registration:review"
    ORGS_REVIEW_FILING = "orgs:filing:review"
    ORGS_MANAGE_STATUS = "orgs:status:manage"
    ORGS_READ_REGISTRY = "orgs:registry:read"
    ORGS_SUBMIT_ANNUAL_REPORT = "orgs:annual_report:submit"
    ORGS_REVIEW_ANNUAL_REPORT = "orgs:annual_report:review"
    ORGS_RECORD_DEPARTURE_AUDIT = "orgs:departure_audit:record"
    ORGS_SUBMIT_DEPARTURE_AUDIT = "orgs:departure_audit:submit"
    AUDIT_LOG_READ = "audit:log:read"
    USERS_MANAGE = "accounts:users:manage"
    # Optional second factor (TOTP) for the roles that move or watch money and the registry.
    ACCOUNT_TWO_FACTOR = "accounts:two_factor:manage"
    LEDGER_READ = "ledger:journal:read"
    LEDGER_OPERATE = "ledger:journal:operate"
    CATALOGS_DRAFT = "catalogs:catalog:draft"
    CATALOGS_APPROVE = "catalogs:catalog:approve"
    TENDERS_MANAGE = "tenders:tender:manage"  # draft, publish, answer, open, cancel (own dept)
    TENDERS_BID = "tenders:bid:submit"  # ask questions, bid (for one's own organization)
    CALENDAR_MANAGE = "tenders:calendar:manage"  # the working-day calendar (operator)
    TENDERS_AWARD = "tenders:award:decide"  # draw the committee, award, answer challenges
    EXPERTS_MANAGE = "experts:pool:manage"  # 专家库 — keep the expert pool
    EXPERTS_DRAWS_READ = "experts:draw:read"  # read and replay the records of expert draws
    GRANTS_MANAGE = "grants:round:manage"  # 公益创投 — draft and publish rounds
    GRANTS_APPLY = "grants:application:submit"  # apply to a round for one's own organization
    GRANTS_REVIEW = "grants:application:review"  # declare conflicts, score applications drawn
    TENDERS_SCORE = "tenders:bid:score"  # declare conflicts of interest, score bids
    TENDERS_CHALLENGE = "tenders:award:challenge"  # 质疑 an award (for one's organization)
    CONTRACTS_MANAGE = "contracts:contract:manage"  # sign, accept deliverables, terminate
    CONTRACTS_DELIVER = "contracts:deliverable:submit"
    CONTRACTS_EVALUATE = "contracts:evaluation:record"  # performance evaluations
    PAYMENTS_APPROVE = "contracts:payment:approve"
    EVALUATIONS_ASSIGN = "evaluations:performance:assign"  # assign an evaluator agency
    CLEARANCE_DECIDE = "evaluations:clearance:decide"  # 清退 — confirm or keep
    EVAL_AGENCIES_MANAGE = "evaluations:agency:manage"  # register agencies and evaluators
    EVAL_GRADES_MANAGE = "evaluations:grade:manage"  # cycles, assignment, notice, 复核, 回避
    EVAL_RELATIONS_DECLARE = "evaluations:relation:declare"  # for one's own agency
    EVAL_GRADES_SCORE = "evaluations:grade:score"  # score assigned grade evaluations
    EVAL_GRADES_APPLY = "evaluations:grade:apply"  # apply, 复核, 回避 (own organization)
    # 培育基地: bases, admissions, yearly evaluations and rewards (以奖代补)
    INCUBATION_MANAGE = "incubation:base:manage"
    # 投诉举报: read the complaints one may see (civil affairs and auditors all of them, a
    # department those routed to it), route or dismiss them, respond to one's own
    COMPLAINTS_READ = "complaints:complaint:read"
    COMPLAINTS_MANAGE = "complaints:complaint:route"
    COMPLAINTS_RESPOND = "complaints:complaint:respond"
    # 风险提示: auditors read red flags and mark them reviewed; civil affairs reads them
    REDFLAGS_READ = "audit:redflags:read"
    REDFLAGS_REVIEW = "audit:redflags:review"
    # 信用记录: read an organization's full credit record (the public sees public entries)
    CREDIT_READ = "credit:record:read"
    # 政策目标: registered residents per town and year, the base of the per-10,000 figure
    TARGETS_POPULATION = "dashboard:population:manage"


P = Permission
ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.CIVIL_AFFAIRS: frozenset({
        P.ORGS_REVIEW_REGISTRATION, P.ORGS_MANAGE_STATUS, P.ORGS_READ_REGISTRY,
        P.ORGS_REVIEW_ANNUAL_REPORT, P.ORGS_RECORD_DEPARTURE_AUDIT, P.AUDIT_LOG_READ,
        P.USERS_MANAGE, P.CALENDAR_MANAGE, P.CONTRACTS_EVALUATE,
        P.EVAL_AGENCIES_MANAGE, P.EVAL_GRADES_MANAGE, P.EVALUATIONS_ASSIGN, P.CLEARANCE_DECIDE,
        P.ACCOUNT_TWO_FACTOR, P.EXPERTS_MANAGE, P.EXPERTS_DRAWS_READ, P.INCUBATION_MANAGE,
        P.GRANTS_MANAGE, P.COMPLAINTS_READ, P.COMPLAINTS_MANAGE, P.COMPLAINTS_RESPOND,
        P.REDFLAGS_READ, P.CREDIT_READ, P.TARGETS_POPULATION,
    }),
    Role.TOWN_OFFICER: frozenset({P.ORGS_REVIEW_FILING, P.ORGS_READ_REGISTRY, P.CREDIT_READ}),
    Role.FINANCE: frozenset({P.CATALOGS_APPROVE, P.LEDGER_OPERATE, P.ORGS_READ_REGISTRY,
                             P.PAYMENTS_APPROVE, P.ACCOUNT_TWO_FACTOR, P.CREDIT_READ}),
    Role.DEPARTMENT: frozenset({P.CATALOGS_DRAFT, P.TENDERS_MANAGE, P.TENDERS_AWARD,
                                P.CONTRACTS_MANAGE, P.EVALUATIONS_ASSIGN,
                                P.COMPLAINTS_READ, P.COMPLAINTS_RESPOND, P.CREDIT_READ}),
    Role.ORGANIZATION: frozenset({P.ORGS_APPLY, P.ORGS_SUBMIT_ANNUAL_REPORT,
                                  P.ORGS_SUBMIT_DEPARTURE_AUDIT, P.TENDERS_BID, P.GRANTS_APPLY,
                                  P.TENDERS_CHALLENGE, P.CONTRACTS_DELIVER,
                                  P.EVAL_GRADES_APPLY}),
    Role.EVALUATOR: frozenset({P.CONTRACTS_EVALUATE, P.EVAL_RELATIONS_DECLARE,
                               P.EVAL_GRADES_SCORE}),
    Role.EXPERT: frozenset({P.TENDERS_SCORE, P.GRANTS_REVIEW}),
    Role.AUDITOR: frozenset({P.ORGS_READ_REGISTRY, P.AUDIT_LOG_READ, P.LEDGER_READ,
                             P.ACCOUNT_TWO_FACTOR, P.EXPERTS_DRAWS_READ, P.COMPLAINTS_READ,
                             P.REDFLAGS_READ, P.REDFLAGS_REVIEW, P.CREDIT_READ}),
}


def role_has(role: Role | str | None, permission: Permission) -> bool:
    if role is None:
        return False
    return permission in ROLE_PERMISSIONS.get(Role(role), frozenset())

"""The features an app is made of, in one place, and the checks before it may start.

Each feature package has one ``init_app(app)`` that registers, on that app only, its
blueprint(s), menu entries (``market.nav``), home panels (``market.home.panels``),
document access policies (``market.documents.access``), sealed-bid readers
(``market.tenders.sealed``), audit-log redactions (``market.auditlog.services``) and demo
seeders (``market.demo``). Nothing registers at import time.

``create_app`` calls ``init_app(app)`` below: every feature in order (dependencies first;
menu entries and panels of the same rank appear in this order), then ``check(app)``,
which refuses to start (``ConfigError``) an app with a document owner type nobody wrote a
policy for or without the sealed-bid redaction of the audit log.
"""
from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from market import (accounts, api, auditlog, auditor, catalogs, complaints, contracts, credit,
                    dashboard, disclosure, documents, experts, grading, grants, home,
                    incubation, ocds, orgs, performance, policy, redflags, tenders)
from market.config import ConfigError
from market.tenders import scoring

FEATURES: list[ModuleType] = [
    home,  # 首页
    accounts,  # 账户
    auditlog,  # 审计日志
    documents,  # 文件
    orgs,  # 社会组织登记与备案
    catalogs,  # 购买公共服务目录
    experts,  # 专家库
    tenders,  # 招标采购
    scoring,  # 评标
    contracts,  # 合同管理
    performance,  # 绩效评价
    incubation,  # 培育基地
    grading,  # 等级评估
    credit,  # 信用记录
    grants,  # 公益创投
    complaints,  # 投诉举报
    auditor,  # 审计监督
    api,  # 开放接口
    ocds,  # 开放合同数据 (OCDS)
    redflags,  # 风险提示
    disclosure,  # 信息公开
    dashboard,  # 政策目标
    policy,  # 现行规则
]


def init_app(app, features: Iterable | None = None) -> None:
    """Initialise ``features`` (default: all of ``FEATURES``) on ``app``, then check it.
    A feature is anything with ``init_app(app)``."""
    for feature in FEATURES if features is None else features:
        feature.init_app(app)
    check(app)


def check(app) -> None:
    """Refuse to start an app whose features leave a rule unwritten: every declared
    document owner type needs an access policy, and the audit log needs its required
    redactions (the sealed-bid one). Runs whatever features the app has: the database,
    and so the documents and the log, are shared by every app on it."""
    from market.auditlog import services as auditlog_services
    from market.documents import access as document_access

    problems = document_access.check(app) + auditlog_services.check(app)
    if problems:
        raise ConfigError("the app cannot start: " + "; ".join(problems))

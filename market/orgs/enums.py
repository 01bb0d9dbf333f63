"""The registry's vocabularies, stored by value, each with a translated label (the
words are in ``market.orgs.labels``)."""
from __future__ import annotations

from enum import StrEnum

from market.orgs.labels import LABELS


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return str(LABELS[type(self).__name__][self])

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        return [(m.value, LABELS[cls.__name__][m]) for m in cls]


class LegalForm(_Labelled):
    SOCIAL_GROUP = "social_group"  # 社会团体
    SOCIAL_SERVICE = "social_service"  # 社会服务机构（民办非企业单位）
    FOUNDATION = "foundation"  # 基金会


class Category(_Labelled):
    """The four categories that register directly with civil affairs, and the rest."""

    INDUSTRY = "industry"  # 行业协会商会类
    SCIENCE = "science"  # 科技类
    CHARITY = "charity"  # 公益慈善类
    COMMUNITY = "community"  # 城乡社区服务类
    OTHER = "other"  # 其他 — needs the supervising unit's prior approval


class Track(_Labelled):
    REGISTERED = "registered"  # 登记 — a legal person registered with civil affairs
    FILED = "filed"  # 备案 — a community organization filed at town level


class OrgStatus(_Labelled):
    PENDING = "pending"
    ACTIVE = "active"
    SUSPENDED = "suspended"  # 暂停活动
    CLEARED = "cleared"  # 清退
    REJECTED = "rejected"  # 不予登记 / 不予备案


class ApplicationState(_Labelled):
    SUBMITTED = "submitted"
    RETURNED = "returned"  # 退回补正
    APPROVED = "approved"
    REJECTED = "rejected"


class Decision(_Labelled):
    APPROVE = "approve"
    RETURN = "return"
    REJECT = "reject"


class InspectionResult(_Labelled):
    """年检结论."""

    PASS = "pass"  # 合格
    BASIC_PASS = "basic_pass"  # 基本合格
    FAIL = "fail"  # 不合格


class SanctionKind(_Labelled):
    """处罚/惩戒 — what civil affairs (or another authority) imposed. Every kind but
    ``investigation`` is an administrative penalty (行政处罚)."""

    WARNING = "warning"  # 警告
    FINE = "fine"  # 罚款
    CONFISCATION = "confiscation"  # 没收违法所得、非法财产
    SUSPENSION = "suspension"  # 限期停止活动
    REVOCATION = "revocation"  # 撤销登记
    PENALTY = "penalty"  # 其他行政处罚
    INVESTIGATION = "investigation"  # 立案调查 — not a penalty, but it excludes while open

    @property
    def is_penalty(self) -> bool:
        return self != SanctionKind.INVESTIGATION


DIRECT_CATEGORIES = frozenset({Category.INDUSTRY, Category.SCIENCE, Category.CHARITY,
                               Category.COMMUNITY})

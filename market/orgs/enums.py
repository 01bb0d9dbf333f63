"""The registry's vocabularies, stored by value, each with a translated label."""
from __future__ import annotations

from enum import StrEnum

from flask_babel import lazy_gettext as _l


class _Labelled(StrEnum):
    @property
    def label(self) -> str:
        return str(LABELS[type(self)][self])

    @classmethod
    def choices(cls) -> list[tuple[str, object]]:
        return [(m.value, LABELS[cls][m]) for m in cls]


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


# Keyed by enum class first: members of different enums share values ("rejected").
LABELS = {
    LegalForm: {
        LegalForm.SOCIAL_GROUP: _l("Social group"),
        LegalForm.SOCIAL_SERVICE: _l("Social service institution"),
        LegalForm.FOUNDATION: _l("Foundation"),
    },
    Category: {
        Category.INDUSTRY: _l("Industry association or chamber of commerce"),
        Category.SCIENCE: _l("Science and technology"),
        Category.CHARITY: _l("Public welfare and charity"),
        Category.COMMUNITY: _l("Urban and rural community service"),
        Category.OTHER: _l("Other"),
    },
    Track: {
        Track.REGISTERED: _l("Registered"),
        Track.FILED: _l("Filed"),
    },
    OrgStatus: {
        OrgStatus.PENDING: _l("Pending"),
        OrgStatus.ACTIVE: _l("Active"),
        OrgStatus.SUSPENDED: _l("Suspended"),
        OrgStatus.CLEARED: _l("Cleared out"),
        OrgStatus.REJECTED: _l("Not admitted"),
    },
    ApplicationState: {
        ApplicationState.SUBMITTED: _l("Awaiting review"),
        ApplicationState.RETURNED: _l("Returned for correction"),
        ApplicationState.APPROVED: _l("Approved"),
        ApplicationState.REJECTED: _l("Rejected"),
    },
    Decision: {
        Decision.APPROVE: _l("Approve"),
        Decision.RETURN: _l("Return for correction"),
        Decision.REJECT: _l("Reject"),
    },
    InspectionResult: {
        InspectionResult.PASS: _l("Qualified"),
        InspectionResult.BASIC_PASS: _l("Basically qualified"),
        InspectionResult.FAIL: _l("Unqualified"),
    },
}

DIRECT_CATEGORIES = frozenset({Category.INDUSTRY, Category.SCIENCE, Category.CHARITY,
                               Category.COMMUNITY})

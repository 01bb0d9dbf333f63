"""Demo of the grading rules: organizations excluded from grade evaluation for each reason
of 民政部令第39号 第七条, a clearance entry of each kind (never graded; graded long ago and
expired, or revoked; took part and reached no grade), and sanctions recorded through the
registry's service (one of them a serious violation). Idempotent: an organization that
exists is left as it is.

The organizations are imported as they stand in the legacy registry (as the registry's own
demo does); the sanctions go through ``market.orgs.sanctions.record_sanction`` and the
grade revocation through ``standing.change_grade``, so both are audit-logged.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Town, User
from market.auditlog.services import record
from market.clock import today_local
from market.documents.models import OwnerType
from market.documents.storage import Upload, prepare_document
from market.grading.grades import record_grade
from market.grading.services import standing
from market.orgs import sanctions
from market.orgs.demo import demo_code, minimal_pdf
from market.orgs.enums import Category as C
from market.orgs.enums import InspectionResult as R
from market.orgs.enums import LegalForm, OrgStatus, Track

from market.orgs.models import AnnualReport, Organization

G, S = LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE

# name, town, category, legal form, years before this one it was registered, and the
# story: ("exclusion", reason) or ("clearance", kind)
CASES = [
    ("昆山市旅游协会", "ZZ", C.INDUSTRY, G, 4, ("exclusion", "no_report")),
    ("昆山市物业管理协会", "YS", C.INDUSTRY, G, 4, ("exclusion", "failed")),
    ("昆山市法律援助志愿服务中心", "YS", C.CHARITY, S, 4, ("exclusion", "basic_twice")),
    ("昆山市体育舞蹈协会", "BC", C.OTHER, G, 4, ("exclusion", "penalty_last_year")),
    ("昆山市民办教育协会", "KFQ", C.OTHER, G, 4, ("exclusion", "penalty_in_force")),
    ("昆山市收藏鉴赏研究会", "JX", C.OTHER, G, 4, ("exclusion", "investigation")),
    ("昆山市外来务工人员服务中心", "HQ", C.COMMUNITY, S, 8, ("clearance", "never")),
    ("昆山市乡村振兴促进会", "ZP", C.COMMUNITY, G, 12, ("clearance", "expired")),
    ("昆山市社区矫正帮扶服务中心", "YS", C.CHARITY, S, 9, ("clearance", "revoked")),
    ("昆山市老年大学校友会", "YS", C.COMMUNITY, G, 6, ("clearance", "no_grade")),
]
AUTHORITY = "昆山市民政局"


def _years_ago(today: dt.date, years: int, month: int, day: int) -> dt.date:
    return dt.date(today.year - years, month, day)


def seed(session: Session) -> None:
    civil = session.scalar(select(User).where(User.username == "civil"))
    towns = {t.code: t for t in session.scalars(select(Town))}
    existing = set(session.scalars(select(Organization.name)))
    today = today_local()
    for index, (name, town, category, form, age, story) in enumerate(CASES):
        if name in existing or town not in towns:
            continue
        org = Organization(
            name=name, track=Track.REGISTERED, legal_form=form,
            credit_code=demo_code(300 + index, form), category=category,
            town_id=towns[town].id, legal_representative="钱立新",
            contact_name="孙晓燕", contact_phone=f"0512-5780{index:04d}",
            office_address=f"{towns[town].name_zh}学院路{20 + index}号",
            bank_name="江苏昆山农村商业银行", bank_account=f"3205 8300 {index:08d}",
            supervising_unit="昆山市文体广电和旅游局" if category == C.OTHER else None,
            no_official_declared=True, status=OrgStatus.ACTIVE,
            registered_on=_years_ago(today, age, 3, 15))
        session.add(org)
        session.flush()
        record(session, None, "organization", org.id, "import", None, org.status.value,
               "imported from the legacy registry (demo)")
        _reports(session, org, story, today)
        _story(session, civil, org, story, today)
    session.flush()


def _reports(session: Session, org: Organization, story, today: dt.date) -> None:
    """Annual reports from the registration year to last year, all qualified except where
    the story says otherwise."""
    last = today.year - 1
    for year in range(max(org.registered_on.year, last - 2), last + 1):
        result = R.PASS
        if story == ("exclusion", "no_report") and year == last:
            continue
        if story == ("exclusion", "failed") and year == last:
            result = R.FAIL
        if story == ("exclusion", "basic_twice") and year >= last - 1:
            result = R.BASIC_PASS
        doc = prepare_document(session, Upload(f"{year}年度财务审计报告.pdf",
                                               minimal_pdf(f"Audit report {year}")),
                               owner_type=OwnerType.ORGANIZATION, owner_id=org.id,
                               purpose="annual_audit_report", actor=None)
        report = AnnualReport(
            organization_id=org.id, year=year, income=Decimal("320000.00"),
            expenditure=Decimal("287500.00"), net_assets=Decimal("96000.00"), staff_count=6,
            audit_report=doc, submitted_at=dt.datetime(year + 1, 4, 18, 2, tzinfo=dt.UTC),
            result=result, result_comment=None if result == R.PASS
            else "财务管理不规范，未按规定建立会计账簿。",
            reviewed_at=dt.datetime(year + 1, 6, 12, 2, tzinfo=dt.UTC))
        session.add(report)
        session.flush()
        record(session, None, "annual_report", report.id, "inspect", "submitted",
               result.value, report.result_comment)


def _story(session: Session, civil: User | None, org: Organization, story,
           today: dt.date) -> None:
    kind, what = story
    last = today.year - 1
    if kind == "exclusion" and civil is not None:
        if what == "penalty_last_year":
            sanctions.record_sanction(
                session, civil, org.id, kind="fine", imposed_on=dt.date(last, 8, 20),
                ends_on=dt.date(last, 9, 10), authority=AUTHORITY,
                reason="未按规定办理负责人变更登记，处以罚款，已缴纳。",
                document_ref=f"昆民罚字〔{last}〕第7号")
        elif what == "penalty_in_force":
            sanctions.record_sanction(
                session, civil, org.id, kind="suspension", serious=True,
                imposed_on=today - dt.timedelta(days=40), authority=AUTHORITY,
                reason="违规收取培训费用，情节严重，责令限期停止活动并整改。",
                document_ref=f"昆民罚字〔{today.year}〕第3号")
        elif what == "investigation":
            sanctions.record_sanction(
                session, civil, org.id, kind="investigation",
                imposed_on=today - dt.timedelta(days=75), authority="昆山市市场监督管理局",
                reason="涉嫌以鉴定名义违规收费，已立案调查。",
                document_ref=f"昆市监立字〔{today.year}〕第112号")
    elif what == "expired":  # graded 2A long ago; the grade expired, never evaluated since
        record_grade(session, org.id, 2, _years_ago(today, 10, 5, 20), source="legacy",
                     note="评估等级（导入）")
    elif what == "revoked" and civil is not None:  # 3A, revoked after a penalty
        graded = _years_ago(today, 7, 6, 1)
        record_grade(session, org.id, 3, graded, source="legacy", note="评估等级（导入）")
        standing.change_grade(session, civil, org.id, 0,
                              "受到行政处罚，依规撤销评估等级。",
                              effective=_years_ago(today, 4, 9, 1), correction=True,
                              # a decision taken on paper years ago, entered late (补录)
                              correction_reason="补录：撤销决定作出时平台尚未上线，据纸质档案录入。")
    elif what == "no_grade":  # took part last year and reached no grade
        record_grade(session, org.id, 0, dt.date(last, 11, 28), source="evaluation",
                     note=f"{last}年度等级评估：未达到等级")

"""Demo complaints (run by ``flask demo seed``, idempotent), filed through the service and
then moved back in time: one about an organization, answered and upheld by civil affairs;
one about a published tender, routed to its department and overdue; one just received,
waiting to be routed (with a contact, seen only by civil affairs and the department)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import User
from market.clock import now
from market.complaints import services
from market.complaints.models import Complaint, Outcome, SubjectKind
from market.orgs.enums import OrgStatus
from market.orgs.models import Organization
from market.tenders.models import Tender

UPHELD_TEXT = ("该机构承接的社区养老服务项目中，上门服务次数长期少于公示的服务承诺，"
               "多名老人反映服务记录与实际不符。")
OVERDUE_TEXT = "招标公告中的服务人数要求与采购需求不一致，潜在供应商无法据此编制投标文件。"
NEW_TEXT = "该机构宣传的青少年课后托管服务在暑期停止，但公示仍显示正常开展。"


def _file(session: Session, kind: SubjectKind, subject_id: int, text: str, days_ago: int,
          **contact) -> Complaint:
    filed = services.file_complaint(session, services.ComplaintData(
        kind, subject_id, text, anonymous=not contact, **contact)).complaint
    filed.filed_at = now() - dt.timedelta(days=days_ago)
    filed.due_at = services.due_at(session, filed.filed_at)
    return filed


def seed(session: Session) -> None:
    if session.scalar(select(Complaint.id).limit(1)) is not None:
        return
    civil = session.scalar(select(User).where(User.username == "civil"))
    org = session.scalar(select(Organization).where(Organization.status == OrgStatus.ACTIVE)
                         .order_by(Organization.id))
    tender = session.scalar(select(Tender).where(Tender.published_at.is_not(None))
                            .order_by(Tender.id))
    if civil is None or org is None:
        return
    upheld = _file(session, SubjectKind.ORGANIZATION, org.id, UPHELD_TEXT, 60)
    services.route(session, civil, upheld.id, None)
    services.respond(session, civil, upheld.id, Outcome.UPHELD,
                     "经民政局核查服务记录和回访，上门服务次数不足属实，已责令限期整改并纳入信用记录。")
    upheld.routed_at = upheld.filed_at + dt.timedelta(days=2)
    upheld.answered_at = upheld.filed_at + dt.timedelta(days=20)
    if tender is not None:
        late = _file(session, SubjectKind.TENDER, tender.id, OVERDUE_TEXT, 70)
        services.route(session, civil, late.id, tender.department_id)
        late.routed_at = late.filed_at + dt.timedelta(days=1)
    _file(session, SubjectKind.ORGANIZATION, org.id, NEW_TEXT, 0,
          contact_name="王女士", contact_phone="139 0000 1234")
    session.flush()

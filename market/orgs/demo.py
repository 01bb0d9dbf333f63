"""Demo registry: a few dozen Kunshan organizations across categories, towns and states.

Organizations registered before the platform existed are imported as they stand (no
application); the pending ones go through the real services. Idempotent.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Town, User
from market.access.permissions import Role
from market.accounts.services import create_user
from market.auditlog.services import record
from market.clock import now, today_local
from market.demo import DEMO_PASSWORD
from market.money import CENT
from market.documents.models import OwnerType
from market.documents.storage import Upload, prepare_document
from market.orgs import credit_code
from market.orgs.applications import decide_application, submit_application
from market.orgs.enums import Category as C
from market.orgs.enums import Decision, InspectionResult, LegalForm, OrgStatus, Track
from market.orgs.models import AnnualReport, DepartureAudit, Organization
from market.orgs.rules import OrgDetails

G, S, F = LegalForm.SOCIAL_GROUP, LegalForm.SOCIAL_SERVICE, LegalForm.FOUNDATION
KUNSHAN = "320583"  # 昆山市 administrative division code
LINKED_ORG = "昆山市阳光社工服务中心"  # the demo user ``org`` acts for it

# name, town, category, legal form (None: filed), registered in, industry code, status,
# supervising unit / status reason
REGISTRY = [
    (LINKED_ORG, "YS", C.CHARITY, S, 2016, None, "active", None),
    ("昆山市慈善基金会", "YS", C.CHARITY, F, 2015, None, "active", None),
    ("昆山市电子信息行业协会", "KFQ", C.INDUSTRY, G, 2015, "C39", "active", None),
    ("昆山市模具工业协会", "ZS", C.INDUSTRY, G, 2017, "C3525", "active", None),
    ("昆山市自行车行业协会", "ZP", C.INDUSTRY, G, 2018, "C3761", "active", None),
    ("昆山市软件行业协会", "GXQ", C.INDUSTRY, G, 2019, "I65", "active", None),
    ("花桥经济开发区现代服务业商会", "HQ", C.INDUSTRY, G, 2020, "L72", "active", None),
    ("昆山市物流行业协会", "HQ", C.INDUSTRY, G, 2021, "G58", "active", None),
    ("昆山市餐饮行业协会", "YS", C.INDUSTRY, G, 2022, "H62", "active", None),
    ("昆山市机器人学会", "GXQ", C.SCIENCE, G, 2019, None, "active", None),
    ("昆山市计算机学会", "YS", C.SCIENCE, G, 2016, None, "active", None),
    ("昆山市智能制造研究会", "KFQ", C.SCIENCE, G, 2021, None, "active", None),
    ("昆山市青少年科技教育中心", "YS", C.SCIENCE, S, 2018, None, "active", None),
    ("玉山镇邻里互助协会", "YS", C.COMMUNITY, G, 2017, None, "active", None),
    ("周市镇居家养老服务中心", "ZS", C.COMMUNITY, S, 2016, None, "active", None),
    ("巴城镇乐龄之家服务中心", "BC", C.COMMUNITY, S, 2020, None, "active", None),
    ("陆家镇社区志愿者协会", "LJ", C.COMMUNITY, G, 2019, None, "active", None),
    ("千灯镇残疾人康复服务中心", "QD", C.COMMUNITY, S, 2018, None, "active", None),
    ("张浦镇新市民融合服务中心", "ZP", C.COMMUNITY, S, 2022, None, "active", None),
    ("昆山市婚姻家庭调解服务中心", "YS", C.COMMUNITY, S, 2023, None, "active", None),
    ("昆山市助学促进会", "YS", C.CHARITY, G, 2015, None, "active", None),
    ("昆山市微笑公益服务社", "KFQ", C.CHARITY, S, 2021, None, "active", None),
    ("昆山市爱心助残基金会", "YS", C.CHARITY, F, 2019, None, "active", None),
    ("昆山市心理健康服务中心", "YS", C.CHARITY, S, 2023, None, "active", None),
    ("昆山市家庭教育指导服务中心", "YS", C.CHARITY, S, 2024, None, "active", None),
    ("淀山湖镇生态环境保护协会", "DSH", C.CHARITY, G, 2020, None, "active", None),
    ("昆山市健康促进会", "YS", C.CHARITY, G, 2025, None, "active", None),
    ("周庄镇水乡文化研究会", "ZZ", C.OTHER, G, 2017, None, "active", "昆山市文体广电和旅游局"),
    ("锦溪镇民间收藏协会", "JX", C.OTHER, G, 2018, None, "active", "昆山市文体广电和旅游局"),
    ("昆山市书法家协会", "YS", C.OTHER, G, 2016, None, "active", "昆山市文学艺术界联合会"),
    ("昆山市创新创业促进会", "KFQ", C.SCIENCE, G, 2016, None, "suspended",
     "上一年度年检不合格，责令限期整改，整改期间暂停活动。"),
    ("昆山市红木家具行业协会", "ZP", C.INDUSTRY, G, 2017, "C2140", "suspended",
     "未按期报送年度报告，暂停活动至补报完成。"),
    ("昆山市民俗文化交流中心", "ZS", C.OTHER, S, 2015, None, "cleared",
     "连续三年未参加等级评估且年检不合格，依规清退。"),
    # 备案 — community organizations filed with their town
    ("玉山镇朝阳社区文体队", "YS", C.COMMUNITY, None, 2019, None, "active", None),
    ("玉山镇同心社区老年协会", "YS", C.COMMUNITY, None, 2018, None, "active", None),
    ("巴城镇正仪社区读书会", "BC", C.COMMUNITY, None, 2021, None, "active", None),
    ("花桥镇绿地社区亲子互助会", "HQ", C.COMMUNITY, None, 2022, None, "active", None),
    ("千灯镇歇马桥村睦邻志愿队", "QD", C.COMMUNITY, None, 2020, None, "active", None),
]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = ["建国", "秀英", "志强", "丽华", "伟", "敏", "静", "磊", "洁", "军", "芳", "勇", "燕", "杰",
         "娟", "涛", "明", "霞", "平", "刚"]
BANKS = ["中国工商银行昆山分行", "中国农业银行昆山分行", "中国银行昆山分行", "中国建设银行昆山分行",
         "江苏昆山农村商业银行", "交通银行昆山分行"]

# Applications still under way: applicant username, track, details, and what happens next.
PENDING = [
    ("applicant1", Track.REGISTERED, dict(name="昆山市环保志愿者联合会", town="YS",
                                          category=C.CHARITY, legal_form=G), None),
    ("applicant2", Track.REGISTERED, dict(name="昆山市新能源汽车产业协会", town="GXQ",
                                          category=C.INDUSTRY, legal_form=G,
                                          industry_code="C3612"), None),
    ("applicant3", Track.REGISTERED, dict(name="昆山市传统戏曲研究会", town="ZZ",
                                          category=C.OTHER, legal_form=G,
                                          supervising_unit="昆山市文体广电和旅游局"),
     "前置审批文件未加盖业务主管单位公章，章程草案缺少会员大会表决记录，请补正后重新提交。"),
    ("applicant4", Track.FILED, dict(name="玉山镇城北社区邻里守望队", town="YS",
                                     category=C.COMMUNITY), None),
    ("applicant5", Track.FILED, dict(name="周市镇永共村乡贤议事会", town="ZS",
                                     category=C.COMMUNITY), None),
]


def demo_code(index: int, legal_form: LegalForm) -> str:
    """A valid, deterministic credit code for the index-th demo organization."""
    type_char = {G: "1", S: "2", F: "3"}[legal_form]
    return credit_code.build("5", type_char, KUNSHAN, f"MJ{560000 + index * 137:06d}")


def minimal_pdf(text: str) -> bytes:
    """A small valid one-page PDF saying ``text`` (ASCII), for demo documents."""
    safe = text.encode("ascii", "replace").replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + safe + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
        b"<< /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"\
        .encode()
    return bytes(out)


def _person(i: int) -> str:
    return SURNAMES[(i * 7) % len(SURNAMES)] + GIVEN[(i * 3) % len(GIVEN)]


def _account(i: int) -> str:
    return f"1102 {(2417 + i * 7919) % 10000:04d} {(5113 + i * 104729) % 10**8:08d} {i % 97:03d}"


def _phone(i: int) -> str:
    return f"0512-5{(7300000 + i * 4111) % 10000000:07d}"


def seed(session: Session) -> None:
    towns = {t.code: t for t in session.scalars(select(Town))}
    civil = session.scalar(select(User).where(User.username == "civil"))
    existing = set(session.scalars(select(Organization.name)))
    # Bulk-loaded in three flushes: organizations, then their records, then the audit log.
    new = [(index, _org_row(towns, index, *row)) for index, row in enumerate(REGISTRY)
           if row[0] not in existing]
    session.add_all(org for _, org in new)
    session.flush()
    records = []
    for index, org in new:
        records.append(("organization", org, "import", None, org.status.value,
                        "imported from the legacy registry (demo)"))
        if not org.is_filed:
            records += _annual_reports(session, org, index)
        if index == 1:  # the foundation changed its legal representative last year
            records += _departure_audit(session, org, index)
    session.flush()
    for object_type, obj, action, from_state, to_state, reason in records:
        record(session, None, object_type, obj.id, action, from_state, to_state, reason)
    _link_demo_user(session)
    for username, track, fields, return_reason in PENDING:
        _pending(session, towns, civil, username, track, fields, return_reason)
    session.flush()


def _org_row(towns, index, name, town, category, legal_form, year, industry, status, note
             ) -> Organization:
    filed = legal_form is None
    return Organization(
        name=name, track=Track.FILED if filed else Track.REGISTERED, legal_form=legal_form,
        credit_code=None if filed else demo_code(index, legal_form), category=category,
        industry_code=industry, town_id=towns[town].id, legal_representative=_person(index),
        contact_name=_person(index + 50), contact_phone=_phone(index),
        office_address=f"{towns[town].name_zh}{['前进', '人民', '朝阳', '长江', '黄河'][index % 5]}路"
                       f"{100 + index * 3}号",
        bank_name=None if filed else BANKS[index % len(BANKS)],
        bank_account=None if filed else _account(index),
        supervising_unit=note if category == C.OTHER and status == "active" else None,
        no_official_declared=not filed, party_org_established=index % 3 != 1,
        status=OrgStatus(status), registered_on=dt.date(year, 1 + (index * 5) % 12,
                                                        1 + (index * 11) % 28),
        status_reason=note if status in ("suspended", "cleared") else None)


def _pdf(session, org, filename: str, text: str, purpose: str):
    return prepare_document(session, Upload(filename, minimal_pdf(text)),
                            owner_type=OwnerType.ORGANIZATION, owner_id=org.id, purpose=purpose,
                            actor=None)


def _annual_reports(session, org, index) -> list[tuple]:
    records = []
    last = today_local().year - 1
    for year in range(max(org.registered_on.year, last - 2), last + 1):
        if org.name == LINKED_ORG and year == last - 2:
            continue  # leaves the demo user a report to do (an older year still owed)
        if org.status == OrgStatus.SUSPENDED and year == last:
            continue
        doc = _pdf(session, org, f"{year}年度财务审计报告.pdf",
                   f"Audit report {year} - org {org.id}", "annual_audit_report")
        income = Decimal(150000 + (index * 37919 + year * 101) % 2400000)
        spent = (income * Decimal("0.87")).quantize(CENT)
        result = None if (year == last and index % 4 == 0 and org.name != LINKED_ORG) else (
            # the demo user's last inspection was only basically passed: tenders that
            # require 合格 show it as an unmet provider condition (market/tenders/demo.py)
            InspectionResult.BASIC_PASS if (org.name == LINKED_ORG and year == last)
            else InspectionResult.FAIL if org.status == OrgStatus.CLEARED
            else InspectionResult.BASIC_PASS if (index + year) % 7 == 0 else InspectionResult.PASS)
        report = AnnualReport(
            organization_id=org.id, year=year, income=income, expenditure=spent,
            net_assets=Decimal(50000 + index * 1000) + income - spent,
            staff_count=3 + (index * 5 + year) % 40,
            party_org_established=org.party_org_established,
            party_building="党支部按期开展组织生活，党员参与志愿服务。" if org.party_org_established else None,
            audit_report=doc, submitted_at=dt.datetime(year + 1, 4, 20, 2, tzinfo=dt.UTC),
            result=result, result_comment=None if result in (None, InspectionResult.PASS)
            else "财务制度执行不够规范，请加强内部控制。",
            reviewed_at=dt.datetime(year + 1, 6, 10, 2, tzinfo=dt.UTC) if result else None)
        session.add(report)
        records += [("document", doc, "upload", None, doc.purpose, None),
                    ("annual_report", report, "submit", None, "submitted", None)]
        if result:
            records.append(("annual_report", report, "inspect", "submitted", result.value,
                            report.result_comment))
    return records


def _departure_audit(session, org, index) -> list[tuple]:
    doc = _pdf(session, org, "离任审计报告.pdf", "Departure audit", "departure_audit_report")
    outgoing = _person(index + 90)
    audit = DepartureAudit(
        organization_id=org.id, outgoing_representative=outgoing,
        incoming_representative=org.legal_representative,
        departure_date=dt.date(today_local().year - 1, 3, 31), audit_report=doc,
        recorded_at=now())
    session.add(audit)
    change = f"{outgoing} → {org.legal_representative}"
    return [("document", doc, "upload", None, doc.purpose, None),
            ("departure_audit", audit, "record", None, "recorded", change),
            ("organization", org, "change_legal_representative", None, None, change)]


def _link_demo_user(session) -> None:
    user = session.scalar(select(User).where(User.username == "org"))
    org = session.scalar(select(Organization).where(Organization.name == LINKED_ORG))
    if user is not None and org is not None and user.organization_id is None:
        user.organization_id = org.id
        record(session, None, "user", user.id, "link_organization", None, str(org.id))


def _pending(session, towns, civil, username, track, fields, return_reason) -> None:
    if session.scalar(select(User.id).where(User.username == username)):
        return
    index = 100 + int(username[-1])
    user = create_user(session, username=username, password=DEMO_PASSWORD,
                       display_name=f"{fields['name']}筹备组", role=Role.ORGANIZATION)
    legal_form = fields.get("legal_form")
    details = OrgDetails(
        name=fields["name"], town_id=towns[fields["town"]].id, category=fields["category"].value,
        legal_representative=_person(index), contact_name=_person(index + 1),
        contact_phone=_phone(index), office_address=f"{towns[fields['town']].name_zh}文化路{index}号",
        party_org_established=False,
        credit_code=demo_code(index, legal_form) if legal_form else None,
        legal_form=legal_form.value if legal_form else None,
        industry_code=fields.get("industry_code"),
        bank_name=BANKS[index % len(BANKS)] if legal_form else None,
        bank_account=_account(index) if legal_form else None,
        supervising_unit=fields.get("supervising_unit"), no_official_declared=bool(legal_form))
    prior = Upload("前置审批文件.pdf", minimal_pdf("Prior approval")) \
        if fields["category"] == C.OTHER else None
    application = submit_application(session, user, details, track, prior_approval=prior)
    if return_reason and civil is not None:
        decide_application(session, civil, application.id, Decision.RETURN, return_reason)


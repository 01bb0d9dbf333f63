"""Checking what an applicant entered: the organization's particulars, per track."""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from market.accounts.models import Town
from market.errors import Checks, Conflict, Invalid
from market.orgs import credit_code as uscc
from market.orgs.enums import DIRECT_CATEGORIES, Category, LegalForm, OrgStatus, Track
from market.orgs.models import Organization

INDUSTRY_CODE = re.compile(r"^[A-T](\d{2,4})?$")  # GB/T 4754: section letter, then 2–4 digits
PHONE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}[0-9]$")
BANK_ACCOUNT = re.compile(r"^[0-9][0-9 \-]{6,38}[0-9]$")
# Credit-code type character (position 2) of an organization registered with civil affairs.
CIVIL_AFFAIRS_TYPE = {LegalForm.SOCIAL_GROUP: "1", LegalForm.SOCIAL_SERVICE: "2",
                      LegalForm.FOUNDATION: "3"}


@dataclass
class OrgDetails:
    """What an applicant states about its organization (plain values from any front end)."""

    name: str = ""
    town_id: int | None = None
    category: str = Category.COMMUNITY.value
    legal_representative: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    office_address: str = ""
    party_org_established: bool = False
    # Registration only (optional for a filing):
    credit_code: str | None = None
    legal_form: str | None = None
    industry_code: str | None = None
    bank_name: str | None = None
    bank_account: str | None = None
    supervising_unit: str | None = None
    no_official_declared: bool = False

    def stripped(self) -> OrgDetails:
        """A copy with surrounding spaces removed and empty strings made None."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}
        return dataclasses.replace(self, **{
            k: (v.strip() or None) if isinstance(v, str) else v for k, v in values.items()})


REQUIRED_ALWAYS = {
    "name": _l("Please enter the organization's name."),
    "town_id": _l("Please choose the town or district."),
    "legal_representative": _l("Please enter the legal representative or person in charge."),
    "contact_name": _l("Please enter a contact person."),
    "contact_phone": _l("Please enter the contact phone number."),
    "office_address": _l("Please enter the office address."),
}
REQUIRED_FOR_REGISTRATION = {
    "credit_code": _l("Please enter the unified social credit code."),
    "legal_form": _l("Please choose the legal form."),
    "bank_name": _l("Please enter the bank of the organization's own account."),
    "bank_account": _l("Please enter the number of the organization's own bank account."),
}


def check_details(session: Session, details: OrgDetails, track: Track, *,
                  organization_id: int | None = None) -> OrgDetails:
    """The cleaned particulars, or every problem found at once, each with its field
    (:class:`~market.errors.Problems`; one problem alone: its Invalid or Conflict)."""
    d = details.stripped()
    checks = Checks()
    required = dict(REQUIRED_ALWAYS)
    if track == Track.REGISTERED:
        required.update(REQUIRED_FOR_REGISTRATION)
    missing = {field for field, _m in required.items() if getattr(d, field) in (None, "")}
    for field, message in required.items():
        if field in missing:
            checks.add(field, message)
    if "town_id" not in missing and session.get(Town, d.town_id) is None:
        checks.add("town_id", _l("Please choose the town or district."))
    category = checks.run(_enum, Category, d.category, "category") \
        if "category" not in missing else None
    if track == Track.FILED and category is not None and category not in DIRECT_CATEGORIES:
        checks.add("category", _l("Filing is for community organizations; choose one of the "
                                  "four direct categories."))
    legal_form = checks.run(_enum, LegalForm, d.legal_form, "legal_form") \
        if d.legal_form else None
    if d.credit_code:
        code = checks.run(uscc.validate, d.credit_code)
        if code is not None:
            d.credit_code = code
            if (legal_form and code[0] == uscc.CIVIL_AFFAIRS
                    and code[1] != CIVIL_AFFAIRS_TYPE[legal_form]):
                checks.add("credit_code", _l(
                    "The credit code's second character does not match the chosen legal "
                    "form (1 social group, 2 social service institution, 3 foundation)."))
    if category == Category.INDUSTRY:
        if not d.industry_code:
            checks.add("industry_code", _l("Industry associations and chambers must give "
                                           "their GB/T 4754 industry code."))
        else:
            d.industry_code = d.industry_code.upper()
            if not INDUSTRY_CODE.match(d.industry_code):
                checks.add("industry_code", _l(
                    "An industry code is a section letter A–T, optionally followed by 2 to 4 "
                    "digits (for example C or C3612)."))
    else:
        d.industry_code = None
    if "contact_phone" not in missing and not PHONE.match(d.contact_phone or ""):
        checks.add("contact_phone", _l("Please enter a valid phone number."))
    if d.bank_account and not BANK_ACCOUNT.match(d.bank_account):
        checks.add("bank_account", _l("A bank account number has 8 to 40 digits."))
    if track == Track.REGISTERED:
        if category == Category.OTHER and not d.supervising_unit:
            checks.add("supervising_unit", _l("Organizations of other categories need a "
                                              "supervising unit; please name it."))
        if not d.no_official_declared:
            checks.add("no_official_declared", _l(
                "The declaration that no serving official holds a post in the organization "
                "must be ticked."))
    if category != Category.OTHER:
        d.supervising_unit = None
    if d.credit_code and not any(f == "credit_code" for f, _m in checks.problems):
        if checks:  # reported with the rest; alone it stays a 409 Conflict
            try:
                check_code_free(session, d.credit_code, organization_id)
            except Conflict as e:
                checks.add(e.field, e.message)
        else:
            check_code_free(session, d.credit_code, organization_id)
    checks.done()
    d.category, d.legal_form = category, legal_form
    return d


def check_code_free(session: Session, code: str, organization_id: int | None) -> None:
    holder = session.scalar(select(Organization).where(Organization.credit_code == code))
    if holder is not None and holder.id != organization_id:
        raise Conflict(_l("An organization with this unified social credit code is already "
                          "registered or has applied; a code can be used only once."),
                       field="credit_code")


def reusable_rejected(session: Session, code: str | None, applicant_id: int):
    """The applicant's own rejected organization with this code, which it may apply for again."""
    if not code or not uscc.is_valid(code):
        return None
    org = session.scalar(select(Organization).where(
        Organization.credit_code == uscc.normalize(code)))
    if (org is not None and org.status == OrgStatus.REJECTED and org.latest_application
            and org.latest_application.applicant_id == applicant_id):
        return org
    return None


def _enum(enum_cls, value, field: str):
    try:
        return enum_cls(value)
    except ValueError:
        raise Invalid(_l("Please choose one of the offered options."), field=field) from None

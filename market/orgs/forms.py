"""WTForms for the registry. They check presence and shape; the services check the rules."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, IntegerField, RadioField,
                     SelectField, StringField, TextAreaField)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from market.core.forms import MoneyField, YearBounds, whole_number
from market.orgs.enums import (DIRECT_CATEGORIES, Category, Decision, InspectionResult,
                               LegalForm, SanctionKind)
from market.orgs.reporting import AnnualFigures
from market.orgs.rules import OrgDetails

REQUIRED = _l("This field is required.")


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


def _int_or_none(value):
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _req(max_len: int):
    return [DataRequired(REQUIRED), Length(max=max_len)]


class _OrgForm(FlaskForm):
    name = StringField(_l("Organization name"), validators=_req(200))
    category = SelectField(_l("Category"), choices=options(Category.choices()),
                           default=Category.COMMUNITY.value)
    town_id = SelectField(_l("Town or district"), coerce=_int_or_none,
                          validators=[DataRequired(REQUIRED)])
    legal_representative = StringField(_l("Legal representative"), validators=_req(100))
    contact_name = StringField(_l("Contact person"), validators=_req(100))
    contact_phone = StringField(_l("Contact phone"), validators=_req(40))
    office_address = StringField(_l("Office address"), validators=_req(300))
    party_org_established = BooleanField(_l("A party organization has been established in the "
                                            "organization"))

    def set_towns(self, towns, locale: str) -> None:
        self.town_id.choices = options([("", _l("— choose —"))] + [
            (t.id, t.name_zh if locale == "zh" else t.name_en) for t in towns])

    def details(self) -> OrgDetails:
        names = {f.name for f in OrgDetails.__dataclass_fields__.values()}
        return OrgDetails(**{k: v.data for k, v in self._fields.items() if k in names})

    def fill_from(self, org) -> None:
        for name, f in self._fields.items():
            if hasattr(org, name) and name != "csrf_token":
                value = getattr(org, name)
                f.data = value.value if hasattr(value, "value") else value


class RegistrationForm(_OrgForm):
    """登记 — a legal person registering with civil affairs."""

    credit_code = StringField(_l("Unified social credit code"), validators=_req(30))
    legal_form = SelectField(_l("Legal form"), choices=options(LegalForm.choices()))
    industry_code = StringField(_l("Industry code (GB/T 4754)"),
                                validators=[Optional(), Length(max=5)])
    bank_name = StringField(_l("Bank of the organization's own account"), validators=_req(100))
    bank_account = StringField(_l("Account number"), validators=_req(40))
    supervising_unit = StringField(_l("Supervising unit"), validators=[Optional(),
                                                                       Length(max=200)])
    prior_approval = FileField(_l("Supervising unit's prior-approval document"))
    no_official_declared = BooleanField(_l("We declare that no serving party or government "
                                           "official holds a post in this organization"))


class FilingForm(_OrgForm):
    """备案 — a community organization filed at its town."""

    category = SelectField(_l("Category"), choices=options([
        c for c in Category.choices() if Category(c[0]) in DIRECT_CATEGORIES]),
        default=Category.COMMUNITY.value)
    legal_representative = StringField(_l("Person in charge"), validators=_req(100))
    office_address = StringField(_l("Place of activity"), validators=_req(300))


class DecisionForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=options(Decision.choices()),
                          validators=[InputRequired(REQUIRED)])
    reason = TextAreaField(_l("Reasons (required to return or reject)"),
                           validators=[Optional(), Length(max=2000)])
    # An approval registers the organization (legal effect): the officer confirms it
    # explicitly, with or without JavaScript.
    confirmed = BooleanField(_l("I have checked this application and approve it; the "
                                "organization is registered and shown publicly."))

    def validate_confirmed(self, field):
        if self.decision.data == Decision.APPROVE.value and not field.data:
            raise ValidationError(str(_l("Tick the box to confirm the approval.")))


class StatusForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=2000)])


class AnnualReportForm(FlaskForm):
    year = SelectField(_l("Year"), coerce=_int_or_none, validators=[DataRequired(REQUIRED)])
    income = MoneyField(_l("Income (yuan)"), [InputRequired(REQUIRED)], allow_zero=True)
    expenditure = MoneyField(_l("Expenditure (yuan)"), [InputRequired(REQUIRED)],
                             allow_zero=True)
    net_assets = MoneyField(_l("Net assets (yuan)"), [InputRequired(REQUIRED)],
                            allow_zero=True, allow_negative=True)
    staff_count = IntegerField(_l("Staff"), validators=[InputRequired(REQUIRED),
                                                        whole_number()])
    party_org_established = BooleanField(_l("A party organization is established"))
    party_building = TextAreaField(_l("Party-building work this year"),
                                   validators=[Optional(), Length(max=4000)])
    audit_report = FileField(_l("Annual financial audit report (PDF)"))

    def figures(self) -> AnnualFigures:
        return AnnualFigures(year=self.year.data, income=self.income.data,
                             expenditure=self.expenditure.data, net_assets=self.net_assets.data,
                             staff_count=self.staff_count.data,
                             party_org_established=self.party_org_established.data,
                             party_building=self.party_building.data)


class InspectionForm(FlaskForm):
    result = RadioField(_l("Inspection result"), choices=options(InspectionResult.choices()),
                        validators=[InputRequired(REQUIRED)])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=2000)])


class DepartureAuditForm(FlaskForm):
    outgoing = StringField(_l("Outgoing legal representative"), validators=_req(100))
    incoming = StringField(_l("Incoming legal representative"), validators=_req(100))
    departure_date = DateField(_l("Date of departure"),
                               validators=[InputRequired(REQUIRED), YearBounds()])
    audit_report = FileField(_l("Departure audit report (PDF)"))


class SanctionForm(FlaskForm):
    """处罚/惩戒 — civil affairs records a penalty or investigation from its decision."""

    kind = SelectField(_l("Kind"), choices=options(SanctionKind.choices()))
    serious = BooleanField(_l("Serious violation"))  # 严重违法
    imposed_on = DateField(_l("Date of the decision"),
                           validators=[InputRequired(REQUIRED), YearBounds()])
    ends_on = DateField(_l("In force until (leave empty while not executed or lifted)"),
                        validators=[Optional(), YearBounds()])
    authority = StringField(_l("Deciding authority"), validators=_req(200))
    document_ref = StringField(_l("Decision document number"),
                               validators=[Optional(), Length(max=100)])
    reason = TextAreaField(_l("Grounds"), validators=_req(5000))
    confirm = BooleanField(_l("I have checked these particulars against the decision "
                              "document; record the penalty."),
                           validators=[DataRequired(_l("Please confirm that the particulars "
                                                       "match the decision document."))])


class SanctionEndForm(FlaskForm):
    ended_on = DateField(_l("Last day in force"),
                         validators=[InputRequired(REQUIRED), YearBounds()])
    note = TextAreaField(_l("How it ended (executed, lifted, case closed)"),
                         validators=_req(2000))

"""Incubation pages: public bases with the organizations they host; civil affairs records
bases, admissions, graduations, yearly evaluations and rewards (paid after confirmation)."""
from __future__ import annotations

from flask import Blueprint, abort, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.clock import today_local
from market.core.forms import form_page
from market.core.listing import Column, Listing, local_name
from market.db import get_session
from market.documents.storage import upload_from
from market.incubation import access, queries, services
from market.incubation.forms import (AdmitForm, BaseForm, ConfirmForm, EvaluationForm,
                                     GraduateForm, RewardForm, WithdrawForm)
from market.incubation.labels import LEVEL_LABELS, REWARD_STATUS_LABELS, service_label
from market.incubation.models import Residency, Reward
from market.money import format_money

bp = Blueprint("incubation", __name__, url_prefix="/incubation")


@bp.app_context_processor
def _helpers():
    return {"incubation_level_label": lambda v: LEVEL_LABELS[v],
            "incubation_service_label": service_label,
            "incubation_reward_label": lambda v: REWARD_STATUS_LABELS[v],
            "incubation_of": _incubation_of,
            "incubation_waiting": lambda: queries.waiting_rewards(get_session())}


def _incubation_of(org_id: int) -> dict:
    """What the organization's public page shows: its stays in bases, the bases it runs."""
    session = get_session()
    return {"residencies": queries.residencies_of(session, org_id),
            "operated": queries.operated_by(session, org_id)}


BASES = Listing("incubation-bases", _l("Incubation bases"), (
    Column(_l("Base"), lambda b: b.name),
    Column(_l("Level"), lambda b: str(LEVEL_LABELS[b.level])),
    Column(_l("Town or district"), lambda b: local_name(b.town)),
    Column(_l("Operating organization"), lambda b: b.operator.name),
    Column(_l("Hosted"), lambda b: len(b.residents)),
    Column(_l("Capacity"), lambda b: b.capacity),
    Column(_l("Opened on"), lambda b: b.opened_on),
))


RESIDENTS = Listing("incubated-organizations", _l("Organizations hosted"), (
    Column(_l("Organization"), lambda r: r.organization.name),
    Column(_l("Admitted on"), lambda r: r.admitted_on),
    Column(_l("Graduated on"), lambda r: r.graduated_on),
))


@bp.route("/")
@public
def index():
    session = get_session()
    if (file := BASES.file(lambda: queries.bases(session))) is not None:
        return file
    return render_template("incubation/index.html", bases=queries.bases(session),
                           manager=access.may_manage(current_user),
                           waiting=queries.waiting_rewards(session)
                           if access.may_manage(current_user) else [])


def _base_form(session, form: BaseForm) -> BaseForm:
    form.town_id.choices = [(0, "—")] + [(t.id, t.name_zh) for t in queries.towns(session)]
    form.operator_id.choices = [(o.id, o.name) for o in queries.operators(session)]
    return form


@bp.route("/new", methods=["GET", "POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def new():
    session = get_session()
    form = _base_form(session, BaseForm())
    if not form.is_submitted():
        form.opened_on.data = form.opened_on.data or today_local()
    return form_page(
        form, lambda s: services.create_base(s, current_user, services.BaseData(
            form.name.data, form.level.data, form.town_id.data or None, form.operator_id.data,
            form.capacity.data, list(form.services.data or []), form.opened_on.data)),
        done=_("Incubation base recorded."),
        then=lambda base: url_for(".detail", base_id=base.id),
        render=lambda: render_template("incubation/new.html", form=form))


def _forms(session, base, **given) -> dict:
    admit = given.get("admit_form") or AdmitForm(formdata=None, admitted_on=today_local())
    admit.organization_id.choices = [(o.id, o.name) for o in queries.admissible(session, base)]
    last_year = today_local().year - 1
    reward = given.get("reward_form") or RewardForm(formdata=None, year=last_year)
    reward.catalog_item_id.choices = [
        (i.id, f"{i.catalog.fiscal_year} · {i.code} {i.title}")
        for i in services.reward_items(session, current_user)]
    return dict(
        admit_form=admit, reward_form=reward,
        graduate_form=given.get("graduate_form") or GraduateForm(
            formdata=None, graduated_on=today_local()),
        graduate_id=given.get("graduate_id"),
        evaluation_form=given.get("evaluation_form") or EvaluationForm(formdata=None,
                                                                       year=last_year),
        confirm=ConfirmForm(formdata=None))


def _render_base(session, base, **given):
    manager = access.may_manage(current_user)
    return render_template(
        "incubation/detail.html", base=base, manager=manager,
        priority=services.operator_has_priority(session, base),
        **(_forms(session, base, **given) if manager else {}))


@bp.route("/<int:base_id>")
@public
def detail(base_id: int):
    session = get_session()
    base = access.get_base(session, base_id)
    if (file := RESIDENTS.file(lambda: base.residents + base.graduates)) is not None:
        return file
    return _render_base(session, base)


@bp.route("/<int:base_id>/admit", methods=["POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def admit(base_id: int):
    session = get_session()
    base = access.get_base(session, base_id)
    form = AdmitForm()
    form.organization_id.choices = [(o.id, o.name) for o in queries.admissible(session, base)]
    form.organization_id.validate_choice = False  # the service says why one is refused
    return form_page(
        form, lambda s: services.admit(s, current_user, base_id, form.organization_id.data,
                                       form.admitted_on.data),
        done=_("Organization admitted to the base."),
        then=url_for(".detail", base_id=base_id),
        render=lambda: _render_base(session, base, admit_form=form))


@bp.route("/residencies/<int:residency_id>/graduate", methods=["POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def graduate(residency_id: int):
    session = get_session()
    residency = session.get(Residency, residency_id)
    if residency is None:
        abort(404)
    base = residency.base
    form = GraduateForm()
    return form_page(
        form, lambda s: services.graduate(s, current_user, residency_id, form.graduated_on.data),
        done=_("Graduation recorded."), then=url_for(".detail", base_id=base.id),
        render=lambda: _render_base(session, base, graduate_form=form,
                                    graduate_id=residency_id))


@bp.route("/<int:base_id>/evaluations", methods=["POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def evaluate(base_id: int):
    session = get_session()
    base = access.get_base(session, base_id)
    form = EvaluationForm()
    return form_page(
        form, lambda s: services.record_evaluation(
            s, current_user, base_id, form.year.data, form.passed.data == "pass",
            form.score.data, form.evaluator.data, upload_from(form.report.data)),
        done=_("Evaluation recorded."), then=url_for(".detail", base_id=base_id),
        render=lambda: _render_base(session, base, evaluation_form=form))


@bp.route("/<int:base_id>/rewards", methods=["POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def propose_reward(base_id: int):
    session = get_session()
    base = access.get_base(session, base_id)
    form = RewardForm()
    form.catalog_item_id.choices = [(i.id, i.code) for i in
                                    services.reward_items(session, current_user)]
    form.catalog_item_id.validate_choice = False
    return form_page(
        form, lambda s: services.propose_reward(s, current_user, base_id, form.year.data,
                                                form.catalog_item_id.data, form.amount.data),
        done=_("Reward proposed; confirm its payment on the next page."),
        then=lambda reward: url_for(".pay_reward", reward_id=reward.id),
        render=lambda: _render_base(session, base, reward_form=form))


def _reward(session, reward_id: int) -> Reward:
    reward = session.get(Reward, reward_id)
    if reward is None:
        abort(404)
    return reward


@bp.route("/rewards/<int:reward_id>/pay", methods=["GET", "POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def pay_reward(reward_id: int):
    """The confirmation page of a reward's payment, and the payment."""
    session = get_session()
    reward = _reward(session, reward_id)
    form = ConfirmForm()
    return form_page(
        form, lambda s: services.pay_reward(s, current_user, reward_id),
        done=lambda r: _("Reward paid: %(amount)s yuan, recorded in the ledger.",
                         amount=format_money(r.amount, unit=False)),
        then=url_for(".detail", base_id=reward.base_id),
        render=lambda: render_template(
            "incubation/pay.html", reward=reward, form=form, withdraw_form=WithdrawForm(
                formdata=None),
            blocker=services.reward_blocker(session, reward),
            available=services.funds.available(session, reward.catalog_item),
            reserve=services.priority_reserve(session, reward),
            priority=services.operator_has_priority(session, reward.base)))


@bp.route("/rewards/<int:reward_id>/withdraw", methods=["POST"])
@permission_required(Permission.INCUBATION_MANAGE)
def withdraw_reward(reward_id: int):
    session = get_session()
    reward = _reward(session, reward_id)
    form = WithdrawForm()
    return form_page(
        form, lambda s: services.cancel_reward(s, current_user, reward_id, form.reason.data),
        done=_("Reward withdrawn."), then=url_for(".detail", base_id=reward.base_id),
        render=lambda: render_template(
            "incubation/pay.html", reward=reward, form=ConfirmForm(formdata=None),
            withdraw_form=form, blocker=services.reward_blocker(session, reward),
            available=services.funds.available(session, reward.catalog_item),
            reserve=services.priority_reserve(session, reward),
            priority=services.operator_has_priority(session, reward.base)))

"""Pages of the evaluation, the award and challenges (the ``scoring`` blueprint).

Views are thin: each parses its form, calls one service and redirects.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import select
from flask_wtf.file import FileField
from wtforms import (BooleanField, IntegerField, SelectField, SelectMultipleField, StringField,
                     TextAreaField)
from wtforms.validators import InputRequired, Length, Optional

from market.clock import to_local
from market.core.inputs import parse_db_int
from market.errors import NotFound
from market.access.guards import permission_required, public
from market.access.permissions import Permission
from market.core.forms import ExplicitChoiceField, form_page
from market.db import get_session, unit_of_work
from market.experts.labels import specialty_choices
from market.documents.storage import upload_from
from market.tenders import sealed
from market.tenders.scoring import award as awards
from market.tenders.scoring import challenges
from market.tenders.scoring import committee as committees
from market.tenders.scoring import queries
from market.tenders.scoring import services as evaluation
from market.tenders.access import get_tender
from market.tenders.scoring.labels import (CHALLENGE_STATUS_LABELS, PASS_OVER_LABELS,
                                          exclusion_label)
from market.tenders.models import Tender, TenderStatus

bp = Blueprint("scoring", __name__, url_prefix="/tenders")


class ConfirmForm(FlaskForm):
    """A POST with nothing but the CSRF token."""


class DrawForm(FlaskForm):
    """The department's request; the platform draws the experts."""

    specialty = SelectField(_l("Specialty of the experts"))
    members = IntegerField(_l("Members of the committee (an odd number)"),
                           validators=[InputRequired()])
    representative_ids = SelectMultipleField(_l("Representatives of the purchaser"),
                                             coerce=int, validators=[Optional()])

    def __init__(self, *args, representatives=(), minimum=5, **kwargs):
        super().__init__(*args, **kwargs)
        self.specialty.choices = specialty_choices()
        self.representative_ids.choices = [(u.id, u.display_name) for u in representatives]
        if self.members.data is None and not self.is_submitted():
            self.members.data = minimum


class DeclineForm(FlaskForm):
    note = TextAreaField(_l("Why you cannot serve"), validators=[Length(max=2000)])


class AwardForm(FlaskForm):
    """The bid to award; for each bid ranked above it, the pass-over fields are named
    ``pass-<bid id>-reason|evidence|reference|note`` (``_passovers``)."""

    bid_id = SelectField(_l("Bid to award"), coerce=int)


class WithdrawForm(FlaskForm):
    """Withdraw the award from a winner that declined, did not sign, or gave false
    material (the fields are those of one pass-over, for the winner's bid)."""

    reason = SelectField(_l("Why the award is withdrawn"))
    evidence = FileField(_l("Evidence (PDF or image)"))
    reference = StringField(_l("Evidence reference (letter number, finding)"),
                            validators=[Optional(), Length(max=300)])
    note = TextAreaField(_l("Note (optional, in addition to the evidence)"),
                         validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.reason.choices = [("", "—")] + [(k.value, str(v))
                                             for k, v in PASS_OVER_LABELS.items()]


class DeclarationForm(FlaskForm):
    # No statement is preselected: the expert says it, or the form is refused.
    statement = ExplicitChoiceField(_l("Declaration"), choices=[
        ("none", _l("I have no conflict of interest with any of these bidders")),
        ("conflict", _l("I have a conflict of interest with the bidders I tick"))],
        message=_l("Choose your declaration: no conflict of interest, or a conflict."))
    note = TextAreaField(_l("The conflict of interest, if any"),
                         validators=[Optional(), Length(max=2000)])

    def check_against(self, conflicts: set[int]) -> bool:
        """The statement agrees with the ticked bidders; else a message on it."""
        if self.statement.data == "none" and conflicts:
            self.statement.errors.append(str(_l(
                "You ticked bidders but declared no conflict: untick them or declare "
                "the conflict.")))
        elif self.statement.data == "conflict" and not conflicts:
            self.statement.errors.append(str(_l(
                "Tick each bidder with whom you have a conflict of interest.")))
        return not self.statement.errors


class ChallengeForm(FlaskForm):
    grounds = TextAreaField(_l("Grounds of the challenge"), validators=[Length(max=10000)])


class AnswerForm(FlaskForm):
    upheld = BooleanField(_l("The challenge is upheld (the award is reopened)"))
    reason = TextAreaField(_l("Reasons (published)"), validators=[Length(max=10000)])


@bp.app_context_processor
def _labels():
    return {"challenge_status_label": lambda s: CHALLENGE_STATUS_LABELS[s],
            "exclusion_label": exclusion_label,
            "pass_over_label": lambda code: PASS_OVER_LABELS[code],
            "pass_over_choices": PASS_OVER_LABELS}


def _passovers() -> list[awards.PassOverData]:
    """The pass-over fields of the award form, one entry per bid id that has any."""
    ids = set()
    for key in list(request.form) + list(request.files):
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "pass" and parts[1].isdigit():
            ids.add(int(parts[1]))
    return [awards.PassOverData(
        bid_id=i, reason=request.form.get(f"pass-{i}-reason", ""),
        evidence=upload_from(request.files.get(f"pass-{i}-evidence")),
        reference=request.form.get(f"pass-{i}-reference", ""),
        note=request.form.get(f"pass-{i}-note", "")) for i in sorted(ids)]


def _int(name: str) -> int:
    return parse_db_int(request.form.get(name, "")) or 0


# --- the department ------------------------------------------------------------------

def _committee_page(session, tender, draw_form):
    award_form = AwardForm(formdata=None)
    data = queries.award_page(session, current_user, tender) \
        if evaluation.may_see_results(session, current_user, tender) else None
    if data:
        award_form.bid_id.choices = [(r.result.bid_id, f"{r.result.rank}. {r.name}")
                                     for r in data["rows"] if r.result.rank]
    draw = committees.draw_of(session, tender)
    return render_template("scoring/eval_committee.html", tender=tender,
                           seats=evaluation.committee(session, tender),
                           progress=evaluation.progress(session, tender), draw=draw,
                           draw_form=draw_form, min_members=committees.min_members(tender),
                           representatives=committees.representatives_of(session, draw),
                           award_form=award_form, data=data,
                           scores=evaluation.all_scores(session, tender)
                           if evaluation.all_scores_visible(tender) else None)


def _draw_form(session, tender, **kwargs) -> DrawForm:
    return DrawForm(representatives=committees.representatives_available(session, tender),
                    minimum=committees.min_members(tender), **kwargs)


@bp.route("/<int:tender_id>/evaluation")
@permission_required(Permission.TENDERS_AWARD)
def committee(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id, manage=True)
    return _committee_page(session, tender, _draw_form(session, tender, formdata=None))


@bp.route("/<int:tender_id>/committee/draw", methods=["POST"])
@permission_required(Permission.TENDERS_AWARD)
def draw_committee(tender_id: int):
    session = get_session()
    tender = get_tender(session, current_user, tender_id, manage=True)
    form = _draw_form(session, tender)
    return form_page(
        form, lambda s: committees.draw_committee(
            s, current_user, tender_id, form.specialty.data, form.members.data,
            form.representative_ids.data or []),
        render=lambda: _committee_page(session, get_tender(session, current_user, tender_id,
                                                           manage=True), form),
        done=_("The evaluation committee was drawn at random from the expert pool."),
        then=url_for(".committee", tender_id=tender_id))


@bp.route("/<int:tender_id>/experts", methods=["POST"])
@permission_required(Permission.TENDERS_AWARD)
def assign_expert(tender_id: int):
    """Choosing an expert by hand, the old way: always refused (409, with the reason)."""
    session = get_session()
    with unit_of_work(session):
        evaluation.assign_expert(session, current_user, tender_id, _int("expert_id"))
    return redirect(url_for(".committee", tender_id=tender_id))  # never reached


@bp.route("/<int:tender_id>/award", methods=["POST"])
@permission_required(Permission.TENDERS_AWARD)
def award(tender_id: int):
    session = get_session()
    with unit_of_work(session):
        awards.award_tender(session, current_user, tender_id, _int("bid_id"), _passovers())
    flash(_("The tender was awarded; the standstill period has begun."), "success")
    return redirect(url_for(".award_page", tender_id=tender_id))


@bp.route("/<int:tender_id>/award/withdraw", methods=["POST"])
@permission_required(Permission.TENDERS_AWARD)
def withdraw(tender_id: int):
    session = get_session()
    with unit_of_work(session):
        awards.withdraw_award(session, current_user, tender_id, awards.PassOverData(
            bid_id=0, reason=request.form.get("reason", ""),
            evidence=upload_from(request.files.get("evidence")),
            reference=request.form.get("reference", ""), note=request.form.get("note", "")))
    flash(_("The award was withdrawn; award the tender to the next-ranked bid."), "success")
    return redirect(url_for(".award_page", tender_id=tender_id))


@bp.route("/challenges/<int:challenge_id>/answer", methods=["POST"])
@permission_required(Permission.TENDERS_AWARD)
def answer(challenge_id: int):
    session = get_session()
    with unit_of_work(session):
        challenge = challenges.answer_challenge(
            session, current_user, challenge_id, request.form.get("upheld") in ("y", "on", "1"),
            request.form.get("reason", ""))
    flash(_("The challenge was answered."), "success")
    return redirect(url_for(".award_page", tender_id=challenge.tender_id))


# --- the expert ----------------------------------------------------------------------

@bp.route("/my-evaluations")
@permission_required(Permission.TENDERS_SCORE)
def my_evaluations():
    return render_template("scoring/eval_mine.html",
                           seats=evaluation.expert_assignments(get_session(), current_user))


@bp.route("/<int:tender_id>/scoring")
@permission_required(Permission.TENDERS_SCORE)
def scoring(tender_id: int):
    return _scoring_page(tender_id)


def _scoring_page(tender_id: int, declaration=None):
    session = get_session()
    tender, seat = evaluation.get_expert_tender(session, current_user, tender_id)
    bids = [b for b in sealed.visible_bids(session, current_user, tender) if b.valid] \
        if tender.is_opened else []
    return render_template(
        "scoring/eval_scoring.html", tender=tender, seat=seat, bids=bids,
        criteria=evaluation.technical_criteria(tender), mine=evaluation.scores_of(session, seat),
        everyone=evaluation.all_scores(session, tender)
        if evaluation.all_scores_visible(tender) else None,
        declaration=declaration or DeclarationForm(formdata=None),
        confirm=ConfirmForm(formdata=None),
        decline=DeclineForm(formdata=None))


@bp.route("/<int:tender_id>/decline", methods=["POST"])
@permission_required(Permission.TENDERS_SCORE)
def decline(tender_id: int):
    session = get_session()
    with unit_of_work(session):
        committees.decline(session, current_user, tender_id, request.form.get("note", ""))
    flash(_("You declined the seat; another expert was drawn in your place."), "info")
    return redirect(url_for(".my_evaluations"))


@bp.route("/<int:tender_id>/declaration", methods=["POST"])
@permission_required(Permission.TENDERS_SCORE)
def declare(tender_id: int):
    conflicts = set()
    for value in request.form.getlist("conflict"):
        if (bid_id := parse_db_int(value)) is not None:
            conflicts.add(bid_id)
    form = DeclarationForm()
    if not (form.validate_on_submit() and form.check_against(conflicts)):
        return _scoring_page(tender_id, declaration=form), 400
    session = get_session()
    with unit_of_work(session):
        seat = evaluation.declare(session, current_user, tender_id, conflicts,
                                  form.note.data or "")
    if seat.active:
        flash(_("Declaration recorded. You may now score the bids."), "success")
    else:
        flash(_("Conflict of interest recorded: you are off this tender's evaluation."), "info")
    return redirect(url_for(".scoring", tender_id=tender_id))


@bp.route("/<int:tender_id>/scores", methods=["POST"])
@permission_required(Permission.TENDERS_SCORE)
def score(tender_id: int):
    scores = {}
    for key, value in request.form.items():
        parts = key.split("-")
        if len(parts) == 3 and parts[0] == "score":
            bid_id, criterion_id = parse_db_int(parts[1]), parse_db_int(parts[2])
            if bid_id is not None and criterion_id is not None:
                scores[(bid_id, criterion_id)] = value
    session = get_session()
    with unit_of_work(session):
        evaluation.submit_scores(session, current_user, tender_id, scores)
    flash(_("Your scores were submitted."), "success")
    return redirect(url_for(".scoring", tender_id=tender_id))


# --- everyone: the award page; bidders: challenges --------------------------------------

@bp.route("/<int:tender_id>/award")
@public
def award_page(tender_id: int):
    session = get_session()
    tender = awards.get_award_tender(session, current_user, tender_id)
    data = queries.award_page(session, current_user, tender)
    form = AwardForm(formdata=None)
    form.bid_id.choices = [(r.result.bid_id, f"{r.result.rank}. {r.name}")
                           for r in data["rows"] if r.result.rank]
    return render_template("scoring/award_page.html", award_form=form,
                           withdraw_form=WithdrawForm(formdata=None),
                           challenge_form=ChallengeForm(formdata=None),
                           answer_form=AnswerForm(formdata=None), **data)


@bp.route("/<int:tender_id>/award/notice")
@public
def award_notice(tender_id: int):
    """中标通知书 — the printable award notice: who won, at what price, every bid's scores
    as published, until when a challenge may be filed. Only once there is an award."""
    session = get_session()
    tender = awards.get_award_tender(session, current_user, tender_id)
    data = queries.award_page(session, current_user, tender)
    if data["award"] is None:
        raise NotFound(_("There is no award to notify yet."))
    return render_template("scoring/award_notice.html",
                           issued_on=to_local(data["award"].awarded_at).date(), **data)


@bp.route("/<int:tender_id>/challenges", methods=["POST"])
@permission_required(Permission.TENDERS_CHALLENGE)
def challenge(tender_id: int):
    session = get_session()
    with unit_of_work(session):
        challenges.file_challenge(session, current_user, tender_id,
                                  request.form.get("grounds", ""),
                                  upload_from(request.files.get("evidence")))
    flash(_("Your challenge was filed. The department must answer it before a contract "
            "is signed."), "success")
    return redirect(url_for(".award_page", tender_id=tender_id))


def department_worklist(session, user) -> list[Tender]:
    """The department's tenders between opening and contract (for its home panel)."""
    return list(session.scalars(
        select(Tender).where(Tender.department_id == user.department_id,
                             Tender.status.in_([TenderStatus.OPENED, TenderStatus.EVALUATED,
                                                TenderStatus.AWARDED]))
        .order_by(Tender.opening_time.desc()).limit(20)))


@bp.app_context_processor
def _worklists():
    return {"award_worklist": lambda: department_worklist(get_session(), current_user)}

"""Pages of screening and review (资格审查与评审): civil affairs' screening list, reviewer
draw and ranking per round; the reviewer's declaration and score form; everyone's scores
once all are in. Routes on the grants blueprint; thin: parse, call one service."""
from __future__ import annotations

from flask import abort, current_app, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from market import policy
from market.access.guards import login_required, permission_required
from market.access.permissions import Permission
from market.clock import now
from market.core.forms import form_page
from market.core.pagination import page_number, paginate
from market.db import get_session
from market.experts.labels import specialty_label
from market.grants import review, services
from market.grants.forms import DeclarationForm, ReviewerDrawForm, ScoreForm, ScreeningForm
from market.grants.labels import screening_reason_label
from market.grants.models import ApplicationStatus, GrantApplication
from market.grants.views import bp

MANAGE = Permission.GRANTS_MANAGE
REVIEW = Permission.GRANTS_REVIEW


@bp.app_context_processor
def _review_labels():
    return {"grant_screening_reason": screening_reason_label,
            "grant_screening_of": lambda a: review.screening_of(get_session(), a),
            "grant_reviews_of_mine": _my_seats, "expert_specialty": specialty_label}


def _my_seats():
    if not (current_user.is_authenticated and current_user.can(REVIEW)):
        return []
    return review.my_seats(get_session(), current_user)


def _own_round(round_id: int):
    grant_round = services.get_round(get_session(), round_id)
    if grant_round.department_id != current_user.department_id:
        abort(404)
    return grant_round


# --- civil affairs -----------------------------------------------------------------------

@bp.route("/rounds/<int:round_id>/screening")
@permission_required(MANAGE)
def screening(round_id: int):
    return _screening_page(round_id)


def _screening_page(round_id: int, failed: int | None = None, failed_form=None,
                    draw_form=None):
    session = get_session()
    grant_round = _own_round(round_id)
    page = paginate(session, review.screenable_query(grant_round), page_number(),
                    current_app.config["PAGE_SIZE"])
    forms = {}
    for application in page.items:
        if application.id == failed:
            forms[application.id] = failed_form
        else:
            found = review.screening_of(session, application)
            form = ScreeningForm(formdata=None, prefix=f"a{application.id}")
            if found is not None:
                form.outcome.data = "eligible" if found.eligible else "ineligible"
                form.reason.data, form.note.data = found.reason.value, found.note
            forms[application.id] = form
    started = review.reviews_started(session, grant_round)
    pending = any(a.status == ApplicationStatus.SUBMITTED
                  for a in review.screenable(session, grant_round))
    return render_template(
        "grants/screening.html", round=grant_round, page=page, forms=forms,
        screenings=review.screenings(session, page.items), started=started,
        closed=now() >= grant_round.closes_at, pending=pending,
        draw_form=draw_form or ReviewerDrawForm(formdata=None))


@bp.route("/applications/<int:grant_application_id>/screen", methods=["POST"])
@permission_required(MANAGE)
def screen(grant_application_id: int):
    session = get_session()
    application = services.get_application(session, current_user, grant_application_id)
    form = ScreeningForm(prefix=f"a{application.id}")
    return form_page(
        form, lambda s: review.screen(s, current_user, grant_application_id,
                                      eligible=form.outcome.data == "eligible",
                                      reason=form.reason.data, note=form.note.data),
        render=lambda: _screening_page(application.round_id, application.id, form),
        done=_("The screening was recorded."),
        then=url_for(".screening", round_id=application.round_id))


@bp.route("/rounds/<int:round_id>/draw-reviewers", methods=["POST"])
@permission_required(MANAGE)
def draw_reviewers(round_id: int):
    _own_round(round_id)
    form = ReviewerDrawForm()
    return form_page(
        form, lambda s: review.draw_reviewers(s, current_user, round_id,
                                              form.specialty.data),
        render=lambda: _screening_page(round_id, draw_form=form),
        done=_("The reviewers were drawn."),
        then=url_for(".review_progress", round_id=round_id))


@bp.route("/rounds/<int:round_id>/review")
@permission_required(MANAGE)
def review_progress(round_id: int):
    session = get_session()
    grant_round = _own_round(round_id)
    return render_template(
        "grants/review_progress.html", round=grant_round,
        ranking=review.ranking(session, grant_round),
        seats=review.progress(session, grant_round),
        margin=policy.value("grant_review_disagreement_margin"))


# --- reviewers ---------------------------------------------------------------------------

@bp.route("/reviews")
@permission_required(REVIEW)
def my_reviews():
    return render_template("grants/my_reviews.html", seats=_my_seats())


@bp.route("/reviews/<int:grant_application_id>")
@permission_required(REVIEW)
def review_page(grant_application_id: int):
    return _review_page(grant_application_id)


def _review_page(grant_application_id: int, declaration=None, scores=None):
    session = get_session()
    seat = review.my_seat(session, current_user, grant_application_id)
    application = seat.application
    if scores is None and seat.may_score:
        scores = ScoreForm(formdata=None)
        scores.fill(application.round, seat.scores)
    return render_template(
        "grants/review.html", seat=seat, application=application, round=application.round,
        declaration=declaration or DeclarationForm(formdata=None), scores=scores,
        complete=review.reviews_complete(session, application),
        mine=review.weighted(application.round.criteria, seat.scores)
        if seat.submitted_at else None)


@bp.route("/reviews/<int:grant_application_id>/declare", methods=["POST"])
@permission_required(REVIEW)
def declare(grant_application_id: int):
    form = DeclarationForm()
    return form_page(
        form, lambda s: review.declare(s, current_user, grant_application_id,
                                       conflict=form.conflict.data == "yes",
                                       note=form.note.data),
        render=lambda: _review_page(grant_application_id, declaration=form),
        done=lambda seat: _("Your conflict of interest was recorded; another reviewer is "
                            "drawn in your place.") if seat.conflict
        else _("Your declaration was recorded. You may now read and score the application."),
        then=lambda seat: url_for(".my_reviews") if seat.conflict
        else url_for(".review_page", grant_application_id=grant_application_id))


@bp.route("/reviews/<int:grant_application_id>/scores", methods=["POST"])
@permission_required(REVIEW)
def save_scores(grant_application_id: int):
    form = ScoreForm()
    return form_page(
        form, lambda s: review.save_scores(s, current_user, grant_application_id,
                                           form.scores(), submit=bool(form.submit_scores.data)),
        render=lambda: _review_page(grant_application_id, scores=form),
        done=lambda seat: _("Your scores were submitted.") if seat.submitted_at
        else _("Your scores were saved; submit them when you are done."),
        then=url_for(".review_page", grant_application_id=grant_application_id))


@bp.route("/applications/<int:grant_application_id>/scores")
@login_required
def all_scores(grant_application_id: int):
    """Every reviewer's scores: civil affairs, and reviewers once all have submitted."""
    session = get_session()
    rows = review.all_scores(session, current_user, grant_application_id)
    application = session.get(GrantApplication, grant_application_id)
    return render_template(
        "grants/scores.html", application=application, round=application.round, rows=rows,
        weighted=lambda seat: review.weighted(application.round.criteria, seat.scores))

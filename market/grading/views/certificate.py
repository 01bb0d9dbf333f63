"""等级证书 — the printable grade certificate of an organization: public, like the grade
itself (the qualified-organization catalog and the organization's public page show it)."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _

from market.access.guards import public
from market.clock import now
from market.db import get_session
from market.errors import NotFound
from market.grading.services import standing
from market.grading.views.blueprint import bp
from market.orgs.access import get_public_organization


@bp.route("/grades/certificate/<int:org_id>")
@public
def certificate(org_id: int):
    session = get_session()
    org = get_public_organization(session, org_id)
    grade = standing.current_grade(session, org.id, now())
    if grade is None:
        raise NotFound(_("This organization holds no grade in force."))
    return render_template("grading/certificate.html", org=org, grade=grade)

"""等级评估 — grading of social organizations (policy §10): third-party evaluator agencies
and their recusal (回避), yearly grade-evaluation cycles (grades 1A–5A, valid five years,
public notice and re-examination), eligibility and its exclusions (sanctions are read from
the registry, market.orgs.sanctions), standing and grade changes, the clearance
list (清退) and the public catalog of organizations qualified to take government
commissions (3A and above)."""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission
    from market.demo import register_seeder
    from market.grading import demo
    from market.grading.models import last_valid_day
    from market.core import listing
    from market.grading.catalog import QUALIFIED
    from market.grading.views import bp
    from market.grading.views.clearance import CLEARANCE
    from market.grading.views.cycles import NOTICES

    app.register_blueprint(bp)
    app.add_template_filter(last_valid_day, "grade_last_day")  # {{ valid_until|grade_last_day }}
    register_seeder(app, "grading", demo.seed)
    listing.register(app, NOTICES, "grading.notices")
    listing.register(app, QUALIFIED, "grading.qualified")
    listing.register(app, CLEARANCE, "grading.clearance_list",
                     audience=Permission.CLEARANCE_DECIDE)
    nav.register(
        app,
        nav.NavItem("grading.notices", _l("Grade notices"), public=True, order=25),
        nav.NavItem("grading.cycle_list", _l("Grade evaluations"), Permission.EVAL_GRADES_MANAGE,
                    order=23),
        nav.NavItem("grading.agency_list", _l("Evaluator agencies"),
                    Permission.EVAL_AGENCIES_MANAGE, order=24),
        nav.NavItem("grading.work", _l("Grade evaluation work"), Permission.EVAL_GRADES_SCORE,
                    order=11),
        nav.NavItem("grading.my_standing", _l("Grade and standing"),
                    Permission.EVAL_GRADES_APPLY, order=11),
        nav.NavItem("grading.qualified", _l("Qualified organizations"), public=True, order=16),
        nav.NavItem("grading.clearance_list", _l("Clearance list"),
                    permission=Permission.CLEARANCE_DECIDE, order=42),
    )


"""专家库 — the expert pool and the random draw of reviewers (policy §18 competitive
procedures; 财政部令第87号 第四十七条, 第四十八条; 政府采购评审专家管理办法, 财库〔2016〕198号):
civil affairs keeps the experts (specialties, employer, unavailable periods, declared
conflicts); reviewers are drawn at random by specialty, with the draw recorded so an
auditor can replay it (``draws.draw``, a pure function).

The draw is generic over what is reviewed (``subject_kind``/``subject_id``); the room
that owns the subject registers how to name it and when its record may be shown
(``services.register_subject``). The tender evaluation committee (``tenders.scoring``)
is the first user.
"""
from __future__ import annotations


def init_app(app) -> None:
    from flask_babel import lazy_gettext as _l

    from market import nav
    from market.access.permissions import Permission, Role
    from market.demo import register_seeder
    from market.experts import demo
    from market.core import listing
    from market.experts.views import DRAWS, bp

    app.register_blueprint(bp)
    nav.register(
        app,
        nav.NavItem("experts.index", _l("Expert pool"), Permission.EXPERTS_MANAGE, order=24),
        nav.NavItem("experts.draws", _l("Expert draws"), Permission.EXPERTS_DRAWS_READ,
                    roles=frozenset({Role.AUDITOR}), order=25),
    )
    register_seeder(app, "experts", demo.seed)
    listing.register(app, DRAWS, "experts.draws", audience=Permission.EXPERTS_DRAWS_READ)

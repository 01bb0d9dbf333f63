"""The public front page and each role's home page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from market import nav
from market.accounts.access import login_required, public

bp = Blueprint("home", __name__)

# Panels each feature adds to a role's home page: role -> [(template, order)].
HOME_PANELS: dict[str, list[tuple[str, int]]] = {}


def register_panel(role: str, template: str, order: int = 50) -> None:
    panels = HOME_PANELS.setdefault(str(role), [])
    if (template, order) not in panels:
        panels.append((template, order))
        panels.sort(key=lambda p: p[1])


nav.register(nav.NavItem("home.index", _l("Public portal"), public=True, order=0),
             nav.NavItem("home.dashboard", _l("My workspace"), order=1))


@bp.route("/")
@public
def index():
    return render_template("home/index.html")


@bp.route("/home")
@login_required
def dashboard():
    panels = [t for t, _ in HOME_PANELS.get(str(current_user.role), [])]
    return render_template("home/dashboard.html", panels=panels)

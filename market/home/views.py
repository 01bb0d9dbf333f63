"""The public front page and each role's home page."""
from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user

from market.access.guards import login_required, public
from market.home.panels import panels_for
from market.home.todos import todos_for

bp = Blueprint("home", __name__)


@bp.route("/")
@public
def index():
    return render_template("home/index.html")


@bp.route("/home")
@login_required
def dashboard():
    return render_template("home/dashboard.html", panels=panels_for(current_user.role),
                           todos=todos_for(current_user))

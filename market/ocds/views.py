"""The public OCDS pages (no login): a page listing the downloads, the release and record
packages of one process (/ocds/… and /api/v1/ocds/…) and the streamed package of a fiscal
year."""
from __future__ import annotations

import json

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from market import nav
from market.access.guards import public
from market.catalogs.models import Catalog, CatalogItem
from market.core import caching
from market.db import get_read_session, read_sessionmaker, reads_replica
from market.errors import NotFound
from market.ocds import packages
from market.tenders.models import Tender

bp = Blueprint("ocds", __name__, url_prefix="/ocds")
api_bp = Blueprint("ocds_api", __name__, url_prefix="/api/v1/ocds")

NAV_ITEM = nav.NavItem("ocds.index", _l("Open contracting data"), public=True, order=85)
LISTED = 100  # the newest processes listed on the page


def prefix() -> str:
    return current_app.config["OCDS_PREFIX"]


def _process(reference: str):
    process = packages.process_of(get_read_session(), reference)
    if process is None:
        abort(404)
    return process


def _json(data: dict) -> Response:
    response = jsonify(data)
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


def _package(data: dict) -> Response:
    """A process's package with an ETag of its content: ``publishedDate`` (the moment of
    the request) is left out, so the same releases give the same ETag and a 304.
    No Last-Modified: a record changes with no newer release date (a tender evaluated, a
    milestone accepted, a contract completed), so a date from the releases would let a
    client asking only ``If-Modified-Since`` keep a stale record."""
    content = {k: v for k, v in data.items() if k != "publishedDate"}
    return caching.set_etag(_json(data), json.dumps(content, sort_keys=True, default=str))


@bp.get("/")
@public
@reads_replica
def index():
    session = get_read_session()
    years = session.execute(
        select(Catalog.fiscal_year, func.count(Tender.id))
        .join(CatalogItem, CatalogItem.catalog_id == Catalog.id)
        .join(Tender, Tender.catalog_item_id == CatalogItem.id)
        .where(Tender.published_at.is_not(None))
        .group_by(Catalog.fiscal_year).order_by(Catalog.fiscal_year.desc())).all()
    tenders = session.scalars(select(Tender).where(Tender.published_at.is_not(None))
                              .order_by(Tender.published_at.desc()).limit(LISTED)).all()
    return render_template("ocds/index.html", years=years, tenders=tenders, prefix=prefix())


def _release_package(reference: str, endpoint: str) -> Response:
    uri = url_for(endpoint, reference=reference, _external=True)
    return _package(packages.release_package(prefix(), _process(reference), uri))


def _record_package(reference: str, endpoint: str) -> Response:
    uri = url_for(endpoint, reference=reference, _external=True)
    return _package(packages.record_package(prefix(), _process(reference), uri))


def _year_package(year: int, endpoint: str) -> Response:
    """Streamed as it is written, from a session of its own (closed at the end).

    No ETag: the package holds every process's current state (statuses, awards,
    milestones, payments, organizations' names), and no cheap figure — a count, the newest
    id, the ledger's head — changes with all of them; hashing it would mean writing the
    whole year before sending a byte. It streams without a validator."""
    if not packages.count_year(get_read_session(), year):
        # A release package holds at least one release (OCDS schema): none, no package.
        raise NotFound(_l("No tender of fiscal year %(year)s has been published.", year=year))
    uri = url_for(endpoint, year=year, _external=True)
    session = read_sessionmaker()()
    ocid_prefix = prefix()

    def generate():
        try:
            yield from packages.stream_release_package(
                ocid_prefix, packages.year_processes(session, year), uri)
        finally:
            session.close()

    response = Response(generate(), mimetype="application/json")
    response.headers["Content-Disposition"] = f'attachment; filename="ocds-{year}.json"'
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/<reference>/releases.json")
@public
@reads_replica
def releases(reference: str):
    return _release_package(reference, "ocds.releases")


@bp.get("/<reference>/record.json")
@public
@reads_replica
def record(reference: str):
    return _record_package(reference, "ocds.record")


@bp.get("/years/<int:year>.json")
@public
@reads_replica
def year(year: int):
    return _year_package(year, "ocds.year")


@api_bp.get("/<reference>/releases")
@public
@reads_replica
def api_releases(reference: str):
    return _release_package(reference, "ocds_api.api_releases")


@api_bp.get("/<reference>/record")
@public
@reads_replica
def api_record(reference: str):
    return _record_package(reference, "ocds_api.api_record")


@api_bp.get("/years/<int:year>")
@public
@reads_replica
def api_year(year: int):
    return _year_package(year, "ocds_api.api_year")

"""OCDS publication: the packages of a tender at every stage, and the fiscal year's bulk
package, validate against the official 1.1.5 schema with zero errors; nothing about bids
before opening; each payment's ledger sequence and hash match the ledger."""
from __future__ import annotations

import json

import pytest

from ledger.models import Transaction
from market.contracts import payments
from tests.factories import (approved_catalog, budget_item, item_data, deliver_and_accept, new_tender, opened_tender,
                             org_member, place_bid, signed_contract, user)
from tests.ocds.schema import errors

PREFIX = "ocds-000000"


def _packages(client, tender):
    ref = tender.reference
    out = {}
    for name, url in [("release", f"/ocds/{ref}/releases.json"),
                      ("record", f"/ocds/{ref}/record.json"),
                      ("api_release", f"/api/v1/ocds/{ref}/releases"),
                      ("api_record", f"/api/v1/ocds/{ref}/record")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.mimetype == "application/json"
        out[name] = response.get_json()
    return out


def _valid(app, packages):
    for name, package in packages.items():
        schema = "record-package-schema.json" if "record" in name else "release-package-schema.json"
        assert errors(schema, package, app) == [], name


def _tags(package):
    return [r["tag"][0] for r in package["releases"]]


def test_published_tender_validates_and_says_nothing_about_bids(app, client, demo, session,
                                                                  clock):
    item = budget_item(session)
    tender = new_tender(session, clock, item=item)
    _, bidder = org_member(session, name="密封投标社工服务中心")
    place_bid(session, bidder, tender, "250000.00")
    packages = _packages(client, tender)
    _valid(app, packages)
    release = packages["release"]
    assert _tags(release) == ["planning", "tender"]
    assert release["releases"][0]["ocid"] == f"{PREFIX}-{tender.reference}"
    assert release["releases"][0]["planning"]["budget"]["amount"] == {
        "amount": 500000.0, "currency": "CNY"}
    # Sealed: no tenderers, no count, no bidder, no price anywhere before opening.
    text = json.dumps(packages, ensure_ascii=False)
    for release_ in release["releases"] + packages["record"]["records"][0]["releases"] + [
            packages["record"]["records"][0]["compiledRelease"]]:
        assert "tenderers" not in release_.get("tender", {})
        assert "numberOfTenderers" not in release_.get("tender", {})
        assert all(p["roles"] != ["tenderer"] for p in release_["parties"])
    assert "密封投标社工服务中心" not in text
    assert "250000" not in text


def test_opened_tender_lists_its_tenderers(app, client, demo, session, clock):
    item = budget_item(session)
    bidders = [org_member(session)[1] for _ in range(3)]
    tender = opened_tender(session, clock, item, [(b, "250000.00") for b in bidders])
    packages = _packages(client, tender)
    _valid(app, packages)
    assert _tags(packages["release"]) == ["planning", "tender", "tenderUpdate"]
    before, opening = packages["release"]["releases"][1:3]
    assert "tenderers" not in before["tender"]  # the tender notice stays as published
    assert opening["tender"]["numberOfTenderers"] == 3
    assert len(opening["tender"]["tenderers"]) == 3
    compiled = packages["record"]["records"][0]["compiledRelease"]
    assert compiled["tender"]["numberOfTenderers"] == 3


def test_awarded_tender_validates(app, client, session, awarded):
    _, tender, bidders = awarded
    packages = _packages(client, tender)
    _valid(app, packages)
    assert _tags(packages["release"]) == ["planning", "tender", "tenderUpdate", "award"]
    award = packages["release"]["releases"][-1]["awards"][0]
    assert award["value"] == {"amount": 240000.0, "currency": "CNY"}
    supplier = next(p for p in packages["release"]["releases"][-1]["parties"]
                    if p["id"] == award["suppliers"][0]["id"])
    assert "supplier" in supplier["roles"]


@pytest.fixture
def paid(app, demo, session, clock):
    item = budget_item(session)
    contract, bidders = signed_contract(session, clock, item)
    return contract, bidders


def test_contracted_tender_validates(app, client, session, paid):
    contract, _ = paid
    packages = _packages(client, contract.tender)
    _valid(app, packages)
    assert _tags(packages["release"])[-1] == "contract"
    section = packages["release"]["releases"][-1]["contracts"][0]
    assert section["awardID"] == str(contract.award_id)
    assert [m["status"] for m in section["milestones"]] == ["scheduled"] * 3
    assert "implementation" not in section


def test_paid_milestones_carry_the_ledger_sequence_and_hash(app, client, session, paid):
    contract, bidders = paid
    finance = user(session, "finance")
    for number in (1, 2):
        deliver_and_accept(session, contract, number, bidders["a"])
        payments.approve_payment(session, finance, contract.id, number)
        session.commit()
    packages = _packages(client, contract.tender)
    _valid(app, packages)
    assert _tags(packages["release"])[-2:] == ["implementation", "implementation"]
    transactions = packages["release"]["releases"][-1]["contracts"][0]["implementation"][
        "transactions"]
    assert len(transactions) == 2
    session.expire_all()
    for milestone, txn in zip(sorted(contract.milestones, key=lambda m: m.number)[:2],
                              transactions, strict=True):
        ledger = session.get(Transaction, milestone.ledger_txn_id)
        assert txn["id"] == str(ledger.seq)
        assert txn["uri"] == f"urn:sha256:{ledger.hash}"
        assert txn["value"]["amount"] == float(milestone.amount)
        assert txn["payee"]["id"] == f"org-{contract.organization_id}"
    compiled = packages["record"]["records"][0]["compiledRelease"]
    assert compiled["contracts"][0]["implementation"]["transactions"] == transactions
    assert [m["status"] for m in compiled["contracts"][0]["milestones"]] == [
        "met", "met", "scheduled"]


def test_no_personal_data_in_the_packages(app, client, session, paid):
    contract, _ = paid
    org = contract.organization
    text = json.dumps(_packages(client, contract.tender), ensure_ascii=False)
    for private in (org.contact_phone, org.contact_name, org.bank_account,
                    org.legal_representative, org.office_address):
        if private:
            assert private not in text


def test_unknown_process_is_404_in_both_places(client, demo):
    assert client.get("/ocds/KS-NONE-1/releases.json").status_code == 404
    response = client.get("/api/v1/ocds/KS-NONE-1/record")
    assert response.status_code == 404
    assert response.get_json()["error"]


def test_draft_tender_is_not_published(client, demo, session, clock):
    tender = new_tender(session, clock, item=budget_item(session), publish=False)
    assert client.get(f"/ocds/{tender.reference}/releases.json").status_code == 404


def _year_items(session, clock, second: bool = False):
    """FY2028 processes: one paid in part; with ``second``, another only published."""
    items = approved_catalog(session, item_data(),
                             *([item_data(title="助老服务")] if second else []))
    contract, bidders = signed_contract(session, clock, items[0])
    deliver_and_accept(session, contract, 1, bidders["a"])
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    session.commit()
    if second:
        new_tender(session, clock, item=items[1])
    return contract


def test_year_bulk_package_streams_and_validates(app, client, demo, session, clock):
    contract = _year_items(session, clock, second=True)
    response = client.get("/ocds/years/2028.json")
    assert response.status_code == 200
    assert response.is_streamed
    package = json.loads(response.get_data(as_text=True))
    assert errors("release-package-schema.json", package, app) == []
    ocids = {r["ocid"] for r in package["releases"]}
    assert len(ocids) == 2
    assert f"{PREFIX}-{contract.tender.reference}" in ocids
    api = json.loads(client.get("/api/v1/ocds/years/2028").get_data(as_text=True))
    assert [r["id"] for r in api["releases"]] == [r["id"] for r in package["releases"]]


@pytest.mark.parametrize("language, message", [
    ("zh", "2031财年尚无已发布的采购项目。"),
    ("en", "No tender of fiscal year 2031 has been published.")])
def test_a_year_without_tenders_is_refused_with_the_reason(client, demo, session, clock,
                                                           language, message):
    client.post(f"/language/{language}", data={"next": "/"})
    _year_items(session, clock)
    response = client.get("/api/v1/ocds/years/2031")
    assert response.status_code == 404
    assert response.get_json()["message"] == message
    page = client.get("/ocds/years/2031.json")
    assert page.status_code == 404
    assert message in page.get_data(as_text=True)


def test_cli_export_writes_the_same_package(app, demo, session, clock, tmp_path):
    _year_items(session, clock)
    out = tmp_path / "ocds-2028.json"
    result = app.test_cli_runner().invoke(args=["ocds", "export", "--year", "2028",
                                                "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 processes" in result.output
    package = json.loads(out.read_text("utf-8"))
    assert errors("release-package-schema.json", package, app) == []
    assert package["releases"][-1]["tag"] == ["implementation"]


def test_prefix_is_a_setting(app, client, demo, session, clock):
    app.config["OCDS_PREFIX"] = "ocds-abc123"
    tender = new_tender(session, clock, item=budget_item(session))
    package = client.get(f"/ocds/{tender.reference}/record.json").get_json()
    assert package["records"][0]["ocid"] == f"ocds-abc123-{tender.reference}"


def test_demo_year_package_validates(app, client, demo):
    """The demo's tenders of 2026, at their several stages, as one bulk package."""
    package = json.loads(client.get("/ocds/years/2026.json").get_data(as_text=True))
    assert errors("release-package-schema.json", package, app) == []
    assert len({r["ocid"] for r in package["releases"]}) == 4


def test_cancelled_before_opening_validates_and_stays_sealed(app, client, demo, session,
                                                             clock):
    from market.tenders import tender_services

    tender = new_tender(session, clock, item=budget_item(session))
    _, bidder = org_member(session, name="终止前投标社工服务中心")
    place_bid(session, bidder, tender, "250000.00")
    tender_services.cancel_tender(session, user(session, "dept"), tender.id, "需求变更")
    session.commit()
    packages = _packages(client, tender)
    _valid(app, packages)
    assert _tags(packages["release"]) == ["planning", "tender", "tenderCancellation"]
    assert packages["release"]["releases"][-1]["tender"]["status"] == "cancelled"
    text = json.dumps(packages, ensure_ascii=False)
    assert "终止前投标社工服务中心" not in text
    assert "tenderers" not in text


def test_earlier_releases_keep_the_state_of_their_date(app, client, session, paid):
    """After payments the tender and contract releases still say what held when they were
    published (active, scheduled); the compiled release says what holds now."""
    contract, bidders = paid
    deliver_and_accept(session, contract, 1, bidders["a"])
    payments.approve_payment(session, user(session, "finance"), contract.id, 1)
    session.commit()
    package = _packages(client, contract.tender)["record"]["records"][0]
    by_tag = {r["tag"][0]: r for r in package["releases"]}
    assert by_tag["tender"]["tender"]["status"] == "active"
    assert [m["status"] for m in by_tag["contract"]["contracts"][0]["milestones"]] == [
        "scheduled"] * 3
    assert package["compiledRelease"]["tender"]["status"] == "complete"
    assert package["compiledRelease"]["contracts"][0]["milestones"][0]["status"] == "met"

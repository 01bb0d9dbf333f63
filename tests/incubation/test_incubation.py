"""Incubation bases (培育基地) through HTTP: recording a base, admissions at the capacity
boundary, one base at a time, yearly evaluations, rewards (以奖代补) refused before a
passing evaluation and after a failing one, paid after a pass through the ledger, 3A+
priority, and the pages in both languages without personal data."""
from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from ledger.accounts import GRANTS, Unit, available_account, committed_account, expense_account
from ledger.balances import balance
from ledger.models import Transaction
from ledger.export import export
from ledger.verify import load_ledger, verify
from market import funds
from market.access.permissions import Role
from market.accounts.models import Department
from market.auditlog.models import AuditEntry
from market.catalogs import services as catalogs
from market.clock import today_local
from market.incubation import services
from market.incubation.models import BaseEvaluation, IncubationBase, Residency, Reward, \
    RewardStatus
from market.orgs.demo import minimal_pdf
from tests.factories import PASSWORD, UserFactory, item_data, org_member, user
from tests.probes import row_counts, trail, untranslated

def _today() -> dt.date:
    return today_local()


def client_for(app, username: str | None, language: str = "zh"):
    """A client of ``username`` (None: anonymous) reading pages in ``language``."""
    client = app.test_client()
    client.post(f"/language/{language}", data={"next": "/"})
    if username:
        assert client.post("/login", data={"username": username,
                                           "password": PASSWORD}).status_code == 302
        client.post(f"/language/{language}", data={"next": "/"})
        client.get("/")  # the welcome flash
    return client


def civil_en(session) -> str:
    """A second civil-affairs officer (民政局), who reads in English: a user's language is
    remembered, so the same user cannot read both languages at once."""
    if user(session, "civil-en") is None:
        mzj = session.scalar(select(Department).where(Department.code == "MZJ"))
        UserFactory(role=Role.CIVIL_AFFAIRS, department=mzj, username="civil-en",
                    display_name="民政局英文用户")
        session.commit()
    return "civil-en"


def speak(client, language: str):
    """Switch ``client`` (and its user's stored preference) to ``language``."""
    client.post(f"/language/{language}", data={"next": "/"})
    return client


def civil_affairs_item(session, budget: str = "100000.00", fiscal_year: int = 2028):
    """An approved FY budget line of the civil affairs department (民政局)."""
    mzj = session.scalar(select(Department).where(Department.code == "MZJ"))
    author = UserFactory(role=Role.DEPARTMENT, department=mzj, display_name="民政局社会组织科")
    catalog = catalogs.create_catalog(session, author, fiscal_year)
    item = catalogs.add_item(session, author, catalog.id, item_data(
        service_category="community", title="社会组织培育基地以奖代补", budget=budget))
    catalogs.submit_catalog(session, author, catalog.id)
    catalogs.approve_catalog(session, user(session, "finance"), catalog.id)
    session.commit()
    return item


def new_base(session, operator, *, capacity: int = 2, name: str = "测试培育基地",
             level: str = "city", opened_days_ago: int = 800) -> IncubationBase:
    base = services.create_base(session, user(session, "civil"), services.BaseData(
        name, level, None, operator.id, capacity, ["space", "training"],
        _today() - dt.timedelta(days=opened_days_ago)))
    session.commit()
    return base


def counts(session):
    return row_counts(session, IncubationBase, Residency, BaseEvaluation, Reward, AuditEntry,
                      Transaction)


def item_money(session, item) -> dict:
    session.expire_all()
    line = funds.budget_line(item)
    return {"available": balance(session, available_account(line).name),
            "grants": balance(session, expense_account(line, GRANTS).name)}


@pytest.fixture
def operator(app, demo, session):
    org, _ = org_member(session, "测试社工服务中心", grade=4, contact_name="运营联系人王五",
                        contact_phone="0512-50001111", legal_representative="运营法人赵六",
                        office_address="玉山镇运营路8号")
    civil_en(session)
    return org


# --- recording a base ----------------------------------------------------------------------

def test_civil_affairs_records_a_base_through_the_form(app, session, operator):
    civil = client_for(app, "civil")
    form = {"name": "玉山镇社会组织孵化园", "level": "town", "town_id": "0",
            "operator_id": str(operator.id), "capacity": "5",
            "services": ["space", "funds"], "opened_on": _today().isoformat()}
    before = counts(session)
    response = civil.post("/incubation/new", data=form)
    assert response.status_code == 422
    assert "区镇级基地须选择所在区镇。" in response.get_data(as_text=True)
    assert counts(session) == before
    english = client_for(app, civil_en(session), "en")
    assert "A town-level base names its town." in english.post(
        "/incubation/new", data=form).get_data(as_text=True)
    assert counts(session) == before

    page = civil.get("/incubation/new").get_data(as_text=True)
    assert "玉山镇" in page
    from tests.factories import town_id
    form["town_id"] = str(town_id(session, "YS"))
    response = civil.post("/incubation/new", data=form)
    assert response.status_code == 302
    base = session.scalar(select(IncubationBase).where(
        IncubationBase.name == "玉山镇社会组织孵化园"))
    assert base.level.value == "town" and base.capacity == 5 and base.town.code == "YS"
    assert trail(session, "incubation_base", base.id)[0][0] == "create"

    # Nobody but civil affairs records a base.
    assert client_for(app, "org").get("/incubation/new").status_code == 403
    assert client_for(app, "finance").post("/incubation/new", data=form).status_code == 403


# --- admissions at the capacity boundary ---------------------------------------------------

def test_capacity_boundary_and_one_base_at_a_time(app, session, operator):
    base = new_base(session, operator, capacity=2)
    other_base = new_base(session, operator, capacity=3, name="另一个培育基地")
    orgs = [org_member(session, f"入驻组织{n}")[0] for n in range(3)]
    civil = client_for(app, "civil")
    day = (_today() - dt.timedelta(days=30)).isoformat()

    def admit(client, b, org):
        return client.post(f"/incubation/{b.id}/admit",
                           data={"organization_id": str(org.id), "admitted_on": day})

    assert admit(civil, base, orgs[0]).status_code == 302
    # One below the capacity: admitted.
    assert admit(civil, base, orgs[1]).status_code == 302
    # The capacity reached: refused, in both languages, nothing changed.
    before = counts(session)
    response = admit(civil, base, orgs[2])
    assert response.status_code == 409
    assert "基地已满：已入驻 2 家社会组织，达到容量上限。" in response.get_data(as_text=True)
    response = admit(client_for(app, civil_en(session), "en"), base, orgs[2])
    assert "The base is full: it hosts 2 organizations, its capacity." in \
        response.get_data(as_text=True)
    assert counts(session) == before
    # The full base's page says so instead of offering the form.
    page = speak(civil, "zh").get(f"/incubation/{base.id}").get_data(as_text=True)
    assert "基地已满，须有社会组织出壳后方可办理新的入驻。" in page

    # An organization already hosted is refused by another base.
    response = admit(civil, other_base, orgs[0])
    assert response.status_code == 409
    assert "已入驻测试培育基地，须先在该基地出壳。" in response.get_data(as_text=True)
    assert counts(session) == before

    # It graduates: a place is free, and it may move to the other base.
    residency = session.scalar(select(Residency).where(Residency.organization_id == orgs[0].id))
    graduated = (_today() - dt.timedelta(days=1)).isoformat()
    assert civil.post(f"/incubation/residencies/{residency.id}/graduate",
                      data={"graduated_on": graduated}).status_code == 302
    assert admit(civil, base, orgs[2]).status_code == 302
    assert admit(civil, other_base, orgs[0]).status_code == 302
    session.expire_all()
    assert [(a, t) for a, _, t, _ in trail(session, "incubation_residency", residency.id)] == \
        [("admit", "resident"), ("graduate", "graduated")]
    # Graduation before admission, or twice, is refused.
    response = civil.post(f"/incubation/residencies/{residency.id}/graduate",
                          data={"graduated_on": graduated})
    assert response.status_code == 409 and "该社会组织已出壳。" in response.get_data(as_text=True)


def test_admission_date_rules(app, session, operator):
    base = new_base(session, operator, opened_days_ago=10)
    org, _ = org_member(session, "日期测试组织")
    civil = client_for(app, "civil")
    before = counts(session)
    early = (_today() - dt.timedelta(days=11)).isoformat()
    response = civil.post(f"/incubation/{base.id}/admit",
                          data={"organization_id": str(org.id), "admitted_on": early})
    assert response.status_code == 422 and "入驻日期不得早于此日" in response.get_data(as_text=True)
    future = (_today() + dt.timedelta(days=1)).isoformat()
    response = civil.post(f"/incubation/{base.id}/admit",
                          data={"organization_id": str(org.id), "admitted_on": future})
    assert response.status_code == 422 and "日期不得晚于今天。" in response.get_data(as_text=True)
    assert counts(session) == before
    on_opening = (_today() - dt.timedelta(days=10)).isoformat()
    assert civil.post(f"/incubation/{base.id}/admit", data={
        "organization_id": str(org.id), "admitted_on": on_opening}).status_code == 302


# --- evaluations and rewards ---------------------------------------------------------------

def _evaluate(client, base, year, result, score="85"):
    return client.post(f"/incubation/{base.id}/evaluations", data={
        "year": str(year), "passed": result, "score": score, "evaluator": "苏州社会组织评估中心",
        "report": (io.BytesIO(minimal_pdf("评估报告")), "report.pdf")},
        content_type="multipart/form-data")


def _propose(client, base, year, item, amount="50000.00"):
    return client.post(f"/incubation/{base.id}/rewards", data={
        "year": str(year), "catalog_item_id": str(item.id), "amount": amount})


def test_reward_refused_before_a_passing_evaluation_and_after_a_failing_one(app, session,
                                                                            operator):
    item = civil_affairs_item(session)
    base = new_base(session, operator)
    year = _today().year - 1
    civil, english = client_for(app, "civil"), client_for(app, civil_en(session), "en")
    before, money = counts(session), item_money(session, item)

    response = _propose(civil, base, year, item)
    assert response.status_code == 409
    assert f"以奖代补，评估合格后方可奖励；该基地尚无{year}年度评估记录。" in \
        response.get_data(as_text=True)
    assert (f"A reward is paid only after a passing evaluation; no evaluation of this base "
            f"for {year} is recorded.") in _propose(english, base, year, item).get_data(
        as_text=True)
    assert counts(session) == before and item_money(session, item) == money

    assert _evaluate(civil, base, year, "fail", "52").status_code == 302
    before = counts(session)
    response = _propose(speak(civil, "zh"), base, year, item)
    assert response.status_code == 409
    assert f"该基地{year}年度评估不合格，该年度不予奖励。" in response.get_data(as_text=True)
    assert (f"The base did not pass its {year} evaluation: no reward is paid for that "
            "year.") in _propose(english, base, year, item).get_data(as_text=True)
    assert counts(session) == before and item_money(session, item) == money
    # The failing year is public; no reward is shown.
    page = client_for(app, None).get(f"/incubation/{base.id}").get_data(as_text=True)
    assert "不合格" in page and "暂无奖励。" in page


def test_reward_paid_after_a_pass_with_the_ledger_verified(app, session, operator, tmp_path):
    item = civil_affairs_item(session)
    base = new_base(session, operator)
    year = _today().year - 1
    civil = client_for(app, "civil")
    assert _evaluate(civil, base, year, "pass", "88.5").status_code == 302
    evaluation = session.scalar(select(BaseEvaluation).where(BaseEvaluation.base_id == base.id))
    assert evaluation.passed and evaluation.score == D("88.50")
    assert evaluation.report_document_id is not None
    # The year cannot be evaluated twice.
    assert _evaluate(civil, base, year, "fail").status_code == 409

    money = item_money(session, item)
    response = _propose(civil, base, year, item)
    assert response.status_code == 302
    reward = session.scalar(select(Reward).where(Reward.base_id == base.id))
    assert response.headers["Location"].endswith(f"/incubation/rewards/{reward.id}/pay")
    assert reward.status == RewardStatus.PROPOSED
    assert item_money(session, item) == money  # nothing moves before the confirmation
    page = civil.get(f"/incubation/rewards/{reward.id}/pay").get_data(as_text=True)
    assert "确认并拨付奖励" in page and "50,000.00" in page
    # The same proposal twice is refused.
    assert _propose(civil, base, year, item).status_code == 409

    response = civil.post(f"/incubation/rewards/{reward.id}/pay")
    assert response.status_code == 302
    session.expire_all()
    assert reward.status == RewardStatus.PAID and reward.paid_at is not None
    assert item_money(session, item) == {"available": money["available"] - D("50000.00"),
                                         "grants": D("50000.00")}
    committed = committed_account(funds.budget_line(item), Unit(reward.code)).name
    assert balance(session, committed) == D("0.00")
    txns = [session.get(Transaction, reward.commit_txn_id),
            session.get(Transaction, reward.pay_txn_id)]
    assert all(t is not None for t in txns)
    for t in txns:
        text = repr(t.links) if hasattr(t, "links") else ""
        assert f"incubation-base-{base.id}" in text and f"incubation-{base.id}-{year}" in text
    assert verify(session).ok
    # The exported journal passes beancount's checks with the plugin, and carries the links.
    result = export(session, tmp_path / "export")
    _, errors, _ = load_ledger(result.main)
    assert errors == []
    journal = "".join(p.read_text("utf-8") for p in result.main.parent.glob("*.beancount"))
    assert f"^incubation-base-{base.id}" in journal and f"^incubation-{base.id}-{year}" in journal
    assert [a for a, *_ in trail(session, "incubation_reward", reward.id)] == ["propose", "pay"]
    # Paying again is refused and changes nothing.
    before = counts(session)
    response = civil.post(f"/incubation/rewards/{reward.id}/pay")
    assert response.status_code == 409 and "这项奖励已拨付。" in response.get_data(as_text=True)
    assert counts(session) == before
    # The public page shows the paid reward.
    page = client_for(app, None, "en").get(f"/incubation/{base.id}").get_data(as_text=True)
    assert "50,000.00" in page and "Paid" in page


def test_rewards_to_bases_of_3a_organizations_are_paid_first(app, session, operator):
    item = civil_affairs_item(session, budget="100000.00")
    ungraded, _ = org_member(session, "未评级运营机构")
    priority_base = new_base(session, operator, name="3A运营基地")
    other_base = new_base(session, ungraded, name="普通运营基地")
    year = _today().year - 1
    civil, english = client_for(app, "civil"), client_for(app, civil_en(session), "en")
    for b in (priority_base, other_base):
        assert _evaluate(civil, b, year, "pass").status_code == 302
    assert _propose(civil, other_base, year, item, "40000.00").status_code == 302
    assert _propose(civil, priority_base, year, item, "70000.00").status_code == 302
    other = session.scalar(select(Reward).where(Reward.base_id == other_base.id))
    first = session.scalar(select(Reward).where(Reward.base_id == priority_base.id))

    # 100,000 available, 70,000 kept for the 3A+ base's reward: 40,000 does not fit.
    before, money = counts(session), item_money(session, item)
    response = civil.post(f"/incubation/rewards/{other.id}/pay")
    assert response.status_code == 409
    assert ("3A级及以上社会组织运营的基地优先获得奖励：该预算项目须为其待拨付奖励保留 70,000.00 元，"
            "本项奖励仅余 30,000.00 元可用。") in response.get_data(as_text=True)
    assert ("Bases run by 3A-or-higher organizations are rewarded first: 70,000.00 yuan") in \
        english.post(f"/incubation/rewards/{other.id}/pay").get_data(as_text=True)
    assert counts(session) == before and item_money(session, item) == money
    page = speak(civil, "zh").get(f"/incubation/rewards/{other.id}/pay").get_data(
        as_text=True)
    assert "为3A级及以上组织运营的基地保留" in page

    # With the rule off (a deployment's choice), the first come is paid first.
    app.config["POLICY_INCUBATION_REWARD_PRIORITY"] = 0
    page = civil.get(f"/incubation/rewards/{other.id}/pay").get_data(as_text=True)
    assert "优先获得奖励" not in page and "为3A级及以上组织运营的基地保留" not in page
    assert "确认并拨付奖励" in page
    app.config.pop("POLICY_INCUBATION_REWARD_PRIORITY")

    # The 3A+ base's reward is paid whatever else waits.
    assert civil.post(f"/incubation/rewards/{first.id}/pay").status_code == 302
    # Then the other no longer fits the line at all.
    response = civil.post(f"/incubation/rewards/{other.id}/pay")
    assert response.status_code == 409
    assert "可用预算不足（可用：30,000.00 元）。" in response.get_data(as_text=True)
    assert verify(session).ok


def test_withdrawing_a_waiting_3a_reward_frees_the_line(app, session, operator):
    item = civil_affairs_item(session, budget="100000.00")
    ungraded, _ = org_member(session, "未评级运营机构二")
    priority_base = new_base(session, operator, name="3A运营基地二")
    other_base = new_base(session, ungraded, name="普通运营基地二")
    year = _today().year - 1
    civil = client_for(app, "civil")
    for b in (priority_base, other_base):
        assert _evaluate(civil, b, year, "pass").status_code == 302
    assert _propose(civil, priority_base, year, item, "70000.00").status_code == 302
    assert _propose(civil, other_base, year, item, "40000.00").status_code == 302
    first = session.scalar(select(Reward).where(Reward.base_id == priority_base.id))
    other = session.scalar(select(Reward).where(Reward.base_id == other_base.id))
    response = civil.post(f"/incubation/rewards/{first.id}/withdraw", data={"reason": ""})
    assert response.status_code == 400
    assert civil.post(f"/incubation/rewards/{first.id}/withdraw",
                      data={"reason": "运营机构申请延后"}).status_code == 302
    assert civil.post(f"/incubation/rewards/{other.id}/pay").status_code == 302
    assert item_money(session, item)["grants"] == D("40000.00")


# --- pages ---------------------------------------------------------------------------------

@pytest.fixture
def states(app, session, operator):
    """Every state the pages show: an empty-ish base, a base with residents, a graduate, a
    passing and a failing evaluation, a paid reward and one waiting."""
    item = civil_affairs_item(session)
    full = new_base(session, operator, name="城区培育基地")
    empty = new_base(session, operator, name="空置培育基地", capacity=1)
    civil = user(session, "civil")
    year = _today().year - 1
    resident, _ = org_member(session, "在孵社会组织")
    graduate, _ = org_member(session, "已出壳社会组织")
    day = _today() - dt.timedelta(days=100)
    services.admit(session, civil, full.id, resident.id, day)
    r = services.admit(session, civil, full.id, graduate.id, day)
    services.graduate(session, civil, r.id, _today())
    services.record_evaluation(session, civil, full.id, year, True, "90", "评估中心")
    services.record_evaluation(session, civil, full.id, year - 1, False, "50", "评估中心")
    paid = services.propose_reward(session, civil, full.id, year, item.id, "30000")
    services.pay_reward(session, civil, paid.id)
    services.record_evaluation(session, civil, empty.id, year, True, "80", "评估中心")
    waiting = services.propose_reward(session, civil, empty.id, year, item.id, "20000")
    session.commit()
    return {"full": full.id, "empty": empty.id, "paid": paid.id, "waiting": waiting.id,
            "resident": resident.id, "graduate": graduate.id, "operator": operator.id}


@pytest.mark.parametrize("language", ["zh", "en"])
def test_pages_in_both_languages(app, session, states, language):
    pages = [(None, "/incubation/"), (None, "/incubation/{full}"), (None, "/incubation/{empty}"),
             (None, "/organizations/{resident}"), (None, "/organizations/{graduate}"),
             (None, "/organizations/{operator}"),
             ("civil", "/home"), ("civil", "/incubation/"), ("civil", "/incubation/new"),
             ("civil", "/incubation/{full}"), ("civil", "/incubation/{empty}"),
             ("civil", "/incubation/rewards/{waiting}/pay"),
             ("civil", "/incubation/rewards/{paid}/pay")]
    problems = untranslated(app, session, [(w, p.format(**states)) for w, p in pages], language)
    assert problems == [], "\n".join(f"{u}: {t}" for u, t in problems)


def test_pages_show_each_state(app, session, states):
    anonymous, civil = client_for(app, None), client_for(app, "civil")
    full = anonymous.get(f"/incubation/{states['full']}").get_data(as_text=True)
    assert "在孵社会组织" in full and "已出壳社会组织" in full and "合格" in full
    assert "30,000.00" in full and "20,000.00" not in full  # a waiting reward is internal
    assert "办理入驻" not in full and "登记年度评估" not in full  # no forms for the public
    empty = civil.get(f"/incubation/{states['empty']}").get_data(as_text=True)
    assert "目前没有入驻的社会组织。" in empty and "办理入驻" in empty and "待拨付" in empty
    home = civil.get("/home").get_data(as_text=True)
    assert "待拨付的培育基地奖励" in home and "空置培育基地 · " in home
    index = civil.get("/incubation/").get_data(as_text=True)
    assert "待拨付的奖励" in index and "登记新的培育基地" in index
    assert "登记新的培育基地" not in anonymous.get("/incubation/").get_data(as_text=True)
    paid = civil.get(f"/incubation/rewards/{states['paid']}/pay").get_data(as_text=True)
    assert "已支付" in paid and "确认并拨付奖励" not in paid
    # The organizations' pages show their base.
    page = anonymous.get(f"/organizations/{states['resident']}").get_data(as_text=True)
    assert "城区培育基地" in page and "起入驻" in page
    page = anonymous.get(f"/organizations/{states['graduate']}").get_data(as_text=True)
    assert "城区培育基地" in page and "出壳" in page
    page = client_for(app, None, "en").get(
        f"/organizations/{states['operator']}").get_data(as_text=True)
    assert "Runs" in page and "空置培育基地" in page
    # Only civil affairs reaches the reward pages.
    assert client_for(app, "org").get(
        f"/incubation/rewards/{states['waiting']}/pay").status_code == 403


def test_public_pages_show_no_personal_data(app, session, states):
    from market.orgs.models import Organization

    anonymous = client_for(app, None)
    texts = [anonymous.get(p).get_data(as_text=True) for p in (
        "/incubation/", f"/incubation/{states['full']}", f"/incubation/{states['empty']}")]
    for org_id in (states["operator"], states["resident"], states["graduate"]):
        org = session.get(Organization, org_id)
        for value in (org.contact_name, org.contact_phone, org.legal_representative,
                      org.office_address):
            assert all(value not in t for t in texts), value
    for value in ("civil", "民政局登记管理科"):  # who recorded or paid
        assert all(value not in t for t in texts), value


def test_the_organizations_own_page_shows_its_base(app, session, states):
    from market.accounts.models import User

    member = session.scalar(select(User).where(User.organization_id == states["resident"]))
    client = app.test_client()
    assert client.post("/login", data={"username": member.username,
                                       "password": PASSWORD}).status_code == 302
    page = client.get("/my/organization").get_data(as_text=True)
    assert "城区培育基地" in page and "起入驻" in page


def test_evaluation_reports_are_read_by_civil_affairs_and_the_operator_only(app, session,
                                                                           operator):
    from market.accounts.models import User

    base = new_base(session, operator)
    civil = client_for(app, "civil")
    assert _evaluate(civil, base, _today().year - 1, "pass").status_code == 302
    doc_id = session.scalar(select(BaseEvaluation.report_document_id))
    assert civil.get(f"/documents/{doc_id}").status_code == 200
    member = session.scalar(select(User).where(User.organization_id == operator.id))
    own = app.test_client()
    own.post("/login", data={"username": member.username, "password": PASSWORD})
    assert own.get(f"/documents/{doc_id}").status_code == 200
    stranger = client_for(app, "org")
    assert stranger.get(f"/documents/{doc_id}").status_code in (403, 404)
    assert client_for(app, None).get(f"/documents/{doc_id}").status_code in (302, 403, 404)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_bases_organizations_download_for_anyone(app, session, states, language):
    from flask_babel import force_locale

    from market.incubation.views import RESIDENTS
    from tests.core.downloads import both

    url = f"/incubation/{states['full']}"
    rows, sheet = both(client_for(app, None, language), url)
    with app.test_request_context(), force_locale(language):
        assert rows[0] == sheet[0] == RESIDENTS.header()
    by_name = {r[0]: r for r in rows[1:]}
    assert set(by_name) == {"在孵社会组织", "已出壳社会组织"} and len(sheet) == 3
    assert by_name["在孵社会组织"][2] == "" and by_name["已出壳社会组织"][2] == \
        _today().isoformat()
    empty, _ = both(client_for(app, None), f"/incubation/{states['empty']}")
    assert len(empty) == 1

"""SIGKILL under load: the platform runs under gunicorn (``wsgi:app``, sync workers) on the
test database; threads logged in as finance and as the department send payment approvals
(拨付) and awards (中标) over HTTP, several at once for the same effect, while workers —
and once the master with its workers, as a machine crash would — are killed with SIGKILL
at random moments. After a restart:

- every request acknowledged (2xx/3xx to the expected page) took effect: the milestone is
  paid in the database and its payment is in the ledger; the tender is awarded;
- no effect happened twice (one payment transaction per milestone, one award per tender,
  one audit record each);
- nothing is half-done (a payment transaction without its paid milestone, or the reverse;
  an award row without the tender's awarded status, or the reverse);
- a client's retry after the crash is answered consistently (paid: refused as already
  paid; not paid: paid now), and the ledger ``verify`` passes.

CRASH_ROUNDS (default 3) load rounds; each round pays PAYMENTS_PER_ROUND milestones and
awards AWARDS_PER_ROUND tenders, each sent DUPLICATES times at once, and kills one or two
workers; the master is killed in one round. The figures are recorded as a "probe" property.
"""
from __future__ import annotations

import datetime as dt
import http.client
import http.cookiejar
import math
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ledger.models import Transaction
from ledger.verify import verify
from market.accounts.models import User
from market.auditlog.models import AuditEntry
from market.clock import set_clock
from market.contracts.models import Contract, ContractStatus, Milestone, MilestoneStatus
from market.contracts.services import MilestoneData, accept_contract, sign_contract
from market.demo import DEMO_PASSWORD
from market.tenders import tender_services
from market.tenders.models import Tender, TenderStatus
from market.tenders.scoring import award as awards
from market.tenders.scoring.models import Award
from tests.conftest import Clock
from tests.factories import (
    AWARD_PERIODS,
    bid_of,
    budget_item,
    deliver_and_accept,
    new_experts,
    new_tender,
    org_member,
    place_bid,
    score_bids,
    user,
)
from tests.probes import csrf_token

ROOT = Path(__file__).resolve().parents[2]
ROUNDS = int(os.environ.get("CRASH_ROUNDS", "3"))
WORKERS = int(os.environ.get("CRASH_WORKERS", "2"))
PAYMENTS_PER_ROUND = 4
AWARDS_PER_ROUND = 2
DUPLICATES = 2  # each effect is asked for this many times at once
MILESTONES = 10  # per contract: 10 % each, none gated; the tenth payment completes it
CONTRACT_PRICE = Decimal("240000.00")
HTTP_TIMEOUT = 30


# --- gunicorn ------------------------------------------------------------------------------

def free_port() -> int:
    """A port nobody listens on now (each xdist worker asks the kernel for its own)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return []
    return [int(p) for p in text.split()]


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Gunicorn:
    """``gunicorn wsgi:app`` with sync workers on 127.0.0.1:<port>, in its own session."""

    def __init__(self, env: dict[str, str], port: int, log: Path):
        self.env, self.port, self.log = env, port, log
        self.proc: subprocess.Popen | None = None
        self.starts = 0

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        with self.log.open("a") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "wsgi:app", "--worker-class", "sync",
                 "--workers", str(WORKERS), "--bind", f"127.0.0.1:{self.port}",
                 "--timeout", "60", "--graceful-timeout", "2"],
                cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT,
                start_new_session=True)
        self.starts += 1
        self.wait_ready()

    def wait_ready(self, timeout: float = 60) -> None:
        """Until the master answers and runs its full count of workers."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited ({self.proc.returncode}): "
                                     f"{self.log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{self.base}/login", timeout=5) as r:
                    if r.status == 200 and len(self.workers()) == WORKERS:
                        return
            except OSError:
                pass
            time.sleep(0.2)
        raise AssertionError(f"gunicorn did not start: {self.log.read_text()[-3000:]}")

    def workers(self) -> list[int]:
        return [p for p in children(self.proc.pid) if alive(p)] if self.proc else []

    def kill_worker(self, rng: random.Random) -> bool:
        pids = self.workers()
        if not pids:
            return False
        try:
            os.kill(rng.choice(pids), signal.SIGKILL)
        except ProcessLookupError:
            return False
        return True

    def kill_all(self) -> None:
        """SIGKILL the master, then the workers it leaves behind (a machine crash)."""
        if self.proc is None:
            return
        orphans = children(self.proc.pid)
        try:
            os.kill(self.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        for pid in orphans:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.proc.wait(timeout=30)
        deadline = time.monotonic() + 30
        while any(alive(p) for p in orphans) and time.monotonic() < deadline:
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        workers = self.workers()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.kill_all()
        for pid in workers:
            if alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass


# --- a browser on urllib (no redirects followed: a redirect is the acknowledgement) --------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@dataclass
class Answer:
    status: int | None  # None: the connection broke or was refused (no answer)
    location: str = ""
    body: str = ""
    error: str = ""


class Browser:
    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        self.token = ""

    def send(self, path: str, data: dict | None = None) -> Answer:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body,
                                     headers={"User-Agent": "crash-probe"})
        try:
            with self.opener.open(req, timeout=HTTP_TIMEOUT) as r:
                return Answer(r.status, r.headers.get("Location", ""),
                              r.read().decode("utf-8", "replace"))
        except urllib.error.HTTPError as e:
            try:
                return Answer(e.code, e.headers.get("Location", ""),
                              e.read().decode("utf-8", "replace"))
            except (OSError, http.client.HTTPException) as cut:  # the body never came
                return Answer(None, error=repr(cut)[:200])
        except (OSError, http.client.HTTPException) as e:
            # Killed before or while answering (a cut body is no acknowledgement either).
            return Answer(None, error=repr(e)[:200])

    def login(self, username: str) -> Browser:
        page = self.send("/login")
        assert page.status == 200, page
        r = self.send("/login", {"username": username, "password": DEMO_PASSWORD,
                                 "csrf_token": csrf_token(page.body)})
        assert r.status == 302 and "/login" not in r.location, (username, r.status, r.location)
        home = self.send("/")
        assert home.status == 200, home
        self.token = csrf_token(home.body)  # bound to this login's session
        return self

    def post(self, path: str, data: dict | None = None) -> Answer:
        return self.send(path, {**(data or {}), "csrf_token": self.token})


# --- the seed: contracts with accepted milestones, tenders evaluated and not awarded --------

@dataclass
class Targets:
    milestones: list[tuple[int, int]]  # (contract id, milestone number), accepted, unpaid
    tenders: list[tuple[int, int]]  # (tender id, top-ranked bid id), evaluated
    contract_ids: list[int]


def schedule() -> list[MilestoneData]:
    share = str(100 // MILESTONES)
    return [MilestoneData(f"第{k}期", share, dt.date(2028, 1, 1) + dt.timedelta(days=30 * k),
                          False) for k in range(1, MILESTONES + 1)]


def seed_targets(session, clock, contracts: int, tenders: int) -> Targets:
    """``contracts`` contracts of 240,000.00 whose every milestone is delivered and
    accepted, and ``tenders`` tenders scored and waiting for their award (all on one FY2028
    item; three bidders, A graded 4A ranked first, three experts)."""
    n = contracts + tenders
    item = budget_item(session, budget=str(Decimal("300000.00") * n))
    experts = new_experts(session)
    bidders = [org_member(session, grade=4)[1], org_member(session)[1], org_member(session)[1]]
    prices = ["240000.00", "250000.00", "260000.00"]
    marks = {bidders[0]: ("35", "25"), bidders[1]: ("30", "20"), bidders[2]: ("28", "20")}
    made = [new_tender(session, clock, item=item, **AWARD_PERIODS) for _ in range(n)]
    for tender in made:
        for bidder, price in zip(bidders, prices, strict=True):
            place_bid(session, bidder, tender, price, f"{bidder.display_name}的服务方案")
    clock.travel(made[-1].opening_time + dt.timedelta(minutes=5))
    dept = user(session, "dept")
    for tender in made:
        tender_services.open_bids(session, dept, tender.id)
        session.commit()
        score_bids(session, tender, experts, marks)
    top = {t.id: bid_of(session, t, bidders[0]).id for t in made}
    for tender in made[:contracts]:
        awards.award_tender(session, dept, tender.id, top[tender.id])
        session.commit()
    if contracts:
        clock.travel(max(t.standstill_ends_at for t in made[:contracts]) + dt.timedelta(hours=1))
    signed = []
    for tender in made[:contracts]:
        # Every milestone is paid on acceptance: the tender waives the final evaluation
        # gate with its reason (MOF Order No. 102 evaluation is tested elsewhere).
        tender.final_evaluation_waiver = "服务以里程碑验收为准，无需期末绩效评价（压力测试）"
        contract = sign_contract(session, dept, tender.id, schedule())
        session.commit()
        # The organization countersigns the written contract before any payment.
        if contract.pdf_sha256 is not None:
            accept_contract(session, bidders[0], contract.id, True, DEMO_PASSWORD)
            session.commit()
        signed.append(contract)
    for contract in signed:
        assert contract.amount == CONTRACT_PRICE
        for k in range(1, MILESTONES + 1):
            deliver_and_accept(session, contract, k, bidders[0])
    return Targets([(c.id, k) for c in signed for k in range(1, MILESTONES + 1)],
                   [(t.id, top[t.id]) for t in made[contracts:]], [c.id for c in signed])


# --- the load --------------------------------------------------------------------------------

@dataclass
class Sent:
    kind: str  # "pay" | "award"
    target: tuple[int, int]
    answer: Answer

    @property
    def acknowledged(self) -> bool:
        a = self.answer
        if a.status is None or not 200 <= a.status < 400:
            return False
        path = urllib.parse.urlparse(a.location).path
        expected = (path == f"/contracts/{self.target[0]}" if self.kind == "pay"
                    else path.startswith(f"/tenders/{self.target[0]}/"))
        # A 3xx elsewhere (the login page: the session was lost) acknowledges nothing.
        assert a.status < 300 or expected, (self.kind, a.status, a.location)
        return True


@dataclass
class Figures:
    rounds: int = 0
    sent: int = 0
    acknowledged: int = 0
    refused: int = 0
    server_errors: int = 0
    no_answer: int = 0
    worker_kills: int = 0
    master_kills: int = 0
    restarts: int = 0
    retried: int = 0
    lost: int = 0
    doubled: int = 0
    half_done: int = 0
    statuses: Counter = field(default_factory=Counter)


def request_for(kind: str, target: tuple[int, int]) -> tuple[str, dict]:
    if kind == "pay":
        return f"/contracts/{target[0]}/milestones/{target[1]}/pay", {}
    return f"/tenders/{target[0]}/award", {"bid_id": str(target[1]), "reason": ""}


def run_round(server: Gunicorn, browsers: dict[str, list[Browser]], jobs: list[tuple],
              rng: random.Random, kill_master: bool, figures: Figures) -> list[Sent]:
    """Send ``jobs`` from one thread each, all released together, and kill while they run."""
    sent: list[Sent] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(jobs) + 1)

    def go(i: int, kind: str, target: tuple[int, int]) -> None:
        role = "finance" if kind == "pay" else "dept"
        browser = browsers[role][i % len(browsers[role])]
        path, data = request_for(kind, target)
        barrier.wait(timeout=60)
        time.sleep(rng.random() * 0.05)
        try:
            answer = browser.post(path, data)
        except Exception as e:  # noqa: BLE001 - every request is counted, answered or not
            answer = Answer(None, error=repr(e)[:200])
        with lock:
            sent.append(Sent(kind, target, answer))

    threads = [threading.Thread(target=go, args=(i, kind, target))
               for i, (kind, target) in enumerate(jobs)]
    for t in threads:
        t.start()
    barrier.wait(timeout=60)
    # Kill at random moments while the requests are in flight.
    for _ in range(rng.choice((1, 2))):
        time.sleep(rng.random() * 0.3)
        if kill_master:
            server.kill_all()
            figures.master_kills += 1
            break
        if server.kill_worker(rng):
            figures.worker_kills += 1
    for t in threads:
        t.join(timeout=2 * HTTP_TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a request hung"
    assert len(sent) == len(jobs)
    if kill_master:
        server.start()
        figures.restarts += 1
    else:
        server.wait_ready()  # the master replaced the killed workers
    return sent


# --- what the database and the ledger say ------------------------------------------------------

def pay_transactions(session, contract: Contract) -> Counter:
    """Payment transactions of ``contract``, counted per milestone number."""
    link = f"tender-{contract.tender_id}"
    out: Counter = Counter()
    for txn in session.scalars(select(Transaction)):
        if link in (txn.links or []) and "approved_by" in (txn.meta or {}):
            out[int(txn.meta["milestone"])] += 1
    return out


def audit_count(session, object_type: str, object_id: int, action: str) -> int:
    return session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.object_type == object_type, AuditEntry.object_id == object_id,
        AuditEntry.action == action))


def txn_count(session) -> int:
    return session.scalar(select(func.count()).select_from(Transaction))


@pytest.fixture
def crash_seed(app, session):
    """The demo, then the targets, all dated before today: the seed's clock starts 30 days
    ago, and the journal's dates never go backwards, so the server (on the real clock)
    posts after every seeded entry."""
    from market.demo import seed

    start = (dt.datetime.now(dt.UTC) - dt.timedelta(days=30)).replace(
        hour=1, minute=0, second=0, microsecond=0)
    clock = Clock(start)
    set_clock(clock)
    with app.app_context():
        seed(session)
        session.commit()
    contracts = math.ceil(ROUNDS * PAYMENTS_PER_ROUND / MILESTONES)
    targets = seed_targets(session, clock, contracts, ROUNDS * AWARDS_PER_ROUND)
    assert clock.now < dt.datetime.now(dt.UTC)
    set_clock(None)  # from here on the test reads the state the server leaves
    session.rollback()  # SQLite: an open transaction would hold the server's write lock
    return targets


@pytest.fixture
def server(app, database_url, crash_seed, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("MARKET_")}
    env.update({
        "MARKET_DATABASE_URL": database_url,
        "MARKET_SECRET_KEY": "crash-probe-secret-key-0123456789abcdef",
        "MARKET_UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "MARKET_LEDGER_EXPORT_FOLDER": str(tmp_path / "ledger-export"),
        "MARKET_RATELIMIT_STORAGE_URI": "memory://",
        "MARKET_ARGON2_TIME_COST": "1",
        "MARKET_ARGON2_MEMORY_COST": "1024",
        "PYTHONPATH": str(ROOT),
    })
    g = Gunicorn(env, free_port(), tmp_path / "gunicorn.log")
    g.start()
    yield g
    g.stop()


def test_sigkill_during_payments_and_awards(app, session, server, crash_seed, record_property):
    targets = crash_seed
    rng_seed = int(os.environ.get("CRASH_SEED", str(random.randrange(1 << 30))))
    rng = random.Random(rng_seed)  # CRASH_SEED=<it> repeats the choices (not the timing)
    figures = Figures()
    browsers = {role: [Browser(server.base).login(role) for _ in range(2)]
                for role in ("finance", "dept")}
    session.expire_all()
    txns_before = txn_count(session)
    session.rollback()
    master_round = ROUNDS // 2
    pay_pool, award_pool = list(targets.milestones), list(targets.tenders)
    sent: list[Sent] = []
    asked_pay: list[tuple[int, int]] = []

    for round_ in range(ROUNDS):
        pays = [pay_pool.pop(0) for _ in range(PAYMENTS_PER_ROUND)]
        awarded = [award_pool.pop(0) for _ in range(AWARDS_PER_ROUND)]
        asked_pay += pays
        jobs = [("pay", t) for t in pays for _ in range(DUPLICATES)] + \
               [("award", t) for t in awarded for _ in range(DUPLICATES)]
        rng.shuffle(jobs)
        sent += run_round(server, browsers, jobs, rng, round_ == master_round, figures)
        figures.rounds += 1

    # A last crash of everything, then a restart: what follows reads what survived.
    server.kill_all()
    figures.master_kills += 1
    server.start()
    figures.restarts += 1

    for s in sent:
        figures.sent += 1
        figures.statuses[s.answer.status] += 1
        if s.acknowledged:
            figures.acknowledged += 1
        elif s.answer.status is None:
            figures.no_answer += 1
        elif s.answer.status >= 500:
            figures.server_errors += 1
        else:
            figures.refused += 1
    acked_pay = {s.target for s in sent if s.kind == "pay" and s.acknowledged}
    acked_award = {s.target for s in sent if s.kind == "award" and s.acknowledged}

    session.expire_all()
    problems: list[str] = []
    # Payments: acknowledged ⇒ paid and in the ledger; once; both or neither.
    contracts = {cid: session.get(Contract, cid) for cid in targets.contract_ids}
    pay_txns = {cid: pay_transactions(session, c) for cid, c in contracts.items()}
    paid_count = 0
    for cid, contract in contracts.items():
        for m in session.scalars(select(Milestone).where(Milestone.contract_id == cid)):
            n_txn, key = pay_txns[cid][m.number], (cid, m.number)
            paid = m.status == MilestoneStatus.PAID
            paid_count += paid
            if key in acked_pay and not paid:
                figures.lost += 1
                problems.append(f"acknowledged payment {key} is not paid")
            if n_txn > 1 or audit_count(session, "milestone", m.id, "pay") > (1 if paid else 0):
                figures.doubled += 1
                problems.append(f"payment {key}: {n_txn} transactions")
            if paid != (n_txn == 1) or paid != (m.ledger_txn_id is not None) or \
                    (paid and session.get(Transaction, m.ledger_txn_id) is None):
                figures.half_done += 1
                problems.append(f"payment {key}: status {m.status}, {n_txn} transactions, "
                                f"ledger_txn_id {m.ledger_txn_id}")
            if paid and key not in asked_pay:
                problems.append(f"payment {key} was never asked for")
        complete = all(m.status == MilestoneStatus.PAID for m in contract.milestones)
        if complete != (contract.status == ContractStatus.COMPLETED):
            figures.half_done += 1
            problems.append(f"contract {cid}: every milestone paid {complete}, "
                            f"status {contract.status}")
        if contract.paid != sum((m.amount for m in contract.milestones
                                 if m.status == MilestoneStatus.PAID), Decimal("0.00")):
            problems.append(f"contract {cid}: paid {contract.paid}")
    # Awards: acknowledged ⇒ awarded; one award; the award row ⇔ the tender's status.
    awarded_count = 0
    for tender_id, bid_id in targets.tenders:
        tender = session.get(Tender, tender_id)
        rows = session.scalars(select(Award).where(Award.tender_id == tender_id)).all()
        awarded = tender.status == TenderStatus.AWARDED
        awarded_count += awarded
        if (tender_id, bid_id) in acked_award and not awarded:
            figures.lost += 1
            problems.append(f"acknowledged award of tender {tender_id} is not there")
        if len(rows) > 1 or audit_count(session, "tender", tender_id, "award") > 1:
            figures.doubled += 1
            problems.append(f"tender {tender_id}: {len(rows)} awards")
        if awarded != (len(rows) == 1) or (rows and rows[0].bid_id != bid_id) or \
                awarded != (tender.awarded_at is not None):
            figures.half_done += 1
            problems.append(f"tender {tender_id}: status {tender.status}, {len(rows)} awards")
    # Nothing else moved: payments, the releases of completed contracts and each award's
    # settlement of its tender's reservation (the rest of the ceiling goes back), no more.
    releases = sum(1 for t in session.scalars(select(Transaction))
                   if "released_by" in (t.meta or {}))
    settled = Counter((t.meta or {}).get("tender") for t in session.scalars(select(Transaction))
                      if str((t.meta or {}).get("reason", "")).startswith("award_bid_"))
    for tender_id, _bid_id in targets.tenders:
        tender = session.get(Tender, tender_id)
        awarded = tender.status == TenderStatus.AWARDED
        if settled[tender.reference] != (1 if awarded else 0):
            figures.half_done += 1
            problems.append(f"tender {tender_id}: awarded {awarded}, "
                            f"{settled[tender.reference]} reservation settlements")
    settlements = sum(settled[session.get(Tender, t).reference] for t, _b in targets.tenders)
    if txn_count(session) != txns_before + paid_count + releases + settlements:
        problems.append(f"ledger: {txn_count(session)} transactions, expected "
                        f"{txns_before} + {paid_count} payments + {releases} releases + "
                        f"{settlements} award settlements")

    # The client retries what got no answer: answered consistently with what is stored.
    unanswered = {(s.kind, s.target) for s in sent if not s.acknowledged
                  and (s.answer.status is None or s.answer.status >= 500)}
    done = {(kind, target): (session.get(Milestone, _milestone_id(session, target)).status
                             == MilestoneStatus.PAID) if kind == "pay" else
            session.get(Tender, target[0]).status == TenderStatus.AWARDED
            for kind, target in unanswered}
    session.rollback()  # SQLite: the server needs the write lock
    retry = {role: Browser(server.base).login(role) for role in ("finance", "dept")}
    for kind, target in sorted(unanswered):
        path, data = request_for(kind, target)
        answer = retry["finance" if kind == "pay" else "dept"].post(path, data)
        figures.retried += 1
        expected = 409 if done[(kind, target)] else 302
        if answer.status != expected:
            problems.append(f"retry of {kind} {target}: {answer.status}, expected {expected}")
    session.expire_all()
    verdict = verify(session)

    record_property("probe", (
        f"crash (CRASH_SEED={rng_seed}): {figures.rounds} rounds, {figures.sent} requests, {figures.acknowledged} "
        f"acknowledged, {figures.refused} refused, {figures.no_answer} without answer, "
        f"{figures.server_errors} 5xx, {figures.worker_kills} worker kills, "
        f"{figures.master_kills} master kills, {figures.restarts} restarts, "
        f"{figures.retried} retried; paid {paid_count}, awarded {awarded_count}; lost "
        f"{figures.lost}, doubled {figures.doubled}, half-done {figures.half_done}; "
        f"verify {'passes' if verdict.ok else 'FAILS'} ({verdict.entries} entries)"))
    assert problems == [], "\n".join(problems)
    assert (figures.lost, figures.doubled, figures.half_done) == (0, 0, 0)
    assert verdict.ok, verdict.problems
    # Each effect was asked for DUPLICATES times at once: at most one acknowledgement.
    acks = Counter((s.kind, s.target) for s in sent if s.acknowledged)
    assert max(acks.values(), default=1) == 1, acks
    # The load did run: something was acknowledged, and kills did happen.
    assert figures.acknowledged > 0 and figures.worker_kills + figures.master_kills > 0
    # Locks (rows on PostgreSQL, the write lock on SQLite): a concurrent duplicate waits and
    # is refused, never a server error.
    assert figures.server_errors == 0, figures.statuses


def _milestone_id(session, target: tuple[int, int]) -> int:
    return session.scalar(select(Milestone.id).where(Milestone.contract_id == target[0],
                                                     Milestone.number == target[1]))


def test_two_workers_paying_one_milestone_pay_once(app, demo, session, clock, database_url,
                                                   monkeypatch):
    """What the crash probe found on SQLite, replayed deterministically: worker A has
    checked that milestone 1 is payable and pauses; worker B approves the same payment
    meanwhile. B must wait for A (a row lock on PostgreSQL, the write lock taken at BEGIN on
    SQLite) and then be refused: one payment, one ledger transaction. Before the fix SQLite
    read outside any transaction, so B paid too and A paid again."""
    from market.contracts import payments
    from market.db import make_engine
    from market.errors import Conflict
    from tests.factories import signed_contract

    contract, bidders = signed_contract(session, clock, budget_item(session))
    deliver_and_accept(session, contract, 1, bidders["a"])
    finance_id = user(session, "finance").id
    txns, contract_id = txn_count(session), contract.id
    session.rollback()  # SQLite: the test's open transaction would hold the write lock
    checked, b_done = threading.Event(), threading.Event()
    real_blocker = payments.payment_blocker

    def blocker(contract_, milestone):
        answer = real_blocker(contract_, milestone)
        if threading.current_thread().name == "A":
            checked.set()
            b_done.wait(timeout=2)  # B cannot finish before A commits: the wait runs out
        return answer

    monkeypatch.setattr(payments, "payment_blocker", blocker)
    engine = make_engine(database_url)
    outcome: dict[str, str] = {}

    def pay(name: str) -> None:
        if name == "B":
            checked.wait(timeout=10)
        with Session(engine, expire_on_commit=False) as s:
            try:
                payments.approve_payment(s, s.get(User, finance_id), contract_id, 1)
                s.commit()
                outcome[name] = "paid"
            except Conflict as e:
                s.rollback()
                outcome[name] = str(e.message)
            finally:
                if name == "B":
                    b_done.set()

    threads = [threading.Thread(target=pay, args=(n,), name=n) for n in "AB"]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    engine.dispose()

    assert outcome == {"A": "paid", "B": "This milestone has already been paid."}
    session.expire_all()
    assert pay_transactions(session, session.get(Contract, contract_id)) == Counter({1: 1})
    assert txn_count(session) == txns + 1
    assert session.get(Contract, contract_id).paid == Decimal("72000.00")
    assert verify(session).ok

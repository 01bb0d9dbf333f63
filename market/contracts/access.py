"""Who may do what to a contract: the fetch-or-403/404 helpers every service, view and
the API go through (the rooms above contracts — performance — use them too)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from market.access.permissions import Permission, Role
from market.contracts.models import Contract
from market.errors import Forbidden, NotFound


def get_contract(session: Session, contract_id: int) -> Contract:
    """Contracts and their payments are public (政府购买服务信息公开)."""
    contract = session.get(Contract, contract_id)
    if contract is None:
        raise NotFound(_l("No such contract."))
    return contract


def is_department(user, contract: Contract) -> bool:
    return (user is not None and getattr(user, "is_authenticated", False)
            and user.can(Permission.CONTRACTS_MANAGE)
            and user.department_id == contract.department_id)


def is_contractor(user, contract: Contract) -> bool:
    return (user is not None and getattr(user, "is_authenticated", False)
            and user.can(Permission.CONTRACTS_DELIVER)
            and user.organization_id == contract.organization_id)


def managed_contract(session: Session, actor, contract_id: int) -> Contract:
    contract = session.get(Contract, contract_id, with_for_update=True)
    if contract is None:
        raise NotFound(_l("No such contract."))
    if not is_department(actor, contract):
        raise Forbidden(_l("Only the purchasing department of this contract may do this."))
    return contract


def may_read_pdf(user, contract: Contract) -> bool:
    """The written contract: anyone once it is published (合同公告); before that the
    parties, finance, civil affairs and auditors."""
    if contract.published_at is not None:
        return True
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.role in (Role.AUDITOR, Role.FINANCE, Role.CIVIL_AFFAIRS):
        return True
    return is_department(user, contract) or user.organization_id == contract.organization_id


def may_read_contract_document(session: Session, user, doc) -> bool:
    """Document policy for ``OwnerType.CONTRACT`` (registered by the contracts room)."""
    contract = session.get(Contract, doc.owner_id)
    return contract is not None and may_read_pdf(user, contract)

"""What rooms above contracts add to them, registered in their own ``init_app``.

Contracts come before what evaluates or pays them out of other budgets (performance,
later grants' tranches): those rooms import contracts, never the reverse. Where a
contract's life must reach them, contracts calls what they registered here:

* ``on_termination`` — a contract ended early (``services.terminate_contract``): e.g. the
  performance room cancels the open evaluation requests and releases their fees, in the
  same transaction;
* ``add_milestone_part`` — a template included in each milestone's card on the contract
  page, with the context it needs (e.g. the performance room's request and report forms).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from market.core import registry

TerminationListener = Callable[[Session, object, object], None]  # (session, actor, contract)


@dataclass(frozen=True)
class MilestonePart:
    template: str
    context: Callable[[Session, object, object], dict]  # (session, user, contract) -> vars


def on_termination(app, name: str, listener: TerminationListener) -> None:
    """Call ``listener(session, actor, contract)`` when a contract is terminated."""
    for listeners in registry.targets(app, "contract_termination", dict, process=True):
        listeners[name] = listener


def termination_listeners() -> list[TerminationListener]:
    return list(registry.current("contract_termination", dict, process=True).values())


def add_milestone_part(app, part: MilestonePart) -> None:
    """Include ``part.template`` in every milestone card of the contract page."""
    parts = registry.of(app, "contract_milestone_parts", list)
    if part not in parts:
        parts.append(part)


def milestone_parts() -> list[MilestonePart]:
    return list(registry.current("contract_milestone_parts", list))

"""Words for the incubation room's values; no logic."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from market.incubation.models import BaseLevel, BaseService, RewardStatus

LEVEL_LABELS = {
    BaseLevel.CITY: _l("City level"),
    BaseLevel.TOWN: _l("Town level"),
}

SERVICE_LABELS = {
    BaseService.SPACE: _l("Office space"),
    BaseService.FUNDS: _l("Start-up funds"),
    BaseService.TRAINING: _l("Capacity-building training"),
    BaseService.MENTORING: _l("Advice and mentoring"),
    BaseService.REGISTRATION: _l("Help with registration or filing"),
    BaseService.NETWORKING: _l("Links to resources and partners"),
}

REWARD_STATUS_LABELS = {
    RewardStatus.PROPOSED: _l("Awaiting payment"),
    RewardStatus.PAID: _l("Paid"),
    RewardStatus.CANCELLED: _l("Withdrawn"),
}


def service_label(value: str) -> str:
    try:
        return str(SERVICE_LABELS[BaseService(value)])
    except ValueError:
        return value

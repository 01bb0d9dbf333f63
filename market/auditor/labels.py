"""Words for the ledger's names (台账科目与元数据): an account's kind, the metadata keys of
a transaction. The account structure itself is ``ledger.accounts``; an account outside it,
or a key not listed here, is shown as it is."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from ledger import accounts as la

#: account kind (``ledger.accounts.parse_account``) -> its name
ACCOUNT_KINDS = {
    la.APPROPRIATION: _l("Budget appropriation"),  # 预算拨款
    la.LAPSED: _l("Budget lapsed at year end"),  # 结余收回
    la.AVAILABLE: _l("Available budget"),  # 可用预算
    la.RESERVED: _l("Budget reserved by a tender"),  # 预留预算
    la.COMMITTED: _l("Committed budget"),  # 已承诺预算
    la.EXPENSE_SERVICES: _l("Spending on purchased services"),  # 购买服务支出
    la.EXPENSE_GRANTS: _l("Spending on grants and rewards"),  # 公益创投资助及奖励支出
}

#: transaction metadata key -> its name
META_KEYS = {
    "catalog_item": _l("Catalog item"),  # 目录项目
    "tender": _l("Tender"),  # 采购项目
    "contract": _l("Contract"),  # 合同
    "milestone": _l("Milestone"),  # 履约节点
    "organization": _l("Organization"),  # 组织
    "grant_round": _l("Venture philanthropy round"),  # 公益创投活动
    "application": _l("Grant application"),  # 资助申请
    "tranche": _l("Tranche"),  # 拨付批次
    "incubation_base": _l("Incubation base"),  # 培育基地
    "agency": _l("Evaluation agency"),  # 评估机构
    "year": _l("Year"),  # 年度
    "reason": _l("Reason"),  # 原因
    "gate": _l("Evaluation gate"),  # 绩效评价关口
    "documents": _l("Documents"),  # 文件
    "reverses": _l("Reverses"),  # 冲销
    "by": _l("Done by"),  # 经办人
    "approved_by": _l("Approved by"),  # 批准人
    "amended_by": _l("Amended by"),  # 调整人
    "closed_by": _l("Closed by"),  # 结账人
    "released_by": _l("Released by"),  # 释放人
    "recorded_by": _l("Recorded by"),  # 记录人
    "assigned_by": _l("Assigned by"),  # 委派人
    "reported_by": _l("Reported by"),  # 报告人
}

#: The metadata keys whose value is a username (shown as the person's name).
PERSON_KEYS = frozenset(k for k in META_KEYS if k == "by" or k.endswith("_by"))


def account_kind_label(kind: str | None) -> str | None:
    return str(ACCOUNT_KINDS[kind]) if kind in ACCOUNT_KINDS else None


def meta_key_label(key: str) -> str:
    return str(META_KEYS.get(key, key))


def fiscal_year_label(fy: int) -> str:
    return str(_l("FY %(year)s", year=fy))


def unit_label(code: str, contract_numbers: dict[int, str]) -> str | None:
    """A budget sub-account's unit in words, from its stable code: a contract by its
    number, a grant, an evaluation fee, an incubation reward (None: not one of them)."""
    kind, _sep, rest = code.partition("-")
    number = rest.rsplit("-r", 1)[-1] if kind == "incubation" else rest
    if not number.isdigit():
        return None
    if kind == "contract":
        return str(_l("Contract %(number)s", number=contract_numbers.get(int(number), code)))
    if kind == "grant":
        return str(_l("Grant #%(id)s", id=number))
    if kind == "evaluation":
        return str(_l("Evaluation fee #%(id)s", id=number))
    if kind == "incubation":
        return str(_l("Incubation reward #%(id)s", id=number))
    if kind == "tender":
        return str(_l("Tender #%(id)s", id=number))
    return None


def tender_label(reference: str) -> str:
    return str(_l("Tender %(reference)s", reference=reference))

"""Users, the bodies they act for, and their language preference."""
from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from flask_login import UserMixin
from sqlalchemy import Boolean, Enum, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from market.access.permissions import Permission, Role, role_has
from market.clock import now
from market.models import Base

if TYPE_CHECKING:
    from market.orgs.models import Organization


def enum_column(enum_cls, length: int = 32):
    """Enums stored by value, as portable VARCHARs with no DB-side enum type."""
    return Enum(enum_cls, values_callable=lambda e: [m.value for m in e],
                native_enum=False, length=length, validate_strings=True)


class Department(Base):
    """职能部门 — a government department that buys services."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    is_finance: Mapped[bool] = mapped_column(Boolean, default=False)


class Town(Base):
    """镇（区） — a town or district; filing (备案) is reviewed at this level."""

    __tablename__ = "towns"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(200))
    population: Mapped[int | None] = mapped_column(Integer)


class EvaluatorAgency(Base):
    """第三方评估机构 — an independent evaluator agency."""

    __tablename__ = "evaluator_agencies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)


class User(UserMixin, Base):
    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    display_name: Mapped[str] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(enum_column(Role))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("departments.id"))
    town_id: Mapped[int | None] = mapped_column(ForeignKey("towns.id"))
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("evaluator_agencies.id"))
    # The organization this user acts for; set when its application is approved (orgs).
    organization_id: Mapped[int | None] = mapped_column(ForeignKey("organizations.id"))
    locale: Mapped[str | None] = mapped_column(String(8))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)

    department: Mapped[Department | None] = relationship()
    town: Mapped[Town | None] = relationship()
    agency: Mapped[EvaluatorAgency | None] = relationship()
    organization: Mapped[Organization | None] = relationship(foreign_keys=[organization_id])

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def can(self, permission: Permission) -> bool:
        return role_has(self.role, permission)

"""权限 — who may do what: the roles (``permissions.Role``), the permissions and the one
role → permission table (``permissions.ROLE_PERMISSIONS``), their names in words
(``labels``) and the route guards every view is marked with (``guards``).

The lowest room: every other one checks it, including the infrastructure that accounts
itself writes to (the audit log's page, the rules page, the menu). It knows no users'
table — a guard asks Flask-Login's ``current_user`` — so accounts (users, login) sits
above it like every other room. Per-object rules ("only this tender's department") stay
in each room's own ``access.py``.
"""

"""社会组织登记与备案 — the organization registry: registration and filing applications,
review, status (pending / active / suspended / cleared), annual reports and departure audits.

Later features call ``market.orgs.services.ensure_can_transact(org)`` before accepting a
bid or an application from an organization.
"""

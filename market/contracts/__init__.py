"""Contracts (合同) from awards: payment schedule, deliverables, evaluations, payments."""

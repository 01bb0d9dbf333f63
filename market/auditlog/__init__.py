"""审计日志 — the append-only record of every state change (policy §12, §14: supervision
and disclosure). Infrastructure: every service writes it through ``services.record``."""

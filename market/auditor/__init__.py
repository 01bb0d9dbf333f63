"""审计监督 — the auditors' workspace (policy §14: 监察, finance and audit supervise the
purchase funds): budget execution, drill-down from account to transaction to documents,
ledger export and verification, and a read-only Fava."""

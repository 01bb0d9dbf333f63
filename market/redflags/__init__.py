"""风险提示 — red flags for auditors (policy §14: supervision by 监察, finance and audit),
computed across procurement and the ledger, each linking to its evidence. Issue 12,
part 6."""

"""The double-entry fund ledger. Knows accounts and money, not tenders; imports no Flask."""

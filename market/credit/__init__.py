"""信用记录 — credit records (policy §18: 信誉良好): per organization, what counts for or
against its credit, with date, source and evidence; the provider conditions at the bid
read from it. Issue 12, part 7."""

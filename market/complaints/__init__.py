"""投诉举报 — complaints (policy §14: a public channel for complaints and reports): anyone
files, civil affairs routes, the responsible department answers within a set number of
working days, the outcome is public without the complainant's identity. Issue 12, part 4."""

"""政策目标 — the policy-targets dashboard (policy §2: organizations per 10,000 residents,
graded share, doubling, incubation bases per town) and purchase funds by department and
year. Issue 12, part 5."""

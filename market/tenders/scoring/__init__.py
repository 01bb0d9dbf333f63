"""评标 — bid scoring by the evaluation committee (policy §18: competitive procedures):
experts declare conflicts and score, the arithmetic ranks (with the 3A+ priority of
policy §10), and the computed results are kept for the award."""

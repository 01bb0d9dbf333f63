"""等级评估 — grading of social organizations (policy §10): third-party evaluator agencies
and their recusal (回避), yearly grade-evaluation cycles (grades 1A–5A, valid five years,
public notice and re-examination), sanctions, standing and grade changes, the clearance
list (清退) and the public catalog of organizations qualified to take government
commissions (3A and above)."""

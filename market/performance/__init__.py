"""绩效评价 — third-party performance evaluation of contracts (policy §13, §14: 第三方评估
of service quality; funds supervised): requests, agency assignment with recusal, the
evaluations themselves and the payment gate they open or close."""

"""The grading room's writes: agencies, cycles, standing and grade changes, clearance."""

"""Immutable records: instruments, conditions, requests, results; no I/O, no z3."""

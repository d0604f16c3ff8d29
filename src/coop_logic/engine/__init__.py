"""Compiling the specs to z3 once, and answering requests: verdicts, unknowns, proof traces."""

"""Questions about the specs themselves: verify, diff, counterexamples, SMT-LIB, cvc5, the
reference evaluator, the examples written in the specs and the literate review page of
each spec."""

"""Reading and validating spec, party-data and network files into model records."""

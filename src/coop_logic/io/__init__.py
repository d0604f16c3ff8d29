"""Reading files and fields, with the file, line and field of every value; no z3."""

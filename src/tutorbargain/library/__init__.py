"""The clause library: loading clause and state files, and the rules that pick clauses and
questions."""

"""The answers: the fields a local answers, reading and checking answers files, and upgrading
them."""

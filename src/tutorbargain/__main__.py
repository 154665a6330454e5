"""Allow ``python -m tutorbargain``."""

from tutorbargain._entry import main

main()

"""Allow ``python -m tutorbargain``."""

from ._entry import main

main()

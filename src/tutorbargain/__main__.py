"""Allow ``python -m tutorbargain``."""

from .cli import main

main()

"""Allow ``python -m reader`` as well as the ``khabar`` console script."""

from reader.cli import main

raise SystemExit(main())
